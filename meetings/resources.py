"""The columns of meetings, organisations, people and prefectures as CSV or JSON rows: the admin's import
and export and the API's CSV export read them from here."""

from django.db.models import Prefetch
from import_export import fields, widgets

from publication.models import Source
from publication.resources import RecordResource, export_only, slug_field, slugs_field

from .models import Location, Meeting, Organization, Person, Prefecture, Session


class MeetingResource(RecordResource):
    summit = slug_field("summit", Meeting)
    source = slug_field("source", Source)
    hosts = slugs_field("hosts", Organization)
    prefecture_codes = export_only("prefecture_codes")
    cities_ja = export_only("cities_ja")
    cities_en = export_only("cities_en")
    sessions = export_only("sessions")

    class Meta:
        model = Meeting
        import_id_fields = ["slug"]
        # Each row is validated as the admin form would (choices, constraints) before anything is written.
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        fields = [
            "slug", "forum", "kind", "year", "presidency", "portfolio",
            "title_ja", "title_en", "short_title_ja", "short_title_en",
            "start_date", "end_date", "sessions", "prefecture_codes", "cities_ja", "cities_en", "hosts", "summit",
            "summary_ja", "summary_en", "participants_ja", "participants_en",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en",
            "status", "published_at", "updated_at",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("summit", "source").prefetch_related(
            "hosts", "sessions", Prefetch("locations", Location.objects.select_related("prefecture"))
        )

    def dehydrate_sessions(self, meeting):
        """Each session as `start/end mode[ places]`, separated by `; `: "2023-04-04/2023-04-04 online;
        2023-10-28/2023-10-29 in_person Sakai". A session known by its month only is `2016-04`. The places
        are the meeting's (English city, else Japanese, else the prefecture's code, separated by ` / `),
        written after each session held in person: the record keeps places by meeting, not by session."""
        places = " / ".join(
            filter(
                None,
                (
                    location.city_en
                    or location.city_ja
                    or (location.prefecture.code if location.prefecture else location.country)
                    for location in meeting.locations.all()
                ),
            )
        )
        return "; ".join(session_cell(session, places) for session in meeting.sessions.all())

    def dehydrate_prefecture_codes(self, meeting):
        return " ".join(
            location.prefecture.code for location in meeting.locations.all() if location.prefecture
        )

    def dehydrate_cities_ja(self, meeting):
        return " / ".join(location.city_ja or "" for location in meeting.locations.all())

    def dehydrate_cities_en(self, meeting):
        return " / ".join(location.city_en or "" for location in meeting.locations.all())


def session_cell(session: Session, places: str) -> str:
    if session.precision == Session.Precision.MONTH:
        dates = f"{session.start_date:%Y-%m}"
    else:
        dates = f"{session.start_date.isoformat()}/{session.end_date.isoformat()}"
    parts = [dates, session.mode]
    if session.mode == Session.Mode.IN_PERSON and places:
        parts.append(places)
    return " ".join(parts)


class OrganizationResource(RecordResource):
    website = fields.Field(column_name="website", attribute="url", widget=widgets.CharWidget())

    class Meta:
        model = Organization
        import_id_fields = ["slug"]
        clean_model_instances = True
        fields = [
            "slug",
            "kind",
            "name_ja",
            "name_en",
            "short_name_ja",
            "short_name_en",
            "country",
            "website",
        ]


class PersonResource(RecordResource):
    class Meta:
        model = Person
        import_id_fields = ["slug"]
        clean_model_instances = True
        fields = ["slug", "name_ja", "name_en"]


class PrefectureResource(RecordResource):
    class Meta:
        model = Prefecture
        import_id_fields = ["code"]
        clean_model_instances = True
        fields = ["code", "name_ja", "name_en"]
