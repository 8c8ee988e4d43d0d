"""The review inbox on the admin's home, the e-mail that tells publishers of a change to review, and the
scheduled state in the change lists."""

import datetime
import logging
import smtplib
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from declarations.models import Declaration
from meetings.models import Meeting, Person
from publication.models import PendingChange
from publication.review import submit_pending_change
from tests.publication.test_review import TAKASAKI_DECLARATION, change_url, declaration_form_data

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


@pytest.fixture
def publisher(publisher):
    publisher.email = "publisher@example.org"
    publisher.save()
    return publisher


def propose(record, user, **data):
    return submit_pending_change(record=record, data=data, user=user, note="A proposed correction")


def inbox_of(client) -> str:
    page = unescape(client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    return page[page.index('id="review-inbox"') : page.index("</section>", page.index('id="review-inbox"'))]


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


# E-mail to the publishers


def test_publishers_are_told_once_the_change_is_saved(
    client, editor, publisher, django_capture_on_commit_callbacks, django_user_model
):
    django_user_model.objects.create_user(
        "no-mail-publisher", email="", password="a-long-password", is_staff=True
    ).groups.add(Group.objects.get(name="Publishers"))
    django_user_model.objects.create_user(
        "mailed-editor", email="editor@example.org", password="a-long-password", is_staff=True
    ).groups.add(Group.objects.get(name="Editors"))
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            change_url(declaration),
            declaration_form_data(declaration, title_en="Proposed title", change_note="A better title"),
        )
    assert response.status_code == 302
    # Nothing is sent before the transaction commits.
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    # Publishers with an address; not the editors.
    assert message.to == ["publisher@example.org"]
    assert "確認待ち" in message.subject and "awaiting review" in message.subject
    # As written, not escaped for HTML (the title has an apostrophe).
    assert f"“{declaration.title_en}”" in message.subject
    body = message.body
    review = (
        f"https://g7.example.org{reverse('admin:declarations_declaration_review', args=[declaration.pk])}"
    )
    assert review in body
    assert body.index("題名（英語）") < body.index("Title (English)")
    assert "editor" in body and declaration.title_en in body and "A better title" in body
    # Japanese punctuation in the Japanese part.
    assert f"「{declaration}」" in body.split("----")[0]


def test_no_mail_when_the_save_is_rolled_back(editor, publisher, django_capture_on_commit_callbacks):
    from django.db import transaction

    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                propose(declaration, editor, title_en="Rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []


def test_a_failing_mail_server_is_logged_and_the_change_is_kept(
    client, editor, publisher, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    with (
        caplog.at_level(logging.ERROR, logger="publication.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            change_url(declaration),
            declaration_form_data(declaration, title_en="Proposed title", change_note="A better title"),
        )
    assert response.status_code == 302
    assert PendingChange.objects.get(object_id=declaration.pk).data == {"title_en": "Proposed title"}
    assert "review notice" in caplog.text and "SMTPServerDisconnected" in caplog.text


def test_an_api_change_held_for_review_tells_the_publishers(
    editor_api, publisher, django_capture_on_commit_callbacks
):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.patch(
            f"/api/v1/declarations/{declaration.slug}/",
            {
                "title": {"en": "Proposed through the API"},
                "version": declaration.version,
                "change_note": "A better title",
            },
            format="json",
        )
    assert response.status_code == 202, response.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["publisher@example.org"]


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


def test_the_inbox_and_the_mail_name_each_part_a_change_proposes(
    client, editor, publisher, django_capture_on_commit_callbacks
):
    """A change to a published document's parts only (a footnote deleted, another added) names them, as
    a change of its fields names those."""
    from declarations.models import Footnote
    from publication.review import part_change

    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    gone = declaration.footnotes.order_by("number").first()
    added = Footnote(declaration=declaration, theme_id=gone.theme_id, number=99, text_ja="追加の注記。")
    parts = [
        part_change(gone, fk="declaration", delete=True),
        part_change(added, fk="declaration", values={"number": 99, "text_ja": "追加の注記。"}),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        submit_pending_change(record=declaration, data={}, user=editor, note="Notes corrected.", parts=parts)
    client.force_login(publisher)
    inbox = inbox_of(client)
    assert f"Parts changed: Footnote “{gone}”: deleted, Footnote: added" in inbox
    assert "Fields changed" not in inbox
    japanese = unescape(client.get(INDEX, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert f"変更された部分：脚注「{gone}」：削除、脚注：追加" in japanese
    (message,) = mail.outbox
    assert f"- Footnote “{gone}”: deleted" in message.body
    assert f"- 脚注「{gone}」：削除" in message.body
    assert "Fields changed:" not in message.body
