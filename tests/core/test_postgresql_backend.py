"""The project's PostgreSQL backend (g7site/postgresql): a pooled connection is checked without a round
trip unless its socket shows something wrong, and a `timestamptz` loads as Django's own loader loads it."""

import datetime
import select
import uuid

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.pq import Format
from psycopg_pool import ConnectionPool

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the backend is PostgreSQL's"),
]

if connection.vendor == "postgresql":
    from g7site.postgresql.base import TIMESTAMPTZ_OID, DatabaseWrapper, TimestamptzLoader, check_connection


def test_the_suite_runs_on_the_projects_backend():
    assert isinstance(connections["default"], DatabaseWrapper)


@pytest.fixture
def round_trips(monkeypatch):
    """psycopg_pool's check (an empty query) each time it is made."""
    made = []
    real = ConnectionPool.check_connection
    monkeypatch.setattr(
        ConnectionPool, "check_connection", staticmethod(lambda conn: made.append(conn) or real(conn))
    )
    return made


def terminate(backend_pid: int, socket: int) -> None:
    """Have the server end a backend, as a restart or an administrator does, and wait until the
    connection's socket has the server's farewell to read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        assert cursor.fetchone() == (True,)
    poll = select.poll()
    poll.register(socket, select.POLLIN)
    assert poll.poll(10_000), "the server did not close the connection"


def test_a_healthy_connection_passes_without_a_round_trip_a_dead_one_fails(round_trips):
    params = {**connection.get_connection_params(), "autocommit": True}
    with psycopg.connect(**params) as healthy:
        check_connection(healthy)
        assert round_trips == []
        assert healthy.execute("SELECT 1").fetchone() == (1,)

    dead = psycopg.connect(**params)
    terminate(dead.info.backend_pid, dead.pgconn.socket)
    with pytest.raises(psycopg.OperationalError):
        check_connection(dead)
    assert round_trips == [dead]

    closed = psycopg.connect(**params)
    closed.close()
    with pytest.raises(psycopg.OperationalError):
        check_connection(closed)


def test_the_pool_replaces_a_connection_the_server_ended_and_checks_the_others_without_a_query(
    round_trips,
):
    settings = {
        **connection.settings_dict,
        "OPTIONS": {**connection.settings_dict["OPTIONS"], "pool": {"min_size": 1, "max_size": 1}},
        "CONN_HEALTH_CHECKS": True,
        "CONN_MAX_AGE": 0,
    }
    wrapper = DatabaseWrapper(settings, alias=f"pool-{uuid.uuid4().hex}")
    pool = wrapper.pool
    pool.open(wait=True)
    try:
        with pool.connection() as first:
            first_pid = first.info.backend_pid
        with pool.connection() as again:
            assert again.info.backend_pid == first_pid
        assert round_trips == []

        terminate(first_pid, again.pgconn.socket)
        with pool.connection(timeout=10) as replaced:
            assert replaced.info.backend_pid != first_pid
            assert replaced.execute("SELECT 1").fetchone() == (1,)
        # The one round trip, of the connection the server had ended.
        assert len(round_trips) == 1
    finally:
        wrapper.close_pool()


def djangos_loader():
    """Django's loader of a `timestamptz`, as it registers it for its connections' time zone."""
    loader = type("DjangoTzLoader", (BaseTzLoader,), {"timezone": connection.timezone})
    return loader(TIMESTAMPTZ_OID, connection.connection)


@pytest.mark.parametrize(
    "text",
    [
        b"2023-04-30 06:12:34.123456+00",
        b"2023-04-30 06:12:34+09",
        b"1999-12-31 23:59:59.5-03:30",
        b"2000-02-29 00:00:00+00",
        b"0001-01-01 00:00:00+00",
        b"9999-12-31 23:59:59.999999+00",
        b"infinity",
        b"-infinity",
        b"2023-13-01 00:00:00+00",
    ],
)
def test_a_timestamp_loads_as_djangos_loader_loads_it(text):
    connection.ensure_connection()
    ours = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert issubclass(ours, TimestamptzLoader)
    assert ours.timezone is connection.timezone
    try:
        expected = djangos_loader().load(text)
    except psycopg.DataError as error:
        with pytest.raises(type(error)):
            ours(TIMESTAMPTZ_OID, connection.connection).load(text)
        return
    loaded = ours(TIMESTAMPTZ_OID, connection.connection).load(text)
    assert loaded == expected
    assert loaded.tzinfo is expected.tzinfo
    assert loaded.isoformat() == expected.isoformat()


def test_a_query_gives_an_aware_moment_in_djangos_time_zone():
    moment = datetime.datetime(
        2023, 4, 30, 6, 12, 34, 123456, tzinfo=datetime.timezone(datetime.timedelta(hours=9))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [moment])
        (loaded,) = cursor.fetchone()
    assert loaded == moment
    assert loaded.tzinfo is connection.timezone
    assert loaded.utcoffset() == datetime.timedelta(0)
