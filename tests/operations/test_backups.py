"""`backup` and `restore` (make backup, make restore) round-trip the whole database, on the engine the
suite runs on: pg_dump and pg_restore, or SQLite's online backup API."""

import json

import pytest

from .servers import manage, production_environ

pytestmark = [pytest.mark.deployment, pytest.mark.django_db]


# One process for what an operator runs in a row, to keep the test short.
DUMP_THEN = (
    "import sys\n"
    "from django.core.management import call_command\n"
    "call_command('dumpdata', natural_foreign=True, stdout=sys.stdout)\n"
    "sys.stdout.write('\\n')\n"
)


def dump_then(environ, code: str) -> tuple[list, str]:
    """Every row of every app, then what `code` prints, from one process."""
    output = manage(environ, "shell", "-v", "0", "-c", DUMP_THEN + code, timeout=180).stdout
    rows, _, rest = output.partition("\n")
    # dumpdata orders models by their natural-key dependencies, which may tie; rows are compared by key.
    return sorted(json.loads(rows), key=lambda row: (row["model"], str(row["pk"]))), rest.strip()


def test_a_backup_restores_the_whole_content_identically(database_copy, tmp_path):
    backups = tmp_path / "backups"
    environ = production_environ(DATABASE_URL=database_copy.url, DJANGO_BACKUP_DIR=backups)
    before, _ = dump_then(environ, "call_command('backup', stdout=open('/dev/null', 'w'))")
    assert sum(row["model"] == "meetings.meeting" for row in before) >= 15
    [backup] = backups.iterdir()
    assert backup.name.startswith("g7site-") and backup.suffix in {".dump", ".sqlite3"}

    database_copy.wipe()
    manage(environ, "restore", "--no-input")
    # The sequences came back too: a record created after the dump gets a key of its own.
    after, created = dump_then(
        environ,
        "from meetings.models import Person\n"
        "print(Person.objects.create(slug='after-restore', name_ja='復元後', name_en='After restore').pk)\n",
    )
    assert after == before
    assert int(created) > max(row["pk"] for row in before if row["model"] == "meetings.person")
