"""The columns of meetings, organisations, people and prefectures as CSV or JSON rows: the admin's import
and export and the API's CSV export read them from here."""

from django.db.models import Prefetch
from import_export import fields, widgets

from publication.models import Source
from publication.resources import RecordResource, export_only, slug_field, slugs_field

from .models import Location, Meeting, Organization, Person, Prefecture


class MeetingResource(RecordResource):
    summit = slug_field("summit", Meeting)
    source = slug_field("source", Source)
    hosts = slugs_field("hosts", Organization)
    prefecture_codes = export_only("prefecture_codes")
    cities_ja = export_only("cities_ja")
    cities_en = export_only("cities_en")

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
            "start_date", "end_date", "prefecture_codes", "cities_ja", "cities_en", "hosts", "summit",
            "summary_ja", "summary_en", "participants_ja", "participants_en",
            "source", "source_locator", "provenance_note_ja", "provenance_note_en",
            "status", "published_at", "updated_at",
        ]  # fmt: skip

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("summit", "source").prefetch_related(
            "hosts", Prefetch("locations", Location.objects.select_related("prefecture"))
        )

    def dehydrate_prefecture_codes(self, meeting):
        return " ".join(
            location.prefecture.code for location in meeting.locations.all() if location.prefecture
        )

    def dehydrate_cities_ja(self, meeting):
        return " / ".join(location.city_ja or "" for location in meeting.locations.all())

    def dehydrate_cities_en(self, meeting):
        return " / ".join(location.city_en or "" for location in meeting.locations.all())


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
