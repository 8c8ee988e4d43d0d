"""The project's form renderer writes a <select> and an <input> exactly as Django's templates do, faster."""

import pytest
from django import forms
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.safestring import mark_safe

from declarations.filters import DeclarationFilterSet
from meetings.filters import MeetingFilterSet
from meetings.models import Prefecture
from rendering.forms import FormRenderer, Select

pytestmark = pytest.mark.django_db


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("<b>", mark_safe("<b>bold</b>")), (3, 2023)])
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("none", "None of them")],
        widget=forms.Select(
            attrs={"class": "wide", "data-x": 'say "hi"', "required": True, "disabled": False}
        ),
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    maybe = forms.NullBooleanField()
    prefecture = forms.ModelChoiceField(Prefecture.objects.order_by("code"), required=False)
    empty = forms.ChoiceField(choices=[])
    words = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": 'a "quoted" <word>'})
    )
    year = forms.IntegerField(min_value=1975, max_value=2100, required=False)
    search = forms.CharField(
        required=False, widget=forms.SearchInput(attrs={"autofocus": True, "spellcheck": False})
    )
    email = forms.EmailField(required=False)
    address = forms.URLField(required=False, assume_scheme="https")
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=False))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput, initial=mark_safe("<i>safe</i>"))


def rendered(form, renderer) -> list[str]:
    form.renderer = renderer
    return [str(form[name]) for name in form.fields]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_select_and_input_is_written_as_djangos_templates_write_it(language):
    with translation.override(language):
        forms_to_render = [
            lambda: Everything(),
            lambda: Everything({"plain": "<b>", "grouped": "pear", "many": ["x", "z"], "maybe": "true"}),
            lambda: Everything(
                {
                    "words": '"><script>',
                    "year": "abc",
                    "search": "宣言 & G7",
                    "email": "a@b",
                    "secret": "x",
                    "day": "2023-04-29",
                }
            ),
            lambda: Everything({"year": "2023", "address": "https://example.org/?a=1&b=2", "hidden": ""}),
            lambda: MeetingFilterSet({"year": "2023", "prefecture": "10", "month": "4"}).form,
            lambda: DeclarationFilterSet({"kind": "ministerial_declaration"}).form,
        ]
        for make in forms_to_render:
            ours = rendered(make(), FormRenderer())
            djangos = rendered(make(), DjangoTemplates())
            assert ours == djangos
    assert any("<optgroup" in html for html in ours + rendered(Everything(), FormRenderer()))
    assert any('<input type="search"' in html for html in rendered(Everything(), FormRenderer()))


def test_the_project_uses_it(settings):
    form = Everything()
    assert isinstance(form.renderer, FormRenderer)
    assert '<option value="a">A &amp; B</option>' in str(form["plain"])
    assert '<option value="&lt;b&gt;"><b>bold</b></option>' in str(form["plain"])


def with_djangos_select(form):
    """The form with each of rendering.forms.Select's widgets replaced by Django's, same choices and attributes."""
    for field in form.fields.values():
        if type(field.widget) is Select:
            widget = forms.Select(attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            widget.is_required = field.widget.is_required
            field.widget = widget
    return form


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize(
    ("filterset", "data"),
    [
        (MeetingFilterSet, {}),
        (MeetingFilterSet, {"year": "2023", "prefecture": "10", "month": "4", "portfolio": "digital"}),
        (MeetingFilterSet, {"prefecture": "99", "month": "13", "kind": "bogus", "ordering": "-date"}),
        (DeclarationFilterSet, {"kind": "ministerial_declaration", "ordering": "title"}),
        (DeclarationFilterSet, {"meeting": "g7-2023-digital-and-tech-takasaki"}),
    ],
)
def test_the_filters_select_writes_what_djangos_select_writes(filterset, data, language):
    with translation.override(language):
        form = filterset(data).form
        assert any(type(field.widget) is Select for field in form.fields.values())
        with CaptureQueriesContext(connection) as our_queries:
            ours = rendered(form, FormRenderer())
        with CaptureQueriesContext(connection) as djangos_queries:
            djangos = rendered(with_djangos_select(filterset(data).form), DjangoTemplates())
    assert ours == djangos
    # The same queries (a model's choices read once, never counted first).
    assert len(our_queries) == len(djangos_queries)
    assert any(" selected>" in html for html in ours)


def test_grouped_choices_are_left_to_django():
    widget = Select(choices=[("Fruit", [("apple", "Apple")]), ("none", "None")])
    django_widget = forms.Select(choices=widget.choices)
    assert widget.render("f", "apple", renderer=DjangoTemplates()) == django_widget.render(
        "f", "apple", renderer=DjangoTemplates()
    )
