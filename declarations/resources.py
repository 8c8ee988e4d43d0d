"""Outcome documents as CSV or JSON rows, for the admin's import and export."""

from meetings.models import Meeting
from publication.models import Source
from publication.resources import RecordResource, slug_field

from .models import Declaration


class DeclarationResource(RecordResource):
    meeting = slug_field("meeting", Meeting)
    source = slug_field("source", Source)

    class Meta:
        model = Declaration
        import_id_fields = ["slug"]
        # Each row is validated as the admin form would (choices, constraints) before anything is written.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "meeting", "kind", "adopted_on", "authentic_language",
            "title_ja", "title_en", "short_title_ja", "short_title_en", "summary_ja", "summary_en",
            "body_ja", "body_en", "official_url_ja", "official_url_en",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en", "status", "published_at",
        ]  # fmt: skip
