"""The website's FilterSets, with `?q=` answered by the shared search engine for the API."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import get_language
from rest_framework.exceptions import ValidationError

from search.engine import SearchError, rank


class RankedSearchMixin:
    """`?q=` keeps the records that the search engine finds (published records, matched in either
    language, the same hits as the site's search page), best first unless `ordering` is given.

    Put it before the website's FilterSet, whose `q` filter calls `filter_text`.
    """

    search_kind: str = ""

    def filter_text(self, queryset, name, value):
        try:
            ranking = rank(value, language=get_language() or "ja", kinds=[self.search_kind])
        except SearchError as exc:
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
