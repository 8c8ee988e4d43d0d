"""On Redis, each process keeps the pages it served last for as long as Redis tells it that the content
generation is unchanged (operations.redis_cache.KeyWatch): a hit then makes no round trip, and a change made
through any process still hides every older page at once."""

import pickle

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import override_settings

from meetings.models import Meeting
from operations import cache as page_cache
from operations.redis_cache import RedisCache

from .servers import free_port

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
PAGE = f"/en/meetings/{TAKASAKI}/"


@pytest.fixture(autouse=True)
def redis_page_cache(settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "operations.redis_cache.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "local-pages-test",
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    page_cache.local_pages.clear()
    caches["default"].clear()
    yield
    caches["default"].clear()
    page_cache.local_pages.clear()


@pytest.fixture
def redis_commands(monkeypatch):
    """The commands this process sends to Redis on the page cache's connections."""
    sent = []
    client = caches["default"]._cache.get_client()
    original = client.execute_command

    def recording(*args, **kwargs):
        sent.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(client, "execute_command", recording)
    return sent


def another_process_changes_content(redis_server):
    """What a save through another process does to the cache: a new generation. The reply to a later
    command on the same connection comes after Redis has written its invalidation to every watch."""
    other = RedisCache(redis_server.url, {"KEY_PREFIX": "local-pages-test"})
    other.set(page_cache.GENERATION_KEY, "another-process-generation", timeout=None)
    other._cache.get_client().ping()
    other.close()


def rendered_and_kept(client, path=PAGE):
    """The first request of the process renders and stores the page, and writes the generation into the
    emptied cache (which the watch hears of); the second reads the generation again."""
    assert client.get(path)["X-Cache"] == "miss"
    assert client.get(path)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_a_page_kept_in_the_process_is_answered_without_a_round_trip(client, redis_commands):
    rendered_and_kept(client)
    redis_commands.clear()
    for _ in range(3):
        response = client.get(PAGE)
        assert response["X-Cache"] == "hit"
        assert "Takasaki" in response.content.decode()
    assert redis_commands == []


@pytest.mark.django_db
def test_a_page_another_process_stored_is_read_once_then_kept(client, redis_commands):
    rendered_and_kept(client)
    page_cache.local_pages.clear()  # as if another process had rendered and stored it
    redis_commands.clear()
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert redis_commands == ["GET"]
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert redis_commands == ["GET"]


@pytest.mark.django_db
def test_a_304_from_a_kept_page_needs_no_round_trip(client, redis_commands):
    rendered_and_kept(client)
    etag = client.get(PAGE)["ETag"]
    redis_commands.clear()
    response = client.get(PAGE, headers={"if-none-match": etag})
    assert response.status_code == 304 and response.content == b""
    assert redis_commands == []


@pytest.mark.django_db
def test_a_change_through_another_process_hides_kept_pages_at_once(client, redis_server):
    assert client.get(PAGE)["X-Cache"] == "miss"
    assert client.get(PAGE)["X-Cache"] == "hit"
    Meeting.objects.filter(slug=TAKASAKI).update(title_en="Changed through another process")  # no signal
    another_process_changes_content(redis_server)
    response = client.get(PAGE)
    assert response["X-Cache"] == "miss"
    assert "Changed through another process" in response.content.decode()
    assert client.get(PAGE)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_an_edit_in_this_process_shows_at_once_in_both_languages(client):
    pages = {language: f"/{language}/meetings/{TAKASAKI}/" for language in ("ja", "en")}
    for path in pages.values():
        client.get(path)
        assert client.get(path)["X-Cache"] == "hit"
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.title_ja = "改訂された会合名"
    meeting.title_en = "A revised meeting title"
    meeting.save()
    # No wait for Redis's push: the process that made the change forgets the generation itself.
    assert "改訂された会合名" in client.get(pages["ja"]).content.decode()
    assert "A revised meeting title" in client.get(pages["en"]).content.decode()


@pytest.mark.django_db
def test_a_flushed_cache_is_never_answered_from_the_process(client):
    client.get(PAGE)
    assert client.get(PAGE)["X-Cache"] == "hit"
    caches["default"].clear()
    caches["default"]._cache.get_client().ping()
    assert client.get(PAGE)["X-Cache"] == "miss"


@pytest.mark.django_db
def test_without_local_bytes_a_hit_is_the_one_mget(client, settings, redis_commands):
    settings.PAGE_CACHE_LOCAL_BYTES = 0
    rendered_and_kept(client)
    redis_commands.clear()
    assert client.get(PAGE)["X-Cache"] == "hit"
    assert redis_commands == ["MGET"]


@pytest.mark.django_db
def test_with_redis_unreachable_pages_are_rendered(client):
    unreachable = {
        "default": {
            "BACKEND": "operations.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        for _ in range(2):
            response = client.get(PAGE)
            assert response.status_code == 200 and "X-Cache" not in response
            assert "Takasaki" in response.content.decode()


def stored(body: bytes, *, expires_at: float):
    return page_cache.pack_page(HttpResponse(body), expires_at=expires_at)


def test_kept_pages_are_the_most_recently_used_within_the_byte_budget(settings):
    names = "abcdefghijkl"
    size = len(pickle.dumps(stored(b"a" * 1_000, expires_at=2e9), pickle.HIGHEST_PROTOCOL))
    settings.PAGE_CACHE_LOCAL_BYTES = size * 10
    pages = page_cache.LocalPages()
    for name in names:
        pages.put(name, stored(name.encode() * 1_000, expires_at=2e9))
    assert [name for name in names if pages.get(name) is not None] == list(names[2:])
    assert pages.get("c") is not None  # used: now the most recent
    pages.put("m", stored(b"m" * 1_000, expires_at=2e9))
    assert pages.get("d") is None and pages.get("c") is not None and pages.get("m") is not None
    pages.put("huge", stored(b"h" * (size * 2), expires_at=2e9))  # more than an eighth of the budget
    assert pages.get("huge") is None and pages.get("e") is not None


def test_a_kept_page_goes_when_its_time_in_the_shared_cache_is_up(monkeypatch):
    pages = page_cache.LocalPages()
    clock = [1_000.0]
    monkeypatch.setattr(page_cache.time, "time", lambda: clock[0])
    pages.put("page", stored(b"<p>page</p>", expires_at=1_600.0))
    clock[0] = 1_599.0
    assert page_cache.unpack_page(pages.get("page")).content == b"<p>page</p>"
    clock[0] = 1_600.0
    assert pages.get("page") is None


def test_a_served_page_shares_nothing_with_the_next():
    pages = page_cache.LocalPages()
    pages.put("page", stored(b"<p>page</p>", expires_at=2e9))
    first = page_cache.unpack_page(pages.get("page"))
    first["X-Cache"] = "hit"
    first["Vary"] = "Cookie"
    second = page_cache.unpack_page(pages.get("page"))
    assert "X-Cache" not in second and "Vary" not in second
