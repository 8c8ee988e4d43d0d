"""Pieces the public FilterSets share: whole-number filters, text search in both languages, title order."""

from functools import reduce
from operator import or_

import django_filters as filters
from django import forms
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Long enough for any title or phrase a visitor types; a longer text is an error, not a slow query.
QUERY_MAX_LENGTH = 200

LANGUAGES = ("ja", "en")


class IntegerFilter(filters.NumberFilter):
    """A number filter that accepts whole numbers only (django-filter's NumberFilter takes decimals)."""

    field_class = forms.IntegerField


def text_filter(**kwargs) -> filters.CharFilter:
    """A free-text filter; Django's CharField already rejects NUL characters with a field error."""
    kwargs.setdefault("label", _("Text"))
    kwargs.setdefault("max_length", QUERY_MAX_LENGTH)
    return filters.CharFilter(**kwargs)


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
