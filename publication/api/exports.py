"""Whole-list exports, streamed: CSV with a column per language, and a JSON array of API records.

A list of any length is sent without holding it in memory: the records are read in chunks, each
chunk with its own prefetch queries, and written out as they come.

A CSV's columns are those of the model's import-export resource (its app's resources.py), the same
that the admin exports and imports: its headers, and each value as the resource exports it (escaped
against formula injection there, publication.resources.RecordResource).
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from import_export.resources import Resource
from rest_framework.utils.encoders import JSONEncoder

CHUNK_SIZE = 500

# A byte-order mark first, so that spreadsheet programs read the file as UTF-8, not as Shift_JIS.
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Any], Any]


def resource_columns(resource_class: type[Resource]) -> list[Column]:
    """The columns that `resource_class` exports, in its order, each valued by the resource itself."""
    resource = resource_class()
    return [
        Column(name, partial(resource.export_field, field))
        for name, field in zip(resource.get_export_headers(), resource.get_export_fields(), strict=True)
    ]


def chunks(queryset: QuerySet, size: int = CHUNK_SIZE) -> Iterator[list]:
    records = queryset.iterator(chunk_size=size)
    while chunk := list(islice(records, size)):
        yield chunk


class _Line:
    """A file-like object whose write() returns what it was given, for csv.writer to produce lines."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[Column], queryset: QuerySet) -> Iterator[str]:
    yield from csv_table(columns, (record for chunk in chunks(queryset) for record in chunk))


def csv_table(columns: list[Column], records: Iterable) -> Iterator[str]:
    """The lines of a CSV file of `records`, its header first: the file the API's export gives."""
    return csv_rows([col.name for col in columns], (row_values(columns, record) for record in records))


def row_values(columns: list[Column], record) -> list:
    """A record's values, column by column, as its CSV row gives them."""
    return [col.value(record) for col in columns]


def csv_rows(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The lines of a CSV file with `header` and rows of values already read (row_values)."""
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


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
