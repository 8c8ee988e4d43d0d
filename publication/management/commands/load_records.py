from django.core.management.base import BaseCommand

from publication.services import load_records, refresh_statistics


class Command(BaseCommand):
    help = (
        "Load the presidency's records from fixtures/. Records that exist already (matched by natural key) "
        "are kept as they are, so editors' changes survive and nothing is duplicated."
    )

    def handle(self, *args, **options):
        report = load_records()
        refresh_statistics()
        for label, count in sorted(report.created.items()):
            self.stdout.write(f"  created {count:3d} {label}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.created_total} records; kept {report.kept_total} that were there."
            )
        )
