"""PostgreSQL as the settings configure it (g7site.settings.base.database): Django's own backend, whose
pool hands out no connection that the server has ended."""

import select
import uuid

import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from g7site.settings.base import database

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the settings of PostgreSQL"),
]


def terminate(backend_pid: int, socket: int) -> None:
    """Have the server end a backend, as a restart or an administrator does, and wait until the
    connection's socket has the server's farewell to read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
        assert cursor.fetchone() == (True,)
    poll = select.poll()
    poll.register(socket, select.POLLIN)
    assert poll.poll(10_000), "the server did not close the connection"


def pooled_wrapper() -> DatabaseWrapper:
    """A connection to the test database configured as production configures one (database())."""
    params = connection.settings_dict
    configured = database(
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or 'localhost'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )
    settings = {
        **params,
        "OPTIONS": {
            **configured["OPTIONS"],
            "pool": {**configured["OPTIONS"]["pool"], "min_size": 1, "max_size": 1},
        },
        "CONN_HEALTH_CHECKS": configured["CONN_HEALTH_CHECKS"],
        "CONN_MAX_AGE": configured["CONN_MAX_AGE"],
    }
    return DatabaseWrapper(settings, alias=f"pool-{uuid.uuid4().hex}")


def test_the_pool_replaces_a_connection_the_server_ended():
    """Regression: without the pool's check (CONN_HEALTH_CHECKS), a request after a restart of PostgreSQL
    would be given a dead connection and fail."""
    wrapper = pooled_wrapper()
    pool = wrapper.pool
    pool.open(wait=True)
    try:
        with pool.connection() as first:
            first_pid = first.info.backend_pid
        with pool.connection() as again:
            assert again.info.backend_pid == first_pid

        terminate(first_pid, again.pgconn.socket)
        with pool.connection(timeout=10) as replaced:
            assert replaced.info.backend_pid != first_pid
            assert replaced.execute("SELECT 1").fetchone() == (1,)
    finally:
        wrapper.close_pool()


@pytest.mark.parametrize(("binding", "prepared"), [("true", 1), ("false", 0)])
def test_a_query_run_again_on_a_pooled_connection_is_prepared_by_the_server(monkeypatch, binding, prepared):
    """Parameters are bound by the server and psycopg prepares a statement that a connection runs more than
    five times (OPTIONS["server_side_binding"], ["prepare_threshold"]): PostgreSQL then neither parses nor
    plans it again. DATABASE_PREPARED_STATEMENTS=false (behind a pooler that cannot keep prepared
    statements) prepares none."""
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", binding)
    wrapper = pooled_wrapper()
    try:
        with wrapper.cursor() as cursor:
            for number in range(8):
                cursor.execute("SELECT %s::integer + 1", [number])
                assert cursor.fetchone() == (number + 1,)
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%+ 1%"])
            assert cursor.fetchone() == (prepared,)
    finally:
        wrapper.close()
        wrapper.close_pool()
