"""Import and export of records as CSV or JSON: slugs for links, both languages as columns."""

from functools import cache

from import_export import fields, resources, widgets

from declarations.models import Declaration
from meetings.models import Meeting, Organization

from .models import Source

# Internal bookkeeping: not the editors' to export or import.
BOOKKEEPING = ["version", "translation_status", "text_changed_at", "created_at", "updated_at"]


def slug_field(name: str, model, *, attribute: str | None = None) -> fields.Field:
    return fields.Field(
        column_name=name, attribute=attribute or name, widget=widgets.ForeignKeyWidget(model, "slug")
    )


class RecordResource(resources.ModelResource):
    """Rows are matched by slug: an import updates the record with that slug or creates it."""

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if instance is not None:
            # An import writes over the current version on purpose: it is previewed before it is confirmed.
            instance.version = (
                type(instance)._base_manager.filter(pk=instance.pk).values_list("version", flat=True)[0]
            )
        return instance


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


@cache
def export_resource(model) -> type[resources.ModelResource]:
    """A resource for any other record: every column but the bookkeeping ones and the untranslated originals."""
    translated = getattr(model, "translated_fields", lambda: ())()
    return resources.modelresource_factory(
        model, resource_class=RecordResource, meta_options={"exclude": [*BOOKKEEPING, *translated]}
    )
