"""The API's document resources: declarations, and their themes, annexes and communiqué items.

A part of a document has no slug: it is found by its document's slug and its number, at
/api/v1/declarations/{slug}/themes/{number}/ (and …/annexes/{number}/, …/communique-items/{number}/),
and listed across documents at /api/v1/themes/ (filter by `declaration`).
"""

import django_filters as filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from operations.cache import archive_last_modified
from operations.records import KeptRecordMixin
from publication.api import exports
from publication.api.filters import RankedSearchMixin
from publication.api.schema import READ_ERRORS, document_records
from publication.api.views import RecordViewSet
from publication.filters import text_filter

from .filters import DeclarationFilterSet
from .models import Annex, CommuniqueItem, Declaration, OfficialText, Theme
from .resources import AnnexResource, CommuniqueItemResource, DeclarationResource, ThemeResource
from .selectors import (
    item_parts,
    theme_record_parts,
    with_annex_record,
    with_document_record,
    with_document_row,
    with_document_summary,
)
from .serializers import (
    AnnexRecordSerializer,
    AnnexWriteSerializer,
    CommuniqueItemSerializer,
    CommuniqueItemWriteSerializer,
    DeclarationSerializer,
    DeclarationSummarySerializer,
    DeclarationWriteSerializer,
    OfficialTextSerializer,
    ThemeSerializer,
    ThemeWriteSerializer,
)

PART_PARAMETERS = [
    OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The document's slug."),
    OpenApiParameter(
        "number",
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description="The part's number in the document, 1–99.",
    ),
]


class DeclarationApiFilterSet(RankedSearchMixin, DeclarationFilterSet):
    search_kind = "declaration"


class PartFilterSet(RankedSearchMixin, filters.FilterSet):
    declaration = filters.CharFilter(
        field_name="declaration__slug",
        max_length=100,
        help_text=_("The slug of the document the parts belong to."),
    )
    q = text_filter(method="filter_text", help_text=_("Words in the part's text, in Japanese or English."))


class ThemeFilterSet(PartFilterSet):
    search_kind = "theme"

    class Meta:
        model = Theme
        fields = ["declaration", "q"]


class AnnexFilterSet(PartFilterSet):
    search_kind = "annex"
    kind = filters.ChoiceFilter(choices=Annex.Kind.choices, help_text=_("vision, action_plan or other."))

    class Meta:
        model = Annex
        fields = ["declaration", "kind", "q"]


class CommuniqueItemFilterSet(PartFilterSet):
    search_kind = "communique_item"
    topic = filters.ChoiceFilter(choices=CommuniqueItem.Topic.choices, help_text=_("The item's topic."))

    class Meta:
        model = CommuniqueItem
        fields = ["declaration", "topic", "q"]


class ArchiveViewSet(RecordViewSet):
    def last_modified(self):
        return archive_last_modified()


@document_records(
    name="declaration",
    plural="declarations (outcome documents)",
    lookup="slug",
    read=DeclarationSerializer,
    write=DeclarationWriteSerializer,
    summary=DeclarationSummarySerializer,
)
class DeclarationViewSet(KeptRecordMixin, ArchiveViewSet):
    """Outcome documents with their themes, key points, footnotes, annexes and communiqué items; the list
    gives each without its body and parts."""

    model = Declaration
    serializer_class = DeclarationSerializer
    summary_serializer_class = DeclarationSummarySerializer
    write_serializer_class = DeclarationWriteSerializer
    filterset_class = DeclarationApiFilterSet
    export_name = "declarations"
    csv_columns = exports.resource_columns(DeclarationResource)

    def base_queryset(self):
        user = self.request.user
        documents = Declaration.objects.order_by("-adopted_on", "slug")
        if self.gives_summaries():
            return with_document_summary(documents, user=user)
        if self.gives_csv():
            return with_document_row(documents, user=user)
        return with_document_record(documents, user=user)

    @extend_schema(
        summary="A document's official texts",
        description="Where the issuers publish the document's text and its annexes', each address as public "
        "records give it, with its language, format, issuer, the day the issuer dates it and the day it was "
        "checked; `annex` is the annex's number, null for the document itself. Empty where no address has "
        "been verified.",
        responses={
            200: OfficialTextSerializer(many=True),
            **{status: READ_ERRORS[status] for status in (404, 429)},
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="official-texts",
        url_name="official-texts",
        pagination_class=None,
        filter_backends=[],
    )
    def official_texts(self, request, *args, **kwargs):
        document = self.visible(Declaration.objects.all()).only("pk").filter(**self.lookup_filter()).first()
        if document is None:
            raise NotFound()
        texts = OfficialText.objects.filter(declaration=document).select_related("annex").order_by("number")
        return Response(OfficialTextSerializer(texts, many=True, context=self.get_serializer_context()).data)


class PartViewSet(ArchiveViewSet):
    """A numbered part of a document, visible when its document is."""

    publication = "declaration"
    publication_model = Declaration

    def lookup_filter(self):
        slug, number = self.kwargs["slug"], self.kwargs["number"]
        if not self.lookup_pattern.fullmatch(slug) or len(slug) > 100 or not 1 <= int(number) <= 99:
            raise NotFound()
        return {"declaration__slug": slug, "number": int(number)}

    def record_changed(self, record):
        # A part keeps no change time of its own: its document's is the one Last-Modified reads.
        Declaration.objects.filter(pk=record.declaration_id).update(updated_at=timezone.now())


@document_records(
    name="theme",
    plural="themes",
    lookup="document slug and number",
    read=ThemeSerializer,
    write=ThemeWriteSerializer,
    detail_parameters=PART_PARAMETERS,
)
class ThemeViewSet(PartViewSet):
    """The numbered themes of documents (①–⑥), with key points, footnotes, annexes and the communiqué
    items that take them up."""

    model = Theme
    serializer_class = ThemeSerializer
    write_serializer_class = ThemeWriteSerializer
    filterset_class = ThemeFilterSet
    export_name = "themes"
    csv_columns = exports.resource_columns(ThemeResource)

    def base_queryset(self):
        return (
            Theme.objects.select_related("declaration")
            .prefetch_related(*theme_record_parts(self.request.user))
            .order_by("declaration__slug", "position")
        )


@document_records(
    name="annex",
    plural="annexes",
    lookup="document slug and number",
    read=AnnexRecordSerializer,
    write=AnnexWriteSerializer,
    detail_parameters=PART_PARAMETERS,
)
class AnnexViewSet(PartViewSet):
    """The numbered annexes of documents, with the theme each serves and the communiqué items that take
    them up."""

    model = Annex
    serializer_class = AnnexRecordSerializer
    write_serializer_class = AnnexWriteSerializer
    filterset_class = AnnexFilterSet
    export_name = "annexes"
    csv_columns = exports.resource_columns(AnnexResource)

    def base_queryset(self):
        return with_annex_record(Annex.objects.all(), user=self.request.user).order_by(
            "declaration__slug", "position"
        )


@document_records(
    name="communiqué item",
    plural="communiqué items",
    lookup="document slug and number",
    read=CommuniqueItemSerializer,
    write=CommuniqueItemWriteSerializer,
    detail_parameters=PART_PARAMETERS,
)
class CommuniqueItemViewSet(PartViewSet):
    """The items of leaders' communiqués, traced to the ministerial themes and annexes they take up."""

    model = CommuniqueItem
    serializer_class = CommuniqueItemSerializer
    write_serializer_class = CommuniqueItemWriteSerializer
    filterset_class = CommuniqueItemFilterSet
    export_name = "communique-items"
    csv_columns = exports.resource_columns(CommuniqueItemResource)

    def base_queryset(self):
        return (
            CommuniqueItem.objects.select_related("declaration")
            .prefetch_related(*item_parts(self.request.user))
            .order_by("declaration__slug", "position")
        )
