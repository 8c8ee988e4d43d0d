"""Writing the search index: what each kind of record contributes, in each language.

An entry is made for Japanese, the source language, always, and for English when the record has
English text of its own; where a single English field is missing, the Japanese one stands in, as
on the English page.
"""

import datetime
import functools
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext

from commitments.models import Commitment, EarlierCommitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Chair, Location, Meeting, Organization
from operations import records
from rendering.templating import long_date, punctuation

from .engine import token_weight
from .models import Kind, SearchEntry, SearchToken
from .text import index_tokens, normalize, searchable

SOURCE_LANGUAGE = "ja"

# How a part's title reads in each language; kept here, not in the message catalogue, because the
# entry's language is fixed when it is written, whatever language is active then.
ANNEX_TITLE = {"ja": "附属書{number}：{title}", "en": "Annex {number}: {title}"}
FOOTNOTE_MARK = {"ja": "＊{number}", "en": "*{number}"}


def languages() -> tuple[str, ...]:
    return tuple(settings.MODELTRANSLATION_LANGUAGES)


def own(record: dict, field: str, language: str) -> str:
    """The field's own text in `language`, without modeltranslation's fallback."""
    return (record[f"{field}_{language}"] or "").strip()


def shown(record: dict, field: str, language: str) -> str:
    """The field as the page in `language` shows it: its own text, or the Japanese."""
    return own(record, field, language) or own(record, field, SOURCE_LANGUAGE)


def has_own_text(record: dict, fields: Iterable[str], language: str) -> bool:
    return language == SOURCE_LANGUAGE or any(own(record, field, language) for field in fields)


def join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


# A line's separator and a date as the pages write them in each language; an entry's language is fixed when
# it is written, whatever language is active then. Few dates recur, and a rebuild writes thousands of lines.
@functools.cache
def separator(language: str) -> str:
    with translation.override(language):
        return punctuation("separator")


@functools.cache
def date_in(language: str, day: datetime.date) -> str:
    with translation.override(language):
        return long_date(day)


def facts(language: str, *parts: str | datetime.date) -> str:
    """A line of a record's facts as its pages write them in `language`: its dates as the site writes them
    (2023年10月8日, 8 October 2023), between the language's separators (／, ·)."""
    return separator(language).join(
        date_in(language, part) if isinstance(part, datetime.date) else part for part in parts if part
    )


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
    commitment_id: int | None = None
    follow_up_id: int | None = None
    earlier_commitment_id: int | None = None
    number: int | None = None
    theme_number: int | None = None
    context: str = ""
    # What the title field indexes, when it differs from the title shown (empty: nothing).
    indexed_title: str | None = None

    @property
    def title_for_index(self) -> str:
        return self.title if self.indexed_title is None else self.indexed_title

    # Normalised once for the entry's searchable columns and for its tokens.
    @functools.cached_property
    def normalized_title(self) -> str:
        return normalize(self.title_for_index)

    @functools.cached_property
    def normalized_text(self) -> str:
        return normalize(self.text)


# The records are read as rows of the columns their entries need, in every language: model instances
# would cost more than the entries themselves (a 100× archive has a quarter of a million records, and
# an instance each runs modeltranslation's, the history's and the field converters' code). A related
# record's columns are named by their path ("declaration__slug"), so `shown(row, "declaration__title",
# language)` reads them too.


def text_columns(*fields: str) -> list[str]:
    return [f"{field}_{language}" for field in fields for language in languages()]


def read_rows(queryset, ids: list[int] | None, *columns: str, key: str = "pk") -> Iterator[dict]:
    """The queryset's rows with `columns`, of the records `ids` (by `key`) or of all of them."""
    if ids is not None:
        queryset = queryset.filter(**{f"{key}__in": ids})
    return queryset.values(*columns).iterator(chunk_size=5000)


def grouped(records: Iterable[dict], key: str) -> dict[int, list[dict]]:
    groups: dict[int, list[dict]] = defaultdict(list)
    for record in records:
        groups[record[key]].append(record)
    return groups


DOCUMENT_COLUMNS = ("slug", *text_columns("short_title", "title"))


def document_columns(path: str) -> list[str]:
    """The columns of the document at `path` that its parts' entries show."""
    return [f"{path}__{column}" for column in DOCUMENT_COLUMNS]


def document_context(record: dict, language: str, path: str = "declaration") -> str:
    return shown(record, f"{path}__short_title", language) or shown(record, f"{path}__title", language)


@functools.cache
def theme_marker(number: int) -> str:
    return Theme(number=number).marker


def meeting_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    locations = grouped(
        read_rows(
            Location.objects, ids, "meeting_id", *text_columns("prefecture__name", "city"), key="meeting"
        ),
        "meeting_id",
    )
    # Organisations that host nothing come with None, which no meeting looks up.
    hosts = grouped(
        read_rows(Organization.objects, ids, "hosted_meetings", *text_columns("name"), key="hosted_meetings"),
        "hosted_meetings",
    )
    chairs = grouped(
        read_rows(Chair.objects, ids, "meeting_id", *text_columns("person__name", "office"), key="meeting"),
        "meeting_id",
    )
    meetings = read_rows(
        Meeting.objects.order_by("pk"),
        ids,
        "pk",
        "slug",
        *text_columns("title", "short_title", "summary", "participants", "summit__title"),
    )
    for meeting in meetings:
        for language in languages():
            if not has_own_text(meeting, ["title", "summary"], language):
                continue
            places = [
                " ".join(
                    part
                    for part in (
                        shown(location, "prefecture__name", language),
                        shown(location, "city", language),
                    )
                    if part
                )
                for location in locations[meeting["pk"]]
            ]
            names = [shown(host, "name", language) for host in hosts[meeting["pk"]]]
            people = [
                f"{shown(chair, 'person__name', language)} {shown(chair, 'office', language)}"
                for chair in chairs[meeting["pk"]]
            ]
            title = shown(meeting, "title", language)
            yield EntryData(
                kind=Kind.MEETING,
                object_id=meeting["pk"],
                language=language,
                title=title,
                indexed_title=f"{title} {shown(meeting, 'short_title', language)}",
                text=join(
                    shown(meeting, "summary", language),
                    # A ministerial meeting is found by its summit's name (広島), which its page names too.
                    shown(meeting, "summit__title", language),
                    shown(meeting, "participants", language),
                    " ".join(places),
                    " ".join(names),
                    " ".join(people),
                ),
                slug=meeting["slug"],
                meeting_id=meeting["pk"],
            )


def declaration_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    declarations = read_rows(
        Declaration.objects.order_by("pk"),
        ids,
        "pk",
        "slug",
        *text_columns("title", "short_title", "summary", "body"),
    )
    for declaration in declarations:
        for language in languages():
            if not has_own_text(declaration, ["title", "summary", "body"], language):
                continue
            title = shown(declaration, "title", language)
            yield EntryData(
                kind=Kind.DECLARATION,
                object_id=declaration["pk"],
                language=language,
                title=title,
                indexed_title=f"{title} {shown(declaration, 'short_title', language)}",
                text=join(shown(declaration, "summary", language), shown(declaration, "body", language)),
                slug=declaration["slug"],
                declaration_id=declaration["pk"],
            )


def theme_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    themes = read_rows(
        Theme.objects.order_by("pk"),
        ids,
        "pk",
        "number",
        "declaration_id",
        *text_columns("title"),
        *document_columns("declaration"),
    )
    for theme in themes:
        for language in languages():
            if not has_own_text(theme, ["title"], language):
                continue
            title = shown(theme, "title", language)
            yield EntryData(
                kind=Kind.THEME,
                object_id=theme["pk"],
                language=language,
                title=f"{theme_marker(theme['number'])} {title}",
                indexed_title=title,
                text="",
                slug=theme["declaration__slug"],
                declaration_id=theme["declaration_id"],
                number=theme["number"],
                context=document_context(theme, language),
            )


def key_point_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    points = read_rows(
        KeyPoint.objects.order_by("pk"),
        ids,
        "pk",
        "number",
        *text_columns("text"),
        "theme__number",
        *text_columns("theme__title"),
        "theme__declaration_id",
        *document_columns("theme__declaration"),
    )
    for point in points:
        for language in languages():
            if not has_own_text(point, ["text"], language):
                continue
            yield EntryData(
                kind=Kind.KEY_POINT,
                object_id=point["pk"],
                language=language,
                # Shown with its theme for orientation, but the theme's words belong to the theme's entry.
                title=(
                    f"{theme_marker(point['theme__number'])}-{point['number']}"
                    f" {shown(point, 'theme__title', language)}"
                ),
                indexed_title="",
                text=shown(point, "text", language),
                slug=point["theme__declaration__slug"],
                declaration_id=point["theme__declaration_id"],
                number=point["number"],
                theme_number=point["theme__number"],
                context=document_context(point, language, "theme__declaration"),
            )


def footnote_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    notes = read_rows(
        Footnote.objects.order_by("pk"),
        ids,
        "pk",
        "number",
        *text_columns("text"),
        "theme__number",
        *text_columns("theme__title"),
        "declaration_id",
        *document_columns("declaration"),
    )
    for note in notes:
        for language in languages():
            if not has_own_text(note, ["text"], language):
                continue
            mark = FOOTNOTE_MARK[language].format(number=note["number"])
            yield EntryData(
                kind=Kind.FOOTNOTE,
                object_id=note["pk"],
                language=language,
                title=f"{mark} {shown(note, 'theme__title', language)}",
                indexed_title="",
                text=shown(note, "text", language),
                slug=note["declaration__slug"],
                declaration_id=note["declaration_id"],
                number=note["number"],
                theme_number=note["theme__number"],
                context=document_context(note, language),
            )


def annex_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    annexes = read_rows(
        Annex.objects.order_by("pk"),
        ids,
        "pk",
        "number",
        *text_columns("title", "summary", "body"),
        "declaration_id",
        *document_columns("declaration"),
    )
    for annex in annexes:
        for language in languages():
            if not has_own_text(annex, ["title", "summary", "body"], language):
                continue
            yield EntryData(
                kind=Kind.ANNEX,
                object_id=annex["pk"],
                language=language,
                title=ANNEX_TITLE[language].format(
                    number=annex["number"], title=shown(annex, "title", language)
                ),
                text=join(shown(annex, "summary", language), shown(annex, "body", language)),
                slug=annex["declaration__slug"],
                declaration_id=annex["declaration_id"],
                number=annex["number"],
                context=document_context(annex, language),
            )


def communique_item_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    items = read_rows(
        CommuniqueItem.objects.order_by("pk"),
        ids,
        "pk",
        "number",
        *text_columns("title", "text"),
        "declaration_id",
        *document_columns("declaration"),
    )
    for item in items:
        for language in languages():
            if not has_own_text(item, ["title", "text"], language):
                continue
            yield EntryData(
                kind=Kind.COMMUNIQUE_ITEM,
                object_id=item["pk"],
                language=language,
                title=shown(item, "title", language),
                text=shown(item, "text", language),
                slug=item["declaration__slug"],
                declaration_id=item["declaration_id"],
                number=item["number"],
                context=document_context(item, language),
            )


# The paragraph a commitment comes from, each kind by its path to its document.
COMMITMENT_SOURCES = (
    "key_point__theme__declaration",
    "footnote__declaration",
    "annex__declaration",
    "communique_item__declaration",
)


def commitment_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    """A commitment in its words, with the document its paragraph comes from for context. Its own
    publication state decides whether it is found."""
    commitments = read_rows(
        Commitment.objects.order_by("pk"),
        ids,
        "pk",
        "slug",
        "number",
        *text_columns("text"),
        *chain.from_iterable(document_columns(path) for path in COMMITMENT_SOURCES),
    )
    for commitment in commitments:
        source = next((path for path in COMMITMENT_SOURCES if commitment[f"{path}__slug"] is not None), None)
        for language in languages():
            if not has_own_text(commitment, ["text"], language):
                continue
            words = shown(commitment, "text", language)
            yield EntryData(
                kind=Kind.COMMITMENT,
                object_id=commitment["pk"],
                language=language,
                title=f"{commitment['number']}. {words}",
                indexed_title=words,
                text="",
                slug=commitment["slug"],
                commitment_id=commitment["pk"],
                number=commitment["number"],
                context=document_context(commitment, language, source) if source else "",
            )


def follow_up_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    """What followed a commitment, by its title, summary and issuing body, with its date and issuing body
    for context. Its own publication state decides whether it is found, as it decides whether its page is
    shown. The public commitments it answers end its context line when a search shows it (search.engine),
    not here: one may be a draft, and publication is read when searching, never copied into the index."""
    follow_ups = read_rows(
        FollowUp.objects.order_by("pk"),
        ids,
        "pk",
        "slug",
        "date",
        *text_columns("title", "summary", "issued_by"),
    )
    for follow_up in follow_ups:
        for language in languages():
            if not has_own_text(follow_up, ["title", "summary"], language):
                continue
            issued_by = shown(follow_up, "issued_by", language)
            yield EntryData(
                kind=Kind.FOLLOW_UP,
                object_id=follow_up["pk"],
                language=language,
                title=shown(follow_up, "title", language),
                text=join(shown(follow_up, "summary", language), issued_by),
                slug=follow_up["slug"],
                follow_up_id=follow_up["pk"],
                context=facts(language, follow_up["date"], issued_by),
            )


def earlier_commitment_entries(ids: list[int] | None = None) -> Iterator[EntryData]:
    """An earlier meeting's commitment, by the editors' summary of its words and its document's title, with
    its document, paragraph and date for context. Found while its meeting's page shows it (search.engine
    applies the rule); its meeting is found as a meeting."""
    earlier_commitments = read_rows(
        EarlierCommitment.objects.order_by("pk"),
        ids,
        "pk",
        "slug",
        "date",
        "paragraph",
        *text_columns("summary", "document_title"),
    )
    for earlier in earlier_commitments:
        for language in languages():
            if not has_own_text(earlier, ["summary", "document_title"], language):
                continue
            document = shown(earlier, "document_title", language)
            paragraph = ""
            if earlier["paragraph"]:
                with translation.override(language):
                    paragraph = gettext("paragraph %(paragraph)s") % {"paragraph": earlier["paragraph"]}
            yield EntryData(
                kind=Kind.EARLIER_COMMITMENT,
                object_id=earlier["pk"],
                language=language,
                title=shown(earlier, "summary", language),
                text=document,
                slug=earlier["slug"],
                earlier_commitment_id=earlier["pk"],
                context=facts(language, document, paragraph, earlier["date"]),
            )


# For each kind, the function that makes the entries of the given records (or of all of them).
BUILDERS = {
    Kind.MEETING: meeting_entries,
    Kind.DECLARATION: declaration_entries,
    Kind.THEME: theme_entries,
    Kind.KEY_POINT: key_point_entries,
    Kind.FOOTNOTE: footnote_entries,
    Kind.ANNEX: annex_entries,
    Kind.COMMUNIQUE_ITEM: communique_item_entries,
    Kind.COMMITMENT: commitment_entries,
    Kind.FOLLOW_UP: follow_up_entries,
    Kind.EARLIER_COMMITMENT: earlier_commitment_entries,
}


ENTRY_COLUMNS = (
    "id",
    "kind",
    "object_id",
    "language",
    "meeting_id",
    "declaration_id",
    "commitment_id",
    "follow_up_id",
    "earlier_commitment_id",
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


# The weight of each pair of counts, computed once: a 100× archive has millions of tokens, few distinct pairs.
weight = functools.cache(token_weight)


def _write(
    data: list[EntryData], entry_ids: Iterable[int] | None = None, *, written: set | None = None
) -> int:
    """Insert entries and their tokens as plain rows, in bulk: a model instance each would cost more than
    the insert itself, and a 100× archive has hundreds of thousands of entries and millions of tokens.

    The entries take `entry_ids` if given, or new ids from the table's sequence. The tokens are made as
    they are written, so that PostgreSQL stores one part of them while the next is made; each is added to
    `written`, if given.
    """
    if entry_ids is None:
        entry_ids = _reserve_entry_ids(len(data))
    numbered = list(zip(entry_ids, data, strict=True))
    _insert(SearchEntry, ENTRY_COLUMNS, (_entry_row(entry_id, item) for entry_id, item in numbered))
    rows = chain.from_iterable(_token_rows(entry_id, item) for entry_id, item in numbered)
    if written is not None:
        rows = _noting_tokens(rows, written)
    _insert(SearchToken, TOKEN_COLUMNS, rows)
    return len(numbered)


def _noting_tokens(rows: Iterable[tuple], written: set) -> Iterator[tuple]:
    for row in rows:
        written.add(row[1])
        yield row


def _entry_row(entry_id: int, item: EntryData) -> tuple:
    return (
        entry_id,
        item.kind,
        item.object_id,
        item.language,
        item.meeting_id,
        item.declaration_id,
        item.commitment_id,
        item.follow_up_id,
        item.earlier_commitment_id,
        item.slug,
        item.number,
        item.theme_number,
        item.title,
        item.text,
        item.context,
        searchable(item.normalized_title),
        searchable(item.normalized_text),
    )


def _token_rows(entry_id: int, item: EntryData) -> list[tuple]:
    """The entry's token rows, in order of token, as the unique index (entry, token) has them: SQLite keeps
    that index through a rebuild (it is part of the table), and appending to it costs far less."""
    in_title = index_tokens(item.normalized_title, normalized=True) if item.title_for_index else {}
    in_text = index_tokens(item.normalized_text, normalized=True) if item.text else {}
    if not in_title:
        # Most entries (a key point, a footnote) index only a text, or only a title (a theme).
        return [(entry_id, token, 0, count, weight(0, count)) for token, count in sorted(in_text.items())]
    if not in_text:
        return [(entry_id, token, count, 0, weight(count, 0)) for token, count in sorted(in_title.items())]
    rows = []
    for token in sorted(in_title.keys() | in_text.keys()):
        title_count = in_title.get(token, 0)
        text_count = in_text.get(token, 0)
        rows.append((entry_id, token, title_count, text_count, weight(title_count, text_count)))
    return rows


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


def _insert(model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        # COPY: executemany would still send a statement a row, and a 100× archive has millions of rows.
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # Many rows a statement: with a statement a row, running the statement costs as much as the insert.
    row_sql = f"({', '.join(['%s'] * len(columns))})"
    rows = iter(rows)
    last: list[tuple] = []

    def full_statements(size: int) -> Iterator[list]:
        while len(batch := list(islice(rows, size))) == size:
            yield list(chain.from_iterable(batch))
        last.extend(batch)

    with connection.cursor() as cursor:
        size = min(1000, cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns))
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([row_sql] * size)}", full_statements(size)
        )
        if last:
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row_sql] * len(last))}",
                list(chain.from_iterable(last)),
            )


def _remove_entries(entries) -> set[str]:
    """Delete `entries` (a queryset); the tokens they held."""
    held = set(SearchToken.objects.filter(entry__in=entries).values_list("token", flat=True).distinct())
    entries.delete()
    return held


@transaction.atomic
def reindex(kind: str, ids: Iterable[int]) -> int:
    """Replace the entries of the given records of one kind; records that no longer exist lose theirs. The
    words that the entries held before or hold now are marked changed (operations.records), so that the
    searches that find them by these words are made again, and no other."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return 0
    changed = _remove_entries(SearchEntry.objects.filter(kind=kind, object_id__in=ids))
    count = _write(list(BUILDERS[kind](ids)), written=changed)
    records.words_changed(changed)
    return count


@transaction.atomic
def reindex_all(kind: str) -> int:
    """Replace the entries of every record of one kind, in bulk; every search is made again."""
    SearchEntry.objects.filter(kind=kind).delete()
    count = _write(list(BUILDERS[kind]()))
    records.records_changed(None)
    return count


def remove(kind: str, ids: Iterable[int]) -> None:
    records.words_changed(_remove_entries(SearchEntry.objects.filter(kind=kind, object_id__in=list(ids))))


@transaction.atomic
def rebuild() -> int:
    """Build the whole index afresh from the records; returns the number of entries.

    The index tables are emptied and filled without their secondary indexes and the constraints between
    them, which are made again at the end from what the database had, as pg_restore does: building an
    index once from millions of rows is far cheaper than keeping it up to date row by row, and checking
    the tokens' foreign key once costs less than a check a row. They are made in the same transaction,
    so a failed rebuild leaves the index and its schema as they were. Searches wait for the rebuild (on
    PostgreSQL, changing a table's indexes locks it) rather than read the old index meanwhile.
    """
    tables = [SearchToken._meta.db_table, SearchEntry._meta.db_table]
    with connection.cursor() as cursor:
        schema = _drop_secondary_schema(cursor, tables)
        # The entries are numbered from 1 again, as SQLite's next id after a delete is.
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(map(connection.ops.quote_name, tables))} RESTART IDENTITY")
        else:
            # Plain deletes: the ORM's would first load every row to collect what cascades, and nothing does.
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
        data = [item for entries in BUILDERS.values() for item in entries()]
        count = _write(data, entry_ids=range(1, len(data) + 1))
        # Every search is made again.
        records.records_changed(None)
        if connection.vendor == "postgresql":
            if count:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [SearchEntry._meta.db_table, count]
                )
            # The entries' pending checks of their meeting or document would forbid indexing the table.
            connection.check_constraints()
            # Enough memory to sort the millions of tokens for their index without temporary files.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in schema:
            cursor.execute(statement)
        # The planner's statistics of the dropped indexes went with them.
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return count


def _drop_secondary_schema(cursor, tables: list[str]) -> list[str]:
    """Drop the indexes of `tables` other than their primary keys, and the constraints that hold between
    them; return the statements that make them again, exactly as they were.

    Constraints that point at other tables are kept: dropping them would lock those tables (the meetings,
    the documents) for the whole rebuild. SQLite cannot drop the unique constraints written in a table's
    definition; the rows are written in their order instead.
    """
    quote = connection.ops.quote_name
    indexes: list[tuple[str, str]] = []
    constraints: list[tuple[str, str, str, str]] = []
    if connection.vendor == "postgresql":
        # Deferred checks still pending (after a reindex in the same transaction) forbid altering the table.
        connection.check_constraints()
        cursor.execute(
            """
            SELECT con.contype, con.conrelid::regclass::text, con.conname, pg_get_constraintdef(con.oid)
            FROM pg_constraint con
            WHERE con.conrelid = ANY(%(tables)s::regclass[])
              AND (con.contype = 'u' OR con.contype = 'f' AND con.confrelid = ANY(%(tables)s::regclass[]))
            -- Unique constraints are made again before the foreign keys, which may need them.
            ORDER BY con.contype DESC, con.conname
            """,
            {"tables": [quote(table) for table in tables]},
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT cls.relname, pg_get_indexdef(ind.indexrelid)
            FROM pg_index ind JOIN pg_class cls ON cls.oid = ind.indexrelid
            WHERE ind.indrelid = ANY(%s::regclass[]) AND NOT ind.indisprimary
              AND NOT EXISTS (SELECT FROM pg_constraint con WHERE con.conindid = ind.indexrelid
                              AND con.conrelid = ind.indrelid)
            ORDER BY cls.relname
            """,
            [[quote(table) for table in tables]],
        )
        indexes = cursor.fetchall()
    else:
        # An index that SQLite made for a constraint in the table's definition has no statement of its own.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({', '.join(['%s'] * len(tables))}) ORDER BY name",
            tables,
        )
        indexes = cursor.fetchall()
    restore = [definition for _name, definition in indexes]
    for _type, table, name, definition in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        restore.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {quote(name)}")
    return restore
