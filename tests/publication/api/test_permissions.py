"""Who may read and write what, and how a write is held to the admin's rules."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from declarations.models import Declaration, Theme
from meetings.models import Meeting
from publication.api.permissions import ModelPermissionsOrReadOnly
from publication.api.throttling import AnonRateThrottle
from tests.factories import DeclarationFactory, MeetingFactory, ThemeFactory

from .conftest import COMMUNIQUE, DECLARATION, TAKASAKI

pytestmark = pytest.mark.django_db

NEW_MEETING = {
    "slug": "g7-2023-test-ministerial",
    "forum": "G7",
    "kind": "ministerial",
    "year": 2023,
    "presidency": "JP",
    "portfolio": "digital",
    "title": {"ja": "試験大臣会合", "en": "Test Ministers' Meeting"},
    "short_title": {"ja": "試験会合", "en": "Test meeting"},
    "hosts": ["mic"],
    "summit": "g7-2023-hiroshima-summit",
}


def test_anonymous_clients_see_published_records_only(api):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    scheduled = MeetingFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    slugs = {
        meeting["slug"] for meeting in api.get("/api/v1/meetings/", {"page_size": 100}).json()["results"]
    }
    assert draft.slug not in slugs and scheduled.slug not in slugs
    assert api.get(f"/api/v1/meetings/{draft.slug}/").status_code == 404
    assert api.get(f"/api/v1/meetings/{scheduled.slug}/").status_code == 404


def test_parts_of_a_draft_document_are_hidden_with_it(api):
    theme = ThemeFactory(declaration=DeclarationFactory(status=Declaration.Status.DRAFT, published_at=None))
    assert api.get(f"/api/v1/declarations/{theme.declaration.slug}/themes/{theme.number}/").status_code == 404
    listed = api.get("/api/v1/themes/", {"page_size": 100}).json()["results"]
    assert theme.declaration.slug not in {t["declaration"]["slug"] for t in listed}


def test_a_draft_document_is_not_listed_with_its_meeting(api):
    draft = DeclarationFactory(meeting=Meeting.objects.get(slug=TAKASAKI), status=Declaration.Status.DRAFT)
    documents = api.get(f"/api/v1/meetings/{TAKASAKI}/").json()["documents"]
    assert draft.slug not in {document["slug"] for document in documents}


def test_editors_see_drafts(editor_api):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    response = editor_api.get(f"/api/v1/meetings/{draft.slug}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_a_user_without_permissions_reads_like_the_public_and_may_not_write(reader_api):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert reader_api.get(f"/api/v1/meetings/{draft.slug}/").status_code == 404
    response = reader_api.post("/api/v1/meetings/", NEW_MEETING, format="json")
    assert response.status_code == 403
    assert not Meeting.objects.filter(slug=NEW_MEETING["slug"]).exists()


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_read_is_allowed_without_building_the_views_queryset(rf, method):
    """Regression: DRF's model permissions built a viewset's whole QuerySet to learn its model on every
    read, which needs no permission (a seventh of the API's document record)."""

    class View:
        def get_queryset(self):
            raise AssertionError("a read built the QuerySet")

    request = getattr(rf, method)("/api/v1/meetings/")
    request.user = AnonymousUser()
    assert ModelPermissionsOrReadOnly().has_permission(request, View())


def test_a_write_is_still_checked_against_the_models_permissions(rf, editor, django_user_model):
    class View:
        def get_queryset(self):
            return Meeting.objects.all()

    request = rf.post("/api/v1/meetings/")
    request.user = editor
    assert ModelPermissionsOrReadOnly().has_permission(request, View())
    request.user = django_user_model.objects.create_user("reader-only", password="a-long-reader-password")
    assert not ModelPermissionsOrReadOnly().has_permission(request, View())
    request.user = AnonymousUser()
    assert not ModelPermissionsOrReadOnly().has_permission(request, View())


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_anonymous_write_is_a_401_naming_the_token_scheme(api, method):
    url = "/api/v1/meetings/" if method == "post" else f"/api/v1/meetings/{TAKASAKI}/"
    response = getattr(api, method)(url, {"title": {"ja": "改竄"}}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert Meeting.objects.get(slug=TAKASAKI).title_ja == "G7群馬高崎デジタル・技術大臣会合"


def test_an_editor_creates_a_meeting_with_both_languages(editor_api):
    response = editor_api.post("/api/v1/meetings/?lang=all", NEW_MEETING, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == NEW_MEETING["title"]
    assert response.json()["hosts"][0]["slug"] == "mic"
    meeting = Meeting.objects.get(slug=NEW_MEETING["slug"])
    assert (meeting.title_ja, meeting.title_en) == ("試験大臣会合", "Test Ministers' Meeting")
    assert meeting.summit.slug == "g7-2023-hiroshima-summit"
    assert meeting.status == Meeting.Status.DRAFT


def test_a_partial_update_changes_one_language_and_keeps_the_other(publisher_api):
    response = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"title": {"en": "A corrected title"}, "change_note": "Official title"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    meeting = Meeting.objects.get(slug=TAKASAKI)
    assert meeting.title_en == "A corrected title"
    assert meeting.title_ja == "G7群馬高崎デジタル・技術大臣会合"


def test_japanese_is_required_for_a_new_record(editor_api):
    response = editor_api.post(
        "/api/v1/meetings/", {**NEW_MEETING, "title": {"en": "English only"}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert list(response.json()["title"]) == ["ja"]


def test_a_translated_field_must_be_an_object_by_language(editor_api):
    response = editor_api.post("/api/v1/meetings/", {**NEW_MEETING, "title": "plain"}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()
    response = editor_api.post(
        "/api/v1/meetings/", {**NEW_MEETING, "title": {"ja": "試験", "fr": "essai"}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["title"]) == ["fr"]


def test_a_summit_may_not_belong_to_a_summit(editor_api):
    """Guards the named constraint meeting_only_ministerial_has_summit: a 400 on `summit`, not a 500."""
    response = editor_api.post("/api/v1/meetings/", {**NEW_MEETING, "kind": "summit"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["summit"]


def test_a_published_record_needs_a_publish_time(publisher_api):
    """Guards meeting_published_has_time: a record published without one is published now (the schema
    lets a client publish with `status` alone), so that the rule is never broken."""
    response = publisher_api.post(
        "/api/v1/meetings/", {**NEW_MEETING, "status": "published", "published_at": None}, format="json"
    )
    assert response.status_code == 201
    assert Meeting.objects.get(slug=NEW_MEETING["slug"]).published_at is not None


def test_a_taken_slug_is_a_409_naming_the_field(editor_api):
    response = editor_api.post("/api/v1/meetings/", {**NEW_MEETING, "slug": TAKASAKI}, format="json")
    assert response.status_code == 409
    assert list(response.json()) == ["slug"]


def test_a_taken_theme_number_is_a_409_naming_the_field(publisher_api):
    """Guards declaration_theme_unique_number: a 409 on `number`, not an IntegrityError."""
    response = publisher_api.post(
        "/api/v1/themes/", {"declaration": DECLARATION, "number": 1, "title": {"ja": "重複"}}, format="json"
    )
    assert response.status_code == 409
    assert list(response.json()) == ["number"]


def test_an_annex_serves_a_theme_of_its_own_document_only(editor_api):
    response = editor_api.post(
        "/api/v1/annexes/",
        {"declaration": COMMUNIQUE, "number": 1, "kind": "other", "title": {"ja": "附属書"}, "theme": 1},
        format="json",
    )
    # The communiqué has no theme 1: the number names no part of the annex's own document, as a reference
    # to a record that does not exist (a 404 naming the field).
    assert response.status_code == 404
    assert list(response.json()) == ["theme"]


def test_a_communique_item_belongs_to_a_communique(publisher_api):
    response = publisher_api.post(
        "/api/v1/communique-items/",
        {
            "declaration": DECLARATION,
            "number": 9,
            "topic": "ai",
            "title": {"ja": "項目"},
            "text": {"ja": "本文"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["declaration"]


def test_a_publisher_writes_a_communique_item_traced_to_a_theme_and_annex(publisher_api):
    before = Declaration.objects.get(slug=COMMUNIQUE).updated_at
    response = publisher_api.post(
        "/api/v1/communique-items/",
        {
            "declaration": COMMUNIQUE,
            "number": 9,
            "topic": "other",
            "title": {"ja": "項目", "en": "Item"},
            "text": {"ja": "本文", "en": "Text"},
            "themes": [{"declaration": DECLARATION, "number": 3}],
            "annexes": [{"declaration": DECLARATION, "number": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [(t["declaration"], t["number"]) for t in response.json()["themes"]] == [(DECLARATION, 3)]
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=3)
    assert theme.communique_items.filter(number=9).exists()
    # The document's change time moves with its parts, so Last-Modified does too.
    assert Declaration.objects.get(slug=COMMUNIQUE).updated_at > before


def test_a_reference_to_a_missing_part_is_a_field_error(editor_api):
    response = editor_api.post(
        "/api/v1/communique-items/",
        {
            "declaration": COMMUNIQUE,
            "number": 9,
            "topic": "other",
            "title": {"ja": "項目"},
            "text": {"ja": "本文"},
            "themes": [{"declaration": DECLARATION, "number": 42}],
        },
        format="json",
    )
    # As any reference to a record that does not exist: a 404 naming the field.
    assert response.status_code == 404
    assert list(response.json()) == ["themes"]


def test_deleting_a_meeting_that_has_documents_is_a_409(publisher_api):
    response = publisher_api.delete(f"/api/v1/meetings/{TAKASAKI}/")
    assert response.status_code == 409
    assert Meeting.objects.filter(slug=TAKASAKI).exists()


def test_a_publisher_deletes_a_theme_of_a_published_document(publisher_api):
    theme = ThemeFactory(number=7)
    response = publisher_api.delete(f"/api/v1/declarations/{theme.declaration.slug}/themes/7/")
    assert response.status_code == 204
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_a_publisher_updates_a_prefecture_by_code(publisher_api):
    """(An editor's change to a prefecture that a published meeting is held in waits for review: test_review.)"""
    response = publisher_api.patch(
        "/api/v1/prefectures/10/", {"name": {"en": "Gunma Prefecture"}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "群馬県"


def test_anonymous_clients_are_throttled_with_retry_after(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    statuses = [api.get("/api/v1/prefectures/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/prefectures/")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "detail" in response.json()


def test_the_count_starts_again_with_each_window_and_retry_after_says_when(api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    clock = [1_800_000_000 + 45.5]  # 45.5 seconds into a minute
    monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: clock[0])
    assert [api.get("/api/v1/prefectures/").status_code for _ in range(3)] == [200, 200, 429]
    english = api.get("/api/v1/prefectures/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.headers["Retry-After"] == "15"
    assert english.json() == {"detail": "Too many requests: try again in 15 seconds."}
    japanese = api.get("/api/v1/prefectures/", HTTP_ACCEPT_LANGUAGE="ja")
    assert japanese.json() == {"detail": "リクエストが多すぎます。15 秒後にもう一度お試しください。"}
    clock[0] += 14
    assert api.get("/api/v1/prefectures/").status_code == 429
    clock[0] += 1  # the next minute
    assert [api.get("/api/v1/prefectures/").status_code for _ in range(3)] == [200, 200, 429]


def test_an_unreachable_throttle_cache_lets_requests_through_and_says_so(api, monkeypatch, caplog):
    """Regression: while Redis was down every anonymous API request was a 500."""
    from publication.api import throttling

    def unreachable(*args):
        raise ConnectionError("Error 111 connecting to the cache. Connection refused.")

    monkeypatch.setattr(throttling, "counted", unreachable)
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    assert [api.get("/api/v1/prefectures/").status_code for _ in range(3)] == [200, 200, 200]
    assert "The API throttle's cache is unreachable" in caplog.text


def test_a_new_x_forwarded_for_on_each_request_does_not_escape_the_limit(api, monkeypatch):
    """Regression: DRF believed any X-Forwarded-For when NUM_PROXIES was not set, so a client that sent a
    new one each time was never throttled (20 of 20 requests after a 429 were 200). Without a proxy
    configured the header is ignored: the count is the connection's address."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    statuses = [
        api.get("/api/v1/prefectures/", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}").status_code
        for number in range(6)
    ]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_the_configured_proxy_the_address_it_saw_is_counted(api, monkeypatch, settings):
    """With one proxy (DJANGO_NUM_PROXIES=1), the right-most X-Forwarded-For address, the one the proxy
    appended, is the client; what the client put before it changes nothing."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    spoofing = [
        api.get("/api/v1/prefectures/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7").status_code
        for number in range(4)
    ]
    assert spoofing == [200, 200, 429, 429]
    assert api.get("/api/v1/prefectures/", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_editors_are_not_throttled_as_anonymous(editor_api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    assert [editor_api.get("/api/v1/prefectures/").status_code for _ in range(3)] == [200, 200, 200]


def test_a_change_made_on_an_old_version_is_a_409(publisher_api):
    """Guards optimistic locking: a write based on a stale read never overwrites a newer save."""
    version = publisher_api.get(f"/api/v1/meetings/{TAKASAKI}/").json()["version"]
    first = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"summary": {"en": "First"}, "version": version, "change_note": "First"},
        format="json",
    )
    assert first.status_code == 200
    assert first.json()["version"] == version + 1
    second = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"summary": {"en": "Second"}, "version": version, "change_note": "Second"},
        format="json",
    )
    assert second.status_code == 409
    assert "detail" in second.json()
    assert Meeting.objects.get(slug=TAKASAKI).summary_en == "First"
