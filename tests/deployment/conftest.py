import sqlite3
from urllib.parse import urlsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from .servers import Gunicorn, PostgresCluster, RedisServer, manage, production_environ


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic as a deployment runs it: hashed, compressed, with the manifest the templates need."""
    root = tmp_path_factory.mktemp("static")
    manage(
        production_environ(DATABASE_URL="sqlite:///unused.sqlite3", DJANGO_STATIC_ROOT=root),
        "collectstatic",
        "--no-input",
        "-v",
        "0",
    )
    return root


@pytest.fixture(scope="session")
def site_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database for server processes holding what the suite's database holds (migrated, the records
    loaded), on the same engine: a SQLite file, or a new database on the same PostgreSQL server.

    Servers cannot use the suite's own database, whose tests never commit.
    """
    with django_db_blocker.unblock():
        call_command("load_records", verbosity=0)
        if connection.vendor == "sqlite":
            path = tmp_path_factory.mktemp("site") / "site.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            yield f"sqlite:///{path}"
            return
        params = connection.settings_dict
        template = params["NAME"]
        # CREATE DATABASE … TEMPLATE needs the template to have no other session.
        connection.close()
        name = f"{template}_site"
        admin = admin_connection(params)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        url = urlsplit(database_url(params))
        yield url._replace(path=f"/{name}").geturl()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def admin_connection(params) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        host=params["HOST"] or "localhost",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"],
        autocommit=True,
    )


def database_url(params) -> str:
    return (
        f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or 'localhost'}:"
        f"{params['PORT'] or 5432}/{params['NAME']}"
    )


@pytest.fixture
def postgres_cluster(tmp_path_factory):
    """A PostgreSQL cluster of the test's own, migrated, which the test may stop and start."""
    cluster = PostgresCluster(tmp_path_factory.mktemp("pg"))
    try:
        manage(production_environ(DATABASE_URL=cluster.url), "migrate", "--no-input", "-v", "0")
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop()


@pytest.fixture
def start_server(tmp_path, static_root):
    """Starts gunicorn with the production settings and the given environment; stops every one it
    started when the test ends."""
    started = []

    def start(name="server", **environ):
        server = Gunicorn(
            production_environ(DJANGO_STATIC_ROOT=static_root, **environ), tmp_path / f"{name}.log"
        )
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def site_servers(site_environ, tmp_path_factory):
    """Two gunicorn instances, as on two hosts behind the proxy: one database, one Redis."""
    logs = tmp_path_factory.mktemp("gunicorn")
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(Gunicorn(site_environ, logs / f"{name}.log"))
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def site_environ(site_database, redis_server, static_root):
    """The environment of one more production process on the servers' database and cache (a
    management command, the shell), as an operator would run one on any host."""
    return production_environ(
        DATABASE_URL=site_database, REDIS_URL=redis_server.url, DJANGO_STATIC_ROOT=static_root
    )
