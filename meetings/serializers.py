"""The meetings' records in the API: what a consumer reads, and what an editor may write."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from publication.api.fields import (
    ApiUrlField,
    SlugReferenceField,
    TranslatedField,
    WebAddressField,
    WebUrlField,
)
from publication.api.serializers import (
    PROVENANCE_FIELDS,
    RecordWriteSerializer,
    TranslatedModelSerializer,
    fields_without,
)
from publication.models import Source

from .models import Chair, Location, Meeting, Organization, Person, Prefecture, Session
from .selectors import seen_meeting


def prefecture_meetings_path(prefecture: Prefecture) -> str:
    """A prefecture has no page of its own; its public address is the meetings list filtered by it."""
    return f"{reverse('meetings:list')}?prefecture={prefecture.code}"


class PrefectureSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:prefecture-detail", lambda prefecture: {"code": prefecture.code})
    web_url = WebUrlField(prefecture_meetings_path)
    name = TranslatedField()

    class Meta:
        model = Prefecture
        fields = ["api_url", "web_url", "code", "name", "version", "fallback_fields", "text_status"]


class PrefectureWriteSerializer(RecordWriteSerializer):
    name = TranslatedField()

    class Meta(RecordWriteSerializer.Meta):
        model = Prefecture
        fields = ["code", "name", "version"]


def no_public_page(serializer, record) -> str | None:
    """Organisations and people have no page of their own on the website."""
    return None


class OrganizationSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:organization-detail", lambda organization: {"slug": organization.slug})
    web_url = serializers.SerializerMethodField(help_text="Always null: organisations have no public page.")
    name = TranslatedField()
    short_name = TranslatedField()
    website = serializers.URLField(source="url", read_only=True)

    class Meta:
        model = Organization
        fields = [
            "api_url",
            "web_url",
            "slug",
            "kind",
            "name",
            "short_name",
            "country",
            "website",
            "version",
            "fallback_fields",
            "text_status",
        ]

    get_web_url = no_public_page


class OrganizationWriteSerializer(RecordWriteSerializer):
    name = TranslatedField()
    short_name = TranslatedField(required=False)
    website = WebAddressField(source="url", required=False, allow_blank=True, max_length=200)

    class Meta(RecordWriteSerializer.Meta):
        model = Organization
        fields = ["slug", "kind", "name", "short_name", "country", "website", "version"]


class PersonSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:person-detail", lambda person: {"slug": person.slug})
    web_url = serializers.SerializerMethodField(help_text="Always null: people have no public page.")
    name = TranslatedField()

    class Meta:
        model = Person
        fields = ["api_url", "web_url", "slug", "name", "version", "fallback_fields", "text_status"]

    get_web_url = no_public_page


class PersonWriteSerializer(RecordWriteSerializer):
    name = TranslatedField()

    class Meta(RecordWriteSerializer.Meta):
        model = Person
        fields = ["slug", "name", "version"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["start_date", "end_date", "precision", "mode"]


class PrefectureReferenceSerializer(TranslatedModelSerializer):
    name = TranslatedField()

    class Meta:
        model = Prefecture
        fields = ["code", "name", "fallback_fields", "text_status"]


class LocationSerializer(TranslatedModelSerializer):
    prefecture = PrefectureReferenceSerializer(allow_null=True)
    city = TranslatedField()
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = Location
        fields = [
            "order",
            "country",
            "prefecture",
            "city",
            "latitude",
            "longitude",
            "fallback_fields",
            "text_status",
        ]


class ChairSerializer(TranslatedModelSerializer):
    person = PersonSerializer()
    office = TranslatedField()
    organization = OrganizationSerializer()

    class Meta:
        model = Chair
        fields = ["order", "person", "office", "organization", "fallback_fields", "text_status"]


class MeetingReferenceSerializer(TranslatedModelSerializer):
    """Another meeting, named: the summit a ministerial meeting belongs to."""

    api_url = ApiUrlField("api:meeting-detail", lambda meeting: {"slug": meeting.slug})
    web_url = WebUrlField()
    title = TranslatedField()

    class Meta:
        model = Meeting
        fields = ["api_url", "web_url", "slug", "title", "fallback_fields", "text_status"]

    def get_attribute(self, instance):
        # Null to a client who may not see the meeting: a record may join it (a document, its meeting)
        # whatever its state.
        return seen_meeting(super().get_attribute(instance), user=self.context["request"].user)


class DocumentReferenceSerializer(TranslatedModelSerializer):
    """An outcome document of the meeting, named and linked."""

    api_url = ApiUrlField("api:declaration-detail", lambda declaration: {"slug": declaration.slug})
    web_url = WebUrlField()
    title = TranslatedField()

    class Meta:
        # The documents' app sits above this one: their model is the one the meetings' relation names.
        model = Meeting._meta.get_field("declarations").related_model
        fields = [
            "api_url",
            "web_url",
            "slug",
            "kind",
            "title",
            "adopted_on",
            "fallback_fields",
            "text_status",
        ]


class SourceSerializer(TranslatedModelSerializer):
    title = TranslatedField()
    publisher = TranslatedField()
    licence = TranslatedField()

    class Meta:
        model = Source
        fields = ["slug", "title", "publisher", "url", "licence", "fallback_fields", "text_status"]


class MeetingSerializer(TranslatedModelSerializer):
    api_url = ApiUrlField("api:meeting-detail", lambda meeting: {"slug": meeting.slug})
    web_url = WebUrlField()
    title = TranslatedField()
    short_title = TranslatedField()
    summary = TranslatedField()
    participants = TranslatedField()
    start_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The first day of its first session."
    )
    end_date = serializers.DateField(
        read_only=True, allow_null=True, help_text="The last day of its last session."
    )
    sessions = SessionSerializer(many=True)
    locations = LocationSerializer(many=True)
    hosts = OrganizationSerializer(many=True)
    chairs = ChairSerializer(many=True)
    summit = MeetingReferenceSerializer(allow_null=True)
    documents = DocumentReferenceSerializer(many=True, source="visible_declarations")
    source = SourceSerializer(allow_null=True)
    provenance_note = TranslatedField()

    class Meta:
        model = Meeting
        fields = [
            "api_url",
            "web_url",
            "slug",
            "forum",
            "kind",
            "year",
            "presidency",
            "portfolio",
            "title",
            "short_title",
            "summary",
            "participants",
            "start_date",
            "end_date",
            "sessions",
            "locations",
            "hosts",
            "chairs",
            "summit",
            "documents",
            "source",
            "source_locator",
            "provenance_note",
            "status",
            "published_at",
            "updated_at",
            "version",
            "fallback_fields",
            "text_status",
        ]


class MeetingSummarySerializer(MeetingSerializer):
    """A meeting as the list shows it: what, when and where, without who (hosts, chairs), what came of it
    (documents), its summit and its provenance, which its own record (`api_url`) and the export give."""

    class Meta(MeetingSerializer.Meta):
        fields = fields_without(
            MeetingSerializer, "hosts", "chairs", "summit", "documents", *PROVENANCE_FIELDS
        )


class MeetingWriteSerializer(RecordWriteSerializer):
    """A meeting as an editor writes it; sessions, locations and chairs are kept in the admin."""

    title = TranslatedField()
    short_title = TranslatedField()
    summary = TranslatedField(required=False)
    participants = TranslatedField(required=False)
    provenance_note = TranslatedField(required=False)
    hosts = SlugReferenceField(queryset=Organization.objects.all(), many=True, required=False)
    # Any meeting is found (one that does not exist is a 404); one that is not a summit is a 400.
    summit = SlugReferenceField(queryset=Meeting.objects.all(), allow_null=True, required=False)

    def validate_summit(self, summit):
        if summit is not None and summit.kind != Meeting.Kind.SUMMIT:
            raise serializers.ValidationError(
                _("“%(slug)s” is not a summit.") % {"slug": summit.slug}, code="not_a_summit"
            )
        return summit

    class Meta(RecordWriteSerializer.Meta):
        model = Meeting
        fields = [
            "slug",
            "forum",
            "kind",
            "year",
            "presidency",
            "portfolio",
            "title",
            "short_title",
            "summary",
            "participants",
            "hosts",
            "summit",
            "source_locator",
            "provenance_note",
            "status",
            "published_at",
            "version",
        ]
