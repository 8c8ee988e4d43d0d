"""publication.filters: the public pages' filter forms are drawn by Django's Jinja2 form renderer, one for
every page, and draw the same fields, choices and errors as Django's templates would."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.utils import translation

from commitments.filters import CommitmentFilterSet
from declarations.filters import DeclarationFilterSet
from meetings.filters import MeetingFilterSet
from publication.filters import JINJA2_FORM_RENDERER
from search.views import SearchForm

pytestmark = pytest.mark.django_db


def page_forms(data):
    return [
        MeetingFilterSet(data).form,
        DeclarationFilterSet(data).form,
        CommitmentFilterSet(data).form,
        SearchForm(data),
    ]


def test_every_page_form_is_drawn_by_the_one_jinja2_renderer():
    assert all(form.renderer is JINJA2_FORM_RENDERER for form in page_forms({}))


@pytest.mark.parametrize("data", [{}, {"year": "2023", "kind": "bogus", "prefecture": "99", "q": "G7"}])
def test_a_page_form_draws_what_django_templates_draw(data):
    """The same elements and attributes (a selected choice, an error's aria-describedby), whitespace aside."""
    with translation.override("ja"):
        for form in page_forms(data):
            form.is_valid()
            drawn = "".join(str(field) for field in form)
            form.renderer = DjangoTemplates()
            assert drawn.split() == "".join(str(field) for field in form).split()
