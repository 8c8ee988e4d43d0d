"""`/api/v1/search/?q=`: the website's search across every kind of record, as JSON."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from publication.api.languages import messages_language
from publication.api.pagination import PageNumbers
from publication.api.schema import LANGUAGE, READ_ERRORS
from publication.api.views import ApiViewMixin
from search.engine import (
    CANDIDATES_PER_TERM,
    KINDS,
    MAX_QUERY_LENGTH,
    Ranking,
    SearchError,
    build_hits,
    rank,
)
from search.models import SearchEntry

# The API resource of each kind of hit that has one; key points and footnotes are read within
# their theme.
DETAIL_VIEWS = {
    "meeting": "api:meeting-detail",
    "declaration": "api:declaration-detail",
    "theme": "api:theme-detail",
    "annex": "api:annex-detail",
    "communique_item": "api:communique-item-detail",
    "commitment": "api:commitment-detail",
    "follow_up": "api:follow-up-detail",
    "earlier_commitment": "api:earlier-commitment-detail",
}
# The kinds whose API resource is named by the record's own slug; the others by their document's and number.
BY_SLUG = ("meeting", "declaration", "commitment", "follow_up", "earlier_commitment")


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "The words to find, Japanese or English, all of them; words in double quotes side by side, as a "
            "phrase. At most 200 characters."
        ),
    )
    kind = serializers.MultipleChoiceField(
        choices=KINDS,
        required=False,
        help_text=_("Only hits of these kinds (repeat the parameter for several)."),
    )


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KINDS)
    title = serializers.CharField()
    snippet = serializers.CharField(
        help_text=_("HTML: the text around the match, escaped, with each match in <mark>…</mark>.")
    )
    lang = serializers.CharField(
        help_text=_("The language of the title and snippet (ja when English is missing).")
    )
    web_url = serializers.URLField()
    api_url = serializers.URLField(allow_null=True)
    score = serializers.FloatField()


class RankedHits:
    """A ranking as the paginator sees it: its length, and the hits of a slice, built only when asked for,
    so that a page highlights its own hits and no others."""

    def __init__(self, ranking: Ranking):
        self.ranking = ranking

    def __len__(self):
        return len(self.ranking.records)

    def __getitem__(self, page: slice):
        return build_hits(self.ranking, self.ranking.records[page])


class SearchPages(PageNumbers):
    """Page numbers, and `more`: whether the search found more records than it ranks."""

    more = False

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["more"] = self.more
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["more"] = {
            "type": "boolean",
            "description": str(
                _(
                    "True when a word of the search is so common that only its best %(limit)d records were "
                    "ranked: count is then a lower bound, and a narrower search finds the rest."
                )
                % {"limit": CANDIDATES_PER_TERM}
            ),
        }
        schema["required"] = [*schema.get("required", []), "more"]
        return schema


class SearchView(ApiViewMixin, generics.GenericAPIView):
    """Search every published record, in Japanese and English, best first."""

    pagination_class = SearchPages
    serializer_class = SearchHitSerializer

    @classmethod
    def read_parameters(cls, action, initkwargs):
        pages = cls.pagination_class
        return (
            *super().read_parameters(action, initkwargs),
            "q",
            "kind",
            pages.page_query_param,
            pages.page_size_query_param,
        )

    # Hits are not a queryset; this only tells the schema generator what the view is about.
    queryset = SearchEntry.objects.none()

    @extend_schema(
        summary="Search every record",
        parameters=[LANGUAGE, SearchQuerySerializer],
        responses={200: SearchHitSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request, *args, **kwargs):
        query = SearchQuerySerializer(
            data={"q": request.query_params.get("q", ""), "kind": request.query_params.getlist("kind")}
        )
        query.is_valid(raise_exception=True)
        kinds = sorted(query.validated_data.get("kind") or KINDS)
        try:
            ranking = rank(query.validated_data["q"], language=messages_language(self.language), kinds=kinds)
        except SearchError as exc:
            raise ValidationError({"q": [str(exc)]}) from exc
        self.paginator.more = ranking.more
        page = self.paginate_queryset(RankedHits(ranking))
        hits = [self.hit(hit) for hit in page]
        return self.get_paginated_response(SearchHitSerializer(hits, many=True).data)

    def hit(self, hit) -> dict:
        view_name = DETAIL_VIEWS.get(hit.kind)
        if view_name is None:
            api_url = None
        elif hit.kind in BY_SLUG:
            api_url = self.request.build_absolute_uri(reverse(view_name, kwargs={"slug": hit.slug}))
        else:
            api_url = self.request.build_absolute_uri(
                reverse(view_name, kwargs={"slug": hit.slug, "number": hit.number})
            )
        return {
            "kind": hit.kind,
            "title": hit.title,
            "snippet": str(hit.snippet),
            "lang": hit.lang,
            "web_url": self.request.build_absolute_uri(hit.url),
            "api_url": api_url,
            "score": hit.score,
        }
