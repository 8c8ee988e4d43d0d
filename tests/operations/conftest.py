import shutil
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from .servers import ROOT, Gunicorn, PostgresCluster, RedisServer, manage, production_environ, stop_process

# The fixtures that start a real server of Debian's packages (redis-server, PostgreSQL, gunicorn on them):
# a test that uses one is a deployment test, which `make test-python` leaves out.
SERVER_FIXTURES = {"redis_server", "postgres_cluster", "start_server", "site_servers", "site_environ"}


def pytest_collection_modifyitems(items):
    for item in items:
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.deployment)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def static_collection(tmp_path_factory):
    """collectstatic as a deployment runs it (hashed, compressed, with the manifest the templates need),
    started with the first test here and waited for only by the servers, since compressing takes a while.
    """
    root = tmp_path_factory.mktemp("static")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=production_environ(DATABASE_URL="sqlite:///unused.sqlite3", DJANGO_STATIC_ROOT=root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield root, process
    stop_process(process)
    process.stdout.close()


@pytest.fixture(scope="session")
def static_root(static_collection):
    root, process = static_collection
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, f"collectstatic failed:\n{output}"
    return root


@pytest.fixture(scope="session")
def site_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database for server processes holding what the suite's database holds (migrated, the records
    loaded), on the same engine: a SQLite file, or a new database on the same PostgreSQL server.

    Servers cannot use the suite's own database, whose tests never commit.
    """
    with django_db_blocker.unblock():
        call_command("load_records", verbosity=0)
        database = SuiteDatabaseCopy("site", tmp_path_factory.mktemp("site"))
    yield database.url
    database.drop()


@pytest.fixture
def database_copy(django_db_setup, django_db_blocker, tmp_path):
    """Like site_database, for one test to do with as it likes."""
    with django_db_blocker.unblock():
        database = SuiteDatabaseCopy("copy", tmp_path)
    yield database
    database.drop()


class SuiteDatabaseCopy:
    """A copy of the suite's database as it stands between tests: the file made by SQLite's backup API,
    or CREATE DATABASE … TEMPLATE on PostgreSQL."""

    def __init__(self, name: str, directory: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = directory / f"{name}.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
            return
        params = connection.settings_dict
        template = params["NAME"]
        self.name = f"{template}_{name}"
        # The template may have no other session.
        connection.close()
        self.admin = admin_connection(params)
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
        self.url = urlsplit(database_url(params))._replace(path=f"/{self.name}").geturl()

    def wipe(self) -> None:
        """Nothing left: the file gone, or the database empty."""
        if self.vendor == "sqlite":
            for path in self.path.parent.glob(f"{self.path.name}*"):
                path.unlink()
            return
        self.admin.execute(f'DROP DATABASE "{self.name}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.vendor != "sqlite":
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.admin.close()


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


@contextmanager
def cluster_in_temporary_directory(**options):
    """A PostgresCluster, stopped and removed on leaving. Its directory is directly in the temporary
    directory: the postgres user, which runs it when the tests run as root, cannot enter pytest's per-user
    directory."""
    directory = Path(tempfile.mkdtemp(prefix="g7site-pg-"))
    cluster = None
    try:
        cluster = PostgresCluster(directory, **options)
        yield cluster
    finally:
        if cluster is not None:
            cluster.resume()
            if cluster.is_running():
                cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated_cluster():
    """A PostgreSQL cluster made and migrated once, then stopped: what each test's cluster is copied from."""
    with cluster_in_temporary_directory() as cluster:
        manage(production_environ(DATABASE_URL=cluster.url), "migrate", "--no-input", "-v", "0")
        cluster.stop()
        yield cluster


@pytest.fixture
def postgres_cluster(migrated_cluster):
    """A PostgreSQL cluster of the test's own, migrated (a copy of migrated_cluster's files, running on a
    port of its own), which the test may stop, start and hang."""
    with cluster_in_temporary_directory(copy_of=migrated_cluster) as cluster:
        yield cluster


@pytest.fixture
def start_server(tmp_path, static_root):
    """Starts gunicorn with the production settings and the given environment; stops every one it
    started when the test ends."""
    started = []

    def start(name="server", *, workers=1, **environ):
        server = Gunicorn(
            production_environ(DJANGO_STATIC_ROOT=static_root, **environ),
            tmp_path / f"{name}.log",
            workers=workers,
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
