"""home.selectors.read_presidency: what the home page shows, in a fixed number of queries."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declarations.models import Declaration
from home.selectors import read_presidency
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def read(editor):
    def read(*, preview=False):
        return read_presidency(user=editor if preview else AnonymousUser())

    return read


def test_it_reads_the_presidency_of_the_fixtures_as_the_orm_does(read):
    with CaptureQueriesContext(connection) as queries:
        presidency = read()
    summit = Meeting.objects.published().filter(kind=Meeting.Kind.SUMMIT).order_by("-year", "slug").first()
    meetings = Meeting.objects.published().filter(pk=summit.pk) | Meeting.objects.published().filter(
        summit=summit
    )
    declaration = presidency["declaration"]

    assert presidency["summit"] == summit
    assert presidency["meetings"] == list(meetings.order_by("start_date", "slug"))
    assert len(presidency["meetings"]) == 15
    assert declaration.slug == "g7-2023-digital-and-tech-ministerial-declaration"
    assert presidency["communique"].slug == "g7-2023-hiroshima-leaders-communique"
    assert len(queries.captured_queries) == 9
    with CaptureQueriesContext(connection) as later:
        themes = [
            (theme.pk, [point.pk for point in theme.key_points.all()]) for theme in declaration.themes.all()
        ]
        items = [item.pk for item in presidency["communique"].communique_items.all()]
        sessions = [
            len(meeting.sessions.all()) + len(meeting.locations.all()) for meeting in presidency["meetings"]
        ]
    assert not later.captured_queries
    assert themes == [
        (theme.pk, list(theme.key_points.order_by("number").values_list("pk", flat=True)))
        for theme in Declaration.objects.get(pk=declaration.pk).themes.all()
    ]
    assert items == list(presidency["communique"].communique_items.values_list("pk", flat=True))
    assert all(count >= 2 for count in sessions), "every meeting has a session and a place"


def test_drafts_show_to_editors_only(read):
    Meeting.objects.filter(slug="g7-2023-digital-and-tech-takasaki").update(status="draft")
    Declaration.objects.filter(slug="g7-2023-hiroshima-leaders-communique").update(status="draft")

    public, editor = read(), read(preview=True)

    assert len(public["meetings"]) == 14 and len(editor["meetings"]) == 15
    assert public["declaration"] is None, "its meeting is a draft"
    assert public["communique"] is None
    assert editor["declaration"] is not None and editor["communique"] is not None


def test_no_summit_no_presidency(read):
    Meeting.objects.filter(kind=Meeting.Kind.SUMMIT).update(status="draft")

    assert read() == {"summit": None, "meetings": [], "declaration": None, "communique": None}
