"""Whole-list exports, streamed: CSV with a column per language, and a JSON array of API records.

A list of any length is sent without holding it in memory: the records are read in chunks, each
chunk with its own prefetch queries, and written out as they come.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from rest_framework.utils.encoders import JSONEncoder

from .fields import stored
from .languages import LANGUAGES

CHUNK_SIZE = 500

# A byte-order mark first, so that spreadsheet programs read the file as UTF-8, not as Shift_JIS.
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Any], Any]


def column(name: str, attribute: str | None = None) -> list[Column]:
    attribute = attribute or name
    return [Column(name, lambda record: getattr(record, attribute))]


def translated_columns(name: str) -> list[Column]:
    """`name_ja` and `name_en`: in CSV, and only there, each language has its own column."""
    return [
        Column(f"{name}_{language}", lambda record, language=language: stored(record, name, language))
        for language in LANGUAGES
    ]


def chunks(queryset: QuerySet, size: int = CHUNK_SIZE) -> Iterator[list]:
    records = queryset.iterator(chunk_size=size)
    while chunk := list(islice(records, size)):
        yield chunk


class _Line:
    """A file-like object whose write() returns what it was given, for csv.writer to produce lines."""

    def write(self, value: str) -> str:
        return value


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # In UTC and ISO 8601, as in the JSON API.
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_lines(columns: list[Column], queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM + writer.writerow([col.name for col in columns])
    for chunk in chunks(queryset):
        for record in chunk:
            yield writer.writerow([cell(col.value(record)) for col in columns])


def json_lines(serialize: Callable[[list], list], queryset: QuerySet) -> Iterator[str]:
    encoder = JSONEncoder(ensure_ascii=False)
    yield "["
    first = True
    for chunk in chunks(queryset):
        for record in serialize(chunk):
            yield ("\n" if first else ",\n") + encoder.encode(record)
            first = False
    yield "\n]\n"


def in_language(language: str, lines: Iterable[str]) -> Iterator[str]:
    # The lines are produced after the view has returned, while the server sends them: the language
    # the view negotiated must be active then too.
    with translation.override(language):
        yield from lines


def attachment(lines: Iterator[str], *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(columns: list[Column], queryset: QuerySet, *, language: str, filename: str):
    return attachment(
        in_language(language, csv_lines(columns, queryset)),
        content_type="text/csv; charset=utf-8",
        filename=filename,
    )


def json_response(serialize: Callable[[list], list], queryset: QuerySet, *, language: str, filename: str):
    return attachment(
        in_language(language, json_lines(serialize, queryset)),
        content_type="application/json",
        filename=filename,
    )
