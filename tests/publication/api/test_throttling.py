"""The anonymous clients' throttle (publication/api/throttling.py): a 429 with Retry-After, counted per
window and per address (behind the configured proxies only), never a 500 when its cache is down."""

import pytest
from django.core.cache import cache

from publication.api import throttling
from publication.api.throttling import AnonRateThrottle

pytestmark = pytest.mark.django_db


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


@pytest.mark.usefixtures("page_cache_on")
def test_a_cached_answer_counts_against_the_client_the_view_counts(client, monkeypatch, settings):
    """A cached answer is counted before the view (wait_before_answering), from what DRF identifies a
    client by: behind the configured proxy, the address the proxy saw, as the view counts it; another
    client behind the same proxy has a count of its own."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    answers = [
        client.get("/api/v1/prefectures/", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7")
        for number in range(4)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert [answer.get("X-Cache") for answer in answers] == ["miss", "hit", "hit", None]
    other = client.get("/api/v1/prefectures/", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert (other.status_code, other["X-Cache"]) == (200, "hit")


def test_editors_are_not_throttled_as_anonymous(editor_api, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1/min"})
    assert [editor_api.get("/api/v1/prefectures/").status_code for _ in range(3)] == [200, 200, 200]


def test_a_window_counter_is_made_once_and_then_only_added_to():
    """The window's first request makes its counter; every later one is the cache's `incr` alone."""

    calls = []

    class Recorded:
        def add(self, *args):
            calls.append("add")
            return cache.add(*args)

        def incr(self, key, amount=1):
            calls.append("incr")
            return cache.incr(key, amount)

    cache.delete("throttle-test-window")
    assert [throttling.counted(Recorded(), "throttle-test-window", 61) for _ in range(3)] == [1, 2, 3]
    assert calls == ["incr", "add", "incr", "incr", "incr"]
    cache.delete("throttle-test-window")


def test_far_from_the_limit_a_process_sends_its_count_in_batches_and_near_it_every_request():
    """A batch is a tenth of what is left of the limit (at most MOST_IN_A_BATCH): far from the limit most
    requests make no round trip to the cache, and the last tenth are each sent, so the count is exact there."""

    sent = []

    class Recorded:
        def add(self, *args):
            return cache.add(*args)

        def incr(self, key, amount=1):
            count = cache.incr(key, amount)  # a ValueError when missing, before anything is sent
            sent.append(amount)
            return count

    counts = throttling.WindowCounts()
    cache.delete("client:7")
    seen = [counts.count(Recorded(), "client", 7, limit=100, duration=60) for _ in range(100)]
    assert seen == list(range(1, 101))
    assert sum(sent) == 100
    # Batches of 10, 9, 8 ... as the count nears the limit, then one request at a time.
    assert sent[:4] == [10, 9, 8, 7]
    assert sent[-10:] == [1] * 10
    assert len(sent) < 40
    assert cache.get("client:7") == 100
    # Past the limit the count goes on, request by request.
    assert counts.count(Recorded(), "client", 7, limit=100, duration=60) == 101
    cache.delete("client:7")


def test_what_other_processes_sent_is_learnt_with_each_batch():

    cache.delete("client:8")
    first, second = throttling.WindowCounts(), throttling.WindowCounts()
    for _ in range(10):
        first.count(cache, "client", 8, limit=100, duration=60)
    assert cache.get("client:8") == 10
    # The second process's first batch (ten requests) brings back the first's ten with its own.
    assert [second.count(cache, "client", 8, limit=100, duration=60) for _ in range(10)][-1] == 20
    # Near the limit each request is sent, so a client cannot get past it by more than a batch a process.
    for _ in range(200):
        first.count(cache, "client", 8, limit=100, duration=60)
        second.count(cache, "client", 8, limit=100, duration=60)
    assert cache.get("client:8") == 420
    cache.delete("client:8")


def test_a_new_window_drops_the_last_windows_unsent_count():

    counts = throttling.WindowCounts()
    cache.delete_many(["client:1", "client:2"])
    assert [counts.count(cache, "client", 1, limit=1000, duration=60) for _ in range(5)] == [1, 2, 3, 4, 5]
    assert cache.get("client:1") is None  # not yet sent: a batch here is a hundred
    assert counts.count(cache, "client", 2, limit=1000, duration=60) == 1
    cache.delete_many(["client:1", "client:2"])


def test_a_batch_that_could_not_be_sent_is_sent_with_the_next(monkeypatch):

    counts = throttling.WindowCounts()
    cache.delete("client:3")
    real = throttling.counted

    def unreachable(*args):
        raise ConnectionError("Error 111 connecting to the cache. Connection refused.")

    monkeypatch.setattr(throttling, "counted", unreachable)
    with pytest.raises(ConnectionError):
        counts.count(cache, "client", 3, limit=5, duration=60)
    monkeypatch.setattr(throttling, "counted", real)
    assert counts.count(cache, "client", 3, limit=5, duration=60) == 2
    assert cache.get("client:3") == 2
    cache.delete("client:3")
