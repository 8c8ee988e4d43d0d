"""A document with every part its pages show, read with statements built once (core.statements).

The document's page used to read its parts with prefetch_related: ten QuerySets built and compiled for
each request, which cost more than half of the page. Here each part is one statement keyed by the
document's id, and the parts are linked to each other directly, as prefetch_related links them: what the
templates read (`document.themes.all`, `theme.key_points.all`, `item.themes.all`, `theme.notes` …) is the
same, and a part that has no parents to belong to is not read at all.
"""

from datetime import datetime

from core.models import visible_condition
from core.statements import Statement, attach
from meetings.models import Meeting

from .models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme

ItemTheme = CommuniqueItem.themes.through
ItemAnnex = CommuniqueItem.annexes.through


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
# The communiqué items that take up the document's themes and annexes: those of documents the visitor may
# see, with their document (for their address).
ITEMS_OF_THEMES = Statement(
    ItemTheme,
    lambda document, moment=None: (
        ItemTheme.objects.filter(
            visible_condition(moment, "communiqueitem__declaration"), theme__declaration=document
        )
        .select_related("communiqueitem__declaration")
        .order_by("communiqueitem__declaration", "communiqueitem__number", "pk")
    ),
)
ITEMS_OF_ANNEXES = Statement(
    ItemAnnex,
    lambda document, moment=None: (
        ItemAnnex.objects.filter(
            visible_condition(moment, "communiqueitem__declaration"), annex__declaration=document
        )
        .select_related("communiqueitem__declaration")
        .order_by("communiqueitem__number", "pk")
    ),
)
# The ministerial themes and annexes that the document's own items take up, in documents the visitor may see.
THEMES_OF_ITEMS = Statement(
    ItemTheme,
    lambda document, moment=None: (
        ItemTheme.objects.filter(
            visible_condition(moment, "theme__declaration"), communiqueitem__declaration=document
        )
        .select_related("theme__declaration")
        .order_by("theme__number", "pk")
    ),
)
ANNEXES_OF_ITEMS = Statement(
    ItemAnnex,
    lambda document, moment=None: (
        ItemAnnex.objects.filter(
            visible_condition(moment, "annex__declaration"), communiqueitem__declaration=document
        )
        .select_related("annex__declaration")
        .order_by("annex__number", "pk")
    ),
)


def _belonging(records, key: str, parents) -> dict:
    """The records grouped under each parent's id, in the records' order."""
    groups = {parent.pk: [] for parent in parents}
    for record in records:
        groups.setdefault(getattr(record, key), []).append(record)
    return groups


def _link(records: list, field: str, parent) -> None:
    """Set each record's foreign key `field` to `parent`, as prefetch_related sets the way back."""
    if records:
        foreign_key = records[0]._meta.get_field(field)
        for record in records:
            foreign_key.set_cached_value(record, parent)


def read_document(slug: str, *, moment: datetime, preview: bool) -> Declaration | None:
    """The document at `slug` as the visitor may see it at `moment`, with its parts linked, or None."""
    # An editor's preview reads everything: its statements are built without a moment.
    seen = {} if preview else {"moment": moment}
    found = DOCUMENT(slug=slug, **seen)
    if not found:
        return None
    (document,) = found
    themes = THEMES(document=document.pk)
    notes = NOTES(document=document.pk)
    annexes = ANNEXES(document=document.pk)
    items = OWN_ITEMS(document=document.pk)
    for parts, name in (
        (themes, "themes"),
        (notes, "footnotes"),
        (annexes, "annexes"),
        (items, "communique_items"),
    ):
        _link(parts, "declaration", document)
        attach(document, name, parts)

    by_pk = {theme.pk: theme for theme in themes}
    key_points = _belonging(KEY_POINTS(document=document.pk) if themes else [], "theme_id", themes)
    theme_items = _belonging(
        ITEMS_OF_THEMES(document=document.pk, **seen) if themes else [], "theme_id", themes
    )
    for theme in themes:
        _link(key_points[theme.pk], "theme", theme)
        attach(theme, "key_points", key_points[theme.pk])
        attach(theme, "communique_items", [link.communiqueitem for link in theme_items[theme.pk]])
        # The notes and annexes of each theme, from the document's own (a part serves a theme of its own
        # document; a link that leaves it, which validation forbids, is read as before, on access).
        theme.notes = [note for note in notes if note.theme_id == theme.pk]
        theme.annex_list = [annex for annex in annexes if annex.theme_id == theme.pk]
    for part in (*notes, *annexes):
        if part.theme_id in by_pk:
            part.theme = by_pk[part.theme_id]

    annex_items = _belonging(
        ITEMS_OF_ANNEXES(document=document.pk, **seen) if annexes else [], "annex_id", annexes
    )
    for annex in annexes:
        attach(annex, "communique_items", [link.communiqueitem for link in annex_items[annex.pk]])

    if items:
        item_themes = _belonging(THEMES_OF_ITEMS(document=document.pk, **seen), "communiqueitem_id", items)
        item_annexes = _belonging(ANNEXES_OF_ITEMS(document=document.pk, **seen), "communiqueitem_id", items)
        for item in items:
            attach(item, "themes", [link.theme for link in item_themes[item.pk]])
            attach(item, "annexes", [link.annex for link in item_annexes[item.pk]])
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
ITEMS_OF_ANNEX = Statement(
    ItemAnnex,
    lambda annex, moment=None: (
        ItemAnnex.objects.filter(visible_condition(moment, "communiqueitem__declaration"), annex=annex)
        .select_related("communiqueitem__declaration")
        .order_by("communiqueitem__declaration", "communiqueitem__number", "pk")
    ),
)


def read_annex(
    slug: str, number: int, *, moment: datetime, preview: bool
) -> tuple[Declaration, Annex | None] | None:
    """The document at `slug` as the visitor may see it at `moment` and its annex `number` (None if it has
    none of that number), with the communiqué items that take the annex up; None if no such document."""
    seen = {} if preview else {"moment": moment}
    found = ANNEX_DOCUMENT(slug=slug, **seen)
    if not found:
        return None
    (document,) = found
    annexes = ANNEX(document=document.pk, number=number)
    if not annexes:
        return document, None
    (annex,) = annexes
    _link(annexes, "declaration", document)
    attach(
        annex, "communique_items", [link.communiqueitem for link in ITEMS_OF_ANNEX(annex=annex.pk, **seen)]
    )
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
THEME_NOTES = Statement(
    Footnote,
    lambda document: (
        Footnote.objects.filter(theme__declaration=document).select_related("declaration").order_by("number")
    ),
)
THEME_ANNEXES = Statement(
    Annex,
    lambda document, moment=None: Annex.objects.filter(
        visible_condition(moment, "declaration"), theme__declaration=document
    ).select_related("declaration"),
)
API_ITEMS_OF_THEMES = Statement(
    ItemTheme,
    lambda document, moment=None: (
        ItemTheme.objects.filter(
            visible_condition(moment, "communiqueitem__declaration"), theme__declaration=document
        )
        .select_related("communiqueitem__declaration")
        .order_by("communiqueitem__number", "pk")
    ),
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
    seen = {} if preview_documents else {"moment": moment}
    found = API_DOCUMENT(slug=slug, **seen)
    if not found:
        return None
    (document,) = found
    meetings = API_MEETING(meeting=document.meeting_id, **({} if preview_meetings else {"moment": moment}))
    Declaration.meeting.field.set_cached_value(document, meetings[0] if meetings else None)

    themes = THEMES(document=document.pk)
    annexes = ANNEXES(document=document.pk)
    items = OWN_ITEMS(document=document.pk)
    for parts, name in ((themes, "themes"), (annexes, "annexes"), (items, "communique_items")):
        _link(parts, "declaration", document)
        attach(document, name, parts)

    if themes:
        key_points = _belonging(KEY_POINTS(document=document.pk), "theme_id", themes)
        notes = _belonging(THEME_NOTES(document=document.pk), "theme_id", themes)
        served = _belonging(THEME_ANNEXES(document=document.pk, **seen), "theme_id", themes)
        taken_up = _belonging(API_ITEMS_OF_THEMES(document=document.pk, **seen), "theme_id", themes)
        for theme in themes:
            _link(key_points[theme.pk], "theme", theme)
            attach(theme, "key_points", key_points[theme.pk])
            _link(notes[theme.pk], "theme", theme)
            attach(theme, "footnotes", notes[theme.pk])
            _link(served[theme.pk], "theme", theme)
            attach(theme, "annexes", served[theme.pk])
            attach(theme, "communique_items", [link.communiqueitem for link in taken_up[theme.pk]])

    if annexes:
        # An annex serves a theme of its own document (validation holds to it); one that does not is read
        # by its id, under the same visibility.
        by_pk = {theme.pk: theme for theme in themes}
        others = sorted(
            {annex.theme_id for annex in annexes if annex.theme_id and annex.theme_id not in by_pk}
        )
        by_pk.update({theme.pk: theme for theme in THEMES_BY_ID(themes=others, **seen)})
        taken_up = _belonging(ITEMS_OF_ANNEXES(document=document.pk, **seen), "annex_id", annexes)
        for annex in annexes:
            Annex.theme.field.set_cached_value(annex, by_pk.get(annex.theme_id))
            attach(annex, "communique_items", [link.communiqueitem for link in taken_up[annex.pk]])

    if items:
        item_themes = _belonging(THEMES_OF_ITEMS(document=document.pk, **seen), "communiqueitem_id", items)
        item_annexes = _belonging(ANNEXES_OF_ITEMS(document=document.pk, **seen), "communiqueitem_id", items)
        for item in items:
            attach(item, "themes", [link.theme for link in item_themes[item.pk]])
            attach(item, "annexes", [link.annex for link in item_annexes[item.pk]])
    return document
