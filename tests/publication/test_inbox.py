"""The review inbox on the admin's home and the scheduled state in the change lists. The e-mail that tells
publishers of a change to review (publication/notifications.py) is tested in test_notifications.py."""

import datetime
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from declarations.models import Declaration
from meetings.models import Meeting, Person
from publication.models import PendingChange
from tests.publication.support import INDEX, TAKASAKI_DECLARATION, inbox_of, propose

pytestmark = pytest.mark.django_db


def test_the_inbox_lists_each_change_with_its_author_fields_and_links(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    propose(declaration, editor, title_en="Proposed title", summary_ja="提案の要約")
    client.force_login(publisher)
    inbox = inbox_of(client)
    assert declaration.title_en in inbox and "editor" in inbox
    # The fields by their names, not their columns.
    assert "Title (English)" in inbox and "Summary (Japanese)" in inbox and "title_en" not in inbox
    assert reverse("admin:declarations_declaration_review", args=[declaration.pk]) in inbox
    for language in ("ja", "en"):
        assert f"/{language}/declarations/{declaration.slug}/?preview=pending" in inbox


def test_the_inbox_is_in_japanese_for_a_japanese_reader(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    propose(declaration, editor, title_en="Proposed title")
    client.force_login(publisher)
    page = unescape(client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "確認待ちの変更" in page and "題名（英語）" in page


def test_publishers_see_every_change_and_an_editor_their_own(client, editor, publisher, django_user_model):
    other = django_user_model.objects.create_user("other-editor", password="a-long-password", is_staff=True)
    other.groups.add(Group.objects.get(name="Editors"))
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).first()
    propose(declaration, editor, title_en="The editor's title")
    propose(meeting, other, title_en="The other editor's title")

    client.force_login(publisher)
    inbox = inbox_of(client)
    assert declaration.title_en in inbox and meeting.title_en in inbox

    client.force_login(editor)
    inbox = inbox_of(client)
    assert declaration.title_en in inbox and meeting.title_en not in inbox

    client.force_login(other)
    inbox = inbox_of(client)
    assert meeting.title_en in inbox and declaration.title_en not in inbox


def test_an_empty_inbox_says_so(client, publisher):
    client.force_login(publisher)
    assert "Nothing awaits review." in inbox_of(client)


def count_index_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(INDEX).status_code == 200
    return len(context.captured_queries)


def test_the_inbox_makes_as_many_queries_whatever_the_number_of_changes(client, editor, publisher):
    client.force_login(publisher)
    declarations = list(Declaration.objects.filter(status=Declaration.Status.PUBLISHED)[:2])
    meetings = list(Meeting.objects.filter(status=Meeting.Status.PUBLISHED)[:4])
    people = list(Person.objects.all()[:2])
    assert len(declarations) == 2 and len(meetings) == 4 and len(people) == 2
    propose(declarations[0], editor, title_en="One")
    propose(meetings[0], editor, title_en="One")
    propose(people[0], editor, name_en="One")
    few = count_index_queries(client)
    for record in [*declarations[1:], *meetings[1:]]:
        propose(record, editor, title_en="More")
    propose(people[1], editor, name_en="More")
    assert PendingChange.objects.count() == 8
    assert count_index_queries(client) == few


# The scheduled state


def test_change_lists_show_a_scheduled_record_with_its_time(admin_client):
    meeting = Meeting.objects.filter(status=Meeting.Status.PUBLISHED).first()
    meeting.published_at = timezone.make_aware(datetime.datetime(2999, 1, 2, 3, 4))
    meeting.save()
    url = reverse("admin:meetings_meeting_changelist")
    english = unescape(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Scheduled: Jan. 2, 2999, 3:04 a.m." in english
    japanese = unescape(admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "公開予定：2999年1月2日3:04" in japanese
    # The others say what they are.
    assert "Published" in english and "公開" in japanese
