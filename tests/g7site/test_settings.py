"""Settings: production refuses to start without its secrets; development helpers stay out of production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from g7site.settings.base import database

ROOT = Path(__file__).resolve().parents[2]


def import_prod_settings(**environ) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="g7site.settings.prod")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("environ", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "g7.example", "DATABASE_URL": "postgres://u:p@h/db"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@h/db"}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "g7.example"}, "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without(environ, missing):
    result = import_prod_settings(**environ)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_all_three():
    result = import_prod_settings(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="g7.example", DATABASE_URL="postgres://u:p@h/db"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_development_superuser_is_created_once_and_only_with_debug(settings):
    settings.DEBUG = True
    call_command("create_dev_superuser", verbosity=0)
    call_command("create_dev_superuser", verbosity=0)
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    assert get_user_model().objects.get(username="admin").check_password("admin")
    editor = get_user_model().objects.get(username="editor")
    assert (editor.is_staff, editor.is_superuser, list(editor.groups.values_list("name", flat=True))) == (
        True,
        False,
        ["Editors"],
    )
    assert editor.check_password("editor")
    assert list(get_user_model().objects.get(username="publisher").groups.values_list("name", flat=True)) == [
        "Publishers"
    ]


@pytest.mark.django_db
def test_development_superuser_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_dev_superuser")
    assert not get_user_model().objects.filter(username="admin").exists()


def test_postgresqls_statements_are_prepared_by_the_server_unless_the_environment_says_not(monkeypatch):
    """settings.base.database(): parameters bound by the server and psycopg's automatic preparation on, so
    that the statements a pooled connection runs again are prepared (tests/g7site/test_database.py); both
    off for a pooler that cannot keep them."""
    url = "postgres://g7site:secret@db.example.org:5432/g7site"
    options = database(url)["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    options = database(url)["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (False, None)
    assert "prepare_threshold" not in database("sqlite:///g7site.sqlite3")["OPTIONS"]
