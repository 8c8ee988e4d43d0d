from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from .cache import content_changed
from .models import Publishable, Source

# Addresses typed without a scheme are taken as https, as Django 6 will do.
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class RecordAdmin(TranslationAdmin):
    """The admin of a bilingual record: both languages of each translated field, one below the other."""

    formfield_overrides = URL_FIELD_OVERRIDES


class RecordStackedInline(TranslationStackedInline):
    formfield_overrides = URL_FIELD_OVERRIDES


class RecordTabularInline(TranslationTabularInline):
    formfield_overrides = URL_FIELD_OVERRIDES


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "publisher", "slug"]
    search_fields = ["slug", "title_ja", "title_en", "publisher_ja", "publisher_en"]


class PublishableAdmin(RecordAdmin):
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
        # QuerySet.update sends no signals: the cached pages must be told.
        content_changed()
        self.message_user(request, _("%(count)d records published.") % {"count": updated})

    @admin.action(description=_("Return the selected records to draft"))
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Publishable.Status.DRAFT)
        content_changed()
        self.message_user(request, _("%(count)d records returned to draft.") % {"count": updated})
