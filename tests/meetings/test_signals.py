"""A meeting's first and last day follow its sessions, so that lists are ordered by date through an index."""

import datetime

import pytest
from django.core.management import call_command

from meetings.models import Meeting, Session
from tests.factories import MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date


def dates(meeting):
    meeting.refresh_from_db()
    return meeting.start_date, meeting.end_date


def test_the_dates_follow_every_session_saved_changed_and_deleted():
    meeting = MeetingFactory()
    assert dates(meeting) == (None, None)
    first = SessionFactory(meeting=meeting, start_date=DAY(2023, 4, 29), end_date=DAY(2023, 4, 30))
    assert dates(meeting) == (DAY(2023, 4, 29), DAY(2023, 4, 30))
    later = SessionFactory(meeting=meeting, start_date=DAY(2023, 6, 1), end_date=DAY(2023, 6, 3))
    assert dates(meeting) == (DAY(2023, 4, 29), DAY(2023, 6, 3))
    first.start_date = DAY(2023, 4, 28)
    first.save()
    assert dates(meeting) == (DAY(2023, 4, 28), DAY(2023, 6, 3))
    later.delete()
    assert dates(meeting) == (DAY(2023, 4, 28), DAY(2023, 4, 30))
    Session.objects.filter(meeting=meeting).delete()
    assert dates(meeting) == (None, None)


def test_the_dates_make_no_history_entry_and_no_new_version():
    meeting = MeetingFactory()
    versions, entries = meeting.version, meeting.history.count()
    SessionFactory(meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.version, meeting.history.count()) == (versions, entries)


def test_the_fixtures_meetings_have_the_dates_of_their_sessions():
    takasaki = Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki")
    assert (takasaki.start_date, takasaki.end_date) == (DAY(2023, 4, 29), DAY(2023, 4, 30))
    assert not Meeting.objects.filter(sessions__isnull=False, start_date__isnull=True).exists()


def test_generated_meetings_take_the_dates_of_their_sessions():
    call_command("generate_archive", "--scale", "1", "--no-index", verbosity=0)
    generated = Meeting.objects.filter(slug__startswith="synthetic-")
    assert generated.exists()
    assert not generated.filter(start_date__isnull=True).exists()
    sample = generated.first()
    assert sample.start_date == sample.sessions.order_by("start_date").first().start_date


def test_the_list_orders_by_date_with_the_index(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get("/en/meetings/")
    assert response.status_code == 200
    listed = [query["sql"] for query in context.captured_queries if "ORDER BY" in query["sql"]]
    ordering = [sql for sql in listed if '"meetings_meeting"."start_date" ASC' in sql]
    assert ordering, listed
    # No aggregate over the sessions is needed to order the meetings any more.
    assert not any('MIN("meetings_session"."start_date")' in sql for sql in ordering)
