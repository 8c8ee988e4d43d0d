"""Reads and writes on the history of records: compare two versions, restore one, list public corrections."""

import functools
import itertools
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


# Bookkeeping columns that every save touches; a comparison of what editors changed leaves them out.
BOOKKEEPING = {"version", "updated_at", "created_at", "text_changed_at"}


@functools.cache
def compared_fields(model) -> tuple[models.Field, ...]:
    """The fields of `model` worth comparing: concrete, editable content, both languages of each text.

    A translated field's own column (`title`, beside `title_ja` and `title_en`) only mirrors the text of
    one language, so it is left out: its per-language columns say what changed. So are the fields that
    the history does not keep (a meeting's dates, which follow from its sessions).
    """
    names = {field.name for field in model._meta.concrete_fields}
    kept = {field.name for field in model.history.model._meta.concrete_fields}
    return tuple(
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name in kept
        and field.name not in BOOKKEEPING
        and f"{field.name}_ja" not in names
    )


def same(old, new) -> bool:
    """Equal values, counting an empty text and no text (a form saves "" where a fixture left None) alike."""
    return old == new or (old in (None, "") and new in (None, ""))


def compare_versions(older, newer) -> list[FieldChange]:
    """Field-by-field differences between two historical records of the same object."""
    changes = []
    for field in compared_fields(older.instance_type):
        old, new = getattr(older, field.attname), getattr(newer, field.attname)
        if not same(old, new):
            changes.append(FieldChange(field.attname, str(field.verbose_name), old, new))
    return changes


def changed_fields(record, since) -> list[FieldChange]:
    """What differs between a live record and one of its historical records."""
    changes = []
    for field in compared_fields(type(record)):
        old, new = getattr(since, field.attname), getattr(record, field.attname)
        if not same(old, new):
            changes.append(FieldChange(field.attname, str(field.verbose_name), old, new))
    return changes


@transaction.atomic
def restore_version(*, record, version, user=None) -> list[FieldChange]:
    """Bring `record` back to a historical `version`, as a new version of its own.

    Both languages of every text come back, with the publication state. The current version number
    is kept, so the save passes optimistic locking, and the history records who restored what.
    """
    current = type(record)._base_manager.select_for_update().get(pk=record.pk)
    changes = changed_fields(current, version)
    for change in changes:
        setattr(current, change.field, change.old)
    current._change_reason = _("Restored the version of %(date)s") % {
        "date": version.history_date.isoformat()
    }
    if user is not None:
        current._history_user = user
    current.save()
    record.refresh_from_db()
    return changes


def public_changes(record, *, limit: int = 10, public_since=None) -> list[dict]:
    """The changes made to a record since it was first published, newest first, for its public page.

    A record with a publication state counts the changes between two published versions; a part of a
    document (an annex), which has none, counts those made after `public_since`, its document's publish
    time. Each entry gives the date, the changed fields (labels and columns) and the editor's public note;
    who made the change stays in the admin. One query: the newest versions, with room for the unpublished
    ones and those that change nothing shown, which are skipped.
    """
    versions = record.history.all()
    if public_since is not None:
        versions = versions.filter(history_date__gte=public_since)
    history = versions.order_by("-history_date", "-history_id")[: limit + 50]
    publishable = hasattr(record, "status")
    entries = []
    for newer, older in itertools.pairwise(history):
        if publishable and (older.status != "published" or newer.status != "published"):
            continue
        changes = [
            change
            for change in compare_versions(older, newer)
            if change.field not in {"status", "published_at", "translation_status"}
        ]
        if changes:
            entries.append(
                {
                    "date": newer.history_date,
                    "fields": sorted({change.label for change in changes}),
                    "columns": sorted(change.field for change in changes),
                    "note": newer.history_change_reason or "",
                }
            )
        if len(entries) == limit:
            break
    return entries
