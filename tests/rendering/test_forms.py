"""The public filter forms are drawn by Django's own widgets through its Jinja2 form renderer
(publication.filters.PageForm)."""

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import Jinja2
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from declarations.filters import DeclarationFilterSet
from meetings.filters import MeetingFilterSet
from search.views import SearchForm

pytestmark = pytest.mark.django_db


def rendered(form) -> dict[str, str]:
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("form", [MeetingFilterSet().form, DeclarationFilterSet().form, SearchForm()])
def test_the_public_forms_use_djangos_jinja2_renderer_and_select(form):
    assert isinstance(form.renderer, Jinja2)
    selects = [field.widget for field in form.fields.values() if isinstance(field.widget, forms.Select)]
    assert selects and all(type(widget) is forms.Select for widget in selects)


def test_a_filter_marks_its_chosen_options_and_escapes_their_labels():
    with translation.override("en"):
        form = MeetingFilterSet(
            {"year": "2023", "prefecture": "10", "month": "4", "portfolio": "gender"}
        ).form
        html = rendered(form)
    assert '<option value="10" selected>Gunma</option>' in html["prefecture"]
    assert '<option value="4" selected>' in html["month"]
    assert (
        '<option value="gender" selected>Gender equality and women&#39;s empowerment</option>'
        in (html["portfolio"])
    )
    # The order has no empty choice: with none chosen, its first is shown.
    assert html["ordering"].startswith('<select name="ordering"')
    assert '<option value="">' not in html["ordering"]
    # No option is chosen where the value is not one of them: the first is shown.
    with translation.override("en"):
        html = rendered(MeetingFilterSet({"prefecture": "99", "month": "13"}).form)
    assert " selected" not in html["prefecture"] + html["month"]


@pytest.mark.parametrize(
    ("filterset", "field"), [(MeetingFilterSet, "prefecture"), (DeclarationFilterSet, "meeting")]
)
def test_a_model_choice_filter_reads_its_choices_in_one_query(filterset, field):
    """Regression: a model's choices are read once to be written, never counted first."""
    form = filterset({}).form
    with CaptureQueriesContext(connection) as queries:
        html = str(form[field])
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()
    assert html.count("<option") > 1
