"""The editorial workflow: draft, preview, review, publish; history, compare, restore; translation status;
optimistic locking; validation before publishing; import and export; sign-in lockout. The history's own
tests (its page, comparing and restoring versions) are in test_history.py."""

import datetime
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from declarations.models import Declaration, Theme
from meetings.models import Meeting
from publication.models import ConcurrentEditError, PendingChange
from tests.publication.support import TAKASAKI_DECLARATION, change_url, declaration_form_data
from tests.publication.test_admin import meeting_form_data

pytestmark = pytest.mark.django_db

# Publication


def test_scheduled_record_becomes_public_at_its_time_without_a_job():
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    meeting.published_at = timezone.now() + datetime.timedelta(hours=1)
    meeting.save()
    assert meeting.publication_state == "scheduled"
    assert not Meeting.objects.published().filter(pk=meeting.pk).exists()
    Meeting.objects.filter(pk=meeting.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    meeting.refresh_from_db()
    assert meeting.publication_state == "published"
    assert Meeting.objects.published().filter(pk=meeting.pk).exists()


ROLES = ["anonymous", "editor", "publisher", "superuser"]


def client_for(role, django_user_model, request):
    client = Client()
    if role == "superuser":
        client.force_login(
            django_user_model.objects.create_superuser("root", password="a-long-root-password")
        )
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


# Expected outcome of each action in the admin, by role.
MATRIX = {
    "view": {"anonymous": False, "editor": True, "publisher": True, "superuser": True},
    "add": {"anonymous": False, "editor": True, "publisher": True, "superuser": True},
    "change": {"anonymous": False, "editor": True, "publisher": True, "superuser": True},
    "publish": {"anonymous": False, "editor": False, "publisher": True, "superuser": True},
    "delete": {"anonymous": False, "editor": False, "publisher": True, "superuser": True},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_admin_permission_matrix(role, action, django_user_model, request):
    """Who may do what to a meeting in the admin; `delete` is of a published meeting."""
    client = client_for(role, django_user_model, request)
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    allowed = MATRIX[action][role]
    if action == "view":
        response = client.get(reverse("admin:meetings_meeting_changelist"))
        assert (response.status_code == 200) is allowed
    elif action == "add":
        response = client.get(reverse("admin:meetings_meeting_add"))
        assert (response.status_code == 200) is allowed
    elif action == "change":
        Meeting.objects.filter(pk=meeting.pk).update(status="draft")
        meeting.refresh_from_db()
        client.post(change_url(meeting), meeting_form_data(meeting, title_en="Changed by " + role))
        meeting.refresh_from_db()
        assert (meeting.title_en == "Changed by " + role) is allowed
    elif action == "publish":
        Meeting.objects.filter(pk=meeting.pk).update(status="draft")
        client.post(
            reverse("admin:meetings_meeting_changelist"),
            {"action": "publish_now", "_selected_action": [meeting.pk]},
        )
        meeting.refresh_from_db()
        assert (meeting.status == "published") is allowed
    elif action == "delete":
        meeting = Meeting.objects.create(
            slug="to-delete", forum="G7", kind="ministerial", year=2023, presidency="JP", portfolio="health",
            title_ja="削除する会合", short_title_ja="削除", status="published", published_at=timezone.now(),
        )  # fmt: skip
        client.post(reverse("admin:meetings_meeting_delete", args=[meeting.pk]), {"post": "yes"})
        assert (not Meeting.objects.filter(pk=meeting.pk).exists()) is allowed


def test_publishing_is_logged_and_kept_in_the_history(client, publisher):
    client.force_login(publisher)
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_now", "_selected_action": [meeting.pk]},
    )
    assert LogEntry.objects.filter(object_id=str(meeting.pk), user=publisher).exists()
    latest = meeting.history.order_by("-history_id").first()
    assert (latest.status, latest.history_user) == ("published", publisher)


# The whole workflow, as the issue tells it


def test_japanese_title_goes_through_draft_preview_review_publish_history_compare_restore(
    client, editor, publisher
):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    assert declaration.authentic_language == "en"
    original_ja = declaration.title_ja

    # A publisher corrects the English title, the authentic text: the Japanese (仮訳) is now out of date,
    # and the dashboard says so.
    client.force_login(publisher)
    client.post(
        change_url(declaration),
        declaration_form_data(
            declaration,
            title_en="G7 Digital and Tech Ministerial Declaration (corrected)",
            change_note="Title corrected",
        ),
    )
    declaration.refresh_from_db()
    assert declaration.title_en.endswith("(corrected)") and declaration.is_out_of_date("title")
    dashboard = unescape(client.get(reverse("admin:translations")).content.decode())
    table = dashboard[dashboard.index('<table id="translations">') :]
    row = table[table.index(declaration.title_ja) :]
    assert "title" in row[: row.index("</tr>")]

    # An editor changes the Japanese title: it waits for review, and the public sees no change.
    client.force_login(editor)
    new_ja = "G7デジタル・技術閣僚宣言（訂正）"
    response = client.post(
        change_url(declaration),
        declaration_form_data(declaration, title_ja=new_ja, change_note="Japanese title follows the English"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert any("awaits a publisher's review" in message for message in said)
    assert not any("changed successfully" in message for message in said)
    declaration.refresh_from_db()
    assert declaration.title_ja == original_ja
    pending = PendingChange.objects.get(object_id=declaration.pk)
    assert pending.data == {"title_ja": new_ja} and pending.author == editor
    assert new_ja not in Client().get(f"/ja/declarations/{declaration.slug}/").content.decode()

    # The editor previews the change in both languages as the public will see it.
    for language in ("ja", "en"):
        preview = client.get(f"/{language}/declarations/{declaration.slug}/?preview=pending")
        assert preview.status_code == 200
    assert new_ja in unescape(
        client.get(f"/ja/declarations/{declaration.slug}/?preview=pending").content.decode()
    )

    # An editor cannot publish it; a publisher reviews and publishes it.
    review_url = reverse("admin:declarations_declaration_review", args=[declaration.pk])
    assert client.post(review_url, {"action": "publish"}).status_code == 403
    client.force_login(publisher)
    review = client.get(review_url).content.decode()
    assert new_ja in unescape(review) and original_ja in unescape(review)
    client.post(review_url, {"action": "publish"})
    declaration.refresh_from_db()
    assert declaration.title_ja == new_ja and not declaration.is_out_of_date("title")
    assert not PendingChange.objects.filter(object_id=declaration.pk).exists()
    public = unescape(Client().get(f"/ja/declarations/{declaration.slug}/").content.decode())
    assert new_ja in public
    # The correction is on the public page, with the editor's note.
    public_en = unescape(Client().get(f"/en/declarations/{declaration.slug}/").content.decode())
    corrections = public_en[public_en.index('class="corrections"') :]
    assert "Title (Japanese)" in corrections and "Japanese title follows the English" in corrections

    # The history has it, with the editor's note; two versions compare field by field.
    latest = declaration.history.order_by("-history_id").first()
    assert latest.title_ja == new_ja and latest.history_change_reason == "Japanese title follows the English"
    before = declaration.history.filter(title_ja=original_ja).order_by("-history_id").first()
    compare_url = reverse("admin:declarations_declaration_compare", args=[declaration.pk])
    comparison = unescape(
        client.get(compare_url, {"older": before.history_id, "newer": latest.history_id}).content.decode()
    )
    assert "title_ja" in comparison and original_ja in comparison and new_ja in comparison

    # Restoring the earlier version brings back its Japanese title, as a new version.
    version_before = declaration.version
    client.post(reverse("admin:declarations_declaration_restore", args=[declaration.pk, before.history_id]))
    declaration.refresh_from_db()
    assert declaration.title_ja == original_ja and declaration.version == version_before + 1


def test_a_pending_change_made_on_an_old_version_is_not_published(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    client.post(
        change_url(declaration), declaration_form_data(declaration, title_en="Proposed", change_note="Title")
    )
    declaration.summary_en = "Changed meanwhile."
    declaration.save()
    client.force_login(publisher)
    client.post(
        reverse("admin:declarations_declaration_review", args=[declaration.pk]), {"action": "publish"}
    )
    declaration.refresh_from_db()
    assert declaration.title_en != "Proposed"
    assert PendingChange.objects.filter(object_id=declaration.pk).exists()


def test_editors_edit_the_parts_of_a_published_document_for_review(client, editor):
    """The parts' inlines are editable: what an editor changes there waits for review with the document
    (tests/publication/test_part_review.py)."""
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    html = client.get(change_url(declaration)).content.decode()
    assert 'name="themes-0-title_en"' in html
    assert "G7群馬高崎" in html


def theme_form_data(theme, **overrides):
    data = {
        "declaration": theme.declaration_id,
        "number": theme.number,
        "title_ja": theme.title_ja,
        "title_en": theme.title_en,
        "loaded_version": theme.version,
        "key_points-TOTAL_FORMS": 0,
        "key_points-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_an_editors_change_to_a_part_of_a_published_document_on_its_own_page_awaits_review(client, editor):
    """A part has no review of its own: its own admin page keeps the change with its document's."""
    theme = Theme.objects.get(declaration__slug=TAKASAKI_DECLARATION, number=1)
    client.force_login(editor)
    page = client.get(change_url(theme))
    assert page.status_code == 200
    assert 'name="title_en"' in page.content.decode()
    response = client.post(
        change_url(theme),
        theme_form_data(theme, title_en="Changed unseen", change_note="Title", loaded_pending_version=0),
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title_en != "Changed unseen"
    pending = PendingChange.objects.get(object_id=theme.declaration_id, content_type__model="declaration")
    assert [change["values"] for change in pending.parts] == [{"title_en": "Changed unseen"}]
    # Moving the part to another document is no change of this one's: refused.
    other = Declaration.objects.exclude(pk=theme.declaration_id).first()
    Declaration.objects.filter(pk=other.pk).update(status="draft")
    response = client.post(
        change_url(theme), theme_form_data(theme, declaration=other.pk, change_note="Moved")
    )
    assert response.status_code == 200
    theme.refresh_from_db()
    assert theme.declaration_id != other.pk
    delete = client.post(reverse("admin:declarations_theme_delete", args=[theme.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Theme.objects.filter(pk=theme.pk).exists()


def test_an_editor_may_not_add_a_part_to_a_published_document(client, editor):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    data = theme_form_data(Theme(declaration=declaration, number=9, title_ja="追加", title_en=""))
    data.pop("loaded_version")
    response = client.post(reverse("admin:declarations_theme_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "only a publisher may add or change its parts" in response.content.decode()
    assert not Theme.objects.filter(declaration=declaration, number=9).exists()


def test_an_editor_changes_the_parts_of_a_draft_document(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    Declaration.objects.filter(pk=declaration.pk).update(status="draft")
    theme = Theme.objects.get(declaration=declaration, number=1)
    client.force_login(editor)
    response = client.post(change_url(theme), theme_form_data(theme, title_en="Changed in the draft"))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title_en == "Changed in the draft"


# Translation status


def test_text_status_defaults_and_what_editors_say():
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    assert declaration.text_status("title", "ja") == "authentic"
    assert declaration.text_status("title", "en") == "editorial"
    assert declaration.text_status("body", "en") == "missing"
    annex = declaration.annexes.get(number=1)
    assert annex.text_status("title", "en") == "authentic"
    assert annex.text_status("title", "ja") == "provisional"


def test_the_sources_own_summary_is_a_status_of_its_own():
    """The fixtures say that the white paper's Japanese of themes, key points, notes and communiqué items
    is its own summary (as the documents' provenance notes do); English stays an editorial translation."""
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    theme = declaration.themes.get(number=1)
    assert theme.text_status("title", "ja") == "summary"
    assert theme.text_status("title", "en") == "editorial"
    assert theme.key_points.get().text_status("text", "ja") == "summary"
    assert declaration.footnotes.first().text_status("text", "ja") == "summary"
    item = Declaration.objects.get(slug="g7-2023-hiroshima-leaders-communique").communique_items.first()
    assert item.text_statuses() == {
        "title": {"ja": "summary", "en": "editorial", "stale": False},
        "text": {"ja": "summary", "en": "editorial", "stale": False},
    }


def test_a_full_text_is_authentic_in_the_documents_language_and_provisional_in_japanese():
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    declaration.body_ja, declaration.body_en = "本文。", "Text."
    assert declaration.text_status("body", "en") == "authentic"
    assert declaration.text_status("body", "ja") == "provisional"
    declaration.authentic_language = "ja"
    assert declaration.text_status("body", "ja") == "authentic"
    assert declaration.text_status("body", "en") == "editorial"


def test_text_statuses_flag_a_stale_translation():
    theme = Declaration.objects.get(slug=TAKASAKI_DECLARATION).themes.get(number=1)
    assert theme.text_statuses()["title"]["stale"] is False
    theme.title_en = "A corrected title"
    theme.save()
    assert theme.text_statuses()["title"] == {"ja": "summary", "en": "editorial", "stale": True}


def test_the_migration_marks_the_sources_summaries_of_existing_records():
    """Databases loaded before the status existed get it on migrating, where editors had said nothing."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("declarations.migrations.0010_source_summary_status")
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    unsaid, said = declaration.themes.get(number=1), declaration.themes.get(number=2)
    Theme.objects.filter(pk=unsaid.pk).update(translation_status={})
    Theme.objects.filter(pk=said.pk).update(translation_status={"title_ja": "authentic"})
    migration.mark_summaries(apps, None)
    unsaid.refresh_from_db()
    said.refresh_from_db()
    assert unsaid.translation_status == {"title_ja": "summary"}
    assert said.translation_status == {"title_ja": "authentic"}
    migration.unmark_summaries(apps, None)
    unsaid.refresh_from_db()
    assert unsaid.translation_status == {}


def test_change_form_shows_which_language_lacks_a_text(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    meeting.participants_ja = "G7各国の保健大臣"
    meeting.save()
    html = unescape(admin_client.get(change_url(meeting)).content.decode())
    assert ('class="text-missing"' in html and "Missing" in html) or "未訳" in html


def test_editors_set_a_text_status_in_the_form(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    Meeting.objects.filter(pk=meeting.pk).update(status="draft")
    meeting.refresh_from_db()
    admin_client.post(change_url(meeting), meeting_form_data(meeting, title_en__status="provisional"))
    meeting.refresh_from_db()
    assert meeting.text_status("title", "en") == "provisional"


def test_only_the_texts_that_changed_get_a_new_change_time():
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    before = dict(meeting.text_changed_at)
    meeting.title_en = "G7 Health Ministers' Meeting in Nagasaki (revised)"
    meeting.save()
    meeting.refresh_from_db()
    changed = {column for column, time in meeting.text_changed_at.items() if before.get(column) != time}
    assert changed == {"title_en"}


def test_a_record_read_in_part_loads_and_saves_without_marking_unread_texts():
    """only() and defer() leave columns unread; the change times must not count them as changed."""
    meeting = Meeting.objects.only("slug", "title_ja", "title_en", "version", "text_changed_at").get(
        slug="g7-2016-ict-takamatsu"
    )
    assert meeting.get_deferred_fields() >= {"summary_ja", "summary_en"}
    before = dict(meeting.text_changed_at)
    assert meeting.summary_ja  # read now, from the database: loaded, not changed
    meeting.title_ja = meeting.title_ja + "（改）"
    meeting.save()
    meeting.refresh_from_db()
    changed = {column for column, time in meeting.text_changed_at.items() if before.get(column) != time}
    assert changed == {"title_ja"}


# Optimistic locking


def test_a_stale_copy_cannot_be_saved():
    first = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    second = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    first.title_en = "First"
    first.save()
    second.title_en = "Second"
    with pytest.raises(ConcurrentEditError):
        second.save()
    assert Meeting.objects.get(pk=first.pk).title_en == "First"


def test_the_second_of_two_editors_is_refused_with_what_changed(client, publisher, django_user_model):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    loaded = meeting_form_data(meeting)
    other = Client()
    other.force_login(django_user_model.objects.create_superuser("other", password="another-long-password"))
    loaded["change_note"] = "Title corrected"
    other.post(change_url(meeting), {**loaded, "title_en": "Saved first"})
    client.force_login(publisher)
    response = client.post(change_url(meeting), {**loaded, "title_en": "Saved second"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Saved first" in page and "Saved second" in page and "other" in page
    meeting.refresh_from_db()
    assert meeting.title_en == "Saved first"
    # Saving again, now knowingly, keeps the second editor's text.
    again = client.post(
        change_url(meeting), {**loaded, "title_en": "Saved second", "loaded_version": meeting.version}
    )
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title_en == "Saved second"


# Validation before publishing


def test_sessions_may_not_overlap(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-trade-osaka-sakai")
    sessions = list(meeting.sessions.all())
    data = {**meeting_form_data_base(meeting), "sessions-TOTAL_FORMS": 2, "sessions-INITIAL_FORMS": 2}
    for index, session in enumerate(sessions):
        data |= {
            f"sessions-{index}-id": session.pk,
            f"sessions-{index}-meeting": meeting.pk,
            f"sessions-{index}-start_date": session.start_date.isoformat(),
            f"sessions-{index}-end_date": session.end_date.isoformat(),
            f"sessions-{index}-precision": "day",
            f"sessions-{index}-mode": session.mode,
        }
    data["sessions-1-start_date"], data["sessions-1-end_date"] = "2023-04-03", "2023-04-05"
    response = admin_client.post(change_url(meeting), data)
    assert response.status_code == 200
    sessions_formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "sessions"
    )
    assert [error.code for error in sessions_formset.non_form_errors().as_data()] == ["sessions_overlap"]
    assert next((s.start_date.isoformat(), s.end_date.isoformat()) for s in meeting.sessions.all()) == (
        "2023-04-04",
        "2023-04-04",
    )


def meeting_form_data_base(meeting):
    data = {
        "slug": meeting.slug, "forum": meeting.forum, "kind": meeting.kind, "year": meeting.year,
        "presidency": meeting.presidency, "portfolio": meeting.portfolio, "title_ja": meeting.title_ja,
        "title_en": meeting.title_en, "short_title_ja": meeting.short_title_ja,
        "short_title_en": meeting.short_title_en, "status": meeting.status, "published_at_0": "2024-04-01",
        "published_at_1": "00:00:00", "summit": meeting.summit_id or "", "loaded_version": meeting.version,
        "hosts": [host.pk for host in meeting.hosts.all()],
        "locations-TOTAL_FORMS": 0, "locations-INITIAL_FORMS": 0, "chairs-TOTAL_FORMS": 0, "chairs-INITIAL_FORMS": 0,
    }  # fmt: skip
    return data


def test_publishing_checks_that_links_answer(admin_client, local_site):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    broken = admin_client.post(
        change_url(declaration),
        declaration_form_data(declaration, official_url_en=f"{local_site}/missing", change_note="Link"),
    )
    assert broken.status_code == 200
    assert "official_url_en" in broken.context["adminform"].form.errors
    working = admin_client.post(
        change_url(declaration),
        declaration_form_data(declaration, official_url_en=f"{local_site}/ok", change_note="Link"),
    )
    assert working.status_code == 302
    declaration.refresh_from_db()
    assert declaration.official_url_en == f"{local_site}/ok"


# Import and export


def import_csv(client, text, **headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("meetings.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(
        reverse("admin:meetings_meeting_import"),
        {"resource": "0", "format": "0", "import_file": upload},
        **headers,
    )


CSV_HEADER = "slug,forum,kind,year,presidency,portfolio,title_ja,title_en,short_title_ja,short_title_en,status,published_at\n"


def test_import_shows_a_dry_run_preview_and_changes_nothing_until_confirmed(admin_client):
    row = "g7-2023-health-nagasaki,G7,ministerial,2023,JP,health,G7長崎保健大臣会合,Imported title,保健大臣会合,Health,published,2024-04-01 00:00:00\n"
    response = import_csv(admin_client, CSV_HEADER + row)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [r.import_type for r in result.rows] == ["update"]
    assert Meeting.objects.get(slug="g7-2023-health-nagasaki").title_en != "Imported title"
    confirm = response.context["confirm_form"]
    admin_client.post(reverse("admin:meetings_meeting_process_import"), confirm.initial)
    assert Meeting.objects.get(slug="g7-2023-health-nagasaki").title_en == "Imported title"


def test_a_bad_row_is_reported_and_nothing_is_imported(admin_client):
    good = "new-meeting,G7,ministerial,2023,JP,health,新しい会合,New meeting,新会合,New,draft,\n"
    bad = "bad-meeting,G8,ministerial,2023,JP,health,悪い会合,Bad meeting,悪い,Bad,draft,\n"
    response = import_csv(admin_client, CSV_HEADER + good + bad)
    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "forum" in result.invalid_rows[0].field_specific_errors
    assert not Meeting.objects.filter(slug__in=["new-meeting", "bad-meeting"]).exists()


def test_editors_import_drafts(client, editor):
    client.force_login(editor)
    row = "g7-2023-imported-draft,G7,ministerial,2023,JP,health,取込会合,Imported,取込,Imported,draft,\n"
    response = import_csv(client, CSV_HEADER + row)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    client.post(reverse("admin:meetings_meeting_process_import"), response.context["confirm_form"].initial)
    assert Meeting.objects.get(slug="g7-2023-imported-draft").status == "draft"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The file is larger than 1.0\xa0KB: import it in parts."),
        ("ja", "ファイルが上限の1.0\xa0KBを超えています。分けて取り込んでください。"),
    ],
)
def test_a_file_over_the_import_limit_is_refused_before_it_is_read(
    client, editor, settings, language, message
):
    """OWASP ASVS 5.0, V5.2.1: the import takes files of IMPORT_MAX_BYTES at most; a larger one is a form
    error in the editor's language and nothing is read or imported."""
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(editor)
    rows = "".join(
        f"g7-2023-imported-{number},G7,ministerial,2023,JP,health,取込会合,Imported,取込,Imported,draft,\n"
        for number in range(20)
    )
    response = import_csv(client, CSV_HEADER + rows, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [message]
    assert "result" not in response.context or response.context["result"] is None
    assert not Meeting.objects.filter(slug__startswith="g7-2023-imported-").exists()
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    assert import_csv(client, CSV_HEADER + rows).context["form"].is_valid()


def test_an_editors_import_may_not_publish_nor_change_a_published_record(client, editor):
    """An import would bypass review: each such row is an error, and nothing of the file is imported."""
    client.force_login(editor)
    new_published = "g7-2023-imported,G7,ministerial,2023,JP,health,取込会合,Imported,取込,Imported,published,2024-04-01 00:00:00\n"
    changed_published = "g7-2023-health-nagasaki,G7,ministerial,2023,JP,health,G7長崎保健大臣会合,Changed by import,保健大臣会合,Health,published,2024-04-01 00:00:00\n"
    response = import_csv(client, CSV_HEADER + new_published + changed_published, HTTP_ACCEPT_LANGUAGE="en")
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [1, 2]
    assert "status" in result.invalid_rows[0].field_specific_errors
    assert "only a publisher may change it by import" in str(result.invalid_rows[1].non_field_specific_errors)
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Meeting.objects.filter(slug="g7-2023-imported").exists()
    assert Meeting.objects.get(slug="g7-2023-health-nagasaki").title_en != "Changed by import"


def test_staff_without_add_and_change_permissions_may_not_import(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="a-long-viewer-password", is_staff=True)
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(viewer)
    assert client.get(reverse("admin:meetings_meeting_import")).status_code == 403


def test_any_changelist_exports(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    response = admin_client.post(
        reverse("admin:meetings_meeting_export"),
        {
            "format": "0",
            "resource": "0",
            "export_items": [meeting.pk],
            "meetingresource_slug": "on",
            "meetingresource_title_en": "on",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "g7-2023-health-nagasaki" in response.content.decode()


# Sign-in lockout


def test_repeated_failed_sign_ins_lock_the_account(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "a-long-editor-password"}
    )
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower() or "停止" in response.content.decode()


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_lockout_holds_for_the_address_the_configured_proxies_saw(client, editor, settings, proxies):
    """django-axes counts failures by username and address, the address as the API's throttle takes it:
    the connection's without a proxy, whatever X-Forwarded-For says; behind DJANGO_NUM_PROXIES proxies the
    one they saw, so that one client's failures do not lock the account for everyone behind the proxy."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    login = reverse("admin:login")
    for number in range(settings.AXES_FAILURE_LIMIT):
        # A new address of the client's own each time, before the one the proxy appends.
        forwarded = f"10.0.0.{number}, 203.0.113.7"
        client.post(login, {"username": "editor", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded)
    password = {"username": "editor", "password": "a-long-editor-password"}
    attacker = client.post(login, password, HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.7")
    assert attacker.status_code == 429
    other = Client().post(login, password, HTTP_X_FORWARDED_FOR="198.51.100.20")
    # Behind a proxy another client signs in; without one, the same connection's address is locked out.
    assert other.status_code == (302 if proxies else 429)


def test_choice_labels_follow_the_language_and_an_unknown_value_shows_as_stored():
    from django.utils import translation

    meeting = Meeting.objects.get(slug="g7-2023-hiroshima-summit")
    with translation.override("en"):
        english = meeting.get_kind_display()
    with translation.override("ja"):
        japanese = meeting.get_kind_display()
    assert (english, japanese) == ("Summit", "サミット")
    meeting.kind = "no-such-kind"
    assert meeting.get_kind_display() == "no-such-kind"


def test_a_change_awaiting_review_made_meanwhile_is_not_overwritten_unseen(client, editor, django_user_model):
    """Regression: changes awaiting review were last-write-wins in the admin as in the API. The change form
    carries the version of the change awaiting review it was opened on; another editor's change made
    meanwhile refuses the save, and saving again, knowingly, adds to theirs."""
    from django.contrib.auth.models import Group

    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    opened = Client()
    opened.force_login(editor)
    form = opened.get(change_url(declaration)).context["adminform"].form
    loaded = declaration_form_data(declaration, loaded_pending_version=form["loaded_pending_version"].value())
    assert loaded["loaded_pending_version"] == 0

    other = django_user_model.objects.create_user(
        "other-editor", password="another-long-password", is_staff=True
    )
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(other)
    client.post(change_url(declaration), {**loaded, "title_en": "Proposed first", "change_note": "First"})
    assert PendingChange.objects.get(object_id=declaration.pk).data == {"title_en": "Proposed first"}

    refused = opened.post(
        change_url(declaration),
        {**loaded, "summary_en": "Proposed second", "change_note": "Second"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200
    assert "awaits review" in unescape(refused.content.decode())
    assert PendingChange.objects.get(object_id=declaration.pk).data == {"title_en": "Proposed first"}
    again = opened.post(
        change_url(declaration),
        {**loaded, "summary_en": "Proposed second", "change_note": "Second", "loaded_pending_version": 1},
    )
    assert again.status_code == 302
    pending = PendingChange.objects.get(object_id=declaration.pk)
    assert (pending.data, pending.version) == (
        {"title_en": "Proposed first", "summary_en": "Proposed second"},
        2,
    )


def test_a_correction_of_a_published_record_needs_a_note(client, publisher):
    """What the public page lists as a correction says what it corrects: the admin requires the change note
    for it (and the API does the same)."""
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    client.force_login(publisher)
    refused = client.post(change_url(meeting), meeting_form_data(meeting, title_en="Corrected"))
    assert refused.status_code == 200
    assert "change_note" in refused.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.title_en != "Corrected"
    saved = client.post(
        change_url(meeting), meeting_form_data(meeting, title_en="Corrected", change_note="Official title")
    )
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title_en == "Corrected"


# Reference data


def organization_form_data(organization, **overrides):
    return {
        "slug": organization.slug,
        "kind": organization.kind,
        "name_ja": organization.name_ja,
        "name_en": organization.name_en,
        "short_name_ja": organization.short_name_ja,
        "short_name_en": organization.short_name_en,
        "country": organization.country,
        "url": organization.url,
        "loaded_version": organization.version,
        **overrides,
    }


def test_an_editors_change_to_an_organisation_a_published_meeting_uses_awaits_review_in_the_admin(
    client, editor, publisher
):
    from meetings.models import Organization

    organization = Organization.objects.get(slug="mic")
    client.force_login(editor)
    response = client.post(
        change_url(organization),
        organization_form_data(organization, name_en="Renamed"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert any("awaits a publisher's review" in message for message in said)
    organization.refresh_from_db()
    assert organization.name_en != "Renamed"
    review_url = reverse("admin:meetings_organization_review", args=[organization.pk])
    client.force_login(publisher)
    assert client.get(review_url).status_code == 200
    client.post(review_url, {"action": "publish"})
    organization.refresh_from_db()
    assert organization.name_en == "Renamed"


def test_the_admin_does_not_delete_what_a_published_record_uses(client, publisher):
    from meetings.models import Prefecture

    gunma = Prefecture.objects.get(code="10")
    client.force_login(publisher)
    url = reverse("admin:meetings_prefecture_delete", args=[gunma.pk])
    page = unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "公開中のレコードが使用しているため" in page
    client.post(url, {"post": "yes"})
    assert Prefecture.objects.filter(pk=gunma.pk).exists()
    english = unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "published records use it" in english
