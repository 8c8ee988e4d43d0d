"""Review before publishing: an editor's change to a published record waits as a PendingChange until a
publisher publishes it; until then the public sees the record as it was."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .history import BOOKKEEPING, NOT_CORRECTIONS
from .models import ConcurrentEditError, ConcurrentReviewError, PendingChange, ReferenceRecord
from .notifications import notify_publishers


def can_publish(user, model) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def needs_review(user, record) -> bool:
    """A change by someone who may not publish, to a record the public can see, waits for review: a
    published (or scheduled) record, or reference data that one uses (ReferenceRecord)."""
    if not record.pk or can_publish(user, type(record)):
        return False
    if hasattr(type(record), "Status") and hasattr(record, "status"):
        return record.status == record.Status.PUBLISHED
    return isinstance(record, ReferenceRecord) and record.is_used_by_published()


def held_for_review_message(record) -> str:
    """What an editor is told when their change to `record` waits for review, in the active language."""
    if isinstance(record, ReferenceRecord):
        return _(
            "Published records use this record, so your change awaits a publisher's review. "
            "The public sees the record unchanged until then."
        )
    return _(
        "The record is published, so your change awaits a publisher's review. "
        "The public sees the record unchanged until then."
    )


def deletion_refused_message(record) -> str | None:
    """Why `record` may not be deleted by anyone, in the active language; None if nothing stops it here.
    Reference data that a published record uses stays as long as they use it."""
    if not isinstance(record, ReferenceRecord):
        return None
    uses = record.published_uses()
    if not uses:
        return None
    return _("“%(record)s” cannot be deleted: published records use it (%(uses)s).") % {
        "record": record,
        "uses": pgettext("list separator", ", ").join(
            _("%(kind)s “%(record)s”") % {"kind": use._meta.verbose_name, "record": use} for use in uses
        ),
    }


def governing_record(record, path: str | None):
    """The record whose publication governs `record`: itself for the path "", the record at a dotted
    path of relations ("theme.declaration") for a part of a document, None for records always public."""
    if path is None:
        return None
    governing = record
    for name in filter(None, path.split(".")):
        governing = getattr(governing, name, None)
        if governing is None:
            return None
    return governing


def part_is_locked(user, record, path: str | None) -> bool:
    """Whether `user` may not change `record`, whose publication the record at `path` governs ("" for
    `record` itself, None for none). A part of a published document is changed, added or deleted by publishers only: a part has no
    review of its own, so an editor's change would reach the public unseen."""
    governing = governing_record(record, path)
    return governing is not None and needs_review(user, governing)


def publication_record(record, path: str | None):
    """The record whose publication decides what the public sees of `record`: itself when it has a
    publication state, else the record at `path` (its document, for a part), None for reference data."""
    if hasattr(record, "status") and hasattr(type(record), "Status"):
        return record
    return governing_record(record, path)


def needs_change_note(record, changed, *, path: str | None = None, new_status=None) -> bool:
    """Whether a change of the `changed` fields of a saved `record` needs a note saying what it corrects
    and why: the public page lists it as a correction, with the note (publication.history.public_changes).

    That is a change of content (not of publication state, publish time or text status) to a record that is
    published (or to a part of a published document, at `path`) and that stays published (`new_status`,
    the record's status after the change, if it has one). The admin's form and the API both ask here.
    """
    if record.pk is None:
        return False
    governing = publication_record(record, path)
    if governing is None or governing.status != governing.Status.PUBLISHED:
        return False
    if governing is record and (new_status or record.status) != record.Status.PUBLISHED:
        return False
    opts = record._meta
    concrete = {field.name for field in opts.concrete_fields} | {
        field.attname for field in opts.concrete_fields
    }
    return any(name in concrete and name not in NOT_CORRECTIONS | BOOKKEEPING for name in changed)


def change_note_missing_message() -> str:
    return _("Say in a note what this change corrects and why: the public page lists it as a correction.")


def json_value(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple):
        return sorted(json_value(item) for item in value)
    return value


def proposed_values(form) -> dict:
    """The changed fields of a ModelForm, as JSON-safe values keyed by field name."""
    model_fields = {
        field.name for field in form._meta.model._meta.get_fields() if getattr(field, "editable", False)
    }
    return {
        name: json_value(form.cleaned_data[name])
        for name in form.changed_data
        if name in model_fields and name in form.cleaned_data
    }


@transaction.atomic
def submit_pending_change(
    *, record, data: dict, user, note: str = "", restored_from=None, pending_version: int | None = None
) -> PendingChange:
    """Keep `data` as the pending change of `record`, merged into one an editor already started.

    `pending_version` is the version of the change awaiting review that this one was made on: 0 when the
    editor saw none, None to merge into whatever there is. If it is not the current one, another editor
    has proposed or amended a change since, and ConcurrentReviewError refuses this one rather than
    overwrite theirs unseen. The check and the write are one step: the pending change's row is locked
    where the database can (PostgreSQL), its uniqueness by record decides between two that create one,
    and the amendment is an UPDATE conditional on the version read, so two simultaneous changes are
    one success and one refusal on SQLite too.

    `restored_from` is the date of the version that the change restores, when it is a restore: the
    published version's note is written from it (publication.history.version_note).

    The publishers are told by e-mail once the change is saved (publication.notifications).
    """
    content_type = ContentType.objects.get_for_model(record)
    pending, created = PendingChange.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=record.pk,
        defaults={
            "data": data,
            "base_version": record.version,
            "author": user,
            "note": note,
            "restored_from": restored_from,
        },
    )
    if created:
        if pending_version:
            # The change it was meant to amend is gone (published or discarded).
            raise ConcurrentReviewError(record, None)
        notify_publishers(pending, record)
        return pending
    if pending_version is not None and pending_version != pending.version:
        raise ConcurrentReviewError(record, pending)
    pending.data = {**pending.data, **data}
    pending.author = user
    pending.note = note or pending.note
    pending.restored_from = restored_from or pending.restored_from
    pending.updated_at = timezone.now()
    amended = PendingChange.objects.filter(pk=pending.pk, version=pending.version).update(
        data=pending.data,
        author=user,
        note=pending.note,
        restored_from=pending.restored_from,
        updated_at=pending.updated_at,
        version=models.F("version") + 1,
    )
    if not amended:
        raise ConcurrentReviewError(record, PendingChange.objects.filter(pk=pending.pk).first())
    pending.version += 1
    notify_publishers(pending, record)
    return pending


def restore_values(record, changes) -> dict:
    """A restore's changes (publication.history.FieldChange, by column) as a pending change's values."""
    opts = record._meta
    return {opts.get_field(change.field).name: json_value(change.old) for change in changes}


def pending_change_for(record) -> PendingChange | None:
    return PendingChange.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).first()


def apply_values(record, data: dict) -> list[str]:
    """Set the proposed plain values on `record` in memory (for a preview, or before saving); returns the
    names of the many-to-many fields, which only a save can apply."""
    deferred = []
    for name, value in data.items():
        field = record._meta.get_field(name)
        if field.many_to_many:
            deferred.append(name)
        elif field.is_relation:
            setattr(record, field.attname, value)
        else:
            setattr(record, field.attname, field.to_python(value))
    return deferred


@transaction.atomic
def publish_pending_change(*, pending: PendingChange, user) -> None:
    """Apply a reviewed change to the live record, as one new version with the editor's note.

    Refused with ConcurrentEditError if the record changed since the editor started, so a publisher
    never publishes over a newer version unseen.
    """
    model = pending.content_type.model_class()
    record = model._base_manager.select_for_update().get(pk=pending.object_id)
    if record.version != pending.base_version:
        raise ConcurrentEditError(record)
    deferred = apply_values(record, pending.data)
    record.full_clean()
    # The version names both: the publisher who published it (its history_user) and the editor who proposed it.
    record._change_reason = pending.note or None
    record._history_user = user
    record._history_proposed_by = pending.author
    record._history_restored_from = pending.restored_from
    record.save()
    for name in deferred:
        getattr(record, name).set(pending.data[name])
    pending.delete()
