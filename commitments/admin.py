from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from declarations.models import Annex, CommuniqueItem, Footnote, KeyPoint, Theme
from publication.admin import PublishableAdmin, RecordAdmin, RecordStackedInline

from .models import Assessment, Commitment, EarlierCommitment, FollowUp
from .resources import AssessmentResource, CommitmentResource, EarlierCommitmentResource, FollowUpResource

PART_QUERYSETS = {
    "key_point": lambda: KeyPoint.objects.select_related("theme__declaration"),
    "footnote": lambda: Footnote.objects.select_related("declaration"),
    "annex": lambda: Annex.objects.select_related("declaration"),
    "communique_item": lambda: CommuniqueItem.objects.select_related("declaration"),
}


class AssessmentInline(RecordStackedInline):
    """A commitment's assessment on its page; changed as the commitment's part (a publisher's, once the
    commitment is published)."""

    model = Assessment
    extra = 0
    max_num = 1
    show_change_link = True
    fields = ["rating", "assessed_by", "assessed_on", "rationale", "evidence"]
    autocomplete_fields = ["evidence"]


@admin.register(Commitment)
class CommitmentAdmin(PublishableAdmin):
    resource_classes = [CommitmentResource]
    list_display = ["number", "text", "committed_by", "act", "target_date", "status", "published_at"]
    list_display_links = ["number", "text"]
    list_filter = ["status", "committed_by", "act", "target_precision", "assessment__rating", "themes"]
    search_fields = ["slug", "text_ja", "text_en"]
    prepopulated_fields = {"slug": ["text_en"]}
    date_hierarchy = "target_date"
    autocomplete_fields = ["themes", "annexes", "builds_on"]
    inlines = [AssessmentInline]
    fieldsets = [
        (None, {"fields": ["slug", "number", "committed_by", "act"]}),
        (_("Words"), {"fields": ["text"]}),
        (
            _("Source paragraph"),
            {
                "fields": ["key_point", "footnote", "annex", "communique_item"],
                "description": _("The one paragraph the words come from."),
            },
        ),
        (_("Target date"), {"fields": ["target_date", "target_precision"]}),
        (_("Links"), {"fields": ["themes", "annexes", "builds_on"]}),
        PublishableAdmin.provenance_fieldset,
        PublishableAdmin.publication_fieldset,
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in PART_QUERYSETS:
            kwargs["queryset"] = PART_QUERYSETS[db_field.name]()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "themes":
            kwargs["queryset"] = Theme.objects.select_related("declaration")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(FollowUp)
class FollowUpAdmin(PublishableAdmin):
    resource_classes = [FollowUpResource]
    list_display = ["title", "kind", "date", "issued_by", "status", "published_at"]
    list_filter = ["status", "kind"]
    search_fields = ["slug", "title_ja", "title_en", "issued_by_ja", "issued_by_en"]
    prepopulated_fields = {"slug": ["title_en"]}
    date_hierarchy = "date"
    autocomplete_fields = ["commitments"]
    fieldsets = [
        (None, {"fields": ["slug", "kind", "date", "url"]}),
        (_("Texts"), {"fields": ["title", "issued_by", "summary"]}),
        (_("Commitments"), {"fields": ["commitments"]}),
        PublishableAdmin.provenance_fieldset,
        PublishableAdmin.publication_fieldset,
    ]


@admin.register(EarlierCommitment)
class EarlierCommitmentAdmin(PublishableAdmin):
    resource_classes = [EarlierCommitmentResource]
    list_display = ["summary", "meeting", "thread", "date", "paragraph", "status", "published_at"]
    list_filter = ["status", "thread", "meeting"]
    list_select_related = ["meeting"]
    search_fields = ["slug", "summary_ja", "summary_en", "document_title_ja", "document_title_en"]
    date_hierarchy = "date"
    autocomplete_fields = ["meeting", "commitments"]
    fieldsets = [
        (None, {"fields": ["slug", "meeting", "thread"]}),
        (_("Document"), {"fields": ["document_title", "paragraph", "date", "url", "checked_on"]}),
        (_("Words"), {"fields": ["summary"]}),
        (_("Commitments"), {"fields": ["commitments"]}),
        PublishableAdmin.provenance_fieldset,
        PublishableAdmin.publication_fieldset,
    ]


@admin.register(Assessment)
class AssessmentAdmin(RecordAdmin):
    resource_classes = [AssessmentResource]
    governed_by = "commitment"
    list_display = ["commitment", "rating", "assessed_on", "assessed_by"]
    list_filter = ["rating"]
    list_select_related = ["commitment"]
    search_fields = ["commitment__slug", "commitment__text_ja", "commitment__text_en"]
    autocomplete_fields = ["commitment", "evidence"]
