"""Meetings as CSV or JSON rows, for the admin's import and export."""

from import_export import fields, widgets

from publication.models import Source
from publication.resources import RecordResource, slug_field

from .models import Meeting, Organization


class MeetingResource(RecordResource):
    summit = slug_field("summit", Meeting)
    source = slug_field("source", Source)
    hosts = fields.Field(
        column_name="hosts",
        attribute="hosts",
        widget=widgets.ManyToManyWidget(Organization, separator="|", field="slug"),
    )

    class Meta:
        model = Meeting
        import_id_fields = ["slug"]
        # Each row is validated as the admin form would (choices, constraints) before anything is written.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "forum", "kind", "year", "presidency", "portfolio",
            "title_ja", "title_en", "short_title_ja", "short_title_en", "summary_ja", "summary_en",
            "participants_ja", "participants_en", "hosts", "summit",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en", "status", "published_at",
        ]  # fmt: skip
