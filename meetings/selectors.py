"""A meeting's page, read with statements built once (publication.statements): the meeting, its chairs, hosts and
documents, and the meetings of its track and of its summit with their sessions and places.

The queries are those the page made with prefetch_related, each built once a database rather than once a
request, and linked as prefetch_related linked them.
"""

from datetime import datetime

from django.db.models import QuerySet

from declarations.models import Declaration
from publication.history import keep_versions, versions_call
from publication.models import seen_at, visible_condition
from publication.statements import Statement, attach, grouped, link_back, together

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
# meetings, in date order. The page shows their titles, dates and places only: a meeting's row is 34
# columns, and making each into an instance took as long as reading it.
# The three (the track read from either side of its year) are one UNION ALL of ids, each part found by an
# index and held to what the visitor may see, and the meetings are then read by their ids. As one OR,
# PostgreSQL read every meeting of the archive (1.6 ms of the page's 8 at 100× data); with the visibility
# rule on the outer query, its generic plan for the prepared statement read every published meeting to
# join them to the ids (1.7 ms; now 0.7).
RELATED_FIELDS = ("slug", "portfolio", "year", "summit", "start_date", "title_ja", "title_en")


def related_ids(meeting, portfolio, year, moment) -> QuerySet:
    """The ids of the meeting, of its summit's ministerial meetings, and of the TRACK_LENGTH + 1 meetings
    of its portfolio on either side of its year, nearest first (the page keeps the nearest of these).

    Ordered by the distance in years, the database read every meeting of the portfolio (two hundred of
    the digital track at 100× data) to sort them; the nearest are among the first on either side of the
    year, which the index on (portfolio, year, id) gives in order."""
    visible = Meeting.objects.filter(visible_condition(moment))
    same = visible.filter(portfolio=portfolio)
    count = TRACK_LENGTH + 1
    later = same.filter(year__gte=year).order_by("year", "pk").values("pk")[:count]
    earlier = same.filter(year__lt=year).order_by("-year", "pk").values("pk")[:count]
    return (
        Meeting.objects.filter(pk__in=later)
        .values("pk")
        .order_by()
        .union(
            Meeting.objects.filter(pk__in=earlier).values("pk").order_by(),
            visible.filter(summit=meeting).values("pk").order_by(),
            visible.filter(pk=meeting).values("pk").order_by(),
            all=True,
        )
    )


RELATED = Statement(
    Meeting,
    lambda meeting, portfolio, year, moment=None: (
        Meeting.objects.filter(pk__in=related_ids(meeting, portfolio, year, moment))
        .only(*RELATED_FIELDS)
        .order_by("start_date", "slug")
    ),
)


SESSIONS = Statement(Session, lambda meetings: Session.objects.filter(meeting__in=meetings))
PLACES = Statement(
    Location, lambda meetings: Location.objects.filter(meeting__in=meetings).select_related("prefecture")
)


def with_parts(meetings: list[Meeting]) -> None:
    """Read the sessions and places of `meetings` (in two queries) and link them to each."""
    ids = [meeting.pk for meeting in meetings]
    set_parts(meetings, *together((SESSIONS, {"meetings": ids}), (PLACES, {"meetings": ids})))


def set_parts(meetings: list[Meeting], sessions: list, places: list) -> None:
    sessions, places = grouped(sessions, "meeting_id", meetings), grouped(places, "meeting_id", meetings)
    for meeting in meetings:
        for name, parts in (("sessions", sessions[meeting.pk]), ("locations", places[meeting.pk])):
            link_back(parts, "meeting", meeting)
            attach(meeting, name, parts)


def set_people(meeting: Meeting, chairs: list, hosts: list) -> None:
    link_back(chairs, "meeting", meeting)
    attach(meeting, "chairs", chairs)
    attach(meeting, "hosts", [link.organization for link in hosts])


def read_meeting(slug: str, *, moment: datetime, preview: bool) -> Meeting | None:
    """The meeting at `slug` as the visitor may see it at `moment`, with what its page shows, or None.

    Besides the meeting's own relations, sets `track` (its portfolio's meetings nearest in time, in date
    order, itself included), `track_is_whole` (the archive has no more of them),
    `visible_ministerial_meetings` (for a summit) and the versions its corrections are listed from.
    """
    seen = seen_at(moment, preview=preview)
    meeting = MEETING.one(slug=slug, **seen)
    if meeting is None:
        return None
    chairs, hosts, meeting.visible_declarations, related, versions = together(
        (CHAIRS, {"meeting": meeting.pk}),
        (HOSTS, {"meeting": meeting.pk}),
        (DOCUMENTS, {"meeting": meeting.pk, **seen}),
        (RELATED, {"meeting": meeting.pk, "portfolio": meeting.portfolio, "year": meeting.year, **seen}),
        versions_call(meeting),
    )
    set_people(meeting, chairs, hosts)
    keep_versions(meeting, versions)
    # The page's own sessions and places are read with its copy in the track.
    related = [meeting if other.pk == meeting.pk else other for other in related]
    track = [other for other in related if other.portfolio == meeting.portfolio]
    meeting.track_is_whole = len(track) <= TRACK_LENGTH
    # The meeting and the others nearest to it in time (then the oldest records), in date order.
    nearest = sorted(
        (other for other in track if other.pk != meeting.pk),
        key=lambda other: (abs(other.year - meeting.year), other.pk),
    )
    kept = {meeting.pk, *(other.pk for other in nearest[: TRACK_LENGTH - 1])}
    meeting.track = [other for other in track if other.pk in kept]
    meeting.visible_ministerial_meetings = [other for other in related if other.summit_id == meeting.pk]
    shown = {other.pk: other for other in (meeting, *meeting.track, *meeting.visible_ministerial_meetings)}
    with_parts(list(shown.values()))
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
    seen = seen_at(moment, preview=preview_meetings)
    meeting = API_MEETING.one(slug=slug, **seen)
    if meeting is None:
        return None
    summits, sessions, places, chairs, hosts, meeting.public_documents = together(
        (SUMMIT, {"summit": meeting.summit_id, **seen}) if meeting.summit_id is not None else None,
        (SESSIONS, {"meetings": [meeting.pk]}),
        (PLACES, {"meetings": [meeting.pk]}),
        (CHAIRS, {"meeting": meeting.pk}),
        (HOSTS, {"meeting": meeting.pk}),
        (DOCUMENTS, {"meeting": meeting.pk, **seen_at(moment, preview=preview_documents)}),
    )
    Meeting.summit.field.set_cached_value(meeting, summits[0] if summits else None)
    set_parts([meeting], sessions, places)
    set_people(meeting, chairs, hosts)
    return meeting
