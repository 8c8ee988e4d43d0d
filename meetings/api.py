"""The API's meeting resources: meetings, organisations, people and prefectures."""

import re
from datetime import datetime

from django.db.models import Prefetch, Subquery
from django.utils import timezone
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from declarations.models import Declaration
from publication.api import exports
from publication.api.filters import RankedSearchMixin
from publication.api.schema import document_records
from publication.api.views import RecordViewSet
from publication.statements import AtTime

from .filters import MeetingFilterSet
from .models import Chair, Location, Meeting, Organization, Person, Prefecture
from .resources import MeetingResource, OrganizationResource, PersonResource, PrefectureResource
from .selectors import read_api_meeting, with_parts
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


def archive_stamps(now: datetime):
    """The four times that say when the archive last changed, as one row; see archive_last_modified."""
    return (
        Meeting.objects.order_by()
        .annotate(
            changed=newest(Meeting.objects.all(), "updated_at"),
            published=newest(Meeting.objects.filter(published_at__lte=now), "published_at"),
            document_changed=newest(Declaration.objects.all(), "updated_at"),
            document_published=newest(Declaration.objects.filter(published_at__lte=now), "published_at"),
        )
        .values("changed", "published", "document_changed", "document_published")
    )


# Every API response states it: built once a database (publication.statements), run with each request's time.
ARCHIVE_STAMPS = AtTime(Meeting, archive_stamps)


def archive_last_modified() -> datetime | None:
    """When a meeting or document last changed or was last published; one query.

    A meeting lists its documents and a document names its meeting, so both count. Each of the four
    times is the newest value of an indexed column (ORDER BY … DESC LIMIT 1), so the query reads four
    index entries however many records there are.
    """
    stamps = ARCHIVE_STAMPS.first(timezone.now())
    return max((stamp for stamp in (stamps or {}).values() if stamp is not None), default=None)


def newest(queryset, field: str) -> Subquery:
    return Subquery(queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1])


class MeetingApiFilterSet(RankedSearchMixin, MeetingFilterSet):
    search_kind = "meeting"


# The prefecture filter takes a JIS code, which the schema generator cannot tell from its method.
set_override(
    MeetingApiFilterSet.base_filters["prefecture"],
    "field",
    {"type": "string", "pattern": "^(0[1-9]|[1-3][0-9]|4[0-7])$"},
)


@document_records(
    name="meeting",
    plural="meetings",
    lookup="slug",
    read=MeetingSerializer,
    write=MeetingWriteSerializer,
    summary=MeetingSummarySerializer,
)
class MeetingViewSet(RecordViewSet):
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
        visible_meetings = Meeting.objects.all() if self.can_preview() else Meeting.objects.published()
        documents = (
            Declaration.objects.all() if self.can_preview_documents() else Declaration.objects.published()
        )
        if self.gives_summaries():
            # A page's sessions and places are read once it is cut (paginate_queryset).
            return Meeting.objects.all()
        places = Meeting.objects.prefetch_related(
            "sessions", Prefetch("locations", Location.objects.select_related("prefecture"))
        )
        return places.select_related("source").prefetch_related(
            "hosts",
            Prefetch("chairs", Chair.objects.select_related("person", "organization")),
            Prefetch("summit", visible_meetings),
            Prefetch("declarations", documents.order_by("adopted_on", "slug"), to_attr="public_documents"),
        )

    def paginate_queryset(self, queryset):
        meetings = super().paginate_queryset(queryset)
        if meetings is not None and self.gives_summaries():
            with_parts(meetings)
        return meetings

    def get_object(self):
        if self.action != "retrieve":
            return super().get_object()
        # A record as it is read: with statements built once (meetings.selectors).
        return self.found(
            read_api_meeting(
                self.lookup_filter()["slug"],
                moment=timezone.now(),
                preview_meetings=self.can_preview(),
                preview_documents=self.can_preview_documents(),
            )
        )

    def can_preview_documents(self) -> bool:
        user = self.request.user
        return user.is_authenticated and user.has_perm("declarations.change_declaration")

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
