from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations import backups


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
        self.stdout.write(self.style.SUCCESS(f"Restored from {source}"))
