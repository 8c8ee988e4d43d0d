"""The fault drill: gunicorn (two workers) on a PostgreSQL cluster and a Redis server of the test's own, under
load from a bounded client, while PostgreSQL is stopped and started, Redis is stopped and started, and a
worker is killed with SIGKILL. Every answer is a 200, a 304 or the 503 page in the visitor's language,
each within a stated bound, and the records are the same afterwards.

The figures of a run are in docs/deployment.md (Health, logs, failures); `-s` prints them.
"""

import collections
import http.client
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

import psycopg
import pytest

from .servers import RedisServer, manage, production_environ, wait_until

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"

# The drill's configuration, as an operator would set it (docs/deployment.md): the pool's wait for a
# connection, libpq's connect timeout, a statement's timeout and how often a process tries a database it
# found down. The defaults but the retry, which is shorter so that the drill is short.
POOL_TIMEOUT = 3.0
CONNECT_TIMEOUT = 2
STATEMENT_TIMEOUT = 5.0
RETRY_SECONDS = 1.0
# No answer may take longer than this: a request that finds the database down waits the pool's timeout
# once, and one accepted by the other worker meanwhile may wait as long; never gunicorn's 30 s.
WORST_SECONDS = 2 * POOL_TIMEOUT + 1
# The client gives up on an answer after this: a request it gives up on fails the drill.
CLIENT_TIMEOUT = 20
THREADS = 3
# Each thread's pause between two requests, and the most requests the drill may make in all.
PACE_SECONDS = 0.03
MOST_REQUESTS = 900
# Answers to see in each phase before going on to the next.
ANSWERS_PER_PHASE = 40
PHASE_TIMEOUT = 30

UNAVAILABLE = {
    "ja": "ただいまご利用いただけません",
    "en": "Temporarily unavailable",
}
API_UNAVAILABLE = {
    "ja": "データベースに接続できません。しばらくしてから、もう一度お試しください。",
    "en": "The database is unavailable. Please try again shortly.",
}


@dataclass(frozen=True)
class Ask:
    """One kind of request of the mix: its path (`{n}` is replaced by a number no request used before,
    so that the page is in no cache), its language, and whether it is conditional on the last ETag seen."""

    kind: str
    path: str
    language: str
    conditional: bool = False

    def headers(self, etags: dict) -> dict:
        headers = {"Accept-Language": self.language}
        if self.conditional and self.path in etags:
            headers["If-None-Match"] = etags[self.path]
        return headers


MIX = (
    Ask("cached page", "/en/", "en"),
    Ask("cached page", "/ja/", "ja", conditional=True),
    Ask("cached page", f"/ja/meetings/{TAKASAKI}/", "ja"),
    Ask("uncached page", "/en/search/?q=digital+{n}", "en"),
    Ask("uncached page", "/ja/search/?q=%E3%83%87%E3%82%B8%E3%82%BF%E3%83%AB+{n}", "ja"),
    Ask("api", "/api/v1/meetings/?lang=en", "en"),
    Ask("api", f"/api/v1/declarations/{DECLARATION}/?lang=ja", "ja", conditional=True),
    Ask("uncached api", "/api/v1/meetings/?lang=all&q=digital+{n}", "ja"),
    Ask("liveness", "/healthz", "en"),
    Ask("readiness", "/readyz", "en"),
)


@dataclass
class Answer:
    # The phase of the drill when the request was sent, and when its answer came.
    phase: str
    ended: str
    ask: Ask
    status: int | str
    seconds: float
    body: bytes
    content_type: str
    # Requests sent again after the connection closed with no answer at all (a killed worker's).
    resent: int = 0


class Load:
    """A few threads, each going round the mix with a short pause, until told to stop or MOST_REQUESTS
    have been made. Each request is one connection, as the proxy makes it to gunicorn; one whose
    connection is closed before any answer is sent again once, as the proxy (nginx's proxy_next_upstream
    error) does for a GET."""

    def __init__(self, port: int):
        self.port = port
        self.phase = "before"
        self.answers: list[Answer] = []
        self.failures: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.numbers = iter(range(10**6))
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(THREADS)]
        for thread in self.threads:
            thread.start()

    def run(self, offset: int) -> None:
        etags: dict[str, str] = {}
        turn = offset
        while not self.stop.is_set():
            with self.lock:
                if len(self.answers) + len(self.failures) >= MOST_REQUESTS:
                    return
                number = next(self.numbers)
                phase = self.phase
            ask = MIX[turn % len(MIX)]
            turn += 1
            path = ask.path.format(n=number)
            started = time.monotonic()
            resent = 0
            try:
                try:
                    status, headers, body = self.get(path, ask.headers(etags))
                except (http.client.RemoteDisconnected, ConnectionResetError):
                    resent = 1
                    status, headers, body = self.get(path, ask.headers(etags))
            # Whatever went wrong (a refused or reset connection, a timeout) fails the drill.
            except Exception as error:
                with self.lock:
                    self.failures.append(f"{path}: {error!r} after {time.monotonic() - started:.1f} s")
                continue
            seconds = time.monotonic() - started
            if status == 200 and headers.get("ETag"):
                etags[ask.path] = headers["ETag"]
            with self.lock:
                self.answers.append(
                    Answer(
                        phase, self.phase, ask, status, seconds, body, headers.get("Content-Type", ""), resent
                    )
                )
            self.stop.wait(PACE_SECONDS)

    def get(self, path: str, headers: dict):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            connection.request(
                "GET", path, headers={"Host": "localhost", "X-Forwarded-Proto": "https", **headers}
            )
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def enter(self, phase: str) -> None:
        with self.lock:
            self.phase = phase

    def seen(self, phase: str, condition=lambda answer: True) -> int:
        with self.lock:
            return sum(1 for answer in self.answers if answer.phase == phase and condition(answer))

    def recent(self, count: int) -> list[Answer]:
        with self.lock:
            return self.answers[-count:]

    def wait_for(
        self, phase: str, count: int, condition=lambda answer: True, what: str = "answers", then=None
    ):
        """Until `count` answers of the phase meet the condition (and `then()` holds), for PHASE_TIMEOUT at
        most."""
        wait_until(
            lambda: (self.seen(phase, condition) >= count and (then is None or then())) or self.failures,
            timeout=PHASE_TIMEOUT,
            interval=0.05,
            message=f"{phase}: fewer than {count} {what} in {PHASE_TIMEOUT} s",
        )
        assert not self.failures, self.failures

    def finish(self) -> list[Answer]:
        self.stop.set()
        for thread in self.threads:
            thread.join(CLIENT_TIMEOUT * 2 + 5)
        return self.answers


def is_503_page(answer: Answer) -> bool:
    """The 503 of the visitor's language: the page for the site, the API's JSON, readiness's JSON."""
    if answer.status != 503:
        return False
    text = answer.body.decode()
    if answer.ask.kind == "readiness":
        return json.loads(text)["database"] == "unavailable"
    if answer.ask.kind.endswith("api"):
        return json.loads(text) == {"detail": API_UNAVAILABLE[answer.ask.language]}
    other = "en" if answer.ask.language == "ja" else "ja"
    return (
        answer.content_type.startswith("text/html")
        and UNAVAILABLE[answer.ask.language] in text
        and UNAVAILABLE[other] not in text
        and "Traceback" not in text
    )


def served(answer: Answer) -> bool:
    return answer.status == 200 and answer.ask.kind in ("uncached page", "uncached api")


def records(url: str) -> dict[str, tuple[int, str]]:
    """Each table's count of rows and a checksum of them, in an order of their own."""
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"
            ).fetchone()
            for table in tables
        }


def workers(server) -> list[int]:
    children = subprocess.run(
        ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True, timeout=10
    )
    return sorted(int(pid) for pid in children.stdout.split())


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server the drill may stop and start (the session's is shared with other tests)."""
    server = RedisServer(tmp_path)
    yield server
    server.stop()


@pytest.mark.deployment
def test_the_site_rides_out_a_database_a_cache_and_a_worker_going_down(
    postgres_cluster, own_redis, start_server
):
    manage(production_environ(DATABASE_URL=postgres_cluster.url), "load_records", "-v", "0")
    before = records(postgres_cluster.url)
    assert before["meetings_meeting"][0] > 0
    server = start_server(
        "drill",
        workers=2,
        DATABASE_URL=postgres_cluster.url,
        REDIS_URL=own_redis.url,
        DATABASE_POOL_TIMEOUT=POOL_TIMEOUT,
        DATABASE_CONNECT_TIMEOUT=CONNECT_TIMEOUT,
        DATABASE_STATEMENT_TIMEOUT=STATEMENT_TIMEOUT,
        DATABASE_RETRY_SECONDS=RETRY_SECONDS,
        # One client makes every request: the anonymous throttle has its own tests.
        API_ANON_RATE="100000/min",
    )
    started = time.monotonic()
    load = Load(server.port)
    try:
        load.wait_for("before", ANSWERS_PER_PHASE)

        load.enter("postgresql down")
        postgres_cluster.stop()
        load.wait_for("postgresql down", ANSWERS_PER_PHASE)
        load.wait_for("postgresql down", 3, lambda a: a.status == 503 and "page" in a.ask.kind, "503 pages")
        postgres_cluster.start()
        load.enter("postgresql back")
        # Both workers serve pages from the database again (each finds it back by itself): pages served
        # from it, and the last round of the mix by every thread answered without a 503.
        load.wait_for(
            "postgresql back",
            10,
            served,
            "pages from the database, then no 503",
            then=lambda: all(answer.status != 503 for answer in load.recent(THREADS * len(MIX))),
        )

        load.enter("redis down")
        own_redis.stop()
        load.wait_for("redis down", ANSWERS_PER_PHASE)
        own_redis.start()
        load.enter("redis back")
        load.wait_for("redis back", ANSWERS_PER_PHASE)

        load.enter("worker killed")
        killed = workers(server)[0]
        os.kill(killed, signal.SIGKILL)
        wait_until(
            lambda: len(workers(server)) == 2 and killed not in workers(server),
            timeout=PHASE_TIMEOUT,
            interval=0.05,
            message="gunicorn did not replace the killed worker",
        )
        load.wait_for("worker killed", ANSWERS_PER_PHASE)
    finally:
        answers = load.finish()
    duration = time.monotonic() - started

    statuses = collections.Counter(answer.status for answer in answers)
    by_phase = collections.defaultdict(collections.Counter)
    for answer in answers:
        by_phase[answer.phase][answer.status] += 1
    worst = max(answers, key=lambda answer: answer.seconds)
    print(
        f"\nFault drill: {len(answers)} answers in {duration:.1f} s, {dict(statuses)};",
        {phase: dict(counts) for phase, counts in by_phase.items()},
        f"worst {worst.seconds:.2f} s ({worst.phase}, {worst.ask.path}, {worst.status});",
        f"resent {sum(answer.resent for answer in answers)}",
    )

    assert not load.failures, load.failures
    assert 200 <= len(answers) <= MOST_REQUESTS
    unexpected = [
        (answer.phase, answer.ask.path, answer.status, answer.body[:200])
        for answer in answers
        if not (answer.status in (200, 304) or is_503_page(answer))
    ]
    assert not unexpected, unexpected
    assert statuses[304] > 0 and statuses[503] > 0
    # Only the database's outage is a 503 (a request sent or answered while it was down or coming back):
    # without Redis, every page is rendered without the cache.
    outage = {"postgresql down", "postgresql back"}
    assert all({answer.phase, answer.ended} & outage for answer in answers if answer.status == 503), [
        (answer.phase, answer.ended, answer.ask.path) for answer in answers if answer.status == 503
    ]
    assert worst.seconds < WORST_SECONDS, (worst.phase, worst.ask.path, worst.seconds)
    # Liveness and pages in the cache answer whatever is down.
    assert all(
        answer.status in (200, 304) for answer in answers if answer.ask.kind in ("liveness", "cached page")
    )
    # At most the one request the killed worker was answering had to be sent again.
    assert sum(answer.resent for answer in answers) <= 1
    assert "WORKER TIMEOUT" not in server.log_text()

    assert records(postgres_cluster.url) == before
