"""A restore's note was stored as text in the restorer's language, with the restored version's raw timestamp
("Restored the version of 2023-05-01T00:00:00+00:00", "…の版を復元しました"). Keep the date instead
(`restored_from`), from which the note is written when shown, in the reader's language."""

import datetime
import re

from django.db import migrations
from django.db.models import Q

NOTES = [re.compile(r"^Restored the version of (\S+)$"), re.compile(r"^(\S+)の版を復元しました$")]
APPS = ["core", "meetings", "declarations"]


def restored_date(note: str | None) -> datetime.datetime | None:
    for pattern in NOTES:
        match = pattern.match(note or "")
        if match:
            try:
                return datetime.datetime.fromisoformat(match.group(1))
            except ValueError:
                return None
    return None


def notes_to_dates(apps, schema_editor):
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.model_name.startswith("historical") or not hasattr(model, "restored_from"):
                continue
            restores = model.objects.filter(
                Q(history_change_reason__startswith="Restored the version of ")
                | Q(history_change_reason__endswith="の版を復元しました")
            )
            for version in restores:
                when = restored_date(version.history_change_reason)
                if when is not None:
                    version.restored_from, version.history_change_reason = when, None
                    version.save(update_fields=["restored_from", "history_change_reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_history_notes"),
        ("meetings", "0007_history_notes"),
        ("declarations", "0007_history_notes"),
    ]

    operations = [migrations.RunPython(notes_to_dates, migrations.RunPython.noop)]
