"""core.statements.AtTime: a query built once, run with each request's time, as the ORM would run it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.statements import AtTime
from declarations.models import Declaration
from meetings.api import archive_last_modified, archive_stamps
from meetings.models import Meeting
from tests.factories import DeclarationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=123456)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def archive():
    """A meeting published yesterday, one scheduled for tomorrow, a document published two days ago."""
    published = MeetingFactory(status="published", published_at=NOW - DAY)
    MeetingFactory(status="published", published_at=NOW + DAY)
    DeclarationFactory(meeting=published, status="published", published_at=NOW - 2 * DAY)
    return published


@pytest.mark.parametrize(
    "moment", [NOW - 3 * DAY, NOW - DAY - datetime.timedelta(microseconds=1), NOW, NOW + 2 * DAY]
)
def test_each_moment_gives_the_row_the_orm_gives(archive, moment):
    prepared = AtTime(Meeting, archive_stamps)

    assert prepared.first(moment) == archive_stamps(moment).first()


def test_the_published_times_follow_the_moment(archive):
    Meeting.objects.exclude(pk=archive.pk).filter(published_at__lt=NOW).update(published_at=NOW - 9 * DAY)
    Declaration.objects.filter(published_at__lt=NOW - 2 * DAY).update(published_at=NOW - 9 * DAY)
    prepared = AtTime(Meeting, archive_stamps)

    before = prepared.first(NOW - DAY - datetime.timedelta(microseconds=1))
    after = prepared.first(NOW)

    assert before["published"] == NOW - 9 * DAY
    assert after["published"] == NOW - DAY
    assert after["document_published"] == NOW - 2 * DAY
    assert isinstance(after["changed"], datetime.datetime) and timezone.is_aware(after["changed"])


def test_the_query_is_built_once_and_runs_as_one_query(archive):
    built = []

    def build(moment):
        built.append(moment)
        return archive_stamps(moment)

    prepared = AtTime(Meeting, build)
    with CaptureQueriesContext(connection) as queries:
        prepared.first(NOW)
        prepared.first(NOW + DAY)

    assert len(built) == 1
    assert len(queries.captured_queries) == 2


def test_no_row_is_none():
    prepared = AtTime(Meeting, lambda moment: archive_stamps(moment).filter(pk__lt=0))

    assert prepared.first(NOW) is None


def test_a_query_that_does_not_depend_on_the_moment_is_refused():
    prepared = AtTime(Meeting, lambda moment: Meeting.objects.values("slug"))

    with pytest.raises(ValueError):
        prepared.first(NOW)


def test_archive_last_modified_is_the_newest_of_the_four_times(archive):
    Meeting.objects.update(updated_at=NOW - 5 * DAY)
    Declaration.objects.update(updated_at=NOW - 5 * DAY)

    assert archive_last_modified() == NOW - DAY
