"""The Redis cache backend keeps one client for its connection pool, on a real redis-server."""

import pytest
import redis

from operations import redis_cache
from operations.redis_cache import RedisCache

from .servers import free_port


def test_every_call_uses_one_client_and_the_values_round_trip(redis_server):
    cache = RedisCache(redis_server.url, {"KEY_PREFIX": "client-test"})
    client = cache._cache.get_client()
    assert cache._cache.get_client("a-key") is client
    assert cache._cache.get_client(write=True) is client
    cache.set("page", (200, [("Content-Type", "text/html")], b"<p>\xe6\x97\xa5</p>"), 30)
    assert cache.get_many(["page", "missing"]) == {
        "page": (200, [("Content-Type", "text/html")], b"<p>\xe6\x97\xa5</p>")
    }
    assert cache.delete("page") and cache.get("page") is None


def test_a_counter_counts_in_one_round_trip_and_expires_with_its_window(redis_server):
    cache = RedisCache(redis_server.url, {"KEY_PREFIX": "count-test"})
    client = cache._cache.get_client()
    assert [cache.count("window", 5) for _ in range(3)] == [1, 2, 3]
    assert cache.get("window") == 3
    assert 0 < client.ttl(cache.make_key("window")) <= 5
    # Counting again does not extend the window's life.
    client.expire(cache.make_key("window"), 2)
    assert cache.count("window", 5) == 4
    assert client.ttl(cache.make_key("window")) <= 2
    cache.delete("window")
    assert cache.count("window", 5) == 1


# The watch on a key: Redis pushes an invalidation on the watch's own connection when the key changes.


def another_process_sets(server, key, value):
    """A change through a client of its own, then a reply from Redis on that client: Redis has written
    the watch's invalidation by the time it answers a later command (as it has by the time a visitor's
    next request reaches another process)."""
    other = RedisCache(server.url, {"KEY_PREFIX": "watch-test"})
    other.set(key, value)
    other._cache.get_client().ping()
    other.close()


@pytest.fixture
def watched(redis_server):
    cache = RedisCache(redis_server.url, {"KEY_PREFIX": "watch-test"})
    cache.set("generation", "one")
    watch = cache.watch("generation")
    assert watch.known() is None  # it has only just connected: whatever was read before is not trusted
    watch.keep(cache.get("generation"))
    yield cache, watch
    cache.clear()


def test_a_kept_value_holds_while_the_key_is_unchanged_and_costs_no_round_trip(watched, monkeypatch):
    cache, watch = watched
    assert cache.watch("generation") is watch
    # A connection of its own, in RESP3, that nothing but the watch opens or closes.
    connection = watch._connection
    assert connection.protocol == 3 and not connection.maint_notifications_config.enabled
    assert connection not in cache._cache._get_connection_pool(write=False)._available_connections
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: pytest.fail("read the cache"))
    assert [watch.known() for _ in range(3)] == ["one", "one", "one"]


def test_another_clients_change_is_known_at_once(watched, redis_server):
    cache, watch = watched
    another_process_sets(redis_server, "generation", "two")
    assert watch.known() is None
    watch.keep(cache.get("generation"))
    assert watch.known() == "two"


def test_other_keys_do_not_disturb_the_watch(watched, redis_server):
    cache, watch = watched
    another_process_sets(redis_server, "page", "stored")
    cache.set("next-publication", 0)
    cache._cache.get_client().ping()
    assert watch.known() == "one"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda cache: cache.delete("generation"), id="delete"),
        pytest.param(lambda cache: cache.clear(), id="flush"),
        pytest.param(lambda cache: cache.touch("generation", 0), id="expiry"),
        pytest.param(lambda cache: cache.set("generation", "one"), id="same value written again"),
    ],
)
def test_every_kind_of_change_is_an_invalidation(watched, change):
    cache, watch = watched
    change(cache)
    cache._cache.get_client().ping()
    assert watch.known() is None


def test_a_change_made_in_this_process_is_forgotten_before_redis_is_heard(watched):
    cache, watch = watched
    cache.set("generation", "two")
    watch.forget()
    assert watch.known() is None


def test_a_lost_connection_is_made_again_and_trusted_only_after_a_new_read(watched, redis_server):
    cache, watch = watched
    killed = redis.Redis.from_url(redis_server.url).client_kill_filter(_type="normal", skipme=True)
    assert killed >= 1
    assert watch.known() is None  # the poll finds the connection closed
    assert watch.known() is None  # connected again: what was read before is still not trusted
    watch.keep(cache.get("generation"))
    assert watch.known() == "one"
    another_process_sets(redis_server, "generation", "two")
    assert watch.known() is None


def test_a_connection_that_redis_py_closed_is_not_opened_again_without_its_tracking(watched, redis_server):
    cache, watch = watched
    watch._connection.disconnect()
    assert watch.known() is None
    assert watch.known() is None  # connected again, with the tracking
    watch.keep(cache.get("generation"))
    another_process_sets(redis_server, "generation", "two")
    assert watch.known() is None


def test_a_backlog_of_invalidations_is_dropped_with_the_connection(watched, redis_server):
    cache, watch = watched
    client = redis.Redis.from_url(redis_server.url)
    for number in range(watch.MOST_READ * 3):
        client.set(cache.make_key("generation"), number)
    client.ping()
    assert watch.known() is None
    assert watch._connection is None
    assert watch.known() is None
    watch.keep(cache.get("generation"))
    assert watch.known() == watch.MOST_READ * 3 - 1


def test_an_unreachable_redis_is_tried_again_after_a_second_not_on_every_call(monkeypatch, caplog):
    cache = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    watch = cache.watch("generation")
    attempts = []
    original = watch._pool.connection_class.connect
    monkeypatch.setattr(
        watch._pool.connection_class, "connect", lambda self: attempts.append(1) or original(self)
    )
    clock = [1000.0]
    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: clock[0])
    watch.keep("never trusted")
    assert [watch.known() for _ in range(5)] == [None] * 5
    assert len(attempts) == 1
    clock[0] += watch.RETRY_SECONDS
    assert watch.known() is None
    assert len(attempts) == 2
    # Said once, not on every retry.
    assert sum("could not start" in record.message for record in caplog.records) == 1


def test_a_redis_without_client_tracking_is_read_every_time_and_not_asked_again(monkeypatch, caplog):
    """Redis before 6 answers RESP3's HELLO (or CLIENT TRACKING) with an error: the watch gives up, and
    says so once."""
    cache = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {})
    watch = cache.watch("generation")
    attempts = []

    def refused(self):
        attempts.append(1)
        raise redis.ResponseError("unknown command 'HELLO'")

    monkeypatch.setattr(watch._pool.connection_class, "connect", refused)
    clock = [1000.0]
    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: clock[0])
    watch.keep("never trusted")
    assert watch.known() is None
    clock[0] += 3600
    assert [watch.known() for _ in range(3)] == [None] * 3
    assert len(attempts) == 1
    assert [record.message for record in caplog.records if "Redis 6" in record.message] != []


def test_a_forked_process_makes_its_own_connection(watched, monkeypatch):
    cache, watch = watched
    parents = watch._connection
    monkeypatch.setattr(redis_cache.os, "getpid", lambda: -1)
    assert watch.known() is None
    assert watch._connection is not None and watch._connection is not parents
    assert parents.is_connected  # the parent's connection is left to the parent
    watch.keep(cache.get("generation"))
    assert watch.known() == "one"
