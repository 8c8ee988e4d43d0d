"""The e-mail that tells publishers of a change to review (publication/notifications.py): sent once the
change is saved, never for one rolled back, to the publishers who have an address; in Japanese, then
English, naming the fields and the parts the change proposes; a mail server that fails is logged."""

import logging
import smtplib
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from declarations.models import Declaration
from publication.models import PendingChange
from publication.review import submit_pending_change
from tests.publication.support import (
    INDEX,
    TAKASAKI_DECLARATION,
    change_url,
    declaration_form_data,
    inbox_of,
    propose,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(publisher):
    publisher.email = "publisher@example.org"
    publisher.save()
    return publisher


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


def test_the_publishers_are_the_active_users_who_may_publish_the_kind_of_record(django_user_model):
    """Through the Publishers group, a permission of their own or as superusers; not those who may only
    change the record, nor a publisher whose account is disabled."""
    from django.contrib.auth.models import Permission

    from publication.notifications import publishers_of

    def user(name, **options):
        return django_user_model.objects.create_user(
            name, email=f"{name}@example.org", password="a-long-password", is_staff=True, **options
        )

    user("grouped").groups.add(Group.objects.get(name="Publishers"))
    user("disabled", is_active=False).groups.add(Group.objects.get(name="Publishers"))
    user("editing").groups.add(Group.objects.get(name="Editors"))
    user("own").user_permissions.add(Permission.objects.get(codename="publish_declaration"))
    user("meetings-only").user_permissions.add(Permission.objects.get(codename="publish_meeting"))
    django_user_model.objects.create_superuser("root", email="root@example.org", password="a-long-password")
    assert publishers_of(Declaration) == ["grouped@example.org", "own@example.org", "root@example.org"]


def test_each_part_change_is_named_by_what_it_does_in_either_language():
    """A part added (by the name it will have), moved to another place or changed in place."""
    from django.utils import translation

    from declarations.models import KeyPoint
    from publication.notifications import part_change_summaries
    from publication.review import part_change

    theme = Declaration.objects.get(slug=TAKASAKI_DECLARATION).themes.get(number=1)
    first = theme.key_points.order_by("position").first()
    pending = PendingChange(
        parts=[
            part_change(KeyPoint(theme=theme), fk="theme", values={"text_ja": "追加。"}, label="①-9"),
            part_change(first, fk="theme", values={"position": first.position + 10}),
            part_change(first, fk="theme", values={"text_en": "Reworded."}),
        ]
    )
    with translation.override("en"):
        assert part_change_summaries(pending) == [
            "Key point “①-9”: added",
            f"Key point “{first}”: moved",
            f"Key point “{first}”: changed",
        ]
    with translation.override("ja"):
        assert part_change_summaries(pending) == [
            "主なポイント「①-9」：追加",
            f"主なポイント「{first}」：移動",
            f"主なポイント「{first}」：変更",
        ]
