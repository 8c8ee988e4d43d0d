"""publication.selectors.archive_times: when any publishable record last changed or was published, and when the
next publish time comes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commitments.models import Commitment, EarlierCommitment, FollowUp
from declarations.models import Declaration
from meetings.models import Meeting
from publication.selectors import archive_last_modified, archive_times
from tests.factories import DeclarationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=123456)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def without_the_register():
    """The archive of meetings and documents alone: the commitment register's records, loaded with the
    fixtures and changed when they were, would be the newest."""
    Commitment.objects.all().delete()
    FollowUp.objects.all().delete()
    EarlierCommitment.objects.all().delete()


@pytest.fixture
def archive():
    """A meeting published yesterday, one scheduled for tomorrow, a document published two days ago; every
    record last changed five days ago."""
    published = MeetingFactory(status="published", published_at=NOW - DAY)
    MeetingFactory(status="published", published_at=NOW + DAY)
    DeclarationFactory(meeting=published, status="published", published_at=NOW - 2 * DAY)
    Meeting.objects.update(updated_at=NOW - 5 * DAY)
    Declaration.objects.update(updated_at=NOW - 5 * DAY)
    return published


def test_it_is_the_newest_publication_that_has_come_in_one_query(archive):
    with CaptureQueriesContext(connection) as queries:
        assert archive_last_modified() == NOW - DAY
    assert len(queries.captured_queries) == 1


def test_the_same_query_gives_the_next_publish_time_to_come(archive):
    """What would move the time with no write: the meeting scheduled for tomorrow."""
    with CaptureQueriesContext(connection) as queries:
        assert archive_times() == (NOW - DAY, NOW + DAY)
    assert len(queries.captured_queries) == 1
    Meeting.objects.filter(published_at=NOW + DAY).update(published_at=NOW - DAY)
    assert archive_times().next_change is None


def test_without_the_next_publish_time_the_query_reads_the_last_change_alone(archive):
    assert archive_times(next_change=False) == (NOW - DAY, None)


def test_a_change_of_a_document_counts_as_much_as_one_of_a_meeting(archive):
    Declaration.objects.update(updated_at=NOW - datetime.timedelta(hours=1))

    assert archive_last_modified() == NOW - datetime.timedelta(hours=1)


def test_an_archive_without_records_has_no_time():
    Declaration.objects.all().delete()
    Meeting.objects.update(summit=None)
    Meeting.objects.all().delete()

    assert archive_last_modified() is None
    assert archive_times() == (None, None)
