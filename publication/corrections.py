"""The public log of a record's corrections: what changed after it was published, and when."""

import re

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from publication.history import public_changes

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
