"""Pieces the public FilterSets share: whole-number filters, text search in both languages, title order."""

from functools import reduce
from operator import or_

import django_filters as filters
from django import forms
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.forms.renderers import Jinja2
from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext_lazy as _

# Long enough for any title or phrase a visitor types; a longer text is an error, not a slow query.
QUERY_MAX_LENGTH = 200

LANGUAGES = ("ja", "en")

# Django's form error for a NUL character in a text filter. Named here so that the project's catalogue
# keeps its Japanese: Django's own Japanese for it says "enter some characters", which misleads.
gettext_noop("Null characters are not allowed.")


# One for every page: each renderer compiles the widgets' templates into an environment of its own.
JINJA2_FORM_RENDERER = Jinja2()


class PageForm(forms.Form):
    """The form of a public page's filters (the lists' FilterSets, `Meta.form`, and the search box), drawn
    by Django's Jinja2 form renderer: its widgets' templates are compiled to Python, where Django's
    template engine drew each option of a select through an include of its own. The admin keeps Django's
    templates (FORM_RENDERER), which its widgets need."""

    default_renderer = JINJA2_FORM_RENDERER


def month_choices():
    """1–12 named in the active language (Django's own catalogue names the months)."""
    return [("", _("All months")), *((number, name) for number, name in MONTHS.items())]


class IntegerFilter(filters.NumberFilter):
    """A number filter that accepts whole numbers only (django-filter's NumberFilter takes decimals).

    Its box is a text box for digits (a phone shows its number pad) rather than type="number": a value
    that the form refused (year=abc) comes back as it was typed, beside its error, where a number box
    could neither hold it (its value must be a number) nor show it."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


def text_filter(**kwargs) -> filters.CharFilter:
    """A free-text filter; Django's CharField already rejects NUL characters with a field error."""
    kwargs.setdefault("label", _("Keywords"))
    kwargs.setdefault("max_length", QUERY_MAX_LENGTH)
    return filters.CharFilter(**kwargs)


def without_help_texts(filterset):
    """The FilterSet's form as a page shows it, whose fields no help text describes.

    The filters' help texts document the API's parameters and their values (`-date`, a meeting's slug, a
    JIS X 0401 code) for its schema; the page's labels and choices say the same in words and the page shows
    none of them. Django refers a field with a help text to an element `<id>_helptext` (aria-describedby)
    that the page would then lack; without the help text the field refers to its error only, when it has
    one. Called before the form is validated, so that its bound fields are made without the help texts."""
    form = filterset.form
    for field in form.fields.values():
        field.help_text = ""
    return filterset


def contains_in_any_language(value: str, *fields: str) -> Q:
    """Match `value` case-insensitively in the Japanese or English column of any of the translated fields."""
    return reduce(
        or_, (Q(**{f"{field}_{language}__icontains": value}) for field in fields for language in LANGUAGES)
    )


def translated(field: str):
    """The field in the active language, falling back to Japanese where the translation is empty.

    The same rule as modeltranslation's fallback, but as an expression the database can sort by.
    """
    language = (get_language() or "ja")[:2]
    if language not in LANGUAGES or language == "ja":
        return F(f"{field}_ja")
    return Coalesce(
        NullIf(F(f"{field}_{language}"), Value(""), output_field=CharField()),
        F(f"{field}_ja"),
        output_field=CharField(),
    )
