"""Translation status follows the authentic text: a translation is out of date when the text it translates
changed after it; a translator confirms one as current without editing it; a minor edit leaves them current."""

from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from declarations.models import Declaration
from meetings.models import Meeting
from publication.history import version_note
from tests.factories import ThemeFactory
from tests.publication.support import TAKASAKI_DECLARATION, change_url, declaration_form_data

pytestmark = pytest.mark.django_db

NAGASAKI = "g7-2023-health-nagasaki"


def takasaki():
    return Declaration.objects.get(slug=TAKASAKI_DECLARATION)


def test_a_correction_of_the_authentic_english_flags_the_japanese_translation():
    declaration = takasaki()
    assert declaration.authentic_language_code() == "en"
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    assert declaration.is_out_of_date("title")
    assert ("title", "out_of_date") in declaration.translation_problems()


def test_a_change_of_the_japanese_translation_does_not_flag_the_authentic_english():
    declaration = takasaki()
    declaration.title_ja = f"{declaration.title_ja}（改）"
    declaration.save()
    assert not declaration.is_out_of_date("title")
    assert ("title", "out_of_date") not in declaration.translation_problems()


def test_a_record_with_no_authentic_language_of_its_own_translates_from_japanese():
    meeting = Meeting.objects.get(slug=NAGASAKI)
    assert meeting.authentic_language_code() == "ja"
    meeting.title_en = f"{meeting.title_en} (revised)"
    meeting.save()
    assert not meeting.is_out_of_date("title")
    meeting.title_ja = f"{meeting.title_ja}（改）"
    meeting.save()
    assert meeting.is_out_of_date("title")


def test_a_part_translates_as_its_document_does():
    theme = takasaki().themes.order_by("number").first()
    assert theme.authentic_language_code() == "en"
    theme.title_en = f"{theme.title_en} (corrected)"
    theme.save()
    assert theme.is_out_of_date("title")
    key_point = theme.key_points.first()
    assert key_point.authentic_language_code() == "en"


def test_the_dashboard_lists_an_out_of_date_japanese_translation_under_its_language(admin_client):
    theme = takasaki().themes.order_by("number").first()
    theme.title_en = f"{theme.title_en} (corrected)"
    theme.save()
    page = unescape(
        admin_client.get(reverse("admin:translations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    table = page[page.index('<table id="translations">') :]
    row = table[table.index(change_url(theme)) :]
    row = row[: row.index("</tr>")]
    assert "<td>Japanese</td>" in row and "title" in row


def test_the_dashboard_reads_each_parts_document_with_it(admin_client):
    """The language a part translates is its document's: the dashboard reads it in the same query."""
    url = reverse("admin:translations")
    declaration = takasaki()
    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    themes = [ThemeFactory(declaration=declaration, number=number) for number in range(90, 95)]
    for theme in themes:
        theme.title_en = "Corrected theme"
        theme.save()
    with CaptureQueriesContext(connection) as after:
        response = admin_client.get(url)
    assert all(change_url(theme) in response.content.decode() for theme in themes)
    assert len(after) == len(before)


def test_the_change_form_says_the_japanese_is_out_of_date_when_the_english_changed(admin_client):
    declaration = takasaki()
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    english = unescape(admin_client.get(change_url(declaration), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "out of date: the English changed later" in english
    assert "out of date: the Japanese changed later" not in english
    japanese = unescape(admin_client.get(change_url(declaration), HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "古い：その後に英語が変更されました" in japanese


# Confirming a translation as current


def confirm(client, record, **headers):
    changelist = reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_changelist")
    return client.post(
        changelist, {"action": "confirm_translations", "_selected_action": [record.pk]}, **headers
    )


def test_a_translator_confirms_an_out_of_date_translation_as_current_without_editing_it(publisher, client):
    declaration = takasaki()
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    title_ja = declaration.title_ja
    client.force_login(publisher)
    response = confirm(client, declaration, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert "Translations confirmed as current in 1 record." in said
    declaration.refresh_from_db()
    assert declaration.title_ja == title_ja and not declaration.is_out_of_date("title")
    latest = declaration.history.order_by("-history_id").first()
    assert latest.confirmed_translations == ["title_ja"] and latest.history_user == publisher
    assert not latest.minor_edit
    with translation.override("en"):
        assert version_note(latest) == "Translations confirmed as current: title_ja"
    with translation.override("ja"):
        assert version_note(latest) == "最新のものとして確認した翻訳：title_ja"
    # The history page shows it; the public page lists no correction for it.
    history_url = reverse("admin:declarations_declaration_history", args=[declaration.pk])
    history = unescape(client.get(history_url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Translations confirmed as current: title_ja" in history
    public = unescape(client.get(f"/en/declarations/{declaration.slug}/").content.decode())
    assert "Translations confirmed" not in public


def test_confirming_needs_the_change_permission(client, django_user_model):
    declaration = takasaki()
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    reader = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_declaration"))
    client.force_login(reader)
    confirm(client, declaration)
    declaration.refresh_from_db()
    assert declaration.is_out_of_date("title")


# A minor edit


def test_a_minor_edit_of_the_authentic_text_leaves_its_translation_current(admin_client):
    declaration = takasaki()
    response = admin_client.post(
        change_url(declaration),
        declaration_form_data(
            declaration,
            title_en=f"{declaration.title_en}.",
            minor_edit="on",
            change_note="Full stop added",
        ),
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.title_en.endswith(".") and not declaration.is_out_of_date("title")
    latest = declaration.history.order_by("-history_id").first()
    assert latest.minor_edit and latest.history_change_reason == "Full stop added"
    with translation.override("en"):
        assert version_note(latest) == "Full stop added Minor edit: the translations stay current."
    # The next save is not minor unless the editor says so again.
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    assert declaration.is_out_of_date("title")
    assert not declaration.history.order_by("-history_id").first().minor_edit


def test_a_minor_edit_keeps_an_earlier_change_flagged(admin_client):
    """A minor edit does not confirm translations that were already out of date."""
    meeting = Meeting.objects.get(slug=NAGASAKI)
    meeting.title_ja = f"{meeting.title_ja}（改）"
    meeting.save()
    assert meeting.is_out_of_date("title")
    meeting.minor_edit = True
    meeting.short_title_ja = f"{meeting.short_title_ja}。"
    meeting.save()
    assert meeting.is_out_of_date("title")


def test_an_edit_that_is_not_minor_flags_the_translation(admin_client):
    declaration = takasaki()
    admin_client.post(
        change_url(declaration),
        declaration_form_data(
            declaration, title_en=f"{declaration.title_en} (corrected)", change_note="Title"
        ),
    )
    declaration.refresh_from_db()
    assert declaration.is_out_of_date("title")


def test_the_admins_home_links_to_the_translations_of_either_language(admin_client):
    html = unescape(admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Translations to do: missing and out-of-date translations" in html
