from pathlib import Path

from django.core.management.base import BaseCommand

from operations import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database to a timestamped file in BACKUP_DIR (pg_dump's custom format for "
        "PostgreSQL, SQLite's online backup for SQLite) while the site keeps running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Write to this file instead of a new one in BACKUP_DIR.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, output=None, database="default", **options):
        path = Path(output) if output else backups.new_backup_path(database)
        backups.backup(path, database)
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path}"))
