"""Writes that touch many records at once."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import connection, transaction

from .signals import loading_records, records_loaded


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    @property
    def created_total(self) -> int:
        return sum(self.created.values())

    @property
    def kept_total(self) -> int:
        return sum(self.kept.values())


def fixture_paths() -> list[Path]:
    """The project's fixture files, in the order their records depend on each other."""
    return sorted(Path(settings.FIXTURE_DIRS[0]).glob("[0-9][0-9]_*.yaml"))


@loading_records
@transaction.atomic
def load_records(*, paths: list[Path] | None = None) -> LoadReport:
    """Load the fixtures, creating only the records that are not there yet.

    Records are matched by natural key, so loading twice duplicates nothing; a record that already
    exists is left exactly as it is, so an editor's change is never overwritten. All or nothing: one
    bad record rolls the whole load back.
    """
    report = LoadReport()
    for path in paths or fixture_paths():
        with path.open(encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("yaml", stream):
                label = deserialized.object._meta.label
                # With natural keys and no primary key in the file, the deserializer fills in the
                # primary key exactly when a record with that natural key already exists.
                if deserialized.object.pk is not None:
                    report.kept[label] = report.kept.get(label, 0) + 1
                    continue
                # A plain save, not the deserializer's raw one, so that timestamps and save() rules apply.
                record = deserialized.object
                record.full_clean(validate_unique=False)
                record.save()
                for name, values in deserialized.m2m_data.items():
                    getattr(record, name).set(values)
                report.created[label] = report.created.get(label, 0) + 1
    # Listeners rebuild what is derived from the records (the search index) from the complete set.
    records_loaded.send(sender=load_records, report=report)
    return report


def refresh_statistics() -> None:
    """Let the database's query planner see the rows that a bulk load added.

    PostgreSQL's autovacuum analyses a changed table some time later; SQLite never does by itself. Without
    statistics, SQLite may start a join from the wrong end: for the few communiqué items of a page's
    themes, it read every item of every published document first (a third of a second at 100× data).
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
