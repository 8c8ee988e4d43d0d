"""The page cache in one process: what it stores, for whom, and that every kind of change invalidates it,
in this process's memory and on Redis through Django's own backend. tests/operations/test_cache_between_processes.py
proves the same across processes on Redis."""

import time
from datetime import timedelta
from io import StringIO

import pytest
import redis
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver
from django.utils import timezone

from commitments.models import Commitment, FollowUp
from declarations.models import Declaration
from meetings.filters import MeetingFilterSet
from meetings.models import Meeting, Organization
from operations import backups
from operations import cache as page_cache
from operations.middleware import PageCacheMiddleware
from publication.selectors import archive_last_modified

from .servers import commands_sent, cut_generation_watches, free_port

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
PAGE = f"/en/meetings/{TAKASAKI}/"


pytestmark = pytest.mark.usefixtures("page_cache_on")


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


def assert_an_edit_shows_at_once_in_both_languages(client):
    for language in ("ja", "en"):
        served_from_cache(client, f"/{language}/meetings/{TAKASAKI}/")
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.title_ja = "改訂された会合名"
    meeting.title_en = "A revised meeting title"
    meeting.save()
    assert "改訂された会合名" in client.get(f"/ja/meetings/{TAKASAKI}/").content.decode()
    assert "A revised meeting title" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_an_edit_shows_at_once_in_both_languages(client):
    assert_an_edit_shows_at_once_in_both_languages(client)


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
def test_a_commitments_edit_shows_at_once_on_its_page_and_the_register(client):
    """Regression: the register's records were not among those whose changes start a new generation, so a
    visitor saw a commitment's old text until its page expired."""
    commitment = Commitment.objects.published().first()
    for path in (commitment.get_absolute_url(), "/en/commitments/"):
        served_from_cache(client, path)
    commitment.text_en = "A revised commitment text"
    commitment.save()
    for path in (commitment.get_absolute_url(), "/en/commitments/"):
        assert "A revised commitment text" in client.get(path).content.decode()


@pytest.mark.django_db
def test_a_follow_ups_delete_shows_at_once(client):
    follow_up = FollowUp.objects.published().first()
    served_from_cache(client, "/en/commitments/follow-ups/")
    assert follow_up.get_absolute_url() in client.get("/en/commitments/follow-ups/").content.decode()
    follow_up.delete()
    assert follow_up.get_absolute_url() not in client.get("/en/commitments/follow-ups/").content.decode()


def test_every_app_with_records_editors_keep_invalidates_the_page_cache():
    from django.apps import apps

    from publication.models import EditableRecord, content_apps

    kept = {model._meta.app_label for model in apps.get_models() if issubclass(model, EditableRecord)}
    assert kept == {"core", "meetings", "declarations", "commitments"}
    assert page_cache.content_app_labels() == kept
    assert [config.label for config in content_apps()] == ["core", "meetings", "declarations", "commitments"]


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
def test_api_responses_answered_from_the_cache_count_against_the_anonymous_limit(client, monkeypatch):
    """Regression: a hit is answered before the view, and so before DRF's throttle: a client past its limit
    was still served every page anyone had cached."""
    from publication.api.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    path = f"/api/v1/meetings/{TAKASAKI}/"
    served_from_cache(client, path, accept_language="en")
    assert client.get(path, headers={"accept-language": "en"})["X-Cache"] == "hit"
    refused = client.get(path, headers={"accept-language": "en"})
    assert refused.status_code == 429
    assert refused.headers["Content-Type"] == "application/json"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["detail"].startswith("Too many requests: try again in")
    assert "X-Cache" not in refused
    # Pages of the site are not the API's to count.
    for _ in range(3):
        assert client.get(PAGE).status_code == 200


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


@pytest.mark.django_db
@pytest.mark.parametrize("scheduled", ["meeting", "document", "commitment", "draft", None])
def test_the_next_scheduled_publication_of_any_kind_is_found_in_one_query(scheduled):
    due = timezone.now() + timedelta(seconds=90)
    if scheduled == "draft":
        # A draft's publish time publishes nothing when it comes.
        Meeting.objects.filter(slug=TAKASAKI).update(status=Meeting.Status.DRAFT, published_at=due)
    elif scheduled == "meeting":
        Meeting.objects.filter(slug=TAKASAKI).update(status=Meeting.Status.PUBLISHED, published_at=due)
    elif scheduled == "document":
        Declaration.objects.filter(slug=DECLARATION).update(
            status=Declaration.Status.PUBLISHED, published_at=due
        )
    elif scheduled == "commitment":
        Commitment.objects.filter(pk=Commitment.objects.first().pk).update(
            status=Commitment.Status.PUBLISHED, published_at=due
        )
    with CaptureQueriesContext(connection) as queries:
        found = page_cache.seconds_until_next_publication("a-new-generation")
    assert len(queries.captured_queries) == 1
    # Not a compound query: Django 6.1 refuses, on SQLite, the UNION ALL of each kind's first this was.
    assert "UNION" not in queries.captured_queries[0]["sql"].upper()
    if scheduled in ("draft", None):
        assert found is None
    else:
        assert 0 < found <= 90


@pytest.mark.django_db
def test_a_restore_hides_every_cached_page(client, monkeypatch, tmp_path):
    """Regression: `make restore` replaced the database without a signal, and pages of the content before it
    were served for up to PAGE_CACHE_SECONDS. The copy itself is the backup tests' (test_backups.py);
    here it changes nothing, so only the invalidation can make the page a miss."""
    backup = tmp_path / "g7site-20260101-000000-000000.sqlite3"
    backup.touch()
    monkeypatch.setattr(backups, "restore", lambda path, alias="default": None)
    served_from_cache(client, PAGE)
    call_command("restore", str(backup), "--no-input", stdout=StringIO())
    assert client.get(PAGE)["X-Cache"] == "miss"


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
    """Regression: a page stored with its nonce would give every visitor the same one."""
    request = RequestFactory().get(PAGE)
    CSPMiddleware(lambda request: HttpResponse()).process_request(request)
    assert PageCacheMiddleware._storable(request, HttpResponse("<p>no script</p>"))
    nonce = str(request.csp_nonce)
    assert not PageCacheMiddleware._storable(request, HttpResponse(f'<script nonce="{nonce}">'))


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
    [(status, headers, body, expires_at)] = stored
    assert status == 200 and isinstance(body, bytes) and body == first.content
    assert time.time() < expires_at <= time.time() + 600
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


@pytest.mark.django_db
def test_the_query_is_one_page_whatever_the_order_of_its_parameters(client):
    served_from_cache(client, "/en/meetings/?portfolio=digital&year=2023")
    assert client.get("/en/meetings/?year=2023&portfolio=digital")["X-Cache"] == "hit"
    assert client.get("/en/meetings/?year=2023")["X-Cache"] == "miss"


@pytest.fixture
def pages_stored(monkeypatch):
    """The keys of the pages stored from here on."""
    keys = []
    store = page_cache.store_page

    def recording(key, response, timeout):
        keys.append(key)
        store(key, response, timeout)

    monkeypatch.setattr(page_cache, "store_page", recording)
    return keys


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/en/meetings/?year=2023",
        f"/en/meetings/{TAKASAKI}/",
        f"/ja/declarations/{DECLARATION}/bilingual/",
        "/en/search/?q=AI",
        "/api/v1/meetings/?year=2023",
        f"/api/v1/meetings/{TAKASAKI}/",
        "/api/v1/themes/?declaration=" + DECLARATION,
        "/api/v1/search/?q=AI",
    ],
)
def test_made_up_parameters_make_no_new_cache_entries(client, pages_stored, path):
    """Regression: every made-up parameter was a page of its own in the cache (Redis grew 132 to 160 MB in
    30 s of random ones). A page's key holds only the parameters its view reads; a request with others is
    answered from the page without them, and what is rendered for it is not stored."""
    joiner = "&" if "?" in path else "?"
    for number in range(3):
        response = client.get(f"{path}{joiner}utm_source=feed-{number}&_={number}")
        assert response.status_code == 200
        assert "X-Cache" not in response
    assert pages_stored == []
    served_from_cache(client, path)
    assert len(pages_stored) == 1
    for number in range(3, 6):
        assert client.get(f"{path}{joiner}utm_source=feed-{number}")["X-Cache"] == "hit"
    assert len(pages_stored) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/meetings/?year=2023&kind=ministerial", "/api/v1/search/?q=AI"])
def test_a_page_stored_for_its_whole_query_is_found_without_resolving_its_path(client, monkeypatch, path):
    """A page is stored under the parameters its view reads, which are almost always the whole query: a
    hit for it looks no further. A query that also names a parameter the view does not read finds the same
    page once the view's parameters are known."""
    from operations import cache as page_cache

    resolved = []
    resolve = page_cache.resolve
    monkeypatch.setattr(page_cache, "resolve", lambda path: resolved.append(path) or resolve(path))
    served_from_cache(client, path)
    assert len(resolved) == 1  # the miss: to learn what the view reads, and so whether to store the page
    assert client.get(path)["X-Cache"] == "hit"
    assert len(resolved) == 1
    assert client.get(path + "&utm_source=feed")["X-Cache"] == "hit"
    assert len(resolved) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        # A parameter the list reads, which its record does not: accepted there, and no page of its own.
        "page=7",
        "format=anything",
        "page_size=3",
        # A parameter given twice.
        "lang=en&lang=en",
    ],
)
def test_a_parameter_the_view_does_not_read_makes_no_entry_of_its_own(client, pages_stored, query):
    path = f"/api/v1/meetings/{TAKASAKI}/"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 200
    assert pages_stored == []


def views_under(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from views_under(pattern.url_patterns, route)
        else:
            yield route, pattern.callback


def test_every_cached_view_names_the_parameters_it_reads():
    """A view that declares no query parameters is never cached with a query; one that reads a parameter
    it does not declare would be served the page of another query. Every view under the cached prefixes
    declares them (the API's from its filters and pagination)."""
    from django.urls import get_resolver
    from django.utils import translation

    with translation.override("en"):
        views = list(views_under(get_resolver().url_patterns))
    cached = [(route, view) for route, view in views if route.startswith(("en/", "api/v1/"))]
    assert len(cached) > 50
    undeclared = [route for route, view in cached if page_cache.view_query_parameters(view) is None]
    # The API's root lists its resources; under a query it is simply not cached.
    assert undeclared == ["api/v1/", "api/v1/<drf_format_suffix:format>"]
    reads = {
        route: set(page_cache.view_query_parameters(view))
        for route, view in cached
        if route not in undeclared
    }
    assert reads["en/meetings/"] == {*MeetingFilterSet.base_filters, "page"}
    assert reads["api/v1/^meetings/$"] == {
        *MeetingFilterSet.base_filters,
        "page",
        "page_size",
        "lang",
        "format",
    }
    assert reads["api/v1/^meetings/(?P<slug>[^/]+)/$"] == {"lang"}
    assert reads["en/meetings/<slug:slug>/"] == set()
    assert (
        reads["en/meetings/<slug:slug>/cite.bib"] == reads["en/declarations/<slug:slug>/cite.json"] == set()
    )
    assert reads["api/v1/themes/"] >= {"declaration", "q", "page", "page_size", "lang", "format"}
    assert reads["api/v1/themes/export/"] == reads["api/v1/themes/"] - {"page", "page_size"}
    assert reads["api/v1/declarations/<str:slug>/themes/<int:number>/"] == {"lang"}


# On Redis, as production runs it: Django's backend, shared by every process.


SHARED = "shared"
SHARED_AND_LOCAL = "shared and local"


def cache_settings(location, where=SHARED_AND_LOCAL):
    """The page cache on Redis through Django's backend, as production configures it: with the cache of
    this process's memory too, or (as behind several Redis servers) without it."""
    config = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "page-cache-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    if where == SHARED_AND_LOCAL:
        config["local-pages"] = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "local-pages-test",
        }
    return config


@pytest.fixture(params=[SHARED, SHARED_AND_LOCAL])
def on_redis(request, redis_server):
    """The page cache on the session's redis-server (the gunicorn servers of other tests use another key
    prefix), with pages kept in this process too or not, and a client of its own that reads the
    server's count of the commands it was sent."""
    with override_settings(CACHES=cache_settings(redis_server.url, request.param)):
        for alias in settings.CACHES:
            caches[alias].clear()
        server = redis.Redis.from_url(redis_server.url)
        yield server
        for alias in settings.CACHES:
            caches[alias].clear()
        server.close()


@pytest.mark.django_db
@pytest.mark.parametrize("on_redis", [SHARED], indirect=True)
def test_on_redis_alone_a_hit_is_one_mget_and_no_query(client, on_redis, django_assert_num_queries):
    served_from_cache(client, PAGE)
    commands_sent(on_redis)
    with django_assert_num_queries(0):
        response = client.get(PAGE)
    assert response["X-Cache"] == "hit" and "Takasaki" in response.content.decode()
    assert commands_sent(on_redis) == {"mget": 1}


@pytest.mark.django_db
def test_on_redis_a_304_is_answered_from_the_stored_page(client, on_redis):
    etag = served_from_cache(client, PAGE)["ETag"]
    response = client.get(PAGE, headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""


@pytest.mark.django_db
def test_on_redis_a_change_through_another_process_hides_the_page_at_once(client, on_redis, redis_server):
    served_from_cache(client, PAGE)
    Meeting.objects.filter(slug=TAKASAKI).update(title_en="Changed through another process")  # no signal
    # What a save through another process does: a new generation, through a backend of its own.
    other = RedisCache(redis_server.url, {"KEY_PREFIX": "page-cache-test"})
    other.set(page_cache.GENERATION_KEY, "another-process-generation", timeout=None)
    other.close()
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss"
    assert "Changed through another process" in response.content.decode()
    assert client.get(PAGE)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_on_redis_an_edit_shows_at_once_in_both_languages(client, on_redis):
    assert_an_edit_shows_at_once_in_both_languages(client)


@pytest.mark.django_db
def test_on_redis_a_flushed_cache_is_never_answered_from(client, on_redis):
    """Regression: a generation lost with a flush or a restart of Redis must not bring back a page."""
    served_from_cache(client, PAGE)
    on_redis.flushdb()
    assert client.get(PAGE)["X-Cache"] == "miss"
    assert client.get(PAGE)["X-Cache"] == "hit"


@pytest.mark.django_db
@pytest.mark.parametrize("where", [SHARED, SHARED_AND_LOCAL])
def test_with_redis_unreachable_pages_are_rendered_and_edits_saved(client, where):
    """Regression: an outage of Redis costs speed, never a 5xx, for visitors or for editors."""
    unreachable = cache_settings(f"redis://127.0.0.1:{free_port()}/0", where)
    with override_settings(CACHES=unreachable):
        for _ in range(2):
            response = client.get(PAGE)
            assert response.status_code == 200 and "X-Cache" not in response
            assert "Takasaki" in response.content.decode()
        meeting = Meeting.objects.get(slug=TAKASAKI)
        meeting.title_en = "Saved while Redis is away"
        meeting.save()
        assert "Saved while Redis is away" in client.get(PAGE).content.decode()


# With pages kept in this process too, as production runs: a hit makes no round trip while the watch on
# the generation (operations/generation.py) is connected.


@pytest.mark.django_db
@pytest.mark.parametrize("on_redis", [SHARED_AND_LOCAL], indirect=True)
def test_with_pages_kept_here_a_hit_sends_redis_nothing(client, on_redis, django_assert_num_queries):
    pages = (PAGE, "/en/meetings/")
    for path in pages:
        served_from_cache(client, path)
    # As if another process had stored them: each is read once from Redis, then kept here too.
    caches["local-pages"].clear()
    commands_sent(on_redis)
    for path in pages:
        assert client.get(path)["X-Cache"] == "hit"
    assert commands_sent(on_redis) == {"get": 2}
    with django_assert_num_queries(0):
        for path in pages:
            response = client.get(path)
            assert response["X-Cache"] == "hit"
        conditional = client.get(path, headers={"if-none-match": response["ETag"]})
    assert conditional.status_code == 304
    assert "Takasaki" in client.get(PAGE).content.decode()
    assert commands_sent(on_redis) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("on_redis", [SHARED_AND_LOCAL], indirect=True)
def test_with_the_watch_cut_a_change_elsewhere_is_still_seen_at_once(client, on_redis, redis_server):
    """Being right never depends on the watch: while it is not connected, every lookup reads the
    generation from Redis."""
    served_from_cache(client, PAGE)
    assert cut_generation_watches(on_redis)
    Meeting.objects.filter(slug=TAKASAKI).update(title_en="Changed while the watch was cut")  # no signal
    other = RedisCache(redis_server.url, {"KEY_PREFIX": "page-cache-test"})
    other.set(page_cache.GENERATION_KEY, "another-process-generation", timeout=None)
    other.close()
    commands_sent(on_redis)
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss"
    assert "Changed while the watch was cut" in response.content.decode()
    assert "mget" in commands_sent(on_redis)
    # It connects again by itself, and hits go back to sending nothing.
    assert client.get(PAGE)["X-Cache"] == "hit"
    commands_sent(on_redis)
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert commands_sent(on_redis) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("on_redis", [SHARED_AND_LOCAL], indirect=True)
def test_a_page_kept_here_is_never_served_past_the_next_scheduled_publication(client, on_redis):
    """A page kept in this process goes when its time in Redis is up: the publish time of a scheduled
    record makes no signal to hear of."""
    Meeting.objects.filter(slug="g7-2023-health-nagasaki").update(
        status=Meeting.Status.PUBLISHED, published_at=timezone.now() + timedelta(seconds=1.5)
    )
    page_cache.content_changed()
    served_from_cache(client, PAGE)
    time.sleep(2.1)
    assert client.get(PAGE)["X-Cache"] == "miss"


def test_pages_are_kept_here_only_where_the_watch_can_be_trusted(redis_server):
    """Behind several Redis servers a read may come from a replica that has not applied the change the
    watch heard of: the generation is then read on every lookup."""
    with override_settings(CACHES=cache_settings(redis_server.url)):
        assert page_cache.process_tier() is not None
    with override_settings(CACHES=cache_settings(f"{redis_server.url},{redis_server.url}")):
        assert page_cache.process_tier() is None
    with override_settings(CACHES=cache_settings(redis_server.url, SHARED)):
        assert page_cache.process_tier() is None
    with override_settings(PAGE_CACHE_LOCAL_ALIAS=None):
        assert page_cache.process_tier() is None


# What a hit answers: the page with every header the middleware below the cache gave it.

IDENTIFIERS = {"X-Cache", "X-Request-ID"}


def headers_of(response) -> dict:
    return {name: value for name, value in response.headers.items() if name not in IDENTIFIERS}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [PAGE, f"/api/v1/meetings/{TAKASAKI}/"])
def test_a_hit_has_the_headers_of_the_miss(client, path):
    """The policy, the security headers, the language and the validators are stored with the page, not
    made again for each hit."""
    miss = client.get(path)
    hit = client.get(path)
    assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    assert headers_of(hit) == headers_of(miss)
    assert "default-src 'self'" in hit["Content-Security-Policy"]
    assert "'nonce-" not in hit["Content-Security-Policy"]
    for header in (
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ):
        assert hit[header]


@pytest.mark.django_db
def test_a_hit_answers_each_conditional_header_as_the_view_does(client, settings):
    """A hit compares the stored answer's validators only with what the client sent back: for each of the
    four conditional headers, and for none, it answers as the view answers without the cache."""
    path = f"/api/v1/meetings/{TAKASAKI}/"
    stored = served_from_cache(client, path)
    long_ago = "Mon, 01 Jan 2001 00:00:00 GMT"
    conditions = [
        {},
        {"if-none-match": stored["ETag"]},
        {"if-none-match": '"another"'},
        {"if-modified-since": stored["Last-Modified"]},
        {"if-modified-since": long_ago},
        {"if-match": stored["ETag"]},
        {"if-match": '"another"'},
        {"if-unmodified-since": long_ago},
    ]
    cached = [client.get(path, headers=headers) for headers in conditions]
    assert all(response["X-Cache"] == "hit" for response in cached)
    settings.PAGE_CACHE_SECONDS = 0
    uncached = [client.get(path, headers=headers) for headers in conditions]
    assert [response.status_code for response in cached] == [response.status_code for response in uncached]
    assert [response.status_code for response in cached] == [200, 304, 200, 304, 200, 200, 412, 412]
    assert cached[0].content == uncached[0].content == stored.content


@pytest.mark.django_db
def test_a_hits_304_has_the_headers_of_a_304_made_without_the_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    etag = client.get(PAGE)["ETag"]
    uncached = client.get(PAGE, headers={"if-none-match": etag})
    settings.PAGE_CACHE_SECONDS = 600
    served_from_cache(client, PAGE)
    cached = client.get(PAGE, headers={"if-none-match": etag})
    assert uncached.status_code == cached.status_code == 304
    assert cached["X-Cache"] == "hit"
    # CommonMiddleware gives the uncached 304 a Content-Length of 0, which is not the page's length.
    expected = headers_of(uncached)
    assert expected.pop("Content-Length") == "0"
    assert headers_of(cached) == expected
    assert cached["Content-Security-Policy"] and cached["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_api_hits_304_and_412_have_the_headers_the_view_gives_them(client, settings):
    """A hit compares the client's validators with the stored answer's before it makes the answer: its
    304 has the headers of the view's (the validators, ETag, Last-Modified and Vary, and the headers the
    middleware above the view gives every answer), its 412 the security headers and the language."""
    path = f"/api/v1/meetings/{TAKASAKI}/"
    stored = served_from_cache(client, path)
    conditions = [{"if-none-match": stored["ETag"]}, {"if-match": '"another"'}]
    cached = [client.get(path, headers=headers) for headers in conditions]
    settings.PAGE_CACHE_SECONDS = 0
    uncached = [client.get(path, headers=headers) for headers in conditions]
    assert [response.status_code for response in cached] == [304, 412]
    assert [response.status_code for response in uncached] == [304, 412]
    assert [response["X-Cache"] for response in cached] == ["hit", "hit"]
    # CommonMiddleware gives the view's 304 a Content-Length of 0, which is not the stored answer's length.
    expected = headers_of(uncached[0])
    assert expected.pop("Content-Length") == "0"
    assert headers_of(cached[0]) == expected
    assert {"ETag", "Last-Modified", "Vary"} <= set(cached[0].headers)
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Content-Language",
    ):
        assert cached[1][header] == uncached[1][header]


@pytest.mark.django_db
def test_a_host_that_is_not_allowed_is_refused_before_the_cache_is_looked_at(client):
    served_from_cache(client, PAGE)
    assert client.get(PAGE, headers={"host": "evil.example"}).status_code == 400


@pytest.fixture
def shared_cache(monkeypatch):
    """The archive's times are kept only in a cache every process shares; this process's memory stands in
    for Redis here, since one process alone makes every change."""
    monkeypatch.setattr(page_cache, "cache_is_shared", lambda: True)


@pytest.mark.django_db
def test_the_archives_last_change_is_read_once_a_content_generation(shared_cache, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = page_cache.archive_last_modified()
    with django_assert_num_queries(0):
        assert page_cache.archive_last_modified() == first
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.save()  # a new content generation
    with django_assert_num_queries(1):
        after = page_cache.archive_last_modified()
    assert after == Meeting.objects.get(slug=TAKASAKI).updated_at > first
    with django_assert_num_queries(0):
        page_cache.archive_last_modified()


@pytest.mark.django_db
def test_the_archives_last_change_is_read_again_once_a_publish_time_has_come(shared_cache, monkeypatch):
    """A scheduled record sends no signal when its time comes: the time kept is only good until then."""
    now = timezone.now()
    due = now + timedelta(hours=1)
    Meeting.objects.filter(slug=TAKASAKI).update(status="published", published_at=due)
    page_cache.content_changed()
    before = page_cache.archive_last_modified()
    assert before < due
    monkeypatch.setattr(timezone, "now", lambda: due + timedelta(seconds=1))
    assert page_cache.archive_last_modified() == due


@pytest.mark.django_db
def test_where_the_cache_is_this_processs_own_the_archives_last_change_is_read_every_time(
    django_assert_num_queries,
):
    """Another process's change would not reach this process's memory."""
    assert not page_cache.cache_is_shared()  # the suite's cache is LocMemCache
    for _ in range(2):
        with django_assert_num_queries(1):
            page_cache.archive_last_modified()


@pytest.mark.django_db
def test_an_unreachable_cache_still_gives_the_archives_last_change(shared_cache, monkeypatch, caplog):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to the cache. Connection refused.")

    monkeypatch.setattr(page_cache, "known_generation", unreachable)
    assert page_cache.archive_last_modified() == archive_last_modified()
    assert "reading the archive's last change" in caplog.text
