"""The public log of a record's corrections: what changed after it was published, and when."""

import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.signals import post_create_historical_record

from publication.history import NOT_CORRECTIONS, compare_versions, public_changes
from publication.models import Correction
from publication.review import governing_record

LANGUAGE_NAMES = {"ja": lambda: _("Japanese"), "en": lambda: _("English")}
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def column_label(model, column: str) -> str:
    """`title_en` as “Title (English)”, `meeting_id` as “Meeting”: what a reader calls the field."""
    base, _sep, language = column.rpartition("_")
    if language in LANGUAGE_NAMES:
        try:
            name = model._meta.get_field(base).verbose_name
        except FieldDoesNotExist:
            pass
        else:
            return _("%(field)s (%(language)s)") % {
                "field": capfirst(name),
                "language": LANGUAGE_NAMES[language](),
            }
    for field in model._meta.concrete_fields:
        if column in (field.name, field.attname):
            return str(capfirst(field.verbose_name))
    return column


def corrections(record, public_since=None, limit: int = 10):
    """The corrections made to a published record, newest first (one query). For a part of a document,
    `public_since` is the document's publish time."""
    model = type(record)
    entries = []
    for entry in public_changes(record, limit=limit, public_since=public_since):
        entries.append(
            {
                "date": entry["date"],
                "day": timezone.localdate(entry["date"]),
                "fields": pgettext("list separator", ", ").join(
                    column_label(model, column) for column in entry["columns"]
                ),
                "note": entry["note"],
                # A restore's note is written by the page, in its language: the day of the version it brought back.
                "restored_on": entry["restored_from"] and timezone.localdate(entry["restored_from"]),
                "note_is_japanese": bool(JAPANESE_SCRIPT.search(entry["note"])),
            }
        )
    published_at = getattr(record, "published_at", public_since)
    return {"entries": entries, "published_on": published_at and timezone.localdate(published_at)}


def preview_state(record) -> str:
    """What an editor previews on a record's page: "unsaved" (a change form's values, from the admin),
    "pending" (a change awaiting review), "draft" or
    "scheduled" (not yet public, or a part of such a document), or "" for what the public sees too."""
    if record is None:
        return ""
    if getattr(record, "previewing_unsaved_change", False):
        return "unsaved"
    if getattr(record, "previewing_pending_change", False):
        return "pending"
    governing = record if hasattr(record, "publication_state") else getattr(record, "declaration", None)
    state = getattr(governing, "publication_state", "published")
    return "" if state == "published" else state


def is_public(record, when) -> bool:
    """Whether the public could see `record` (a record with a publication state) at `when`."""
    return record.status == "published" and record.published_at is not None and record.published_at <= when


def text(value) -> str:
    return "" if value is None else str(value)


def changed_texts(model, older, newer) -> list[dict]:
    """What changed between two versions that the public sees: each field once, with both languages of a
    translated one (before and after), in the model's order of fields."""
    translated = set(model.translated_fields()) if hasattr(model, "translated_fields") else set()
    changes, seen = [], set()
    for change in compare_versions(older, newer):
        if change.field in NOT_CORRECTIONS:
            continue
        base, _sep, language = change.field.rpartition("_")
        if base in translated and language in ("ja", "en"):
            if base in seen:
                continue
            seen.add(base)
            changes.append(
                {
                    "field": base,
                    "before": {code: text(getattr(older, f"{base}_{code}")) for code in ("ja", "en")},
                    "after": {code: text(getattr(newer, f"{base}_{code}")) for code in ("ja", "en")},
                }
            )
        else:
            changes.append({"field": change.field, "before": text(change.old), "after": text(change.new)})
    return changes


@receiver(post_create_historical_record)
def record_correction(sender, instance, history_instance, **kwargs):
    """Keep a version of a public record, or of a part of one, as a public correction (Correction): a
    change of what the public sees, made after the record (or the part's document or meeting) was public.
    Records that name no page (reference data) keep none."""
    path = getattr(type(instance), "public_page", None)
    if path is None:
        return
    page = governing_record(instance, path)
    when = history_instance.history_date
    if page is None or not is_public(page, when):
        return
    older = history_instance.prev_record
    if older is None:
        return
    if page is instance and not is_public(older, when):
        return
    changes = changed_texts(type(instance), older, history_instance)
    if not changes:
        return
    labels = {}
    for code in ("ja", "en"):
        with translation.override(code):
            labels[code] = str(instance)[:400]
    Correction.objects.create(
        model=instance._meta.label_lower,
        object_id=instance.pk,
        page_model=page._meta.label_lower,
        page_id=page.pk,
        anchor=getattr(instance, "anchor", "") if page is not instance else "",
        label_ja=labels["ja"],
        label_en=labels["en"],
        date=when,
        note=history_instance.history_change_reason or "",
        restored_from=history_instance.restored_from,
        changes=changes,
    )


def field_label(model_label: str, field: str) -> str:
    """What a reader calls a field of a kind of record, in the active language."""
    model = apps.get_model(model_label)
    try:
        return str(capfirst(model._meta.get_field(field).verbose_name))
    except FieldDoesNotExist:
        return column_label(model, field)


def correction_entry(correction) -> dict:
    """A correction as a page, the feed and the API show it, in the active language."""
    language = translation.get_language() or "ja"
    translated = []
    for change in correction.changes:
        translated.append(
            {
                "field": change["field"],
                "label": field_label(correction.model, change["field"]),
                "translated": isinstance(change["before"], dict),
                "before": change["before"],
                "after": change["after"],
            }
        )
    return {
        "correction": correction,
        "date": correction.date,
        "day": timezone.localdate(correction.date),
        "part": correction.label_en
        if language.startswith("en") and correction.label_en
        else correction.label_ja,
        "anchor": correction.anchor,
        "changes": translated,
        "note": correction.note,
        "restored_on": correction.restored_from and timezone.localdate(correction.restored_from),
        "note_is_japanese": bool(JAPANESE_SCRIPT.search(correction.note)),
    }


def part_corrections(page, limit: int = 50) -> list[dict]:
    """The corrections of the parts shown on `page` (a document's themes, key points, notes, annexes and
    items; a meeting's places and chairs), newest first: one query."""
    rows = (
        Correction.objects.filter(page_model=page._meta.label_lower, page_id=page.pk)
        .exclude(model=page._meta.label_lower)
        .order_by("-date", "-id")[:limit]
    )
    return [correction_entry(row) for row in rows]
