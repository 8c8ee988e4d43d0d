"""What every public view shares (publication/views.py): visitors see published records only; staff who may
change a record preview its draft, its scheduled state or its change awaiting review (?preview=pending),
marked as a preview and never indexed; a public page opens no transaction."""

import pytest
from django.utils import timezone

from declarations.models import Declaration
from meetings.models import Meeting
from publication.review import submit_pending_change
from tests.publication.support import TAKASAKI
from tests.publication.support import TAKASAKI_DECLARATION as DECLARATION

pytestmark = pytest.mark.django_db


def test_the_public_sees_no_preview_banner(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "preview-banner" not in html
    assert 'name="robots"' not in html


def test_an_editor_previews_a_draft_marked_and_unindexed(client, editor):
    Meeting.objects.filter(slug=TAKASAKI).update(status="draft")
    assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 404
    client.force_login(editor)
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "Preview: this record is a draft" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    ja = client.get(f"/ja/meetings/{TAKASAKI}/").content.decode()
    assert "preview-banner" in ja
    assert "下書き" in ja


def test_an_editor_previews_a_scheduled_annex(client, editor):
    Declaration.objects.filter(slug=DECLARATION).update(
        published_at=timezone.now() + timezone.timedelta(days=1)
    )
    client.force_login(editor)
    html = client.get(f"/en/declarations/{DECLARATION}/annexes/1/").content.decode()
    assert "Preview: this record is scheduled" in html


def test_an_editor_previews_a_change_awaiting_review(client, editor):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    submit_pending_change(record=meeting, data={"title_en": "Proposed title"}, user=editor)
    client.force_login(editor)
    plain = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "Proposed title" not in plain
    html = client.get(f"/en/meetings/{TAKASAKI}/?preview=pending").content.decode()
    assert "Proposed title" in html
    assert "Preview: this page shows a change awaiting review" in html
    assert 'content="noindex, nofollow"' in html


def test_staff_who_may_only_view_a_kind_of_record_see_its_drafts_as_the_public_does(
    client, django_user_model
):
    """A preview is for those who may change the record: the view permission alone shows no draft."""
    from django.contrib.auth.models import Permission

    Meeting.objects.filter(slug=TAKASAKI).update(status="draft")
    reader = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(reader)
    assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 404
    reader.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 200


def test_a_visitor_asking_for_the_pending_preview_sees_the_published_record(client, editor):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    submit_pending_change(record=meeting, data={"title_en": "Proposed title"}, user=editor)
    response = client.get(f"/en/meetings/{TAKASAKI}/?preview=pending")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposed title" not in html and meeting.title_en in html
    assert "preview-banner" not in html


def test_a_public_page_opens_no_transaction(client):
    """read_only: the page reads outside ATOMIC_REQUESTS' transaction, which would add a savepoint's
    queries (in a test, where the test's own transaction is open) to every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 200
        assert client.get(f"/ja/declarations/{DECLARATION}/").status_code == 200
    assert not [query for query in queries.captured_queries if "SAVEPOINT" in query["sql"].upper()]
