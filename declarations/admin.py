from adminsortable2.admin import SortableStackedInline
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from publication.admin import (
    PublishableAdmin,
    RecordAdmin,
    RecordStackedInline,
    RecordTabularInline,
    RenumberablePartsAdminMixin,
    SortablePartsInlineMixin,
)

from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, OfficialText, Theme
from .resources import AnnexResource, CommuniqueItemResource, DeclarationResource, ThemeResource


class ThemeInline(SortablePartsInlineMixin, RecordTabularInline):
    """A document's themes, dragged into order by their position; their numbers stay (README, "Order of
    parts")."""

    model = Theme
    extra = 0
    show_change_link = True


class FootnoteInline(SortablePartsInlineMixin, RecordStackedInline):
    template = SortableStackedInline.template
    model = Footnote
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            kwargs["queryset"] = Theme.objects.select_related("declaration")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnnexInline(SortablePartsInlineMixin, RecordStackedInline):
    template = SortableStackedInline.template
    model = Annex
    extra = 0
    show_change_link = True
    fields = ["number", "position", "kind", "title", "theme", "summary", "official_url"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "theme":
            kwargs["queryset"] = Theme.objects.select_related("declaration")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class CommuniqueItemInline(SortablePartsInlineMixin, RecordStackedInline):
    template = SortableStackedInline.template
    model = CommuniqueItem
    extra = 0
    show_change_link = True
    autocomplete_fields = ["themes", "annexes"]


class OfficialTextInline(RecordStackedInline):
    model = OfficialText
    extra = 0
    fields = ["number", "annex", "language", "format", "url", "title", "issuer", "published_on", "checked_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "annex":
            kwargs["queryset"] = Annex.objects.select_related("declaration")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Declaration)
class DeclarationAdmin(RenumberablePartsAdminMixin, PublishableAdmin):
    resource_classes = [DeclarationResource]
    list_display = ["title", "kind", "meeting", "adopted_on", "authentic_language", "state", "published_at"]
    list_filter = ["status", "kind", "authentic_language", "meeting__year"]
    list_select_related = ["meeting"]
    search_fields = ["slug", "title_ja", "title_en", "summary_ja", "summary_en"]
    autocomplete_fields = ["meeting"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "adopted_on"
    inlines = [ThemeInline, FootnoteInline, AnnexInline, CommuniqueItemInline, OfficialTextInline]
    fieldsets = [
        (None, {"fields": ["slug", "meeting", "kind", "adopted_on", "authentic_language"]}),
        (_("Texts"), {"fields": ["title", "short_title", "summary", "body", "official_url"]}),
        PublishableAdmin.provenance_fieldset,
        PublishableAdmin.publication_fieldset,
    ]


class KeyPointInline(SortablePartsInlineMixin, RecordStackedInline):
    template = SortableStackedInline.template
    model = KeyPoint
    extra = 0


@admin.register(Theme)
class ThemeAdmin(RenumberablePartsAdminMixin, RecordAdmin):
    resource_classes = [ThemeResource]
    governed_by = "declaration"
    list_display = ["__str__", "declaration", "number"]
    list_filter = ["declaration"]
    list_select_related = ["declaration"]
    search_fields = ["title_ja", "title_en", "declaration__title_ja", "declaration__title_en"]
    # Its place in the order is set among the others of its kind, on its document's (or theme's) page.
    exclude = ["position"]
    autocomplete_fields = ["declaration"]
    inlines = [KeyPointInline]


@admin.register(Annex)
class AnnexAdmin(RecordAdmin):
    resource_classes = [AnnexResource]
    governed_by = "declaration"
    list_display = ["__str__", "declaration", "kind", "theme"]
    list_filter = ["kind", "declaration"]
    list_select_related = ["declaration", "theme"]
    search_fields = ["title_ja", "title_en", "declaration__title_ja", "declaration__title_en"]
    # Its place in the order is set among the others of its kind, on its document's (or theme's) page.
    exclude = ["position"]
    autocomplete_fields = ["declaration", "theme"]


@admin.register(Footnote)
class FootnoteAdmin(RecordAdmin):
    governed_by = "theme.declaration"
    list_display = ["__str__", "declaration", "theme"]
    list_filter = ["declaration"]
    list_select_related = ["declaration", "theme"]
    search_fields = ["text_ja", "text_en"]
    autocomplete_fields = ["theme"]
    exclude = ["declaration", "position"]


@admin.register(CommuniqueItem)
class CommuniqueItemAdmin(RecordAdmin):
    resource_classes = [CommuniqueItemResource]
    governed_by = "declaration"
    list_display = ["title", "declaration", "topic", "number"]
    list_filter = ["topic", "declaration"]
    list_select_related = ["declaration"]
    search_fields = ["title_ja", "title_en", "text_ja", "text_en"]
    # Its place in the order is set among the others of its kind, on its document's (or theme's) page.
    exclude = ["position"]
    autocomplete_fields = ["declaration", "themes", "annexes"]


@admin.register(KeyPoint)
class KeyPointAdmin(RecordAdmin):
    governed_by = "theme.declaration"
    list_display = ["__str__", "theme", "text"]
    list_select_related = ["theme__declaration"]
    search_fields = ["text_ja", "text_en"]
    # Its place in the order is set among the others of its kind, on its document's (or theme's) page.
    exclude = ["position"]
    autocomplete_fields = ["theme"]


@admin.register(OfficialText)
class OfficialTextAdmin(RecordAdmin):
    governed_by = "declaration"
    list_display = ["title", "declaration", "annex", "language", "format", "issuer", "checked_on"]
    list_filter = ["language", "format", "declaration"]
    list_select_related = ["declaration", "annex"]
    search_fields = ["title", "url", "issuer_ja", "issuer_en"]
    autocomplete_fields = ["declaration", "annex"]
