"""The columns of the commitment register as CSV or JSON rows: the admin's import and export and the API's
CSV export read them from here.

A commitment's source paragraph is written as the address of its anchor on its document's page
(`/en/declarations/<slug>/#theme-6-point-1`), its themes and annexes as `document-slug/number`, the
commitments it builds on, the earlier meetings' commitments it carries forward (its lineage) and the
follow-ups' commitments by slug.
"""

from import_export import fields

from meetings.models import Meeting
from publication.models import Source
from publication.resources import RecordResource, export_only, slug_field, slugs_field

from .models import Assessment, Commitment, EarlierCommitment, FollowUp


def part_references(parts) -> str:
    return " ".join(f"{part.declaration.slug}/{part.number}" for part in parts)


class CommitmentResource(RecordResource):
    source_paragraph = export_only("source_paragraph")
    themes_served = export_only("themes_served")
    annexes_served = export_only("annexes_served")
    builds_on = slugs_field("builds_on", Commitment)
    earlier_commitments = export_only("earlier_commitments")
    rating = export_only("rating")
    source = slug_field("source", Source)

    class Meta:
        model = Commitment
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "number", "text_ja", "text_en", "source_paragraph", "committed_by", "act",
            "target_date", "target_precision", "themes_served", "annexes_served", "builds_on", "earlier_commitments", "rating",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en",
            "status", "published_at", "updated_at",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "key_point__theme__declaration",
            "footnote__declaration",
            "annex__declaration",
            "communique_item__declaration",
            "assessment",
            "source",
        ).prefetch_related("themes__declaration", "annexes__declaration", "builds_on", "earlier_commitments")

    def dehydrate_source_paragraph(self, commitment):
        return commitment.source_url()

    def dehydrate_themes_served(self, commitment):
        return part_references(commitment.themes.all())

    def dehydrate_annexes_served(self, commitment):
        return part_references(commitment.annexes.all())

    def dehydrate_earlier_commitments(self, commitment):
        return " ".join(earlier.slug for earlier in commitment.earlier_commitments.all())

    def dehydrate_rating(self, commitment):
        assessment = getattr(commitment, "assessment", None)
        return assessment.rating if assessment else ""


class FollowUpResource(RecordResource):
    commitments = slugs_field("commitments", Commitment)
    source = slug_field("source", Source)

    class Meta:
        model = FollowUp
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "kind", "date", "title_ja", "title_en", "issued_by_ja", "issued_by_en", "url",
            "summary_ja", "summary_en", "commitments",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en",
            "status", "published_at", "updated_at",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("source").prefetch_related("commitments")


class EarlierCommitmentResource(RecordResource):
    meeting = slug_field("meeting", Meeting)
    commitments = slugs_field("commitments", Commitment)
    source = slug_field("source", Source)

    class Meta:
        model = EarlierCommitment
        import_id_fields = ["slug"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "meeting", "thread", "date", "document_title_ja", "document_title_en", "paragraph", "url",
            "checked_on", "summary_ja", "summary_en", "commitments",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en",
            "status", "published_at", "updated_at",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("meeting", "source").prefetch_related("commitments")


class AssessmentResource(RecordResource):
    commitment = slug_field("commitment", Commitment)
    evidence = slugs_field("evidence", FollowUp)
    version = fields.Field(column_name="version", attribute="version", readonly=True)

    class Meta:
        model = Assessment
        import_id_fields = ["commitment"]
        clean_model_instances = True
        fields = [
            "commitment", "rating", "assessed_by_ja", "assessed_by_en", "assessed_on",
            "rationale_ja", "rationale_en", "evidence", "version",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("commitment").prefetch_related("evidence")
