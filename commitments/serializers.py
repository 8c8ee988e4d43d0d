"""The register's API records: a commitment with its paragraph, lineage, follow-ups and assessment; a
follow-up; an assessment. Read in the response language, or both with `?lang=all`."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from publication.api.fields import ApiUrlField, TranslatedField, WebUrlField
from publication.api.serializers import TranslatedModelSerializer

from .models import Assessment, Commitment, EarlierCommitment, FollowUp


def part_reference(part) -> str:
    return f"{part.declaration.slug}/{part.number}"


class SourceParagraphSerializer(serializers.Serializer):
    """The paragraph a commitment's words come from: its kind, its document and its anchor there."""

    kind = serializers.SerializerMethodField(help_text="key_point, footnote, annex or communique_item.")
    declaration = serializers.SerializerMethodField(help_text="The slug of the paragraph's document.")
    anchor = serializers.CharField(
        source="source_anchor", help_text="The paragraph's anchor on its document's page."
    )
    web_url = WebUrlField(
        lambda commitment: commitment.source_url(), help_text="The paragraph on its document's page."
    )

    def get_attribute(self, instance):
        return instance

    def get_kind(self, commitment) -> str:
        return next(
            name
            for name in ("key_point", "footnote", "annex", "communique_item")
            if getattr(commitment, f"{name}_id")
        )

    def get_declaration(self, commitment) -> str:
        return commitment.source_declaration.slug


class AssessmentSerializer(TranslatedModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    api_url = ApiUrlField("api:assessment-detail", lambda assessment: {"slug": assessment.commitment.slug})
    assessed_by = TranslatedField()
    rationale = TranslatedField()
    evidence = serializers.SerializerMethodField(help_text="The slugs of the follow-ups the rating rests on.")

    class Meta:
        model = Assessment
        fields = [
            "api_url", "commitment", "rating", "assessed_by", "assessed_on", "rationale", "evidence",
            "version", "fallback_fields", "text_status",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_evidence(self, assessment) -> list[str]:
        return [follow_up.slug for follow_up in assessment.evidence.all()]


class NestedAssessmentSerializer(AssessmentSerializer):
    class Meta(AssessmentSerializer.Meta):
        fields = [name for name in AssessmentSerializer.Meta.fields if name not in ("api_url", "commitment")]


class EarlierCommitmentSerializer(TranslatedModelSerializer):
    """An earlier meeting's commitment that 2023 commitments build on: its meeting, document, paragraph,
    public address and date, and the editors' summary of its words."""

    api_url = ApiUrlField("api:earlier-commitment-detail", lambda earlier: {"slug": earlier.slug})
    web_url = WebUrlField()
    meeting = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The slug of the earlier meeting."
    )
    year = serializers.SerializerMethodField(help_text="The year of its document.")
    document_title = TranslatedField()
    summary = TranslatedField()
    address = serializers.URLField(source="url", read_only=True, help_text="The public page of its document.")
    commitments = serializers.SerializerMethodField(
        help_text="The slugs of the 2023 commitments that build on it."
    )

    class Meta:
        model = EarlierCommitment
        fields = [
            "api_url", "web_url", "slug", "meeting", "year", "thread", "document_title", "paragraph", "date",
            "address", "checked_on", "summary", "commitments", "status", "published_at", "updated_at",
            "version", "fallback_fields", "text_status",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.INT)
    def get_year(self, earlier) -> int:
        return earlier.date.year

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_commitments(self, earlier) -> list[str]:
        return [commitment.slug for commitment in earlier.commitments.all()]


class LineageSerializer(EarlierCommitmentSerializer):
    """An earlier commitment as a step of a commitment's lineage."""

    class Meta(EarlierCommitmentSerializer.Meta):
        fields = [
            "api_url", "slug", "meeting", "year", "thread", "document_title", "paragraph", "date", "address",
            "checked_on", "summary", "fallback_fields", "text_status",
        ]  # fmt: skip


class CommitmentSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:commitment-detail", lambda commitment: {"slug": commitment.slug})
    web_url = WebUrlField()
    text = TranslatedField()
    source_paragraph = SourceParagraphSerializer(read_only=True)
    target = serializers.SerializerMethodField(help_text="The target date as precisely as the words give it.")
    themes = serializers.SerializerMethodField(help_text="The themes it serves, as document-slug/number.")
    annexes = serializers.SerializerMethodField(help_text="The annexes it serves, as document-slug/number.")
    builds_on = serializers.SerializerMethodField(
        help_text="The slugs of the earlier commitments it builds on."
    )
    earlier_commitments = LineageSerializer(
        many=True,
        read_only=True,
        help_text="Its lineage: the earlier meetings' commitments it builds on, oldest first.",
    )
    follow_ups = serializers.SerializerMethodField(help_text="The slugs of the follow-ups that answer it.")
    assessment = NestedAssessmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Commitment
        fields = [
            "api_url", "web_url", "slug", "number", "text", "source_paragraph", "committed_by", "act",
            "target_date", "target_precision", "target", "themes", "annexes", "builds_on", "earlier_commitments",
            "follow_ups", "assessment", "status", "published_at", "updated_at", "version", "fallback_fields", "text_status",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_target(self, commitment) -> str:
        return commitment.target_label()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, commitment) -> list[str]:
        return [part_reference(theme) for theme in commitment.themes.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_annexes(self, commitment) -> list[str]:
        return [part_reference(annex) for annex in commitment.annexes.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_builds_on(self, commitment) -> list[str]:
        return [earlier.slug for earlier in commitment.builds_on.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_follow_ups(self, commitment) -> list[str]:
        return [follow_up.slug for follow_up in commitment.follow_ups.all()]


class FollowUpSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:follow-up-detail", lambda follow_up: {"slug": follow_up.slug})
    web_url = WebUrlField()
    title = TranslatedField()
    issued_by = TranslatedField()
    summary = TranslatedField()
    address = serializers.URLField(source="url", read_only=True, help_text="The public page that records it.")
    commitments = serializers.SerializerMethodField(help_text="The slugs of the commitments it answers.")

    class Meta:
        model = FollowUp
        fields = [
            "api_url", "web_url", "slug", "kind", "date", "title", "issued_by", "address", "summary",
            "commitments", "status", "published_at", "updated_at", "version", "fallback_fields", "text_status",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_commitments(self, follow_up) -> list[str]:
        return [commitment.slug for commitment in follow_up.commitments.all()]
