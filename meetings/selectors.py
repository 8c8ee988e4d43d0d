"""A meeting's page, read with statements built once (core.statements): the meeting, its chairs, hosts and
documents, and the meetings of its track and of its summit with their sessions and places.

The queries are those the page made with prefetch_related, each built once a database rather than once a
request, and linked as prefetch_related linked them.
"""

from datetime import datetime

from django.db.models import F, Q
from django.db.models.functions import Abs

from core.models import visible_condition
from core.statements import Statement, attach
from declarations.models import Declaration

from .models import Chair, Location, Meeting, Session

# The meetings of a track shown on a meeting's page: the rest are in the list, filtered by portfolio.
TRACK_LENGTH = 12

MeetingHost = Meeting.hosts.through


MEETING = Statement(
    Meeting,
    lambda slug, moment=None: Meeting.objects.filter(visible_condition(moment), slug=slug).select_related(
        "summit", "source"
    )[:1],
)
CHAIRS = Statement(
    Chair, lambda meeting: Chair.objects.filter(meeting=meeting).select_related("person", "organization")
)
HOSTS = Statement(
    MeetingHost,
    lambda meeting: (
        MeetingHost.objects.filter(meeting=meeting)
        .select_related("organization")
        .order_by("organization__slug", "pk")
    ),
)
DOCUMENTS = Statement(
    Declaration,
    lambda meeting, moment=None: Declaration.objects.filter(
        visible_condition(moment), meeting=meeting
    ).order_by("adopted_on", "slug"),
)
# The meeting itself, the track (the meetings of the same portfolio nearest in time: digital 2016 → 2019 →
# 2022 → 2023, at most TRACK_LENGTH of them however large the archive) and, for a summit, its ministerial
# meetings, in date order.
RELATED = Statement(
    Meeting,
    lambda meeting, portfolio, year, moment=None: Meeting.objects.filter(
        visible_condition(moment),
        Q(
            pk__in=Meeting.objects.filter(visible_condition(moment), portfolio=portfolio)
            .order_by(Abs(F("year") - year), "pk")
            .values("pk")[: TRACK_LENGTH + 1]
        )
        | Q(summit=meeting)
        | Q(pk=meeting),
    ).order_by("start_date", "slug"),
)
SESSIONS = Statement(Session, lambda meetings: Session.objects.filter(meeting__in=meetings))
PLACES = Statement(
    Location, lambda meetings: Location.objects.filter(meeting__in=meetings).select_related("prefecture")
)


def with_parts(meetings: list[Meeting]) -> None:
    """Read the sessions and places of `meetings` (in two queries) and link them to each."""
    ids = [meeting.pk for meeting in meetings]
    sessions, places = {pk: [] for pk in ids}, {pk: [] for pk in ids}
    for session in SESSIONS(meetings=ids):
        sessions[session.meeting_id].append(session)
    for place in PLACES(meetings=ids):
        places[place.meeting_id].append(place)
    for meeting in meetings:
        for part in sessions[meeting.pk]:
            Session.meeting.field.set_cached_value(part, meeting)
        for part in places[meeting.pk]:
            Location.meeting.field.set_cached_value(part, meeting)
        attach(meeting, "sessions", sessions[meeting.pk])
        attach(meeting, "locations", places[meeting.pk])


def read_meeting(slug: str, *, moment: datetime, preview: bool) -> Meeting | None:
    """The meeting at `slug` as the visitor may see it at `moment`, with what its page shows, or None.

    Besides the meeting's own relations, sets `track` (its portfolio's meetings nearest in time, in date
    order, itself included), `track_is_whole` (the archive has no more of them) and
    `visible_ministerial_meetings` (for a summit).
    """
    seen = {} if preview else {"moment": moment}
    found = MEETING(slug=slug, **seen)
    if not found:
        return None
    (meeting,) = found
    chairs = CHAIRS(meeting=meeting.pk)
    for chair in chairs:
        Chair.meeting.field.set_cached_value(chair, meeting)
    attach(meeting, "chairs", chairs)
    attach(meeting, "hosts", [link.organization for link in HOSTS(meeting=meeting.pk)])
    meeting.visible_declarations = DOCUMENTS(meeting=meeting.pk, **seen)

    related = RELATED(meeting=meeting.pk, portfolio=meeting.portfolio, year=meeting.year, **seen)
    # The page's own sessions and places are read with its copy in the track.
    related = [meeting if other.pk == meeting.pk else other for other in related]
    with_parts(related)
    track = [other for other in related if other.portfolio == meeting.portfolio]
    meeting.track_is_whole = len(track) <= TRACK_LENGTH
    while len(track) > TRACK_LENGTH:
        farthest = max(
            (other for other in track if other.pk != meeting.pk),
            key=lambda other: (abs(other.year - meeting.year), other.pk),
        )
        track.remove(farthest)
    meeting.track = track
    meeting.visible_ministerial_meetings = [other for other in related if other.summit_id == meeting.pk]
    return meeting


# The API's record of a meeting: what MeetingSerializer reads, as its viewset prefetched it.

API_MEETING = Statement(
    Meeting,
    lambda slug, moment=None: Meeting.objects.filter(visible_condition(moment), slug=slug).select_related(
        "source"
    )[:1],
)
SUMMIT = Statement(
    Meeting, lambda summit, moment=None: Meeting.objects.filter(visible_condition(moment), pk=summit)
)


def read_api_meeting(slug: str, *, moment: datetime, preview_meetings: bool, preview_documents: bool):
    """The meeting at `slug` with everything its API record gives (its summit only if the client may see
    it, its documents as `public_documents`), as the client may see it at `moment`, or None."""
    seen = {} if preview_meetings else {"moment": moment}
    found = API_MEETING(slug=slug, **seen)
    if not found:
        return None
    (meeting,) = found
    summit = SUMMIT(summit=meeting.summit_id, **seen) if meeting.summit_id is not None else []
    Meeting.summit.field.set_cached_value(meeting, summit[0] if summit else None)
    with_parts([meeting])
    chairs = CHAIRS(meeting=meeting.pk)
    for chair in chairs:
        Chair.meeting.field.set_cached_value(chair, meeting)
    attach(meeting, "chairs", chairs)
    attach(meeting, "hosts", [link.organization for link in HOSTS(meeting=meeting.pk)])
    meeting.public_documents = DOCUMENTS(
        meeting=meeting.pk, **({} if preview_documents else {"moment": moment})
    )
    return meeting
