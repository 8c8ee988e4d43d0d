"""The Redis cache backend keeps one client for its connection pool, on a real redis-server."""

from core.redis_cache import RedisCache


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
