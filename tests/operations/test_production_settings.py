"""The production settings: Django's deployment checks, the database tuning, the shared cache."""

import pytest

from g7site.settings.base import database, env

from .servers import ROOT, manage, production_environ


def test_production_passes_the_deployment_checks(tmp_path):
    result = manage(
        production_environ(
            DATABASE_URL="postgres://g7site@127.0.0.1:1/g7site", REDIS_URL="redis://127.0.0.1:1/0"
        ),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert "no issues" in result.stdout


def test_deployment_checks_warn_when_processes_share_no_cache():
    """Regression: pages cached in one process's memory outlive a change made through another."""
    environ = production_environ(DATABASE_URL="postgres://g7site@127.0.0.1:1/g7site")
    with pytest.raises(AssertionError, match=r"g7site\.W001"):
        manage(environ, "check", "--deploy", "--fail-level", "WARNING")


def test_postgresql_goes_through_a_checked_pool():
    config = database("postgres://g7site:secret@db.internal:5432/g7site")
    # Django's own backend and its connection pool.
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["OPTIONS"]["pool"]["max_size"] >= 1
    # An idle connection is kept alive, and a server gone without a word noticed, within minutes (libpq's
    # connection parameters).
    assert config["OPTIONS"]["keepalives"] == 1
    assert config["OPTIONS"]["keepalives_idle"] <= 300
    # Django refuses persistent connections with a pool; health checks make the pool check each one.
    assert config["CONN_MAX_AGE"] == 0
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["ATOMIC_REQUESTS"] is True


def test_postgresql_waits_are_bounded_for_connections_and_statements():
    """Regression: a hung server held each request until gunicorn killed the worker (31 s, an empty reply):
    libpq waited for the connection without a deadline, and the server let statements run forever."""
    config = database("postgres://g7site:secret@db.internal:5432/g7site?options=-c%20search_path%3Dpublic")
    options = config["OPTIONS"]
    assert options["connect_timeout"] == 2
    assert options["pool"]["timeout"] <= 3
    # The statement timeout joins what the address already gave, in milliseconds.
    assert options["options"] == "-c search_path=public -c statement_timeout=5000"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    environ = production_environ(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    result = manage(
        environ,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    print(cursor.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "    print(cursor.execute('PRAGMA busy_timeout').fetchone()[0])\n"
        "print(connection.transaction_mode)\n",
    )
    assert result.stdout.split() == ["wal", "5000", "IMMEDIATE"]


def test_every_variable_of_the_schema_is_documented():
    documented = (ROOT / ".env.example").read_text()
    for variable in env.scheme:
        assert f"# {variable}=" in documented, variable


def test_production_sends_mail_through_the_smtp_server_of_email_url(tmp_path):
    printed = (
        "from django.conf import settings as s\n"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.EMAIL_TIMEOUT)\n"
        "print(s.SITE_URL, s.DEFAULT_FROM_EMAIL)\n"
    )
    environ = production_environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        EMAIL_URL="smtp+tls://g7site:secret@smtp.internal:587",
        DJANGO_DEFAULT_FROM_EMAIL="g7site <noreply@g7.example.org>",
    )
    lines = manage(environ, "shell", "-v", "0", "-c", printed).stdout.splitlines()
    assert lines[0] == "django.core.mail.backends.smtp.EmailBackend smtp.internal 587 g7site True 10"
    # Without SITE_URL, the links start with the first allowed host, over HTTPS.
    host = environ["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    assert lines[1] == f"https://{host} g7site <noreply@g7.example.org>"

    environ = production_environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", SITE_URL="https://admin.g7.example.org"
    )
    lines = manage(environ, "shell", "-v", "0", "-c", printed).stdout.splitlines()
    # Without EMAIL_URL, messages are printed, not sent.
    assert lines[0].startswith("django.core.mail.backends.console.EmailBackend ")
    assert lines[1].startswith("https://admin.g7.example.org ")
