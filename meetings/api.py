"""The API's meeting resources: meetings, organisations, people and prefectures."""

import re

from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from operations.cache import archive_last_modified
from operations.records import KeptRecordMixin
from publication.api import exports
from publication.api.filters import RankedSearchMixin
from publication.api.schema import document_records
from publication.api.views import RecordViewSet

from .filters import MeetingFilterSet
from .models import Meeting, Organization, Person, Prefecture
from .resources import MeetingResource, OrganizationResource, PersonResource, PrefectureResource
from .selectors import with_record, with_row
from .serializers import (
    MeetingSerializer,
    MeetingSummarySerializer,
    MeetingWriteSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
    PersonSerializer,
    PersonWriteSerializer,
    PrefectureSerializer,
    PrefectureWriteSerializer,
)


class MeetingApiFilterSet(RankedSearchMixin, MeetingFilterSet):
    search_kind = "meeting"


# The prefecture filter takes a JIS code, which the schema generator cannot tell from its method.
set_override(
    MeetingApiFilterSet.base_filters["prefecture"],
    "field",
    {"type": "string", "pattern": "^(0[1-9]|[1-3][0-9]|4[0-7])$"},
)


def state_the_summit_rule(result, generator, request, public):
    """A drf-spectacular postprocessing hook: a meeting's body states the rule across its fields that
    Meeting.clean() holds it to, that only a ministerial meeting belongs to a summit (`summit` is null or
    left out unless `kind` is ministerial). A change (PATCH) without `kind` is held to the meeting's kind as
    stored, which no schema can see."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("MeetingWriteRequest", "PatchedMeetingWriteRequest"):
        if name in schemas:
            schemas[name]["anyOf"] = [
                {"properties": {"kind": {"enum": [Meeting.Kind.MINISTERIAL.value]}}},
                {"properties": {"summit": {"enum": [None], "nullable": True}}},
            ]
    return result


@document_records(
    name="meeting",
    plural="meetings",
    lookup="slug",
    read=MeetingSerializer,
    write=MeetingWriteSerializer,
    summary=MeetingSummarySerializer,
)
class MeetingViewSet(KeptRecordMixin, RecordViewSet):
    """Meetings with their sessions, places, hosts, chairs and documents; the list gives each with its
    sessions and places only."""

    model = Meeting
    serializer_class = MeetingSerializer
    summary_serializer_class = MeetingSummarySerializer
    write_serializer_class = MeetingWriteSerializer
    filterset_class = MeetingApiFilterSet
    export_name = "meetings"
    csv_columns = exports.resource_columns(MeetingResource)

    def base_queryset(self):
        if self.gives_csv():
            return with_row(Meeting.objects.all(), user=self.request.user)
        meetings = Meeting.objects.with_parts()
        if self.gives_summaries():
            return meetings
        return with_record(meetings, user=self.request.user)

    def last_modified(self):
        return archive_last_modified()


@document_records(
    name="organisation",
    plural="organisations",
    lookup="slug",
    read=OrganizationSerializer,
    write=OrganizationWriteSerializer,
)
class OrganizationViewSet(RecordViewSet):
    """Ministries, agencies and international organisations (hosts and chairs' organisations)."""

    model = Organization
    serializer_class = OrganizationSerializer
    write_serializer_class = OrganizationWriteSerializer
    publication = None
    export_name = "organizations"
    csv_columns = exports.resource_columns(OrganizationResource)

    def base_queryset(self):
        return Organization.objects.order_by("slug")


@document_records(
    name="person", plural="people", lookup="slug", read=PersonSerializer, write=PersonWriteSerializer
)
class PersonViewSet(RecordViewSet):
    """People who chaired meetings."""

    model = Person
    serializer_class = PersonSerializer
    write_serializer_class = PersonWriteSerializer
    publication = None
    export_name = "people"
    csv_columns = exports.resource_columns(PersonResource)

    def base_queryset(self):
        return Person.objects.order_by("slug")


@document_records(
    name="prefecture",
    plural="prefectures",
    lookup="JIS X 0401 code",
    read=PrefectureSerializer,
    write=PrefectureWriteSerializer,
    detail_parameters=[
        OpenApiParameter(
            "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="01–47, e.g. 10 for Gunma."
        )
    ],
)
class PrefectureViewSet(RecordViewSet):
    """Japan's 47 prefectures, by JIS X 0401 code."""

    model = Prefecture
    serializer_class = PrefectureSerializer
    write_serializer_class = PrefectureWriteSerializer
    publication = None
    lookup_field = "code"
    lookup_pattern = re.compile(r"[0-9]{2}")
    export_name = "prefectures"
    csv_columns = exports.resource_columns(PrefectureResource)

    def base_queryset(self):
        return Prefecture.objects.order_by("code")
