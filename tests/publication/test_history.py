"""The history of records (publication/history.py): each version kept with its notes, the admin's history
page, two versions compared field by field, an earlier version restored (or refused with the rule's
message where another part took its position since), and the changes made since a record was first
published. The whole editorial workflow, history among its steps, is in test_review.py."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from declarations.models import Annex, Declaration
from meetings.models import Meeting
from publication.models import PendingChange
from tests.admin_support import post_change
from tests.declarations.support import NOTE
from tests.publication.support import TAKASAKI_DECLARATION, change_url, correct, declaration_form_data
from tests.publication.support import TAKASAKI_DECLARATION as DECLARATION

pytestmark = pytest.mark.django_db


def test_restoring_a_version_brings_back_both_languages():
    from publication.history import restore_version

    meeting = Meeting.objects.get(slug="g7-2023-foreign-karuizawa")
    first = meeting.history.order_by("history_id").first()
    meeting.title_en = "Foreign Ministers, Karuizawa"
    meeting.title_ja = "軽井沢外相会合"
    meeting.save()
    restore_version(record=meeting, version=first)
    meeting.refresh_from_db()
    assert (meeting.title_ja, meeting.title_en) == (first.title_ja, first.title_en)
    assert meeting.history.count() == 3


def test_public_changes_list_corrections_after_publication():
    from publication.history import public_changes

    meeting = Meeting.objects.get(slug="g7-2023-foreign-karuizawa")
    assert public_changes(meeting) == []
    meeting.summary_en = "Corrected summary."
    meeting._change_reason = "Summary corrected"
    meeting.save()
    [entry] = public_changes(meeting)
    assert entry["note"] == "Summary corrected" and entry["columns"] == ["summary_en"]


def test_the_history_page_names_only_the_fields_each_version_changed(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    meeting.title_en = "A corrected title"
    meeting.save()
    html = admin_client.get(
        reverse("admin:meetings_meeting_history", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    rows = html[html.index("<tbody>") : html.index("</tbody>")].split("<tr>")[1:]
    newest = rows[0]
    assert "title [en]" in newest
    # Neither the mirror column `title` nor a field that went from no text to an empty one.
    assert "title [ja]" not in newest and "Title," not in newest and "official" not in newest.lower()


def test_the_history_names_the_editor_who_proposed_a_change_and_the_publisher_who_published_it(
    client, editor, publisher
):
    """Regression: a reviewed change's version named only the publisher who published it, not the editor who
    proposed it."""
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    client.post(
        change_url(declaration),
        declaration_form_data(declaration, title_en="Proposed title", change_note="Official title"),
    )
    client.force_login(publisher)
    client.post(
        reverse("admin:declarations_declaration_review", args=[declaration.pk]), {"action": "publish"}
    )
    latest = declaration.history.order_by("-history_id").first()
    assert (latest.title_en, latest.history_user, latest.proposed_by) == ("Proposed title", publisher, editor)
    html = client.get(
        reverse("admin:declarations_declaration_history", args=[declaration.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    newest = html[html.index("<tbody>") : html.index("</tbody>")].split("<tr>")[1]
    assert "publisher" in newest and "editor" in newest and "Official title" in newest


def test_the_history_page_writes_a_restores_note_in_the_readers_language(admin_client):
    from publication.history import restore_version

    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    first = meeting.history.order_by("history_id").first()
    meeting.title_en = "A wrong title"
    meeting.save()
    restore_version(record=meeting, version=first)
    url = reverse("admin:meetings_meeting_history", args=[meeting.pk])
    japanese = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    english = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    newest = {
        language: html[html.index("<tbody>") : html.index("</tbody>")].split("<tr>")[1]
        for language, html in (("ja", japanese), ("en", english))
    }
    assert "の版を復元しました" in newest["ja"] and "Restored the version of" in newest["en"]
    assert first.history_date.isoformat() not in japanese + english


def restore_url(record, version):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_restore", args=[record.pk, version.history_id])


def test_an_editors_restore_never_publishes(client, editor, publisher):
    """Regression: after a publisher returned a record to draft, an editor restored its last published
    version through History, and the record was public again. An editor's restore leaves the publication
    state as it is: on a draft it is a draft change."""
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    published = meeting.history.order_by("-history_id").first()
    client.force_login(publisher)
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "unpublish", "_selected_action": [meeting.pk]},
    )
    meeting.refresh_from_db()
    assert meeting.status == "draft"
    meeting.title_en = "Drafted title"
    meeting.save()

    client.force_login(editor)
    confirm = unescape(
        client.get(restore_url(meeting, published), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "<code>title_en</code>" in confirm and "<code>status</code>" not in confirm
    response = client.post(restore_url(meeting, published))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.title_en) == ("draft", published.title_en)
    assert not Meeting.objects.published().filter(pk=meeting.pk).exists()
    assert meeting.history.order_by("-history_id").first().restored_from == published.history_date


def test_an_editors_restore_of_a_published_record_awaits_review(client, editor, publisher):
    """An editor's restore of a published record is a change awaiting review, like any change of theirs."""
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    before = meeting.history.order_by("-history_id").first()
    meeting.title_en = "A wrong title"
    meeting._change_reason = "Wrong"
    meeting.save()
    client.force_login(editor)
    response = client.post(restore_url(meeting, before), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert any("awaits a publisher's review" in message for message in said)
    meeting.refresh_from_db()
    assert meeting.title_en == "A wrong title"
    pending = PendingChange.objects.get(object_id=meeting.pk)
    assert (pending.data, pending.author) == ({"title_en": before.title_en}, editor)

    client.force_login(publisher)
    client.post(reverse("admin:meetings_meeting_review", args=[meeting.pk]), {"action": "publish"})
    meeting.refresh_from_db()
    assert (meeting.title_en, meeting.status) == (before.title_en, "published")
    latest = meeting.history.order_by("-history_id").first()
    assert (latest.restored_from, latest.proposed_by, latest.history_user) == (
        before.history_date,
        editor,
        publisher,
    )


def test_a_part_counts_the_changes_made_since_its_document_was_published():
    from publication.history import public_changes

    annex = Annex.objects.get(declaration__slug=DECLARATION, number=1)
    correct(annex, note="Official title", title_en=annex.title_en + " (corrected)")
    before, after = timezone.now() - datetime.timedelta(days=1), timezone.now() + datetime.timedelta(days=1)

    assert [entry["note"] for entry in public_changes(annex, public_since=before)] == ["Official title"]
    assert public_changes(annex, public_since=after) == []
    assert [entry["note"] for entry in public_changes(annex)] == ["Official title"]
    other = Annex.objects.get(declaration__slug=DECLARATION, number=2)
    assert public_changes(other, public_since=before) == []


def test_restoring_a_version_whose_position_another_part_took_is_refused_with_the_rules_message(admin_client):
    """Regression: restoring a theme's earlier version, at a position another theme holds since, was an
    IntegrityError (a 500)."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    first = declaration.themes.first()
    earlier = first.history.order_by("-history_id").first()
    assert earlier.position == 1
    post_change(
        admin_client, declaration, {"themes-0-position": "2", "themes-1-position": "1", "change_note": NOTE}
    )
    url = reverse("admin:declarations_theme_restore", args=[first.pk, earlier.history_id])
    with translation.override("en"):
        response = admin_client.post(url, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The earlier version cannot be restored as it is" in html
    assert "The document already has a theme in this position." in html
    first.refresh_from_db()
    assert first.position == 2
