"""The watch on the content generation (operations.generation), on a real redis-server: what makes it forget
the generation it knows, and that without it every lookup reads the generation from Redis."""

import time

import pytest
import redis

from operations.generation import GenerationWatch

from .servers import free_port

KEY = "watch-test:1:content-generation"


@pytest.fixture
def server(redis_server):
    client = redis.Redis.from_url(redis_server.url)
    yield client
    client.delete(KEY)
    client.close()


@pytest.fixture
def watch(redis_server):
    watch = GenerationWatch(redis_server.url, KEY, connect_timeout=1, timeout=1)
    yield watch
    watch.close()


def known_after_reading(watch, value="first"):
    """What a lookup does: ask, read the generation when the watch does not know it, keep it."""
    generation, ticket = watch.known()
    assert generation is None
    assert watch.keep(value, ticket)
    assert watch.known()[0] == value


def test_a_kept_generation_is_known_until_it_changes(watch, server):
    known_after_reading(watch)
    assert watch.known()[0] == "first"
    server.set("watch-test:1:another-key", "x")
    assert watch.known()[0] == "first"
    server.set(KEY, "second")
    assert watch.known()[0] is None


@pytest.mark.parametrize(
    "change",
    [lambda server: server.delete(KEY), lambda server: server.set(KEY, "same", keepttl=True)],
    ids=["delete", "set to anything"],
)
def test_every_write_of_the_key_is_heard_at_once(watch, server, change):
    server.set(KEY, "same")
    known_after_reading(watch, "same")
    change(server)
    assert watch.known()[0] is None


def test_a_flush_is_heard(watch, server):
    """Regression: a flush is no write of this code's, and a pub/sub message sent by its writers would miss
    it. Redis does not order a flush's invalidation before its reply to the client that flushed (seen once
    under load), so the watch is given a moment to hear of it."""
    server.set(KEY, "same")
    known_after_reading(watch, "same")
    server.flushdb()
    deadline = time.monotonic() + 1
    while watch.known()[0] is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert watch.known()[0] is None


def test_an_expiry_is_heard(watch, server):
    server.set(KEY, "short-lived", px=100)
    known_after_reading(watch, "short-lived")
    time.sleep(0.2)
    server.get(KEY)  # Redis expires a key when it is next touched, or soon after by itself.
    assert watch.known()[0] is None


def test_a_value_read_before_a_change_another_request_heard_of_is_not_kept(watch, server):
    """Two threads of one process: the first reads the old generation, the second hears of the change
    and reads the new one; the first's value, kept after that, must not win."""
    known_after_reading(watch)
    server.set(KEY, "second")
    _generation, first_ticket = watch.known()
    server.set(KEY, "third")
    _generation, second_ticket = watch.known()
    assert watch.keep("third", second_ticket)
    assert not watch.keep("second", first_ticket)
    assert watch.known()[0] == "third"


def test_a_change_made_by_this_process_is_forgotten_at_once(watch):
    known_after_reading(watch)
    watch.forget()
    assert watch.known()[0] is None


def test_a_lost_connection_is_noticed_and_made_again(watch, server):
    known_after_reading(watch)
    for client in server.client_list():
        if client["name"] == GenerationWatch.CLIENT_NAME:
            server.client_kill_filter(_id=client["id"])
    # A change the watch cannot hear of.
    server.set(KEY, "changed while the watch was away")
    assert watch.known()[0] is None
    assert not watch.connected
    known_after_reading(watch, "changed while the watch was away")
    assert watch.connected


def test_an_unreachable_redis_costs_no_request_a_wait(redis_server):
    """Regression: a watch that tried to connect on every request would add its timeout to each while
    Redis is away; it tries once a second, and each refusal is immediate."""
    watch = GenerationWatch(f"redis://127.0.0.1:{free_port()}/0", KEY, connect_timeout=1, timeout=1)
    started = time.monotonic()
    for _ in range(100):
        generation, ticket = watch.known()
        assert generation is None
        assert not watch.keep("value", ticket)
    assert time.monotonic() - started < 0.5
    assert not watch.connected


def test_a_forked_process_does_not_use_its_parents_connection(watch, monkeypatch):
    known_after_reading(watch)
    monkeypatch.setattr("os.getpid", lambda: -1)
    assert watch.known()[0] is None
