"""meetings.selectors: a meeting's page (read_meeting) and its API record (with_record), what they show and
to whom, in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from declarations.models import Declaration
from meetings.models import Meeting
from meetings.selectors import TRACK_LENGTH, read_meeting
from publication.models import published_condition
from tests.factories import (
    ChairFactory,
    DeclarationFactory,
    LocationFactory,
    MeetingFactory,
    OrganizationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def orm_reading(slug: str, *, preview: bool) -> dict:
    """What the page shows, read with plain QuerySets: the rule the selector must keep."""
    rule = Q() if preview else published_condition(at=NOW)
    meeting = Meeting.objects.filter(rule).get(slug=slug)
    same_portfolio = Meeting.objects.filter(rule, portfolio=meeting.portfolio)
    nearest = sorted(same_portfolio, key=lambda other: (abs(other.year - meeting.year), other.pk))
    track = sorted(nearest[:TRACK_LENGTH], key=lambda other: (other.start_date, other.slug))
    if meeting not in track:
        track = sorted(
            [*nearest[: TRACK_LENGTH - 1], meeting], key=lambda other: (other.start_date, other.slug)
        )
    return {
        "meeting": (meeting.pk, meeting.summit_id, meeting.source_id),
        "chairs": [(chair.pk, chair.person.slug, chair.organization.slug) for chair in meeting.chairs.all()],
        "hosts": [host.slug for host in meeting.hosts.order_by("slug")],
        "documents": list(
            Declaration.objects.filter(rule, meeting=meeting)
            .order_by("adopted_on", "slug")
            .values_list("slug", flat=True)
        ),
        "track": [other.slug for other in track],
        "whole": len(nearest) <= TRACK_LENGTH,
        "ministerial": list(
            Meeting.objects.filter(rule, summit=meeting)
            .order_by("start_date", "slug")
            .values_list("slug", flat=True)
        ),
        "parts": {
            other.slug: (
                [session.pk for session in other.sessions.all()],
                [(place.pk, place.prefecture_id) for place in other.locations.all()],
            )
            for other in track
        },
    }


@pytest.fixture
def user(editor):
    """The reader: an editor, who may preview drafts, or a visitor."""
    return lambda preview: editor if preview else AnonymousUser()


@pytest.fixture
def selector_reading(user):
    return lambda slug, *, preview: read_with_selector(slug, user=user(preview))


def read_with_selector(slug: str, *, user) -> dict:
    meeting = read_meeting(slug, user=user)
    with CaptureQueriesContext(connection) as queries:
        reading = {
            "meeting": (meeting.pk, meeting.summit_id, meeting.source_id),
            "chairs": [
                (chair.pk, chair.person.slug, chair.organization.slug) for chair in meeting.chairs.all()
            ],
            "hosts": [host.slug for host in meeting.hosts.all()],
            "documents": [document.slug for document in meeting.visible_declarations],
            "track": [other.slug for other in meeting.track],
            "whole": meeting.track_is_whole,
            "ministerial": [other.slug for other in meeting.visible_ministerial_meetings],
            "parts": {
                other.slug: (
                    [session.pk for session in other.sessions.all()],
                    [(place.pk, place.prefecture_id) for place in other.locations.all()],
                )
                for other in meeting.track
            },
        }
        assert all(session.meeting is other for other in meeting.track for session in other.sessions.all())
    assert not queries.captured_queries, "everything the page shows is read up front"
    return reading


@pytest.fixture
def track():
    """A summit with two ministerial meetings (one a draft); a digital track of sixteen meetings over as
    many years, one a draft; chairs, hosts, sessions, places and documents, some of them drafts."""
    summit = MeetingFactory(
        slug="summit", kind=Meeting.Kind.SUMMIT, portfolio=Meeting.Portfolio.LEADERS, year=2030
    )
    SessionFactory(meeting=summit, start_date=datetime.date(2030, 5, 1), end_date=datetime.date(2030, 5, 2))
    meetings = []
    for offset in range(16):
        meeting = MeetingFactory(
            slug=f"digital-{offset:02}",
            portfolio=Meeting.Portfolio.TRANSPORT,
            year=2030 - offset,
            summit=summit if offset < 2 else None,
            status="draft" if offset == 3 else "published",
        )
        SessionFactory(
            meeting=meeting,
            start_date=datetime.date(2030 - offset, 4, 1),
            end_date=datetime.date(2030 - offset, 4, 2),
        )
        LocationFactory(meeting=meeting)
        meetings.append(meeting)
    first = meetings[0]
    ChairFactory(meeting=first)
    ChairFactory(meeting=first)
    first.hosts.set([OrganizationFactory(slug="b-host"), OrganizationFactory(slug="a-host")])
    DeclarationFactory(meeting=first, slug="b-doc")
    DeclarationFactory(meeting=first, slug="a-doc", adopted_on=datetime.date(2030, 1, 1))
    DeclarationFactory(meeting=first, slug="draft-doc", status="draft")
    Meeting.objects.filter(slug="digital-01").update(status="draft")
    return meetings


@pytest.mark.parametrize("slug", ["digital-00", "digital-07", "digital-15", "summit"])
@pytest.mark.parametrize("preview", [False, True])
def test_it_reads_what_the_orm_reads(track, selector_reading, slug, preview):
    assert selector_reading(slug, preview=preview) == orm_reading(slug, preview=preview)


@pytest.fixture
def crowded_track():
    """Thirty meetings of one portfolio over seven years, four or five a year, so that the nearest are
    chosen among meetings as far before as after, and among several of one year (by the oldest record)."""
    for number in range(30):
        year = 2020 + number % 7
        meeting = MeetingFactory(
            slug=f"crowded-{number:02}",
            portfolio=Meeting.Portfolio.HEALTH,
            year=year,
            status="draft" if number % 11 == 5 else "published",
        )
        SessionFactory(
            meeting=meeting,
            start_date=datetime.date(year, 1 + number % 12, 1),
            end_date=datetime.date(year, 1 + number % 12, 2),
        )
        LocationFactory(meeting=meeting)


@pytest.mark.parametrize("slug", ["crowded-00", "crowded-03", "crowded-06", "crowded-13", "crowded-29"])
@pytest.mark.parametrize("preview", [False, True])
def test_the_track_is_the_nearest_in_time_among_many_a_year(crowded_track, selector_reading, slug, preview):
    assert selector_reading(slug, preview=preview) == orm_reading(slug, preview=preview)


def test_drafts_are_hidden_from_visitors_and_shown_to_editors(track, selector_reading, user):
    public = selector_reading("digital-00", preview=False)
    editor = selector_reading("digital-00", preview=True)

    assert "draft-doc" not in public["documents"] and "draft-doc" in editor["documents"]
    assert "digital-03" not in public["track"] and "digital-03" in editor["track"]
    assert read_meeting("digital-03", user=user(False)) is None
    assert read_meeting("digital-03", user=user(True)).slug == "digital-03"
    assert selector_reading("summit", preview=False)["ministerial"] == ["digital-00"]
    assert read_meeting("unknown", user=user(True)) is None


def test_a_scheduled_meeting_appears_when_its_time_comes(track, user):
    Meeting.objects.filter(slug="digital-05").update(
        published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert read_meeting("digital-05", user=user(False)) is None

    Meeting.objects.filter(slug="digital-05").update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert read_meeting("digital-05", user=user(False)).slug == "digital-05"


def test_a_visitor_does_not_see_the_summit_of_a_meeting_while_it_is_a_draft(track, user):
    Meeting.objects.filter(slug="summit").update(status="draft")

    assert read_meeting("digital-00", user=user(False)).visible_summit is None
    assert read_meeting("digital-00", user=user(True)).visible_summit.slug == "summit"


@pytest.mark.parametrize("slug", ["digital-07", "digital-00"], ids=["without a summit", "with a summit"])
def test_the_queries_do_not_grow_with_the_track(track, selector_reading, user, slug):
    with CaptureQueriesContext(connection) as queries:
        read_meeting(slug, user=user(False))

    # The meeting with its summit, joined; its chairs, hosts and documents; its commitments that 2023
    # commitments carry forward (with those, one query); the related meetings; their sessions and places.
    # The versions its corrections list are read when the page lists them.
    assert len(queries.captured_queries) == 8
    assert len(selector_reading(slug, preview=False)["track"]) == TRACK_LENGTH


# The API's record of a meeting (meetings.api.MeetingViewSet, with_record) and its CSV row (with_row).


@pytest.mark.parametrize("slug", ["digital-00", "digital-01", "digital-03", "summit"])
@pytest.mark.parametrize("client", ["api", "editor_api"])
def test_the_api_record_shows_what_the_client_may_see(track, request, slug, client):
    """digital-01 and digital-03 are drafts, and here the summit too; digital-00 has chairs, hosts and a
    draft document."""
    Meeting.objects.filter(slug="summit").update(status="draft")
    as_editor = client == "editor_api"
    client = request.getfixturevalue(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/meetings/{slug}/")

    hidden = slug in ("digital-01", "digital-03", "summit") and not as_editor
    assert response.status_code == (404 if hidden else 200)
    if slug == "digital-00":
        record = response.json()
        assert (record["summit"] is None) == (not as_editor)
        assert len(record["chairs"]) == 2
        assert [host["slug"] for host in record["hosts"]] == ["a-host", "b-host"]
        assert [document["slug"] for document in record["documents"]] == (
            ["b-doc", "draft-doc", "a-doc"] if as_editor else ["b-doc", "a-doc"]
        )
        # At most ten queries; an editor's token and permissions cost a few more.
        assert len(queries) <= (10 + 4 if as_editor else 10)


@pytest.mark.parametrize("client", ["api", "editor_api"])
def test_a_csv_row_names_the_summit_only_to_a_client_who_may_see_it(track, request, client):
    """Guards with_row: the CSV's columns read the meeting's summit as the read leaves it, so a summit the
    client may not see must not be read at all."""
    Meeting.objects.filter(slug="summit").update(status="draft")
    response = request.getfixturevalue(client).get("/api/v1/meetings/export/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}

    assert rows["digital-00"]["summit"] == ("" if client == "api" else "summit")
    assert rows["digital-00"]["hosts"] == "a-host|b-host"
