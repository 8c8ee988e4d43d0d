from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups, records
from operations import cache as page_cache


class Command(BaseCommand):
    help = (
        "Restore the database from a backup made by `backup`: the file given, else the newest in "
        "BACKUP_DIR. Everything in the backup replaces what the database holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="The backup file; the newest in BACKUP_DIR if left out.")
        parser.add_argument("--database", default="default")
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, path=None, database="default", interactive=True, **options):
        source = Path(path) if path else backups.latest_backup(database)
        if interactive:
            answer = input(f"Replace the content of the database with {source}? Type 'yes' to continue: ")
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        backups.restore(source, database)
        # The restore sends no signal: every page cached from the content it replaced is let go of now, in
        # every process (a new content generation), rather than served until it expires, and so is
        # everything the record cache kept.
        page_cache.content_changed()
        records.records_changed(None)
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}; cached pages invalidated."))
