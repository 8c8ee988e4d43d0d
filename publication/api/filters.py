"""The website's FilterSets, with `?q=` answered by the shared search engine for the API.

The engine is the search app's, which reads every kind of record and so sits above the apps that define
them; the API's filters find it through the SEARCH_RANKING setting, as Django finds a cache backend,
rather than importing it upwards. It takes the words, the language and the kinds, and returns a ranking
whose `records` have an `object_id`, best first; a query it refuses raises ValueError with the message
for the client.
"""

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from rest_framework.exceptions import ValidationError


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
