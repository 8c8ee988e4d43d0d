"""Review before publishing: an editor's change to a published record waits as a PendingChange until a
publisher publishes it; until then the public sees the record as it was."""

import datetime
import decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .formsets import PartForm, PartsFormSet, place_fields
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


def review_record(user, record, path: str | None):
    """The record whose change awaiting review holds `user`'s change to `record`: the record itself when
    it needs review (needs_review), else, for a part of a document (`path` to it, as governing_record
    reads it), the document when that needs review; None when the change is saved at once."""
    if record is None or record.pk is None:
        return None
    if needs_review(user, record):
        return record
    governing = governing_record(record, path)
    if governing is not None and governing is not record and needs_review(user, governing):
        return governing
    return None


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


def shown_columns(model, names) -> list[str]:
    """The columns a review shows for a change of the fields `names` of `model`: both languages of a
    translated text whichever changed, each field once, in the order given."""
    translated = set(model.translated_fields()) if hasattr(model, "translated_fields") else set()
    columns = []
    for name in names:
        base, _sep, language = name.rpartition("_")
        if base in translated and language in ("ja", "en"):
            columns += [column for column in (f"{base}_ja", f"{base}_en") if column not in columns]
        elif name not in columns:
            columns.append(name)
    return columns


def part_change(
    part, *, fk: str, values: dict | None = None, delete: bool = False, before=None, label: str = ""
) -> dict:
    """One part's proposed change, as a pending change keeps it in `parts`: the part (its kind, its key,
    None for a part to add, and its name as the editor saw it), the foreign key to the record it belongs to
    (`fk`) and that record's key, the part's version as the editor saw it, and either its changed `values`
    (JSON-safe, by field name) or `delete`. `before` holds what the part held then, for each column the
    review shows (its field name to its value: a form's initial values; by default the part's own). A part
    to add is named by `label`, what it will be called (“①-4”)."""
    change = {
        "model": part._meta.label_lower,
        "pk": part.pk,
        "fk": fk,
        "parent": getattr(part, part._meta.get_field(fk).attname),
        "version": getattr(part, "version", None),
        "label": str(part) if part.pk is not None else label,
    }
    if delete:
        return {**change, "delete": True}
    values = values or {}
    if part.pk is None:
        return {**change, "values": values, "before": {}}
    if before is None:
        before = {}
        for column in shown_columns(type(part), values):
            field = part._meta.get_field(column)
            before[column] = (
                getattr(part, column).all() if field.many_to_many else getattr(part, field.attname)
            )
    return {
        **change,
        "values": values,
        "before": {column: json_value(before.get(column)) for column in shown_columns(type(part), values)},
    }


def proposed_part_changes(formset) -> list[dict]:
    """What an inline formset of a record's parts proposes (additions, changes, deletions, new places), as
    `part_change` entries; nothing is saved."""
    fk = formset.fk.name
    deleted = set(formset.deleted_forms)
    editable = {
        field.name
        for field in formset.model._meta.get_fields()
        if getattr(field, "editable", False) and not getattr(field, "primary_key", False) and field.name != fk
    }
    changes = []
    for form in formset.initial_forms:
        if form.instance.pk is None:
            continue
        if form in deleted:
            changes.append(part_change(form.instance, fk=fk, delete=True))
        elif form.has_changed():
            values = proposed_values(form)
            values.pop(fk, None)
            if values:
                # The form's instance holds its new values already; its initial ones are the part's.
                changes.append(part_change(form.instance, fk=fk, values=values, before=form.initial))
    for form in formset.extra_forms:
        if not form.has_changed() or form in deleted or not form.cleaned_data:
            continue
        values = {
            name: json_value(value)
            for name, value in form.cleaned_data.items()
            if name in editable and value not in (None, "", [])
        }
        part = formset.model(**{formset.fk.attname: formset.instance.pk})
        # The form's instance holds the new part's values, so its name: the review names it so.
        changes.append(part_change(part, fk=fk, values=values, label=str(form.instance)))
    return changes


def merge_part_changes(kept: list[dict], new: list[dict]) -> list[dict]:
    """A pending change's part changes with `new` ones added: a later change to the same part amends the
    earlier one (a deletion replaces it), keeping the version the editor first saw; additions add."""
    merged = [dict(change) for change in kept]
    for change in new:
        same_part = next(
            (
                index
                for index, old in enumerate(merged)
                if change["pk"] is not None and (old["model"], old["pk"]) == (change["model"], change["pk"])
            ),
            None,
        )
        if same_part is None:
            merged.append(change)
        elif change.get("delete"):
            merged[same_part] = {**change, "version": merged[same_part]["version"]}
        elif not merged[same_part].get("delete"):
            old = merged[same_part]
            merged[same_part] = {
                **old,
                "values": {**old["values"], **change["values"]},
                "before": {**change.get("before", {}), **old.get("before", {})},
            }
    return merged


@transaction.atomic
def submit_pending_change(
    *,
    record,
    data: dict,
    user,
    note: str = "",
    restored_from=None,
    pending_version: int | None = None,
    parts: list[dict] | None = None,
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
    published version's note is written from it (publication.history.version_note). `parts` are the
    proposed changes to the record's parts (part_change), merged into those already proposed.

    The publishers are told by e-mail once the change is saved (publication.notifications).
    """
    parts = parts or []
    content_type = ContentType.objects.get_for_model(record)
    pending, created = PendingChange.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=record.pk,
        defaults={
            "data": data,
            "parts": merge_part_changes([], parts),
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
    pending.parts = merge_part_changes(pending.parts, parts)
    pending.author = user
    pending.note = note or pending.note
    pending.restored_from = restored_from or pending.restored_from
    pending.updated_at = timezone.now()
    amended = PendingChange.objects.filter(pk=pending.pk, version=pending.version).update(
        data=pending.data,
        parts=pending.parts,
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


def parts_formset(parent_model, model, fk: str):
    """The formset that saves `model`'s parts of a `parent_model` record when no admin gives its own."""
    return inlineformset_factory(
        parent_model, model, form=PartForm, formset=PartsFormSet, fk_name=fk, fields=[]
    )


def belongs_to(part, fk: str, record) -> bool:
    """Whether `part` (through its foreign key `fk`) is a part of `record`, the record whose publication
    governs it (the model's `public_page` path, e.g. "theme.declaration")."""
    path = getattr(type(part), "public_page", None) or fk
    governing = governing_record(part, path)
    return (
        governing is not None
        and governing._meta.label_lower == record._meta.label_lower
        and (governing.pk == record.pk)
    )


def part_gone_message() -> str:
    return _(
        "A part that this change touches was deleted meanwhile: discard it, or ask the editor to redo it."
    )


def publish_part_changes(record, changes: list[dict], *, user, note: str, proposed_by, formset_for=None):
    """Apply the proposed changes to the parts of `record`, each kind of part of each parent record in one
    go through its formset's save (PartsFormSet.save_proposal), so that parts that exchange places save.
    Each changed part is a version naming the publisher and the proposing editor, with the note, which the
    public page lists as a correction. Refused with ConcurrentEditError if a part changed since the editor
    saw it, with ValidationError if one is gone or the change breaks a rule."""
    formset_for = formset_for or parts_formset
    groups: dict[tuple, list[dict]] = {}
    for change in changes:
        model = apps.get_model(change["model"])
        groups.setdefault((model, change["fk"], change["parent"]), []).append(change)
    many_to_many = []

    def prepare(part, validate=True):
        if validate:
            part.full_clean()
        part._change_reason = note or None
        part._history_user = user
        part._history_proposed_by = proposed_by

    for (model, fk, parent_pk), group in groups.items():
        parent_model = model._meta.get_field(fk).related_model
        parent = parent_model._base_manager.filter(pk=parent_pk).first()
        if parent is None:
            raise ValidationError(part_gone_message(), code="part_gone")
        keys = [change["pk"] for change in group if change["pk"] is not None]
        saved = model._base_manager.select_for_update().filter(pk__in=keys).in_bulk()
        deleted, changed, added = [], [], []
        for change in group:
            if change["pk"] is None:
                part = model(**{model._meta.get_field(fk).attname: parent.pk})
            else:
                part = saved.get(change["pk"])
                if part is None:
                    raise ValidationError(part_gone_message(), code="part_gone")
                if change.get("version") is not None and part.version != change["version"]:
                    raise ConcurrentEditError(part)
            if not belongs_to(part, fk, record):
                raise ValidationError(part_gone_message(), code="part_gone")
            if change.get("delete"):
                deleted.append(part)
                continue
            deferred = apply_values(part, change["values"])
            many_to_many += [(part, name, change["values"][name]) for name in deferred]
            if change["pk"] is None:
                added.append(part)
            else:
                opts = part._meta
                changed.append(
                    (part, {name: getattr(part, opts.get_field(name).attname) for name in change["values"]})
                )
        formset = formset_for(parent_model, model, fk)(instance=parent)
        formset.save_proposal(deleted=deleted, changed=changed, added=added, prepare=prepare)
    for part, name, values in many_to_many:
        getattr(part, name).set(values)


@transaction.atomic
def publish_pending_change(*, pending: PendingChange, user, formset_for=None) -> None:
    """Apply a reviewed change to the live record and its parts, in one transaction: the record as one
    new version with the editor's note, each changed part as one of its own (publish_part_changes;
    `formset_for(parent model, part model, foreign key)` gives the formset that saves a kind of part).

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
    if pending.parts:
        publish_part_changes(
            record,
            pending.parts,
            user=user,
            note=pending.note,
            proposed_by=pending.author,
            formset_for=formset_for,
        )
    pending.delete()


def shown_parts(record, name: str):
    """The parts of `record` under its relation `name` ("key_points", "locations") as its page shows them:
    as a preview proposes them (apply_part_values), else as they were read (prefetched by the page)."""
    previewed = getattr(record, "previewed_parts", None)
    if previewed is not None and name in previewed:
        return previewed[name]
    return getattr(record, name).all()


def show_parts(record, name: str, parts: list) -> None:
    """Have the page show `parts` as `record`'s parts under `name` (shown_parts), in memory only."""
    record.previewed_parts = {**getattr(record, "previewed_parts", {}), name: parts}


def in_order(model, parts: list) -> list:
    """`parts` in their model's order (its Meta.ordering: a number, an order, a first day), as the page
    reads them once saved."""
    ordered = list(parts)
    for name in reversed(model._meta.ordering):
        field = name.lstrip("-")

        def key(part, field=field):
            # A part without a value yet goes last, and its None is never compared with a value.
            value = getattr(part, field)
            return (True, 0) if value is None else (False, value)

        ordered.sort(key=key, reverse=name.startswith("-"))
    return ordered


def part_relations(model) -> list:
    """The relations from a part of `model` to its own parts and to the records it links to (a theme's key
    points, a communiqué item's themes), by accessor name and model, which an unsaved part cannot read."""
    relations = []
    for field in model._meta.get_fields():
        if field.one_to_many or field.many_to_many:
            name = field.get_accessor_name() if field.auto_created and not field.concrete else field.name
            relations.append((name, field.related_model, field.concrete))
    return relations


def apply_part_values(record, changes: list[dict]) -> None:
    """Show the record's parts as publishing `changes` (part_change entries) would leave them, in memory,
    for a preview: added parts in their place, deleted ones gone, changed ones with their new values, and
    each list of parts in its order again, so that moved ones stand in their new place. Nothing is saved.

    Each part is found through the relations from the record to it (its model's `public_page`, e.g. a key
    point through its document's themes), among those the page has read (shown_parts): no query, but one for
    each kind of record that a proposed link names (a communiqué item's themes)."""
    linked, placed = [], []
    for change in changes:
        model = apps.get_model(change["model"])
        fk = model._meta.get_field(change["fk"])
        path = [name for name in (getattr(model, "public_page", None) or change["fk"]).split(".") if name]
        # From the record down to the part's parent: each step's reverse accessor (declaration.themes).
        steps, current = [], model
        for name in path:
            field = current._meta.get_field(name)
            steps.append(field.remote_field.get_accessor_name())
            current = field.related_model
        parents = [record]
        for accessor in reversed(steps[1:]):
            parents = [child for parent in parents for child in shown_parts(parent, accessor)]
        parent = next(
            (
                candidate
                for candidate in parents
                if isinstance(candidate, fk.related_model) and candidate.pk == change["parent"]
            ),
            None,
        )
        if parent is None:
            continue
        accessor = fk.remote_field.get_accessor_name()
        parts = list(shown_parts(parent, accessor))
        if change.get("delete"):
            parts = [part for part in parts if part.pk != change["pk"]]
        elif change["pk"] is None:
            part = model(**{fk.name: parent})
            for name, _model, _concrete in part_relations(model):
                show_parts(part, name, [])
            linked += [(part, name, change["values"][name]) for name in apply_values(part, change["values"])]
            parts.append(part)
            placed.append((part, fk))
        else:
            for part in parts:
                if part.pk == change["pk"]:
                    values = change["values"]
                    linked += [(part, name, values[name]) for name in apply_values(part, values)]
                    placed.append((part, fk))
        show_parts(parent, accessor, in_order(model, parts))
    # An added or changed part points to the record's other parts as the page shows them (an annex to its
    # theme), not to a copy that its foreign key would read.
    own = {model: name for name, model, concrete in part_relations(type(record)) if not concrete}
    for part, fk in placed:
        for field in part._meta.concrete_fields:
            key = getattr(part, field.attname)
            if not field.many_to_one or field == fk or key is None or field.related_model not in own:
                continue
            shown = shown_parts(record, own[field.related_model])
            target = next((other for other in shown if other.pk == key), None)
            if target is not None:
                setattr(part, field.name, target)
    show_links(linked)


def show_links(linked: list[tuple]) -> None:
    """Show the proposed links of the records in `linked` ((a record or a part, many-to-many field, keys))
    to other records (a meeting's hosts, a communiqué item's themes), as shown_parts() gives them: each
    kind of record they name read in one query, its own foreign keys joined."""
    wanted: dict = {}
    for part, name, keys in linked:
        wanted.setdefault(part._meta.get_field(name).related_model, set()).update(keys)
    found = {}
    for model, keys in wanted.items():
        joined = [field.name for field in model._meta.concrete_fields if field.many_to_one]
        found |= {
            (model, record.pk): record
            for record in model._base_manager.select_related(*joined).filter(pk__in=keys)
        }
    for part, name, keys in linked:
        model = part._meta.get_field(name).related_model
        show_parts(
            part, name, in_order(model, [found[(model, key)] for key in keys if (model, key) in found])
        )


def shown(value) -> str:
    return "" if value is None else str(value)


def part_action(change: dict) -> str:
    """What a proposed change (part_change) does to its part: "add", "delete", "move" (a change of its place
    among its record's parts: a number, an order, a first day) or "change"."""
    if change.get("delete"):
        return "delete"
    if change["pk"] is None:
        return "add"
    model = apps.get_model(change["model"])
    before = change.get("before", {})
    moved = any(
        name in change["values"] and change["values"][name] != before.get(name)
        for name in place_fields(model, change["fk"])
    )
    return "move" if moved else "change"


def renumbers(part_changes: list[dict]) -> bool:
    """Whether the part changes (part_change_rows) give a part that exists another number: its number is
    cited (①-1, an anchor), so the public addresses that cite it change once the change is published."""
    return any(
        row["field"] == "number" and row["before"] != row["after"]
        for entry in part_changes
        if entry["action"] not in ("add", "delete")
        for row in entry["changes"]
    )


def related_change(record, field, keys) -> dict:
    """A proposed change of `record`'s many-to-many `field` (a meeting's hosts) to the related records with
    the keys `keys`, as the review shows it: the records linked now, each marked if the change removes it,
    and the records proposed, each marked if the change adds it, in the related model's order."""
    now = list(getattr(record, field.name).all())
    proposed = list(field.related_model._default_manager.filter(pk__in=keys))
    now_keys = {related.pk for related in now}
    proposed_keys = {related.pk for related in proposed}
    return {
        "label": field.verbose_name,
        "name": field.name,
        "now": [(related, related.pk not in proposed_keys) for related in now],
        "proposed": [(related, related.pk not in now_keys) for related in proposed],
    }


def part_change_rows(pending: PendingChange) -> list[dict]:
    """Each proposed change to a part, as the review shows it: the kind of part, the part, what happens
    to it ("add", "change", "move", "delete") and each changed field before and after (both languages of a
    translated one), in the active language. Read from the change alone, with no query: what the part
    held when it was proposed is what it holds now, or the change could not be published
    (publish_part_changes)."""
    entries = []
    for change in pending.parts:
        model = apps.get_model(change["model"])
        action = part_action(change)
        rows = []
        if action != "delete":
            before, values = change.get("before", {}), change["values"]
            for column in shown_columns(model, values):
                field = model._meta.get_field(column)
                old = before.get(column)
                new = values.get(column, old)
                rows.append(
                    {
                        "label": str(field.verbose_name),
                        "field": column,
                        "before": shown(old),
                        "after": shown(new),
                    }
                )
        entries.append(
            {
                "kind": str(model._meta.verbose_name),
                "model": change["model"],
                "id": change["pk"],
                "part": change.get("label", ""),
                "action": action,
                "changes": rows,
            }
        )
    return entries
