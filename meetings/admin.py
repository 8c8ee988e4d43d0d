from django.contrib import admin
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from core.admin import PublishableAdmin, RecordAdmin, RecordTabularInline

from .models import Chair, Location, Meeting, Organization, Person, Prefecture, Session


@admin.register(Prefecture)
class PrefectureAdmin(RecordAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name_ja", "name_en"]
    ordering = ["code"]


@admin.register(Organization)
class OrganizationAdmin(RecordAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["slug", "name_ja", "name_en", "short_name_ja", "short_name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["name", "slug"]
    search_fields = ["slug", "name_ja", "name_en"]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    min_num = 1


class LocationInline(RecordTabularInline):
    model = Location
    extra = 0
    autocomplete_fields = ["prefecture"]


class ChairInline(RecordTabularInline):
    model = Chair
    extra = 0
    autocomplete_fields = ["person", "organization"]


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin):
    list_display = ["title", "forum", "kind", "portfolio", "first_day", "status", "published_at"]
    list_filter = ["status", "forum", "kind", "year", "portfolio", "locations__prefecture"]
    list_select_related = ["summit"]
    search_fields = ["slug", "title_ja", "title_en", "short_title_ja", "short_title_en"]
    autocomplete_fields = ["hosts", "summit"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [SessionInline, LocationInline, ChairInline]
    fieldsets = [
        (None, {"fields": ["slug", "forum", "kind", "year", "presidency", "portfolio", "summit"]}),
        (_("Texts"), {"fields": ["title", "short_title", "summary", "participants"]}),
        (_("Hosts"), {"fields": ["hosts"]}),
        PublishableAdmin.provenance_fieldset,
        PublishableAdmin.publication_fieldset,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(first_day=Min("sessions__start_date"))

    @admin.display(description=_("first day"), ordering="first_day")
    def first_day(self, meeting):
        return meeting.first_day
