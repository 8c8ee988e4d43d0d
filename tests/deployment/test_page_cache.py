"""The page cache in one process: what it stores, for whom, and that every kind of change invalidates it.
tests/deployment/test_two_processes.py proves the same across processes on Redis."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from meetings.models import Meeting, Organization
from operations import cache as page_cache
from operations.middleware import PageCacheMiddleware

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
PAGE = f"/en/meetings/{TAKASAKI}/"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def served_from_cache(client, path, **headers):
    first = client.get(path, headers=headers)
    second = client.get(path, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first["X-Cache"] == "miss"
    assert second["X-Cache"] == "hit"
    return second


@pytest.mark.django_db
def test_a_visitors_page_is_answered_from_the_cache_without_a_query(client, django_assert_num_queries):
    served_from_cache(client, PAGE)
    with django_assert_num_queries(0):
        assert client.get(PAGE)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_an_edit_shows_at_once_in_both_languages(client):
    for language in ("ja", "en"):
        served_from_cache(client, f"/{language}/meetings/{TAKASAKI}/")
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.title_ja = "改訂された会合名"
    meeting.title_en = "A revised meeting title"
    meeting.save()
    assert "改訂された会合名" in client.get(f"/ja/meetings/{TAKASAKI}/").content.decode()
    assert "A revised meeting title" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_a_delete_shows_at_once(client):
    served_from_cache(client, "/en/meetings/")
    Meeting.objects.get(slug="g7-2023-health-nagasaki").delete()
    assert "g7-2023-health-nagasaki" not in client.get("/en/meetings/").content.decode()


@pytest.mark.django_db
def test_a_many_to_many_change_starts_a_new_generation():
    meeting = Meeting.objects.get(slug=TAKASAKI)
    before = page_cache.current_generation()
    meeting.hosts.remove(Organization.objects.first())
    assert page_cache.current_generation() != before


@pytest.mark.django_db
def test_the_admins_bulk_unpublish_hides_a_cached_page(client, admin_client):
    served_from_cache(client, PAGE)
    meeting = Meeting.objects.get(slug=TAKASAKI)
    response = admin_client.post(
        "/admin/meetings/meeting/", {"action": "unpublish", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 404


@pytest.mark.django_db
def test_editors_and_api_token_holders_are_never_served_or_stored(editor_client):
    response = editor_client.get(PAGE)
    assert response.status_code == 200
    assert "X-Cache" not in response
    visitor = Client()
    assert visitor.get(PAGE)["X-Cache"] == "miss"
    assert "X-Cache" not in visitor.get(PAGE, headers={"Authorization": "Token abc"})


@pytest.mark.django_db
def test_the_api_is_cached_per_language(client):
    english = served_from_cache(client, f"/api/v1/meetings/{TAKASAKI}/", accept_language="en")
    japanese = served_from_cache(client, f"/api/v1/meetings/{TAKASAKI}/", accept_language="ja")
    assert english.json()["title"] != japanese.json()["title"]


@pytest.mark.django_db
def test_a_lost_generation_never_brings_back_old_pages(client):
    """Regression: a counter restarting at 1 after Redis lost it would find pages of an old generation 1."""
    served_from_cache(client, PAGE)
    cache.delete(page_cache.GENERATION_KEY)
    assert client.get(PAGE)["X-Cache"] == "miss"


@pytest.mark.django_db
def test_a_page_is_kept_no_longer_than_the_next_scheduled_publication():
    """A record whose publish time comes sends no signal: the page must expire by then."""
    Meeting.objects.filter(slug=TAKASAKI).update(
        status=Meeting.Status.PUBLISHED, published_at=timezone.now() + timedelta(seconds=90)
    )
    page_cache.content_changed()
    assert 0 < page_cache.page_timeout(page_cache.current_generation()) <= 90


def storable(response, **request_meta):
    request = RequestFactory().get(PAGE)
    request.META.update(request_meta)
    return PageCacheMiddleware._storable(request, response)


def test_only_responses_that_are_the_same_for_everyone_are_stored():
    assert storable(HttpResponse("page"))
    with_cookie = HttpResponse("page")
    with_cookie.set_cookie("messages", "x")
    assert not storable(with_cookie)
    assert not storable(HttpResponse("page"), CSRF_COOKIE_NEEDS_UPDATE=True)
    private = HttpResponse("page", headers={"Cache-Control": "private, max-age=60"})
    assert not storable(private)
    assert not storable(HttpResponse("page", status=404))


def test_a_page_that_used_a_csp_nonce_is_not_stored():
    request = RequestFactory().get(PAGE)
    request._csp_nonce = "bm9uY2U="
    assert not PageCacheMiddleware._storable(request, HttpResponse("<script nonce>"))


@pytest.mark.django_db
def test_a_hit_is_one_round_trip_to_the_cache(client, monkeypatch):
    served_from_cache(client, PAGE)
    calls, depth = [], [0]

    def counted(name, original):
        def call(*args, **kwargs):
            # Only the middleware's own calls count: LocMem's get_many is made of gets (Redis's is one MGET).
            if not depth[0]:
                calls.append(name)
            depth[0] += 1
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert calls == ["get_many"]


@pytest.mark.django_db
def test_a_generation_replaced_by_another_process_hides_the_old_page_at_once(client):
    """This process still remembers the old generation; the one round trip reads the new one with the page."""
    served_from_cache(client, PAGE)
    Meeting.objects.filter(slug=TAKASAKI).update(title_en="Changed elsewhere")  # no signal here
    cache.set(page_cache.GENERATION_KEY, "another-process-generation", timeout=None)
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss"
    assert "Changed elsewhere" in response.content.decode()


@pytest.mark.django_db
def test_a_page_is_stored_as_its_bytes_and_served_back_the_same(client, monkeypatch):
    """What is stored is the status, headers and body, not the response object: DRF's would carry its
    serialized data, whose loading cost more than rendering the page again."""
    stored = []
    original_set = cache.set

    def recording_set(key, value, *args, **kwargs):
        if key.startswith("page:"):
            stored.append(value)
        return original_set(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    first = client.get("/api/v1/meetings/", headers={"accept-language": "ja"})
    second = client.get("/api/v1/meetings/", headers={"accept-language": "ja"})
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    [(status, headers, body, _expires_at)] = stored
    assert status == 200 and isinstance(body, bytes) and body == first.content
    assert second.content == first.content
    for header in ("Content-Type", "ETag", "Content-Language", "Vary"):
        assert second[header] == first[header] == dict(headers)[header]
    assert second.json()["count"] == first.json()["count"] > 0


@pytest.mark.django_db
def test_a_hit_is_answered_before_sessions_users_and_csrf_are_looked_at(client, monkeypatch):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.middleware.csrf import CsrfViewMiddleware

    served_from_cache(client, PAGE)
    called = []
    for middleware in (SessionMiddleware, AuthenticationMiddleware, CsrfViewMiddleware):
        original = middleware.process_request

        def recording(self, request, original=original, name=middleware.__name__):
            called.append(name)
            return original(self, request)

        monkeypatch.setattr(middleware, "process_request", recording)
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert called == []
    # A miss still passes through all three.
    assert client.get("/en/meetings/")["X-Cache"] == "miss"
    assert called == ["SessionMiddleware", "CsrfViewMiddleware", "AuthenticationMiddleware"]
