"""The columns of outcome documents and their parts as CSV or JSON rows: the admin's import and export and
the API's CSV export read them from here.

A part is identified by its document's slug and its number; a part it names is written
`document-slug/number`.
"""

from django.db.models import Prefetch
from import_export import fields

from meetings.models import Meeting
from publication.models import Source
from publication.resources import RecordResource, export_only, slug_field

from .models import Annex, CommuniqueItem, Declaration, OfficialText, Theme


def part_reference(part) -> str:
    return f"{part.declaration.slug}/{part.number}"


def official_text_lines(texts) -> str:
    """Official texts one a line: language, format and address (`en html https://…`); the API's record of
    the document or annex gives each in full."""
    return "\n".join(f"{text.language} {text.format} {text.url}" for text in texts)


class DeclarationResource(RecordResource):
    meeting = slug_field("meeting", Meeting)
    source = slug_field("source", Source)
    themes = export_only("themes")
    annexes = export_only("annexes")
    communique_items = export_only("communique_items")
    official_texts = export_only("official_texts")

    class Meta:
        model = Declaration
        import_id_fields = ["slug"]
        # Each row is validated as the admin form would (choices, constraints) before anything is written.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "kind", "title_ja", "title_en", "short_title_ja", "short_title_en",
            "adopted_on", "meeting", "authentic_language", "summary_ja", "summary_en",
            "body_ja", "body_en", "official_url_ja", "official_url_en", "official_texts",
            "themes", "annexes", "communique_items",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en",
            "status", "published_at", "updated_at",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("meeting", "source").prefetch_related(
            "themes",
            "annexes",
            "communique_items",
            Prefetch("official_texts", OfficialText.objects.filter(annex=None).order_by("number")),
        )

    # How many parts the document has; the parts themselves are exported on their own.

    def dehydrate_themes(self, declaration):
        return len(declaration.themes.all())

    def dehydrate_annexes(self, declaration):
        return len(declaration.annexes.all())

    def dehydrate_communique_items(self, declaration):
        return len(declaration.communique_items.all())

    def dehydrate_official_texts(self, declaration):
        # The document's own (as its readers prefetch them); each annex's row gives the annex's.
        return official_text_lines(declaration.official_texts.all())


class PartResource(RecordResource):
    declaration = slug_field("declaration", Declaration)
    # Its place in the order its document's page shows, which the rows' order (by number) may not be: an
    # editor orders parts by dragging them (README, "Order of parts"), not by import.
    position = fields.Field(attribute="position", column_name="position", readonly=True)


class ThemeResource(PartResource):
    key_points_ja = export_only("key_points_ja")
    key_points_en = export_only("key_points_en")

    class Meta:
        model = Theme
        import_id_fields = ["declaration", "number"]
        clean_model_instances = True
        fields = [
            "declaration",
            "number",
            "position",
            "title_ja",
            "title_en",
            "key_points_ja",
            "key_points_en",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("declaration").prefetch_related("key_points")

    # One key point a line.

    def dehydrate_key_points_ja(self, theme):
        return "\n".join(point.text_ja or "" for point in theme.key_points.all())

    def dehydrate_key_points_en(self, theme):
        return "\n".join(point.text_en or "" for point in theme.key_points.all())


class AnnexResource(PartResource):
    # The number of the document's theme that the annex serves.
    theme = export_only("theme")
    official_texts = export_only("official_texts")

    class Meta:
        model = Annex
        import_id_fields = ["declaration", "number"]
        clean_model_instances = True
        fields = [
            "declaration", "number", "position", "kind", "title_ja", "title_en", "theme",
            "summary_ja", "summary_en", "body_ja", "body_en", "official_url_ja", "official_url_en",
            "official_texts",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("declaration", "theme").prefetch_related(
            Prefetch("official_texts", OfficialText.objects.order_by("number"))
        )

    def dehydrate_theme(self, annex):
        return annex.theme.number if annex.theme else ""

    def dehydrate_official_texts(self, annex):
        return official_text_lines(annex.official_texts.all())


class CommuniqueItemResource(PartResource):
    themes = export_only("themes")
    annexes = export_only("annexes")

    class Meta:
        model = CommuniqueItem
        import_id_fields = ["declaration", "number"]
        clean_model_instances = True
        fields = [
            "declaration",
            "number",
            "position",
            "topic",
            "title_ja",
            "title_en",
            "text_ja",
            "text_en",
            "themes",
            "annexes",
        ]

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("declaration").prefetch_related(
            "themes__declaration", "annexes__declaration"
        )

    # The parts of ministerial documents that the item takes up, separated by spaces.

    def dehydrate_themes(self, item):
        return " ".join(part_reference(theme) for theme in item.themes.all())

    def dehydrate_annexes(self, item):
        return " ".join(part_reference(annex) for annex in item.annexes.all())
