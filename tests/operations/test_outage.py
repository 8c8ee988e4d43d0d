"""PostgreSQL stops or hangs under a running server: visitors get the 503 page in their language at once,
liveness and cached pages keep answering, readiness says which part failed, and when PostgreSQL is back the
same server process serves pages again by itself.

The clusters are the tests' own, whatever database the suite runs on, since stopping the suite's server
would stop the suite.
"""

import threading
import time

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client

from meetings import views as meeting_views
from operations import outage

from .servers import wait_until

TAKASAKI = "g7-2023-digital-and-tech-takasaki"


# One process: what it does once it has found the database down.


def unreachable(*args, **kwargs):
    """The error Django raises when the pool cannot hand out a connection: psycopg's, as its cause."""
    raise OperationalError("couldn't get a connection after 3.00 sec") from psycopg.OperationalError(
        "couldn't get a connection after 3.00 sec"
    )


@pytest.fixture
def views_run(monkeypatch):
    """The meeting list's view fails as it would with the database down; counts how often it runs."""
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        unreachable()

    monkeypatch.setattr(meeting_views.MeetingListView, "get", failing)
    return calls


@pytest.mark.django_db
def test_once_the_database_is_known_down_requests_that_need_it_are_503_at_once(views_run, settings):
    """Regression: with PostgreSQL stopped, each request waited the pool's timeout for a connection, holding
    a worker (six clients made /healthz take 29 s). After one failure, the process answers the 503 page
    without trying, in the visitor's language, until DATABASE_RETRY_SECONDS have passed."""
    settings.DATABASE_RETRY_SECONDS = 60
    client = Client()
    first = client.get("/en/meetings/")
    assert first.status_code == 503 and len(views_run) == 1
    for language, text in (("ja", "ただいまご利用いただけません"), ("en", "Temporarily unavailable")):
        response = client.get(f"/{language}/meetings/")
        assert response.status_code == 503
        assert text in response.content.decode()
        assert response["Retry-After"]
    record = client.get(f"/en/meetings/{TAKASAKI}/")
    api = client.get("/api/v1/meetings/", headers={"accept-language": "en"})
    assert record.status_code == api.status_code == 503
    assert api.json() == {"detail": "The database is unavailable. Please try again shortly."}
    assert len(views_run) == 1
    assert client.get("/healthz").status_code == 200
    readiness = client.get("/readyz")
    assert readiness.status_code == 503 and readiness.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_the_process_finds_the_database_back_by_itself(views_run, monkeypatch):
    """A thread of the process tries the database every DATABASE_RETRY_SECONDS (here the test tries it, as
    that thread would); once it answers, requests run their views again."""
    client = Client()
    assert client.get("/en/meetings/").status_code == 503
    monkeypatch.setattr(outage.connections["default"], "cursor", unreachable)
    assert outage.breaker.try_database() is False
    assert client.get("/en/meetings/").status_code == 503
    monkeypatch.undo()
    assert outage.breaker.try_database() is True
    assert client.get("/en/meetings/").status_code == 200


@pytest.mark.django_db
def test_a_statement_the_server_cancelled_is_no_outage(monkeypatch):
    """statement_timeout: that request is the 503 page, and the next ones still try the database."""
    calls = []

    def cancelled(*args, **kwargs):
        calls.append(1)
        raise OperationalError("canceling statement due to statement timeout") from (
            psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
        )

    monkeypatch.setattr(meeting_views.MeetingListView, "get", cancelled)
    client = Client()
    assert [client.get("/en/meetings/").status_code for _ in range(3)] == [503, 503, 503]
    assert len(calls) == 3


# Real servers: PostgreSQL stopped, then hung, under gunicorn.


@pytest.mark.deployment
def test_pages_answer_503_while_postgresql_is_down_and_recover_by_themselves(postgres_cluster, start_server):
    server = start_server("outage", DATABASE_URL=postgres_cluster.url)
    for path in ("/ja/", "/en/"):
        assert server.get(path).status == 200

    postgres_cluster.stop()
    japanese, english = server.get("/ja/"), server.get("/en/")
    assert japanese.status == english.status == 503
    assert "ただいまご利用いただけません" in japanese.text
    assert "Temporarily unavailable" in english.text
    assert japanese.header("Retry-After") and english.header("Retry-After")
    for response in (japanese, english):
        assert "Traceback" not in response.text and "OperationalError" not in response.text
    api = server.get("/api/v1/meetings/")
    assert api.status == 503
    assert api.header("Content-Type").startswith("application/json")
    readiness = server.get("/readyz")
    assert readiness.status == 503
    assert readiness.text == '{"database": "unavailable", "cache": "ok"}'
    assert server.get("/healthz").status == 200

    postgres_cluster.start()
    wait_until(
        lambda: server.get("/ja/").status == 200,
        timeout=30,
        interval=0.5,
        message="the site did not recover after PostgreSQL came back",
    )
    assert server.get("/en/").status == 200
    assert server.get("/readyz").status == 200
    # The same process all along: no worker was restarted to recover.
    assert server.process.poll() is None
    assert server.log_text().count("Booting worker") == 1


def timed(server, path: str):
    started = time.monotonic()
    response = server.get(path)
    return response, time.monotonic() - started


class Visitors:
    """Clients asking for pages no one has cached, one after another, each in a thread of its own."""

    def __init__(self, server, count: int):
        self.server = server
        self.stop = threading.Event()
        self.answers: list[tuple[int, float]] = []
        self.threads = [threading.Thread(target=self.visit, args=(number,)) for number in range(count)]
        for thread in self.threads:
            thread.start()

    def visit(self, number: int) -> None:
        year = 2000 + number
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                status = self.server.get(f"/en/meetings/?year={year}").status
            except OSError as error:
                status = repr(error)
            self.answers.append((status, time.monotonic() - started))

    def join(self) -> list[tuple[int, float]]:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)
        return self.answers


@pytest.mark.deployment
def test_with_postgresql_down_liveness_and_cached_pages_answer_at_once(
    postgres_cluster, start_server, redis_server
):
    """Regression: with PostgreSQL stopped, each request that needed it held a worker for the pool's 10 s;
    with six clients /healthz took 29 s and a cached page 20 s. Now a process that has found it down answers
    the 503 page at once, so the workers stay free for what needs no database."""
    server = start_server("down", DATABASE_URL=postgres_cluster.url, REDIS_URL=redis_server.url, workers=2)
    assert server.get("/en/").status == 200
    assert server.get("/en/").header("X-Cache") == "hit"

    postgres_cluster.stop()
    visitors = Visitors(server, 6)
    try:
        # Each worker finds the database down once, waiting the pool's timeout (3 s).
        time.sleep(4)
        # Through a try of the database in the background (every DATABASE_RETRY_SECONDS, 5 s).
        seconds = []
        for _ in range(8):
            liveness, liveness_seconds = timed(server, "/healthz")
            cached, cached_seconds = timed(server, "/en/")
            assert liveness.status == 200 and cached.status == 200 and cached.header("X-Cache") == "hit"
            seconds += [liveness_seconds, cached_seconds]
            time.sleep(0.5)
        # Almost every answer at once. Now and then one waits behind a visitor's request for up to the
        # pool's timeout (3 s; the cause is still open): never the 20-29 s of a request per pool timeout.
        assert sorted(seconds)[len(seconds) // 2] < 0.1
        assert max(seconds) < 4
    finally:
        answers = visitors.join()
    assert {status for status, _seconds in answers} == {503}
    # Most answered at once; the few that found the database down waited the pool's timeout (3 s) at most.
    assert max(seconds for _status, seconds in answers) < 8
    assert sorted(seconds for _status, seconds in answers)[len(answers) // 2] < 0.5

    postgres_cluster.start()
    wait_until(
        lambda: server.get("/en/meetings/?year=2023").status == 200,
        timeout=20,
        interval=0.5,
        message="the site did not recover after PostgreSQL came back",
    )


@pytest.mark.deployment
def test_a_hung_postgresql_is_the_503_page_in_seconds_not_a_killed_worker(postgres_cluster, start_server):
    """Regression: with PostgreSQL hung (every process of it stopped, its sockets open), a request waited on
    the pool's check of its connection until gunicorn killed the worker: 31 s and an empty reply. The
    watchdog drops a connection whose server has not answered in DATABASE_STATEMENT_TIMEOUT + 2 s."""
    server = start_server("hung", DATABASE_URL=postgres_cluster.url, DATABASE_STATEMENT_TIMEOUT=1)
    for path in ("/en/meetings/", "/ja/meetings/"):
        assert server.get(path).status == 200

    postgres_cluster.pause()
    try:
        first, seconds = timed(server, "/en/meetings/")
        assert first.status == 503, first.text
        assert "Temporarily unavailable" in first.text
        assert seconds < 8
        japanese, seconds = timed(server, "/ja/meetings/")
        assert japanese.status == 503 and "ただいまご利用いただけません" in japanese.text
        assert seconds < 1
        liveness, seconds = timed(server, "/healthz")
        assert liveness.status == 200 and seconds < 1
    finally:
        postgres_cluster.resume()
    wait_until(
        lambda: server.get("/en/meetings/").status == 200,
        timeout=20,
        interval=0.5,
        message="the site did not recover after PostgreSQL was resumed",
    )
    # The same worker all along: none was killed for a timeout.
    assert server.log_text().count("Booting worker") == 1
    assert "WORKER TIMEOUT" not in server.log_text()
