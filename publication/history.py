"""Reads and writes on the history of records: compare two versions, restore one, list public corrections."""

import functools
import itertools
from dataclasses import dataclass
from typing import Any

import simple_history
from django.db import models, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.signals import pre_create_historical_record

from .models import HistoryNotes


def register_history(model, **options) -> None:
    """Keep every save of `model` (django-simple-history), with the notes every version has (HistoryNotes).

    Registered after the model's translations, so that the historical model carries every language's
    column (title_ja, title_en, …) and a restored version brings back both.
    """
    simple_history.register(model, bases=[HistoryNotes], **options)


@receiver(pre_create_historical_record)
def keep_history_notes(sender, instance, history_instance, **kwargs):
    """The version's notes from the record being saved: set by restore_version and publish_pending_change,
    beside django-simple-history's own `_history_user` and `_change_reason`."""
    history_instance.restored_from = getattr(instance, "_history_restored_from", None)
    history_instance.proposed_by = getattr(instance, "_history_proposed_by", None)
    history_instance.minor_edit = bool(getattr(instance, "minor_edit", False))
    history_instance.confirmed_translations = list(getattr(instance, "confirmed_translations", ()))


def version_note(version) -> str:
    """What the history says of a version, in the active language: the editor's note, or for a restore the
    date of the version it brought back, as the admin writes dates."""
    notes = []
    if version.history_change_reason:
        notes.append(version.history_change_reason)
    elif version.restored_from is not None:
        when = date_format(timezone.localtime(version.restored_from), "DATETIME_FORMAT")
        notes.append(_("Restored the version of %(date)s") % {"date": when})
    if getattr(version, "minor_edit", False):
        notes.append(_("Minor edit: the translations stay current."))
    if getattr(version, "confirmed_translations", None):
        notes.append(
            _("Translations confirmed as current: %(columns)s")
            % {"columns": pgettext("list separator", ", ").join(version.confirmed_translations)}
        )
    return " ".join(notes)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


# Bookkeeping columns that every save touches; a comparison of what editors changed leaves them out.
BOOKKEEPING = {"version", "updated_at", "created_at", "text_changed_at"}

# What a public correction leaves out: publishing and scheduling, and what editors say of a text's status.
NOT_CORRECTIONS = {"status", "published_at", "translation_status"}


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


# What only a publisher changes: a restore by anyone else leaves them as they are.
PUBLICATION_FIELDS = {"status", "published_at"}


def restorable_changes(record, version, *, keep_publication: bool) -> list[FieldChange]:
    """What restoring `version` would change in `record`: every field, or all but the publication state and
    publish time (`keep_publication`, for someone who may not publish)."""
    changes = changed_fields(record, version)
    if keep_publication:
        changes = [change for change in changes if change.field not in PUBLICATION_FIELDS]
    return changes


@transaction.atomic
def restore_version(*, record, version, user=None, keep_publication: bool = False) -> list[FieldChange]:
    """Bring `record` back to a historical `version`, as a new version of its own.

    Both languages of every text come back, with the publication state unless `keep_publication` (a restore
    by someone who may not publish never publishes, schedules nor unpublishes). The current version number
    is kept, so the save passes optimistic locking, and the history records who restored what. A version
    that would break a rule of the data now (another part holds its number) raises ValidationError.
    """
    current = type(record)._base_manager.select_for_update().get(pk=record.pk)
    changes = restorable_changes(current, version, keep_publication=keep_publication)
    for change in changes:
        setattr(current, change.field, change.old)
    # The note is written from this date when it is shown, in the reader's language (version_note, and
    # the public page's corrections).
    current._history_restored_from = version.history_date
    if user is not None:
        current._history_user = user
    # The version may break a rule that the others now keep: a part's number or position that another
    # part holds since. Refused with the rule's message rather than the database's error.
    current.validate_constraints()
    current.save()
    record.refresh_from_db()
    return changes


def public_changes(record, *, limit: int = 10, public_since=None) -> list[dict]:
    """The changes made to a record since it was first published, newest first, for its public page.

    A record with a publication state counts the changes between two published versions; a part of a
    document (an annex), which has none, counts those made after `public_since`, its document's publish
    time. Each entry gives the date, the changed fields (labels and columns), the editor's public note and,
    for a restore, the date of the version it brought back; who made the change stays in the admin. One query: the newest versions, with room for the unpublished
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
        changes = [change for change in compare_versions(older, newer) if change.field not in NOT_CORRECTIONS]
        if changes:
            entries.append(
                {
                    "date": newer.history_date,
                    "fields": sorted({change.label for change in changes}),
                    "columns": sorted(change.field for change in changes),
                    "note": newer.history_change_reason or "",
                    "restored_from": newer.restored_from,
                }
            )
        if len(entries) == limit:
            break
    return entries
