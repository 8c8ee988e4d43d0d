from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import Publishable, Source


@admin.register(Source)
class SourceAdmin(TranslationAdmin):
    list_display = ["title", "publisher", "slug"]
    search_fields = ["slug", "title_ja", "title_en", "publisher_ja", "publisher_en"]


class PublishableAdmin(TranslationAdmin):
    """The admin of a public record: its state in the list, filters by it, and actions to change it."""

    actions = ["publish_now", "unpublish"]
    publication_fieldset = (_("Publication"), {"fields": ["status", "published_at"]})
    provenance_fieldset = (
        _("Provenance"),
        {"fields": ["source", "source_locator", "provenance_note_ja", "provenance_note_en"]},
    )

    @admin.action(description=_("Publish the selected records now"))
    def publish_now(self, request, queryset):
        updated = queryset.exclude(status=Publishable.Status.PUBLISHED).update(
            status=Publishable.Status.PUBLISHED, published_at=timezone.now()
        )
        self.message_user(request, _("%(count)d records published.") % {"count": updated})

    @admin.action(description=_("Return the selected records to draft"))
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Publishable.Status.DRAFT)
        self.message_user(request, _("%(count)d records returned to draft.") % {"count": updated})
