import datetime
import itertools

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from publication.admin import (
    PublishableAdmin,
    RecordInlineMixin,
    RecordTabularInline,
    ReviewedAdmin,
    SortablePartsAdminMixin,
    SortablePartsInlineMixin,
)
from publication.formsets import PartsFormSet

from .models import Chair, Location, Meeting, Organization, Person, Prefecture, Session
from .resources import MeetingResource, OrganizationResource, PersonResource, PrefectureResource


@admin.register(Prefecture)
class PrefectureAdmin(ReviewedAdmin):
    """Reference data (JIS X 0401), kept as every record is: with history, and an editor's change to one that a
    published meeting is held in waits for review."""

    resource_classes = [PrefectureResource]

    list_display = ["code", "name"]
    search_fields = ["code", "name_ja", "name_en"]
    ordering = ["code"]


@admin.register(Organization)
class OrganizationAdmin(ReviewedAdmin):
    resource_classes = [OrganizationResource]
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["slug", "name_ja", "name_en", "short_name_ja", "short_name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(Person)
class PersonAdmin(ReviewedAdmin):
    resource_classes = [PersonResource]
    list_display = ["name", "slug"]
    search_fields = ["slug", "name_ja", "name_en"]


class SessionFormSet(PartsFormSet):
    def clean(self):
        """The sessions of one meeting do not overlap (a rule across rows, so the form's, not a column's)."""
        super().clean()
        spans = sorted(
            (form.cleaned_data["start_date"], form.cleaned_data["end_date"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("start_date")
            and form.cleaned_data.get("end_date")
        )
        for (_start, end), (next_start, _end) in itertools.pairwise(spans):
            if next_start <= end:
                raise ValidationError(
                    _("Sessions overlap: one ends on %(end)s, the next starts on %(start)s."),
                    params={"end": end.isoformat(), "start": next_start.isoformat()},
                    code="sessions_overlap",
                )

    def can_park(self, name):
        return name == "start_date" or super().can_park(name)

    def stopgap(self, instance, moved):
        """The first day of the month before every session in use: parked there for one day, a session
        keeps to the rules of one known by its month only as well."""
        in_use = [
            self.parts().aggregate(first=Min("start_date"))["first"],
            *self.incoming("start_date"),
        ]
        first = min(day for day in in_use if day is not None)
        day = (first.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        return {"start_date": day, "end_date": day}


class SessionInline(RecordInlineMixin, admin.TabularInline):
    model = Session
    formset = SessionFormSet
    extra = 0
    min_num = 1


class LocationInline(SortablePartsInlineMixin, RecordTabularInline):
    """A meeting's places, dragged into order (their order is no public address)."""

    model = Location
    extra = 0
    autocomplete_fields = ["prefecture"]


class ChairInline(SortablePartsInlineMixin, RecordTabularInline):
    """A meeting's chairs, dragged into order (their order is no public address)."""

    model = Chair
    extra = 0
    autocomplete_fields = ["person", "organization"]


@admin.register(Meeting)
class MeetingAdmin(SortablePartsAdminMixin, PublishableAdmin):
    resource_classes = [MeetingResource]
    list_display = ["title", "forum", "kind", "portfolio", "first_day", "state", "published_at"]
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

    @admin.display(description=_("first day"), ordering="start_date")
    def first_day(self, meeting):
        return meeting.start_date
