"""The outcome documents in the API: themes with key points and footnotes, annexes, communiqué items.

The trace from a ministerial outcome to the Leaders' Communiqué shows on both ends: a communiqué item
lists the themes and annexes it takes up, and a theme or an annex lists the items that take it up.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from meetings.models import Meeting
from meetings.serializers import MeetingReferenceSerializer, SourceSerializer
from publication.api.fields import ApiUrlField, SlugReferenceField, TranslatedField, WebUrlField
from publication.api.serializers import (
    PROVENANCE_FIELDS,
    PickedListSerializer,
    RecordWriteSerializer,
    StrictJsonTypes,
    TranslatedModelSerializer,
    fields_without,
)

from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, OfficialText, Theme
from .selectors import annexes_serving, footnotes_of


def part_lookup(part) -> dict:
    return {"slug": part.declaration.slug, "number": part.number}


def anchored(part) -> str:
    """The public address of a part shown within its document's page."""
    return f"{reverse('declarations:detail', kwargs={'slug': part.declaration.slug})}#{part.anchor}"


class DeclarationReferenceSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:declaration-detail", lambda declaration: {"slug": declaration.slug})
    web_url = WebUrlField()
    title = TranslatedField()

    class Meta:
        model = Declaration
        fields = ["api_url", "web_url", "slug", "kind", "title", "fallback_fields", "text_status"]


class ThemeReferenceSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:theme-detail", part_lookup)
    web_url = WebUrlField(anchored)
    declaration = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = TranslatedField()

    class Meta:
        model = Theme
        fields = [
            "api_url",
            "web_url",
            "declaration",
            "number",
            "marker",
            "title",
            "fallback_fields",
            "text_status",
        ]


class AnnexReferenceSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:annex-detail", part_lookup)
    web_url = WebUrlField()
    declaration = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = TranslatedField()

    class Meta:
        model = Annex
        fields = [
            "api_url",
            "web_url",
            "declaration",
            "number",
            "kind",
            "title",
            "fallback_fields",
            "text_status",
        ]


class CommuniqueItemReferenceSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:communique-item-detail", part_lookup)
    web_url = WebUrlField(anchored)
    declaration = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = TranslatedField()

    class Meta:
        model = CommuniqueItem
        fields = [
            "api_url",
            "web_url",
            "declaration",
            "number",
            "topic",
            "title",
            "fallback_fields",
            "text_status",
        ]


class KeyPointSerializer(TranslatedModelSerializer):
    web_url = WebUrlField(lambda point: f"{anchored(point.theme)}-point-{point.number}")
    text = TranslatedField()

    class Meta:
        model = KeyPoint
        fields = ["web_url", "number", "position", "text", "fallback_fields", "text_status"]


class FootnoteSerializer(TranslatedModelSerializer):
    web_url = WebUrlField(anchored)
    text = TranslatedField()

    class Meta:
        model = Footnote
        fields = ["web_url", "number", "position", "text", "fallback_fields", "text_status"]


class OfficialTextSerializer(TranslatedModelSerializer):
    """Where the issuer publishes the text in one language, as public records give the address."""

    issuer = TranslatedField()
    annex = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        help_text="The number of the annex whose text it is; null for the document.",
    )

    class Meta:
        model = OfficialText
        fields = [
            "number",
            "annex",
            "url",
            "language",
            "format",
            "title",
            "issuer",
            "published_on",
            "checked_on",
            "fallback_fields",
            "text_status",
        ]


class ThemeSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:theme-detail", part_lookup)
    web_url = WebUrlField(anchored)
    declaration = DeclarationReferenceSerializer()
    title = TranslatedField()
    key_points = KeyPointSerializer(many=True)
    # Among the document's own footnotes and annexes, which its read path gives (declarations.selectors).
    footnotes = PickedListSerializer(child=FootnoteSerializer(), pick=footnotes_of)
    annexes = PickedListSerializer(child=AnnexReferenceSerializer(), pick=annexes_serving)
    communique_items = CommuniqueItemReferenceSerializer(many=True)

    class Meta:
        model = Theme
        fields = [
            "api_url",
            "web_url",
            "declaration",
            "number",
            "position",
            "marker",
            "title",
            "key_points",
            "footnotes",
            "annexes",
            "communique_items",
            "version",
            "fallback_fields",
            "text_status",
        ]


class AnnexSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:annex-detail", part_lookup)
    web_url = WebUrlField()
    declaration = DeclarationReferenceSerializer()
    title = TranslatedField()
    theme = ThemeReferenceSerializer(allow_null=True)
    summary = TranslatedField()
    body = TranslatedField()
    official_url = TranslatedField()
    communique_items = CommuniqueItemReferenceSerializer(many=True)

    class Meta:
        model = Annex
        fields = [
            "api_url",
            "web_url",
            "declaration",
            "number",
            "position",
            "kind",
            "title",
            "theme",
            "summary",
            "body",
            "official_url",
            "communique_items",
            "version",
            "fallback_fields",
            "text_status",
        ]


class AnnexRecordSerializer(AnnexSerializer):
    """An annex as its own endpoint gives it: with its official texts (within its document's record, the
    document's `official_texts` address lists them)."""

    official_texts = OfficialTextSerializer(many=True)

    class Meta(AnnexSerializer.Meta):
        fields = [*AnnexSerializer.Meta.fields[:-3], "official_texts", *AnnexSerializer.Meta.fields[-3:]]


class CommuniqueItemSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:communique-item-detail", part_lookup)
    web_url = WebUrlField(anchored)
    declaration = DeclarationReferenceSerializer()
    title = TranslatedField()
    text = TranslatedField()
    themes = ThemeReferenceSerializer(many=True)
    annexes = AnnexReferenceSerializer(many=True)

    class Meta:
        model = CommuniqueItem
        fields = [
            "api_url",
            "web_url",
            "declaration",
            "number",
            "position",
            "topic",
            "title",
            "text",
            "themes",
            "annexes",
            "version",
            "fallback_fields",
            "text_status",
        ]


class DeclarationSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:declaration-detail", lambda declaration: {"slug": declaration.slug})
    web_url = WebUrlField()
    meeting = MeetingReferenceSerializer(allow_null=True)
    title = TranslatedField()
    short_title = TranslatedField()
    summary = TranslatedField()
    body = TranslatedField()
    official_url = TranslatedField()
    official_texts_url = ApiUrlField(
        "api:declaration-official-texts",
        lambda declaration: {"slug": declaration.slug},
        help_text="The address of the document's official texts and its annexes' (official-texts/).",
    )
    themes = ThemeSerializer(many=True)
    annexes = AnnexSerializer(many=True)
    communique_items = CommuniqueItemSerializer(many=True)
    source = SourceSerializer(allow_null=True)
    provenance_note = TranslatedField()

    class Meta:
        model = Declaration
        fields = [
            "api_url",
            "web_url",
            "slug",
            "kind",
            "title",
            "short_title",
            "adopted_on",
            "summary",
            "body",
            "official_url",
            "official_texts_url",
            "authentic_language",
            "meeting",
            "themes",
            "annexes",
            "communique_items",
            "source",
            "source_locator",
            "provenance_note",
            "status",
            "published_at",
            "updated_at",
            "version",
            "fallback_fields",
            "text_status",
        ]


class DeclarationSummarySerializer(DeclarationSerializer):
    """A document as the list shows it: everything but its body, its parts and its provenance, which its
    own record (`api_url`) and the export give. A page of documents then costs what a page of titles
    does."""

    class Meta(DeclarationSerializer.Meta):
        fields = fields_without(
            DeclarationSerializer,
            "body",
            "themes",
            "annexes",
            "communique_items",
            *PROVENANCE_FIELDS,
        )


# Writes


class PartReferenceSerializer(StrictJsonTypes):
    """A theme or an annex of any document, by the document's slug and the part's number."""

    declaration = serializers.SlugField(max_length=100)
    number = serializers.IntegerField(min_value=1, max_value=99)


def resolve_parts(model, references: list[dict]) -> list:
    """The parts that the references name; a reference to no part is an error."""
    parts, errors = [], []
    for reference in references:
        part = model.objects.filter(
            declaration__slug=reference["declaration"], number=reference["number"]
        ).first()
        if part is None:
            errors.append(
                _("Document “%(declaration)s” has no part numbered %(number)d.")
                % {"declaration": reference["declaration"], "number": reference["number"]}
            )
        parts.append(part)
    if errors:
        # As a reference by slug to no record: a 404 when nothing else is wrong (publication.api.errors).
        raise serializers.ValidationError(errors, code="does_not_exist")
    return parts


class DeclarationWriteSerializer(RecordWriteSerializer):
    """A document as an editor writes it; its themes, annexes and items are resources of their own."""

    meeting = SlugReferenceField(queryset=Meeting.objects.all())
    title = TranslatedField()
    short_title = TranslatedField(required=False)
    summary = TranslatedField(required=False)
    body = TranslatedField(required=False)
    official_url = TranslatedField(required=False)
    provenance_note = TranslatedField(required=False)

    class Meta(RecordWriteSerializer.Meta):
        model = Declaration
        fields = [
            "slug",
            "meeting",
            "kind",
            "title",
            "short_title",
            "adopted_on",
            "summary",
            "body",
            "official_url",
            "authentic_language",
            "source_locator",
            "provenance_note",
            "status",
            "published_at",
            "version",
        ]


class PartWriteSerializer(RecordWriteSerializer):
    declaration = SlugReferenceField(queryset=Declaration.objects.all())


class ThemeWriteSerializer(PartWriteSerializer):
    """A theme as an editor writes it; its key points and footnotes are kept in the admin."""

    title = TranslatedField()

    class Meta(RecordWriteSerializer.Meta):
        model = Theme
        fields = ["declaration", "number", "title", "version"]


class AnnexWriteSerializer(PartWriteSerializer):
    title = TranslatedField()
    theme = serializers.IntegerField(
        min_value=1,
        max_value=99,
        allow_null=True,
        required=False,
        help_text="The number of the theme of the same document that the annex serves.",
    )
    summary = TranslatedField(required=False)
    body = TranslatedField(required=False)
    official_url = TranslatedField(required=False)

    class Meta(RecordWriteSerializer.Meta):
        model = Annex
        fields = [
            "declaration",
            "number",
            "kind",
            "title",
            "theme",
            "summary",
            "body",
            "official_url",
            "version",
        ]

    def validate(self, attrs):
        if "theme" in attrs and attrs["theme"] is not None:
            declaration = attrs.get("declaration") or self.instance.declaration
            theme = Theme.objects.filter(declaration=declaration, number=attrs["theme"]).first()
            if theme is None:
                raise serializers.ValidationError(
                    {"theme": [_("The document has no theme with this number.")]}, code="does_not_exist"
                )
            attrs["theme"] = theme
        return attrs


class CommuniqueItemWriteSerializer(PartWriteSerializer):
    title = TranslatedField()
    text = TranslatedField()
    themes = PartReferenceSerializer(many=True, required=False)
    annexes = PartReferenceSerializer(many=True, required=False)

    class Meta(RecordWriteSerializer.Meta):
        model = CommuniqueItem
        fields = ["declaration", "number", "topic", "title", "text", "themes", "annexes", "version"]

    def validate_themes(self, references):
        return resolve_parts(Theme, references)

    def validate_annexes(self, references):
        return resolve_parts(Annex, references)
