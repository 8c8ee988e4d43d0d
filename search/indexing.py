"""Writing the search index: what each kind of record contributes, in each language.

An entry is made for Japanese, the source language, always, and for English when the record has
English text of its own; where a single English field is missing, the Japanese one stands in, as
on the English page.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Chair, Location, Meeting

from .engine import token_weight
from .models import Kind, SearchEntry, SearchToken
from .text import collapse_spaces, index_tokens, normalize

SOURCE_LANGUAGE = "ja"

# How a part's title reads in each language; kept here, not in the message catalogue, because the
# entry's language is fixed when it is written, whatever language is active then.
ANNEX_TITLE = {"ja": "附属書{number}：{title}", "en": "Annex {number}: {title}"}
FOOTNOTE_MARK = {"ja": "＊{number}", "en": "*{number}"}


def languages() -> tuple[str, ...]:
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def own(record, field: str, language: str) -> str:
    """The field's own text in `language`, without modeltranslation's fallback."""
    return (getattr(record, f"{field}_{language}", "") or "").strip()


def shown(record, field: str, language: str) -> str:
    """The field as the page in `language` shows it: its own text, or the Japanese."""
    return own(record, field, language) or own(record, field, SOURCE_LANGUAGE)


def has_own_text(record, fields: Iterable[str], language: str) -> bool:
    return language == SOURCE_LANGUAGE or any(own(record, field, language) for field in fields)


def join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


@dataclass
class EntryData:
    kind: str
    object_id: int
    language: str
    title: str
    text: str
    slug: str
    meeting_id: int | None = None
    declaration_id: int | None = None
    number: int | None = None
    theme_number: int | None = None
    context: str = ""
    # What the title field indexes, when it differs from the title shown (empty: nothing).
    indexed_title: str | None = None

    @property
    def title_for_index(self) -> str:
        return self.title if self.indexed_title is None else self.indexed_title


# Querysets that load each kind with everything its entries need, in a fixed number of queries.


def meetings_queryset():
    return Meeting.objects.prefetch_related(
        Prefetch("locations", Location.objects.select_related("prefecture")),
        Prefetch("chairs", Chair.objects.select_related("person", "organization")),
        "hosts",
    )


def declarations_queryset():
    return Declaration.objects.all()


def themes_queryset():
    return Theme.objects.select_related("declaration")


def key_points_queryset():
    return KeyPoint.objects.select_related("theme__declaration")


def footnotes_queryset():
    return Footnote.objects.select_related("theme", "declaration")


def annexes_queryset():
    return Annex.objects.select_related("declaration")


def communique_items_queryset():
    return CommuniqueItem.objects.select_related("declaration")


def document_context(declaration: Declaration, language: str) -> str:
    return shown(declaration, "short_title", language) or shown(declaration, "title", language)


def meeting_entries(meeting: Meeting) -> Iterator[EntryData]:
    for language in languages():
        if not has_own_text(meeting, ["title", "summary"], language):
            continue
        places = [
            " ".join(
                part
                for part in (
                    shown(location.prefecture, "name", language) if location.prefecture else "",
                    shown(location, "city", language),
                )
                if part
            )
            for location in meeting.locations.all()
        ]
        hosts = [shown(host, "name", language) for host in meeting.hosts.all()]
        chairs = [
            f"{shown(chair.person, 'name', language)} {shown(chair, 'office', language)}"
            for chair in meeting.chairs.all()
        ]
        title = shown(meeting, "title", language)
        yield EntryData(
            kind=Kind.MEETING,
            object_id=meeting.pk,
            language=language,
            title=title,
            indexed_title=f"{title} {shown(meeting, 'short_title', language)}",
            text=join(
                shown(meeting, "summary", language),
                shown(meeting, "participants", language),
                " ".join(places),
                " ".join(hosts),
                " ".join(chairs),
            ),
            slug=meeting.slug,
            meeting_id=meeting.pk,
        )


def declaration_entries(declaration: Declaration) -> Iterator[EntryData]:
    for language in languages():
        if not has_own_text(declaration, ["title", "summary", "body"], language):
            continue
        title = shown(declaration, "title", language)
        yield EntryData(
            kind=Kind.DECLARATION,
            object_id=declaration.pk,
            language=language,
            title=title,
            indexed_title=f"{title} {shown(declaration, 'short_title', language)}",
            text=join(shown(declaration, "summary", language), shown(declaration, "body", language)),
            slug=declaration.slug,
            declaration_id=declaration.pk,
        )


def theme_entries(theme: Theme) -> Iterator[EntryData]:
    for language in languages():
        if not has_own_text(theme, ["title"], language):
            continue
        title = shown(theme, "title", language)
        yield EntryData(
            kind=Kind.THEME,
            object_id=theme.pk,
            language=language,
            title=f"{theme.marker} {title}",
            indexed_title=title,
            text="",
            slug=theme.declaration.slug,
            declaration_id=theme.declaration_id,
            number=theme.number,
            context=document_context(theme.declaration, language),
        )


def key_point_entries(point: KeyPoint) -> Iterator[EntryData]:
    theme = point.theme
    for language in languages():
        if not has_own_text(point, ["text"], language):
            continue
        yield EntryData(
            kind=Kind.KEY_POINT,
            object_id=point.pk,
            language=language,
            # Shown with its theme for orientation, but the theme's words belong to the theme's entry.
            title=f"{theme.marker}-{point.number} {shown(theme, 'title', language)}",
            indexed_title="",
            text=shown(point, "text", language),
            slug=theme.declaration.slug,
            declaration_id=theme.declaration_id,
            number=point.number,
            theme_number=theme.number,
            context=document_context(theme.declaration, language),
        )


def footnote_entries(note: Footnote) -> Iterator[EntryData]:
    for language in languages():
        if not has_own_text(note, ["text"], language):
            continue
        mark = FOOTNOTE_MARK[language].format(number=note.number)
        yield EntryData(
            kind=Kind.FOOTNOTE,
            object_id=note.pk,
            language=language,
            title=f"{mark} {shown(note.theme, 'title', language)}",
            indexed_title="",
            text=shown(note, "text", language),
            slug=note.declaration.slug,
            declaration_id=note.declaration_id,
            number=note.number,
            theme_number=note.theme.number,
            context=document_context(note.declaration, language),
        )


def annex_entries(annex: Annex) -> Iterator[EntryData]:
    for language in languages():
        if not has_own_text(annex, ["title", "summary", "body"], language):
            continue
        yield EntryData(
            kind=Kind.ANNEX,
            object_id=annex.pk,
            language=language,
            title=ANNEX_TITLE[language].format(number=annex.number, title=shown(annex, "title", language)),
            text=join(shown(annex, "summary", language), shown(annex, "body", language)),
            slug=annex.declaration.slug,
            declaration_id=annex.declaration_id,
            number=annex.number,
            context=document_context(annex.declaration, language),
        )


def communique_item_entries(item: CommuniqueItem) -> Iterator[EntryData]:
    for language in languages():
        if not has_own_text(item, ["title", "text"], language):
            continue
        yield EntryData(
            kind=Kind.COMMUNIQUE_ITEM,
            object_id=item.pk,
            language=language,
            title=shown(item, "title", language),
            text=shown(item, "text", language),
            slug=item.declaration.slug,
            declaration_id=item.declaration_id,
            number=item.number,
            context=document_context(item.declaration, language),
        )


# For each kind: the queryset that loads its records and the function that makes their entries.
BUILDERS = {
    Kind.MEETING: (meetings_queryset, meeting_entries),
    Kind.DECLARATION: (declarations_queryset, declaration_entries),
    Kind.THEME: (themes_queryset, theme_entries),
    Kind.KEY_POINT: (key_points_queryset, key_point_entries),
    Kind.FOOTNOTE: (footnotes_queryset, footnote_entries),
    Kind.ANNEX: (annexes_queryset, annex_entries),
    Kind.COMMUNIQUE_ITEM: (communique_items_queryset, communique_item_entries),
}


ENTRY_COLUMNS = (
    "id",
    "kind",
    "object_id",
    "language",
    "meeting_id",
    "declaration_id",
    "slug",
    "number",
    "theme_number",
    "title",
    "text",
    "context",
    "normalized_title",
    "normalized_text",
)
TOKEN_COLUMNS = ("entry_id", "token", "title_count", "text_count", "weight")


def _write(data: list[EntryData]) -> int:
    """Insert entries and their tokens as plain rows, in bulk: a model instance each would cost more than
    the insert itself, and a 100× archive has hundreds of thousands of entries and millions of tokens."""
    entries = []
    tokens = []
    for entry_id, item in zip(_reserve_entry_ids(len(data)), data, strict=True):
        title = item.title_for_index
        entries.append(
            (
                entry_id,
                item.kind,
                item.object_id,
                item.language,
                item.meeting_id,
                item.declaration_id,
                item.slug,
                item.number,
                item.theme_number,
                item.title,
                item.text,
                item.context,
                collapse_spaces(normalize(title)),
                collapse_spaces(normalize(item.text)),
            )
        )
        in_title = index_tokens(title) if title else {}
        in_text = index_tokens(item.text) if item.text else {}
        for token, count in in_text.items():
            title_count = in_title.get(token, 0)
            tokens.append((entry_id, token, title_count, count, token_weight(title_count, count)))
        for token, count in in_title.items():
            if token not in in_text:
                tokens.append((entry_id, token, count, 0, token_weight(count, 0)))
    _insert(SearchEntry, ENTRY_COLUMNS, entries)
    _insert(SearchToken, TOKEN_COLUMNS, tokens)
    return len(entries)


def _reserve_entry_ids(count: int) -> list[int]:
    """Ids for `count` new entries, taken before they are written so that their tokens can point at them."""
    table = SearchEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # From the table's sequence, as the ORM's inserts take theirs, so that neither collides.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite lets one transaction write at a time, and the caller's has written (or will fail to).
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        # COPY: executemany would still send a statement a row, and a 100× archive has millions of rows.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20000):
            cursor.executemany(sql, rows[start : start + 20000])


@transaction.atomic
def reindex(kind: str, ids: Iterable[int]) -> int:
    """Replace the entries of the given records of one kind; records that no longer exist lose theirs."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return 0
    SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
    queryset, entries = BUILDERS[kind]
    return _write([item for record in queryset().filter(pk__in=ids) for item in entries(record)])


def remove(kind: str, ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).delete()


@transaction.atomic
def rebuild() -> int:
    """Build the whole index afresh from the records; returns the number of entries."""
    # Plain deletes: the ORM's would first load every row to collect what cascades, and nothing does.
    SearchToken.objects.all()._raw_delete(connection.alias)
    SearchEntry.objects.all()._raw_delete(connection.alias)
    data = [
        item for queryset, entries in BUILDERS.values() for record in queryset() for item in entries(record)
    ]
    return _write(data)
