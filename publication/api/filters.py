"""The website's FilterSets, with `?q=` answered by the shared search engine for the API.

The engine is the search app's, which reads every kind of record and so sits above the apps that define
them; the API's filters find it through the SEARCH_RANKING setting, as Django finds a cache backend,
rather than importing it upwards. It takes the words, the language and the kinds, and returns a ranking
whose `records` have an `object_id`, best first; a query it refuses raises ValueError with the message
for the client.
"""

import re

import django_filters
from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import NotFound, ValidationError

# A slug as the API's lookups accept it.
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def rank(words: str, *, language: str, kinds: list[str]):
    return import_string(settings.SEARCH_RANKING)(words, language=language, kinds=kinds)


class RankedSearchMixin:
    """`?q=` keeps the records that the search engine finds (published records, matched in either
    language, the same hits as the site's search page), best first unless `ordering` is given.

    Put it before the website's FilterSet, whose `q` filter calls `filter_text`.
    """

    search_kind: str = ""

    def filter_text(self, queryset, name, value):
        try:
            ranking = rank(value, language=get_language() or "ja", kinds=[self.search_kind])
        except ValueError as exc:
            raise ValidationError({name: [str(exc)]}) from exc
        self.ranking = [record.object_id for record in ranking.records]
        return queryset.filter(pk__in=self.ranking)

    def filter_queryset(self, queryset):
        self.ranking = None
        queryset = super().filter_queryset(queryset)
        if self.ranking and not self.form.cleaned_data.get("ordering"):
            rank = Case(
                *(When(pk=pk, then=Value(position)) for position, pk in enumerate(self.ranking)),
                output_field=IntegerField(),
            )
            queryset = queryset.order_by(rank, "pk")
        return queryset


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with a 404 where a filter names, by its slug, a record that does not
    exist (`?meeting=no-such-meeting`), as the record's own address would answer; a value that cannot be
    a slug, or any other bad value, stays a 400 with a message per parameter."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise unknown_record(filterset) or translate_validation(filterset.errors)
        return filterset.qs


def unknown_record(filterset) -> NotFound | None:
    """A 404 if every invalid parameter is a well-formed slug that names no record, else None."""
    found = []
    for name, errors in filterset.form.errors.as_data().items():
        filter_field = filterset.filters.get(name)
        value = filterset.form.data.get(name, "")
        if not (
            isinstance(filter_field, django_filters.ModelChoiceFilter)
            and filter_field.extra.get("to_field_name") == "slug"
            and SLUG_PATTERN.fullmatch(value)
            and all(error.code == "invalid_choice" for error in errors)
        ):
            return None
        found.append(
            NotFound(_("No record “%(slug)s” for %(parameter)s.") % {"slug": value, "parameter": name})
        )
    return found[0] if found else None
