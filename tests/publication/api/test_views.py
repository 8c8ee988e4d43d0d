"""The shared viewset (publication/api/views.py): conditional GET (a client that has a response already gets a
304 when nothing has changed), a record's public history, and the admin's publication rules held in its
writes: an editor may not schedule or publish, an editor's change to a published record waits for review
(202, or 409 on an old version), the parts of a published document are a publisher's, a change to a public
record takes a note, and reference data that published records use is kept."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.http import parse_http_date
from rest_framework.test import APIClient

from commitments.models import Commitment
from declarations.models import Declaration, Theme
from meetings.models import Meeting
from publication.models import PendingChange
from publication.review import pending_change_for, publish_pending_change
from tests.api_support import DECLARATION, NEW_MEETING, TAKASAKI, draft_meeting
from tests.conftest import token_client
from tests.factories import DeclarationFactory, MeetingFactory, ThemeFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/meetings/",
    f"/api/v1/meetings/{TAKASAKI}/",
    "/api/v1/declarations/",
    f"/api/v1/declarations/{DECLARATION}/",
    "/api/v1/themes/",
    f"/api/v1/declarations/{DECLARATION}/themes/1/",
    "/api/v1/annexes/",
    f"/api/v1/declarations/{DECLARATION}/annexes/1/",
    "/api/v1/communique-items/",
]


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_request_with_the_etag_is_a_304(api, url):
    first = api.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('"')
    assert first.headers["Last-Modified"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.mark.parametrize("url", URLS)
def test_a_repeated_request_with_if_modified_since_is_a_304(api, url):
    first = api.get(url)
    again = api.get(url, HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "url", ["/api/v1/prefectures/", "/api/v1/organizations/mic/", "/api/v1/search/?q=AI"]
)
def test_records_without_a_change_time_answer_to_the_etag_only(api, url):
    first = api.get(url)
    assert "Last-Modified" not in first.headers
    assert api.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"]).status_code == 304


def test_the_etag_differs_by_language(api):
    japanese = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "ja"})
    english = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"})
    assert japanese.headers["ETag"] != english.headers["ETag"]
    stale = api.get(
        f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}, HTTP_IF_NONE_MATCH=japanese.headers["ETag"]
    )
    assert stale.status_code == 200


def test_a_change_makes_the_old_validators_stale(api):
    first = api.get(f"/api/v1/meetings/{TAKASAKI}/")
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.summary_ja = "改訂された要約"
    meeting.save()
    again = api.get(f"/api/v1/meetings/{TAKASAKI}/", HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 200
    assert again.json()["summary"] == "改訂された要約"


def test_a_record_published_on_schedule_moves_last_modified(api):
    """A scheduled record appears without being saved; its publish time counts as a change."""
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Meeting.objects.update(updated_at=long_ago)
    Declaration.objects.update(updated_at=long_ago)
    published_at = timezone.now() - datetime.timedelta(seconds=1)
    Meeting.objects.filter(slug="g7-2023-hiroshima-summit").update(published_at=published_at)
    response = api.get("/api/v1/meetings/")
    assert parse_http_date(response.headers["Last-Modified"]) == int(published_at.timestamp())


def correct(record, note, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._change_reason = note
    record.save()


def test_a_record_gives_its_public_history_with_its_parts_corrections(api, django_assert_max_num_queries):
    from declarations.models import Declaration

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    theme = declaration.themes.get(number=1)
    old = theme.title_en
    correct(theme, "The official English title.", title_en="Promoting DFFT")
    point = theme.key_points.get()
    correct(point, "誤記の訂正", text_ja=point.text_ja + "（訂正）")
    with django_assert_max_num_queries(10):
        response = api.get(f"/api/v1/declarations/{declaration.slug}/history/", {"lang": "en"})
    assert response.status_code == 200
    newest, oldest = response.json()
    assert newest["kind"] == "declarations.keypoint" and newest["note"] == "誤記の訂正"
    assert oldest["kind"] == "declarations.theme" and oldest["anchor"] == "theme-1"
    assert oldest["changes"] == [
        {
            "field": "title",
            "before": {"ja": theme.title_ja, "en": old},
            "after": {"ja": theme.title_ja, "en": "Promoting DFFT"},
        }
    ]
    own = api.get(f"/api/v1/declarations/{declaration.slug}/themes/1/history/").json()
    assert [entry["note"] for entry in own] == ["The official English title."]
    assert api.get(f"/api/v1/declarations/{declaration.slug}/themes/2/history/").json() == []


def test_the_history_of_a_record_the_public_cannot_see_is_a_404(api):
    from declarations.models import Declaration

    Declaration.objects.filter(slug="g7-2023-digital-and-tech-ministerial-declaration").update(status="draft")
    response = api.get("/api/v1/declarations/g7-2023-digital-and-tech-ministerial-declaration/history/")
    assert response.status_code == 404
    assert api.get("/api/v1/declarations/no-such-document/history/").status_code == 404
    assert (
        api.get("/api/v1/declarations/g7-2023-hiroshima-leaders-communique/themes/7/history/").status_code
        == 404
    )


# Writes held to the admin's publication rules


def test_an_editor_may_not_schedule_a_new_record(editor_api):
    response = editor_api.post(
        "/api/v1/meetings/",
        {
            **NEW_MEETING,
            "slug": "g7-2023-scheduled-ministerial",
            "status": "published",
            "published_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 403
    assert "公開" in response.json()["detail"]
    assert not Meeting.objects.filter(slug="g7-2023-scheduled-ministerial").exists()


def test_an_editor_may_not_reschedule_a_published_record(editor_api):
    response = editor_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/", {"published_at": "2030-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 403
    assert Meeting.objects.get(slug=TAKASAKI).published_at.year != 2030
    assert not PendingChange.objects.exists()


def test_an_editors_change_to_a_published_record_waits_for_review(editor_api, editor, publisher):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    original = meeting.title_en
    response = editor_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"title": {"en": "A reviewed title"}, "version": meeting.version, "change_note": "Official title"},
        format="json",
    )
    assert response.status_code == 202, response.json()
    assert response.json()["pending_change"] == {
        "fields": ["title_en"],
        "parts": [],
        "proposed_by": "editor",
        "base_version": meeting.version,
        "version": 1,
    }
    # The public, and the public API, see the record unchanged.
    meeting.refresh_from_db()
    assert meeting.title_en == original
    assert APIClient().get(f"/api/v1/meetings/{TAKASAKI}/?lang=en").json()["title"] == original
    pending = pending_change_for(meeting)
    assert (pending.author, pending.data) == (editor, {"title_en": "A reviewed title"})

    publish_pending_change(pending=pending, user=publisher)
    meeting.refresh_from_db()
    assert meeting.title_en == "A reviewed title"
    assert meeting.title_ja == "G7群馬高崎デジタル・技術大臣会合"


def test_a_change_held_for_review_is_validated_like_a_save(editor_api):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"title": {"ja": ""}}, format="json")
    assert response.status_code == 400
    assert not PendingChange.objects.exists()


def test_a_change_held_for_review_on_an_old_version_is_a_409(editor_api, publisher_api):
    version = Meeting.objects.get(slug=TAKASAKI).version
    assert (
        publisher_api.patch(
            f"/api/v1/meetings/{TAKASAKI}/", {"summary": {"en": "New"}, "change_note": "New"}, format="json"
        ).status_code
        == 200
    )
    response = editor_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"summary": {"en": "Stale"}, "version": version, "change_note": "Stale"},
        format="json",
    )
    assert response.status_code == 409
    assert not PendingChange.objects.exists()


def test_an_unchanged_write_to_a_published_record_holds_nothing(editor_api):
    title = Meeting.objects.get(slug=TAKASAKI).title_en
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"title": {"en": title}}, format="json")
    assert response.status_code == 200
    assert not PendingChange.objects.exists()


def test_an_editors_writes_to_the_parts_of_a_published_document_wait_for_its_review(
    editor_api, editor, publisher
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = Theme.objects.get(declaration=declaration, number=1)
    # The commitments that cite theme 2's paragraphs protect it from deletion: they are moved away first.
    Commitment.objects.filter(
        Q(key_point__theme__declaration=declaration, key_point__theme__number=2)
        | Q(footnote__theme__declaration=declaration, footnote__theme__number=2)
    ).delete()
    added = editor_api.post(
        "/api/v1/themes/",
        {
            "declaration": DECLARATION,
            "number": 9,
            "title": {"ja": "追加", "en": "Added"},
            "change_note": "Added",
        },
        format="json",
    )
    changed = editor_api.patch(
        f"/api/v1/declarations/{DECLARATION}/themes/1/",
        {"title": {"en": "Changed"}, "change_note": "Retitled"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    deleted = editor_api.delete(f"/api/v1/declarations/{DECLARATION}/themes/2/")
    assert (added.status_code, changed.status_code, deleted.status_code) == (202, 202, 202)
    theme.refresh_from_db()
    assert theme.title_en != "Changed"
    assert not Theme.objects.filter(declaration=declaration, number=9).exists()
    assert Theme.objects.filter(declaration=declaration, number=2).exists()
    # The 202 shows what awaits review, part by part, before and after in both languages.
    parts = changed.json()["pending_change"]["parts"]
    assert [part["action"] for part in parts] == ["add", "change"]
    retitled = parts[1]
    assert retitled["kind"] == "theme" and retitled["id"] == theme.pk
    assert {row["field"]: (row["before"], row["after"]) for row in retitled["changes"]} == {
        "title_ja": (theme.title_ja, theme.title_ja),
        "title_en": (theme.title_en, "Changed"),
    }
    assert [part["action"] for part in deleted.json()["pending_change"]["parts"]] == [
        "add",
        "change",
        "delete",
    ]
    pending = pending_change_for(declaration)
    assert pending.author == editor and pending.data == {}
    # A note is required for a change that the public page lists as a correction, as for the record's fields.
    unnoted = editor_api.patch(
        f"/api/v1/declarations/{DECLARATION}/themes/3/", {"title": {"en": "Unnoted"}}, format="json"
    )
    assert unnoted.status_code == 400 and "change_note" in unnoted.json()

    publish_pending_change(pending=pending, user=publisher)
    theme.refresh_from_db()
    assert theme.title_en == "Changed"
    assert Theme.objects.get(declaration=declaration, number=9).title_en == "Added"
    assert not Theme.objects.filter(declaration=declaration, number=2).exists()
    history = editor_api.get(f"/api/v1/declarations/{DECLARATION}/history/").json()
    assert any(entry["note"] == "Retitled" and entry["kind"] == "declarations.theme" for entry in history)


def test_a_reviewed_deletion_of_a_part_a_commitment_cites_is_refused_with_a_reason(editor_api, publisher):
    """A commitment protects the paragraph it cites: publishing an editor's deletion of its theme is
    refused with the reason, in the publisher's language, and changes nothing."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    deleted = editor_api.delete(f"/api/v1/declarations/{DECLARATION}/themes/2/")
    assert deleted.status_code == 202
    pending = pending_change_for(declaration)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        publish_pending_change(pending=pending, user=publisher)
    (message,) = refused.value.messages
    assert "cannot be deleted" in message and "refer to it" in message
    cited = Commitment.objects.filter(key_point__theme__declaration=declaration, key_point__theme__number=2)
    with translation.override("en"):
        assert cited.exists() and all(f"“{commitment}”" in message for commitment in cited)
    assert Theme.objects.filter(declaration=declaration, number=2).exists()
    assert PendingChange.objects.filter(pk=pending.pk).exists()
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        publish_pending_change(pending=pending, user=publisher)
    assert "削除できません" in refused.value.messages[0]


def test_an_editors_change_to_a_part_on_a_stale_proposal_is_a_conflict(editor_api):
    editor_api.patch(
        f"/api/v1/declarations/{DECLARATION}/themes/1/",
        {"title": {"en": "First"}, "change_note": "First", "pending_version": 0},
        format="json",
    )
    stale = editor_api.patch(
        f"/api/v1/declarations/{DECLARATION}/themes/2/",
        {"title": {"en": "Second"}, "change_note": "Second", "pending_version": 0},
        format="json",
    )
    assert stale.status_code == 409
    pending = pending_change_for(Declaration.objects.get(slug=DECLARATION))
    assert [change["values"] for change in pending.parts] == [{"title_en": "First"}]


def test_an_editor_keeps_the_parts_of_a_draft_document(editor_api):
    declaration = DeclarationFactory(status="draft", published_at=None)
    theme = ThemeFactory(declaration=declaration, number=1)
    response = editor_api.patch(
        f"/api/v1/declarations/{declaration.slug}/themes/1/", {"title": {"en": "Changed"}}, format="json"
    )
    assert response.status_code == 200, response.json()
    theme.refresh_from_db()
    assert theme.title_en == "Changed"
    assert editor_api.delete(f"/api/v1/declarations/{declaration.slug}/themes/1/").status_code == 204


def test_an_editor_may_not_move_a_part_into_a_published_document(editor_api):
    declaration = DeclarationFactory(status="draft", published_at=None)
    ThemeFactory(declaration=declaration, number=1)
    response = editor_api.patch(
        f"/api/v1/declarations/{declaration.slug}/themes/1/", {"declaration": DECLARATION}, format="json"
    )
    assert response.status_code == 403


def test_the_history_names_the_author_of_a_token_write(publisher_api, publisher):
    publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"summary": {"en": "By token"}, "change_note": "By token"},
        format="json",
    )
    latest = Meeting.objects.get(slug=TAKASAKI).history.order_by("-history_id").first()
    assert (latest.summary_en, latest.history_user) == ("By token", publisher)


def test_an_editor_may_not_set_the_publish_time_of_a_draft(editor_api):
    """Regression: an editor's token set `published_at` on a draft (200), and so a backdated publication for
    whoever publishes it next; the publication fields are a publisher's, in the API as in the admin."""
    meeting = draft_meeting()
    response = editor_api.patch(
        f"/api/v1/meetings/{meeting.slug}/",
        {"published_at": "2020-01-01T00:00:00Z"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 403
    assert "公開" in response.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.published_at is None


def test_an_editor_may_not_give_a_new_draft_a_publish_time(editor_api):
    response = editor_api.post(
        "/api/v1/meetings/",
        {**NEW_MEETING, "slug": "g7-2023-backdated-draft", "published_at": "2020-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 403
    assert not Meeting.objects.filter(slug="g7-2023-backdated-draft").exists()


def test_the_api_checks_links_before_publishing_as_the_admin_does(publisher_api, editor_api, local_site):
    """Regression: the API accepted a dead link on a published record that the admin refuses; both run the
    record's own validation now."""
    url = f"/api/v1/declarations/{DECLARATION}/"
    dead = publisher_api.patch(
        url, {"official_url": {"en": f"{local_site}/missing"}, "change_note": "Link"}, format="json"
    )
    assert dead.status_code == 400
    assert "official_url" in dead.json() and "en" in dead.json()["official_url"]
    held = editor_api.patch(
        url, {"official_url": {"en": f"{local_site}/missing"}, "change_note": "Link"}, format="json"
    )
    assert held.status_code == 400
    assert "official_url" in held.json()
    assert not PendingChange.objects.exists()
    working = publisher_api.patch(
        url, {"official_url": {"en": f"{local_site}/ok"}, "change_note": "Link"}, format="json"
    )
    assert working.status_code == 200, working.json()
    assert Declaration.objects.get(slug=DECLARATION).official_url_en == f"{local_site}/ok"


def test_a_second_change_on_the_same_version_is_a_409_not_a_merge(editor_api):
    """Regression: changes awaiting review were last-write-wins: two editors' PATCHes made on the same
    version both answered 202, and the second overwrote the first unseen. A change awaiting review has a
    version of its own: the second is refused until it names that version (`pending_version`)."""
    meeting = Meeting.objects.get(slug=TAKASAKI)
    url = f"/api/v1/meetings/{TAKASAKI}/"
    first = editor_api.patch(
        url, {"summary": {"en": "First"}, "version": meeting.version, "change_note": "First"}, format="json"
    )
    assert first.status_code == 202
    assert first.json()["pending_change"]["version"] == 1
    second = token_client(second_editor()).patch(
        url,
        {"summary": {"en": "Second"}, "version": meeting.version, "change_note": "Second"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert second.status_code == 409
    assert "確認待ち" in second.json()["detail"]
    assert pending_change_for(meeting).data == {"summary_en": "First"}
    amended = editor_api.patch(
        url,
        {
            "title": {"en": "Amended"},
            "version": meeting.version,
            "pending_version": 1,
            "change_note": "Amended",
        },
        format="json",
    )
    assert amended.status_code == 202, amended.json()
    assert amended.json()["pending_change"]["version"] == 2
    assert pending_change_for(meeting).data == {"summary_en": "First", "title_en": "Amended"}
    stale = editor_api.patch(
        url,
        {"title": {"en": "Stale"}, "version": meeting.version, "pending_version": 1, "change_note": "Stale"},
        format="json",
    )
    assert stale.status_code == 409
    assert pending_change_for(meeting).data["title_en"] == "Amended"


def second_editor():
    """A second editor, besides the `editor` fixture."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("second-editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def in_own_connection(function):
    """Run `function` in a thread of its own, with its own database connection, outside the test's
    transaction: what it writes is committed at once and seen by every other connection."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome["value"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent transactions: SQLite runs one writer at a time"
)
def test_parallel_changes_awaiting_review_on_one_version_are_one_202_and_409s():
    """Regression: 20 parallel editor PATCHes of a published record, made on the same version, all answered
    202 and one value survived. The check and the write are one atomic step: one change waits for review,
    every other is a 409."""
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    meeting = Meeting.objects.get(slug=TAKASAKI)

    def make_editor():
        user = User.objects.create_user("parallel-editor", password="a-long-editor-password", is_staff=True)
        user.groups.add(Group.objects.get(name="Editors"))
        return user.pk, Token.objects.create(user=user).key

    user_pk, key = in_own_connection(make_editor)
    count = 20
    start = threading.Barrier(count)
    answers = [None] * count

    def patch(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        start.wait()
        try:
            response = client.patch(
                f"/api/v1/meetings/{TAKASAKI}/",
                {
                    "summary": {"en": f"Parallel {index}"},
                    "version": meeting.version,
                    "change_note": "Parallel",
                },
                format="json",
            )
            answers[index] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=patch, args=(index,)) for index in range(count)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        pending = in_own_connection(lambda: list(PendingChange.objects.filter(object_id=meeting.pk)))
        assert sorted(answers) == [202] + [409] * (count - 1)
        [kept] = pending
        assert kept.version == 1 and kept.data["summary_en"].startswith("Parallel ")
    finally:
        in_own_connection(
            lambda: (
                PendingChange.objects.filter(author_id=user_pk).delete(),
                User.objects.filter(pk=user_pk).delete(),
            )
        )


def test_a_change_to_a_public_record_takes_a_change_note_as_in_the_admin(publisher_api, editor_api, client):
    """Regression: an API change had no change note, so it appeared on the public page as a correction with no
    explanation. The API takes `change_note`, and requires it where the admin does: for a change that the
    public page lists as a correction."""
    url = f"/api/v1/meetings/{TAKASAKI}/"
    missing = publisher_api.patch(
        url, {"summary": {"en": "Corrected."}}, format="json", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert missing.status_code == 400
    assert "注記" in missing.json()["change_note"][0]
    assert Meeting.objects.get(slug=TAKASAKI).summary_en != "Corrected."
    noted = publisher_api.patch(
        url,
        {"summary": {"en": "Corrected."}, "change_note": "The summary gave the wrong date."},
        format="json",
    )
    assert noted.status_code == 200, noted.json()
    assert "change_note" not in noted.json()
    latest = Meeting.objects.get(slug=TAKASAKI).history.order_by("-history_id").first()
    assert latest.history_change_reason == "The summary gave the wrong date."
    assert "The summary gave the wrong date." in client.get(f"/en/meetings/{TAKASAKI}/").content.decode()

    held = editor_api.patch(
        url, {"title": {"en": "Proposed"}, "change_note": "Official title"}, format="json"
    )
    assert held.status_code == 202
    assert pending_change_for(Meeting.objects.get(slug=TAKASAKI)).note == "Official title"


def test_a_draft_or_a_change_of_publication_alone_needs_no_note(publisher_api, editor_api):
    draft = draft_meeting()
    changed = editor_api.patch(f"/api/v1/meetings/{draft.slug}/", {"title": {"en": "Drafted"}}, format="json")
    assert changed.status_code == 200
    unpublished = publisher_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"status": "draft"}, format="json")
    assert unpublished.status_code == 200


# Reference data: prefectures, organisations, people and sources follow the rules of every record.


def unused_prefecture():
    from meetings.models import Prefecture

    return Prefecture.objects.filter(locations__isnull=True).order_by("code").first()


def test_an_editors_change_to_reference_data_that_a_published_record_uses_awaits_review(
    editor_api, editor, publisher, client
):
    """Regression: an editor's change to an organisation's name went live at once, on every published
    meeting it hosts, and no history had it. Reference data that a published record uses is changed as a
    published record is: an editor's change waits for a publisher's review."""
    from meetings.models import Organization, Person, Prefecture

    organization = Organization.objects.get(slug="mic")
    response = editor_api.patch(
        "/api/v1/organizations/mic/", {"name": {"en": "Ministry of Renamed Affairs"}}, format="json"
    )
    assert response.status_code == 202, response.json()
    organization.refresh_from_db()
    assert organization.name_en == "Ministry of Internal Affairs and Communications"
    assert "Ministry of Renamed Affairs" not in client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    for url, data in (
        ("/api/v1/prefectures/10/", {"name": {"en": "Renamed"}}),
        ("/api/v1/people/matsumoto-takeaki/", {"name": {"en": "Renamed"}}),
    ):
        assert editor_api.patch(url, data, format="json").status_code == 202, url
    assert Prefecture.objects.get(code="10").name_en != "Renamed"
    assert Person.objects.get(slug="matsumoto-takeaki").name_en != "Renamed"

    publish_pending_change(pending=pending_change_for(organization), user=publisher)
    organization.refresh_from_db()
    assert organization.name_en == "Ministry of Renamed Affairs"
    latest = organization.history.order_by("-history_id").first()
    assert (latest.history_user, latest.proposed_by) == (publisher, editor)


def test_an_editors_change_to_reference_data_no_published_record_uses_is_kept_in_the_history(
    editor_api, editor
):
    """Regression: an editor's token renamed a prefecture and deleted another, and no history had it."""
    renamed, deleted = unused_prefecture(), None
    response = editor_api.patch(
        f"/api/v1/prefectures/{renamed.code}/",
        {"name": {"en": "Renamed"}, "version": renamed.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    latest = renamed.history.order_by("-history_id").first()
    assert (latest.name_en, latest.history_user) == ("Renamed", editor)

    from meetings.models import Prefecture

    deleted = Prefecture.objects.filter(locations__isnull=True).exclude(pk=renamed.pk).first()
    assert editor_api.delete(f"/api/v1/prefectures/{deleted.code}/").status_code == 204
    gone = Prefecture.history.filter(code=deleted.code).order_by("-history_id").first()
    assert (gone.history_type, gone.history_user) == ("-", editor)


def test_reference_data_that_a_published_record_uses_is_not_deleted(editor_api, publisher_api):
    """Regression: deleting an organisation that only hosts a published meeting (a many-to-many, which
    nothing protects) took it off the meeting's public page. Nothing a published record uses is deleted,
    by anyone: a 409 that says which records use it."""
    from meetings.models import Organization, Prefecture
    from tests.factories import OrganizationFactory

    host = OrganizationFactory()
    meeting = MeetingFactory()
    meeting.hosts.add(host)
    response = publisher_api.delete(f"/api/v1/organizations/{host.slug}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 409
    assert "公開" in response.json()["detail"] and meeting.title_ja in response.json()["detail"]
    assert Organization.objects.filter(pk=host.pk).exists()
    english = editor_api.delete("/api/v1/prefectures/10/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 409
    assert "published" in english.json()["detail"]
    assert Prefecture.objects.filter(code="10").exists()


def test_an_editors_new_number_for_a_part_waits_for_review_as_a_move(editor_api):
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=1)
    response = editor_api.patch(
        f"/api/v1/declarations/{DECLARATION}/themes/1/",
        {"number": 9, "change_note": "Numbered as in the source."},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 202
    [part] = response.json()["pending_change"]["parts"]
    assert (part["id"], part["action"]) == (theme.pk, "move")
    assert [(row["field"], row["before"], row["after"]) for row in part["changes"]] == [("number", "1", "9")]
