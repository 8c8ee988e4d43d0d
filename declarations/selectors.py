"""A document with every part its pages show, read with statements built once (publication.statements).

The document's page used to read its parts with prefetch_related: ten QuerySets built and compiled for
each request, which cost more than half of the page. Here each part is one statement keyed by the
document's id, and the parts are linked to each other directly, as prefetch_related links them: what the
templates read (`document.themes.all`, `theme.key_points.all`, `item.themes.all`, `theme.notes` …) is the
same, and a part that has no parents to belong to is not read at all.
"""

from datetime import datetime

from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from meetings.models import Meeting
from publication.history import keep_versions, versions_call
from publication.models import seen_at, visible_condition
from publication.statements import Statement, attach, grouped, link_back, together

from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme

ItemTheme = CommuniqueItem.themes.through
ItemAnnex = CommuniqueItem.annexes.through


# What a linked part's document is never shown by (a link names it by its short title and address): its
# texts, read and made into strings for every link otherwise, a communiqué's whole body among them.
LINKED_DOCUMENT_UNREAD = [
    name
    for field in ("summary", "body", "official_url", "provenance_note")
    for name in (field, *(build_localized_fieldname(field, code) for code in AVAILABLE_LANGUAGES))
] + ["source_locator"]


def links(through, *, of: str, to: str, order: tuple[str, ...]) -> Statement:
    """The rows of one of a communiqué item's many-to-many tables whose path `of` is the given `record`
    (an id), each with the record at its end `to` and that record's document, which the client must be
    able to see; in `order`, then as they were made."""
    return Statement(
        through,
        lambda record, moment=None: (
            through.objects.filter(visible_condition(moment, f"{to}__declaration"), **{of: record})
            .select_related(f"{to}__declaration")
            .defer(*(f"{to}__declaration__{name}" for name in LINKED_DOCUMENT_UNREAD))
            .order_by(*order, "pk")
        ),
    )


DOCUMENT = Statement(
    Declaration,
    lambda slug, moment=None: Declaration.objects.filter(visible_condition(moment), slug=slug).select_related(
        "meeting", "source"
    )[:1],
)
THEMES = Statement(Theme, lambda document: Theme.objects.filter(declaration=document))
KEY_POINTS = Statement(
    KeyPoint, lambda document: KeyPoint.objects.filter(theme__declaration=document).order_by("number")
)
NOTES = Statement(Footnote, lambda document: Footnote.objects.filter(declaration=document))
ANNEXES = Statement(Annex, lambda document: Annex.objects.filter(declaration=document))
OWN_ITEMS = Statement(CommuniqueItem, lambda document: CommuniqueItem.objects.filter(declaration=document))
# A document's own parts, as its relations name them.
OWN_PARTS = {"themes": THEMES, "footnotes": NOTES, "annexes": ANNEXES, "communique_items": OWN_ITEMS}
# The communiqué items that take up a document's themes and annexes (on the document's page, grouped by
# communiqué), and the ministerial themes and annexes that a communiqué's own items take up.
ITEMS_OF_THEMES = links(
    ItemTheme,
    of="theme__declaration",
    to="communiqueitem",
    order=("communiqueitem__declaration", "communiqueitem__number"),
)
ITEMS_OF_ANNEXES = links(
    ItemAnnex, of="annex__declaration", to="communiqueitem", order=("communiqueitem__number",)
)
THEMES_OF_ITEMS = links(ItemTheme, of="communiqueitem__declaration", to="theme", order=("theme__number",))
ANNEXES_OF_ITEMS = links(ItemAnnex, of="communiqueitem__declaration", to="annex", order=("annex__number",))


def own_parts(document: Declaration, *names: str) -> dict[str, list]:
    """The document's parts of the relations `names` (themes, footnotes, annexes, communique_items),
    each linked to the document and set as the relation's; read together (one round trip)."""
    return set_own_parts(document, names, together(*own_part_calls(document, names)))


def own_part_calls(document: Declaration, names) -> list:
    return [(OWN_PARTS[name], {"document": document.pk}) for name in names]


def set_own_parts(document: Declaration, names, read: list) -> dict[str, list]:
    parts = {}
    for name, records in zip(names, read, strict=True):
        link_back(records, "declaration", document)
        attach(document, name, records)
        parts[name] = records
    return parts


def with_key_points(document: Declaration, themes: list[Theme]) -> None:
    """Read the key points of the document's themes (one query) and set each theme's."""
    set_key_points(themes, KEY_POINTS(document=document.pk) if themes else [])


def set_key_points(themes: list[Theme], key_points: list[KeyPoint]) -> None:
    by_theme = grouped(key_points, "theme_id", themes)
    for theme in themes:
        link_back(by_theme[theme.pk], "theme", theme)
        attach(theme, "key_points", by_theme[theme.pk])


def set_sources(items: list[CommuniqueItem], theme_links: list, annex_links: list) -> None:
    """Set each of the document's own items' ministerial themes and annexes, from the links read."""
    themes = grouped(theme_links, "communiqueitem_id", items)
    annexes = grouped(annex_links, "communiqueitem_id", items)
    for item in items:
        attach(item, "themes", [link.theme for link in themes[item.pk]])
        attach(item, "annexes", [link.annex for link in annexes[item.pk]])


def set_taken_up(parts: list, links: list, key: str) -> None:
    """Set each part's communiqué items that take it up, from the links read."""
    items = grouped(links, key, parts)
    for part in parts:
        attach(part, "communique_items", [link.communiqueitem for link in items[part.pk]])


def linked(document: Declaration, parts: dict, seen: dict, items_of_themes: Statement, *more) -> list:
    """What links the document's parts to the rest of the archive, asked for together (with `more`
    calls of the caller's): the key points of its themes, the communiqué items that take up its themes
    and annexes, and the themes and annexes that its own items take up; nothing for a relation without
    parts."""
    themes, annexes = parts["themes"], parts["annexes"]
    items = parts["communique_items"]
    record = {"record": document.pk, **seen}
    return together(
        (KEY_POINTS, {"document": document.pk}) if themes else None,
        (items_of_themes, record) if themes else None,
        (ITEMS_OF_ANNEXES, record) if annexes else None,
        (THEMES_OF_ITEMS, record) if items else None,
        (ANNEXES_OF_ITEMS, record) if items else None,
        *more,
    )


def set_linked(parts: dict, read: list) -> None:
    key_points, items_of_themes, items_of_annexes, themes_of_items, annexes_of_items = read
    set_key_points(parts["themes"], key_points)
    set_taken_up(parts["themes"], items_of_themes, "theme_id")
    set_taken_up(parts["annexes"], items_of_annexes, "annex_id")
    set_sources(parts["communique_items"], themes_of_items, annexes_of_items)


def read_document(slug: str, *, moment: datetime, preview: bool, history: bool = False) -> Declaration | None:
    """The document at `slug` as the visitor may see it at `moment`, with its parts linked, or None; with
    `history`, also the versions its corrections are listed from, read with its parts."""
    seen = seen_at(moment, preview=preview)
    document = DOCUMENT.one(slug=slug, **seen)
    if document is None:
        return None
    names = ("themes", "footnotes", "annexes", "communique_items")
    *read, versions = together(*own_part_calls(document, names), versions_call(document) if history else None)
    parts = set_own_parts(document, names, read)
    if history:
        keep_versions(document, versions)
    themes, notes, annexes = parts["themes"], parts["footnotes"], parts["annexes"]
    set_linked(parts, linked(document, parts, seen, ITEMS_OF_THEMES))
    # The notes and annexes of each theme, from the document's own (a part serves a theme of its own
    # document; a link that leaves it, which validation forbids, is read as before, on access).
    by_pk = {theme.pk: theme for theme in themes}
    for theme in themes:
        theme.notes = [note for note in notes if note.theme_id == theme.pk]
        theme.annex_list = [annex for annex in annexes if annex.theme_id == theme.pk]
    for part in (*notes, *annexes):
        if part.theme_id in by_pk:
            part.theme = by_pk[part.theme_id]
    return document


ANNEX_DOCUMENT = Statement(
    Declaration,
    lambda slug, moment=None: Declaration.objects.filter(visible_condition(moment), slug=slug).select_related(
        "meeting"
    )[:1],
)
ANNEX = Statement(
    Annex,
    lambda document, number: Annex.objects.filter(declaration=document, number=number).select_related(
        "theme"
    ),
)
ITEMS_OF_ANNEX = links(
    ItemAnnex,
    of="annex",
    to="communiqueitem",
    order=("communiqueitem__declaration", "communiqueitem__number"),
)


def read_annex(
    slug: str, number: int, *, moment: datetime, preview: bool
) -> tuple[Declaration, Annex | None] | None:
    """The document at `slug` as the visitor may see it at `moment` and its annex `number` (None if it has
    none of that number), with the communiqué items that take the annex up; None if no such document."""
    seen = seen_at(moment, preview=preview)
    document = ANNEX_DOCUMENT.one(slug=slug, **seen)
    if document is None:
        return None
    annex = ANNEX.one(document=document.pk, number=number)
    if annex is None:
        return document, None
    link_back([annex], "declaration", document)
    # The annex's corrections count from its document's publication.
    since = document.published_at
    items, versions = together(
        (ITEMS_OF_ANNEX, {"record": annex.pk, **seen}),
        versions_call(annex, public_since=since) if since is not None else None,
    )
    if since is not None:
        keep_versions(annex, versions, public_since=since)
    attach(annex, "communique_items", [link.communiqueitem for link in items])
    return document, annex


# The API's record of a document: what DeclarationSerializer reads, as its viewset prefetched it. It differs
# from the page's reading where the API's representation does: the document's meeting only if the client may
# see it, each theme's notes and annexes as relations, the items that take a part up in their number order.

API_DOCUMENT = Statement(
    Declaration,
    lambda slug, moment=None: Declaration.objects.filter(visible_condition(moment), slug=slug).select_related(
        "source"
    )[:1],
)
API_MEETING = Statement(
    Meeting, lambda meeting, moment=None: Meeting.objects.filter(visible_condition(moment), pk=meeting)
)
API_ITEMS_OF_THEMES = links(
    ItemTheme, of="theme__declaration", to="communiqueitem", order=("communiqueitem__number",)
)
THEMES_BY_ID = Statement(
    Theme,
    lambda themes, moment=None: Theme.objects.filter(
        visible_condition(moment, "declaration"), pk__in=themes
    ).select_related("declaration"),
)


def read_api_document(
    slug: str, *, moment: datetime, preview_documents: bool, preview_meetings: bool
) -> Declaration | None:
    """The document at `slug` with everything its API record gives, as the client may see it at `moment`
    (an editor who may change documents, or meetings, sees their drafts too), or None."""
    seen = seen_at(moment, preview=preview_documents)
    document = API_DOCUMENT.one(slug=slug, **seen)
    if document is None:
        return None
    names = ("themes", "annexes", "communique_items")
    meetings, *read = together(
        (API_MEETING, {"meeting": document.meeting_id, **seen_at(moment, preview=preview_meetings)}),
        *own_part_calls(document, names),
    )
    Declaration.meeting.field.set_cached_value(document, meetings[0] if meetings else None)
    parts = set_own_parts(document, names, read)
    themes, annexes = parts["themes"], parts["annexes"]
    *read, notes = linked(
        document, parts, seen, API_ITEMS_OF_THEMES, (NOTES, {"document": document.pk}) if themes else None
    )
    set_linked(parts, read)
    # Each theme's notes (the document's own: a footnote's document is its theme's, Footnote.save) and
    # the annexes that serve it (of the document's own: validation holds an annex to a theme of its own
    # document), as on the document's page.
    link_back(notes, "declaration", document)
    notes = grouped(notes, "theme_id", themes)
    served = grouped([annex for annex in annexes if annex.theme_id], "theme_id", themes)
    for theme in themes:
        link_back(notes[theme.pk], "theme", theme)
        attach(theme, "footnotes", notes[theme.pk])
        # Each annex's theme is set below, with those of the annexes that serve another document's.
        attach(theme, "annexes", served[theme.pk])
    # An annex serves a theme of its own document (validation holds to it); one that does not is read by
    # its id, under the same visibility.
    by_pk = {theme.pk: theme for theme in themes}
    others = sorted({annex.theme_id for annex in annexes if annex.theme_id and annex.theme_id not in by_pk})
    by_pk.update({theme.pk: theme for theme in THEMES_BY_ID(themes=others, **seen)})
    for annex in annexes:
        Annex.theme.field.set_cached_value(annex, by_pk.get(annex.theme_id))
    return document
