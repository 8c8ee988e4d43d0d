"""How a meeting is read: with_record() gives what its page, its API record and its export show; the page
adds the meetings of its track and of its summit (read_meeting); with_row() gives what its CSV row shows."""

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from publication.views import may_preview, visible

from .models import Location, Meeting, meeting_parts

# The meetings of a track shown on a meeting's page: the rest are in the list, filtered by portfolio.
TRACK_LENGTH = 12

# What the track and the summit's list show of the other meetings (a link, the title in either language,
# dates and places) and what read_meeting() sorts them by: building a query over every column, each
# translated one doubled, cost the page more than running it.
RELATED_FIELDS = ("slug", "title", "portfolio", "year", "summit")


def documents_seen_by(user) -> QuerySet:
    """The outcome documents that `user` may see, in the order they were adopted. The documents' app
    sits above this one, so their model is reached through the meetings' relation to them."""
    documents = Meeting._meta.get_field("declarations").related_model._default_manager.all()
    return visible(documents, user).order_by("adopted_on", "slug")


def carried_forward(meeting: Meeting, *, user) -> list:
    """The meeting's commitments that commitments of the 2023 presidency carry forward, of those `user` may
    see, in the order they were made, each with `carried_forward_by`: the 2023 commitments that build on it
    (of those `user` may see), by number. One query, over the links themselves: the commitment register sits
    above this app, so its models are reached through the meetings' relation to them."""
    earlier = Meeting._meta.get_field("earlier_commitments").related_model
    link = earlier._meta.get_field("commitments").remote_field.through
    commitment = link._meta.get_field("commitment").related_model
    links = (
        link.objects.filter(
            earliercommitment__in=visible(earlier._default_manager.filter(meeting=meeting), user),
            commitment__in=visible(commitment._default_manager.all(), user),
        )
        .select_related("earliercommitment", "commitment")
        .order_by("earliercommitment__date", "earliercommitment__slug", "commitment__number")
    )
    found: dict[int, object] = {}
    for row in links:
        record = found.setdefault(row.earliercommitment_id, row.earliercommitment)
        if not hasattr(record, "carried_forward_by"):
            record.carried_forward_by = []
        record.carried_forward_by.append(row.commitment)
    return list(found.values())


def seen_meeting(meeting: Meeting | None, *, user) -> Meeting | None:
    """`meeting` if `user` may see it, else None: the rule of publication.views.visible() for a meeting that
    was read with another record (select_related reads it whatever its state)."""
    if meeting is not None and (meeting.is_public or may_preview(user, Meeting)):
        return meeting
    return None


def with_record(meetings: QuerySet, *, user) -> QuerySet:
    """The meetings with what a meeting's page and its API record show besides its sessions and places:
    its source and its summit, joined (each shows the summit only to whom may see it, seen_meeting()), its
    chairs and hosts and, as `visible_declarations`, the documents that `user` may see."""
    return (
        meetings.select_related("source", "summit")
        .with_people()
        .prefetch_related(Prefetch("declarations", documents_seen_by(user), to_attr="visible_declarations"))
    )


def with_row(meetings: QuerySet, *, user) -> QuerySet:
    """The meetings with what their CSV rows show (resources.MeetingResource): the summit if `user` may see
    it, the source, the hosts, the sessions and the places. The resource reads the summit as it is read here, so the
    summits `user` may not see are not read at all."""
    return meetings.select_related("source").prefetch_related(
        Prefetch("summit", visible(Meeting.objects.all(), user)),
        "hosts",
        "sessions",
        Prefetch("locations", Location.objects.select_related("prefecture")),
    )


def related_ids(meeting: Meeting, *, user) -> QuerySet:
    """The ids of the meeting, of its summit's ministerial meetings, and of the TRACK_LENGTH + 1 meetings
    of its portfolio on either side of its year, nearest first (the page keeps the nearest of these);
    of those `user` may see.

    One UNION ALL, each part found by an index: as one OR, PostgreSQL read every meeting of the archive.
    Ordered by the distance in years, the database read every meeting of the portfolio to sort them; the
    nearest are among the first on either side of the year, which the index on (portfolio, year, id)
    gives in order."""
    seen = visible(Meeting.objects.all(), user)
    same = seen.filter(portfolio=meeting.portfolio)
    count = TRACK_LENGTH + 1
    later = same.filter(year__gte=meeting.year).order_by("year", "pk").values("pk")[:count]
    earlier = same.filter(year__lt=meeting.year).order_by("-year", "pk").values("pk")[:count]
    return (
        Meeting.objects.filter(pk__in=later)
        .values("pk")
        .order_by()
        .union(
            Meeting.objects.filter(pk__in=earlier).values("pk").order_by(),
            # Both found by a primary-key or summit index lookup, so one part serves them.
            seen.filter(Q(summit=meeting) | Q(pk=meeting.pk)).values("pk").order_by(),
            all=True,
        )
    )


def read_meeting(slug: str, *, user) -> Meeting | None:
    """The meeting at `slug` as `user` may see it, with what its page shows (with_record), or None.

    Also sets `visible_summit` (its summit, if `user` may see it), `visible_earlier_commitments` (its
    commitments that 2023 commitments carry forward, carried_forward()), `track` (its portfolio's meetings nearest
    in time, in date order, itself included), `track_is_whole` (the archive has no more of them) and
    `visible_ministerial_meetings` (for a summit); the sessions and places of all of them are read together.
    """
    meeting = with_record(visible(Meeting.objects.all(), user), user=user).filter(slug=slug).first()
    if meeting is None:
        return None
    meeting.visible_summit = seen_meeting(meeting.summit, user=user)
    # The commitments of an earlier meeting that 2023 commitments build on (commitments.EarlierCommitment).
    meeting.visible_earlier_commitments = carried_forward(meeting, user=user)
    related = (
        Meeting.objects.filter(pk__in=related_ids(meeting, user=user))
        .only(*RELATED_FIELDS)
        .order_by("start_date", "slug")
    )
    # The page's own meeting stands in the track as itself, so that its sessions and places are read once.
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
    prefetch_related_objects(list(shown.values()), *meeting_parts())
    return meeting
