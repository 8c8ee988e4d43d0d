"""How a document and its parts are read, for its pages, its API record and its export alike.

A document is read with its meeting and its source, joined, and its parts prefetched (document_parts): its
themes with their key points, its footnotes, its annexes and its own communiqué items, each with the parts
of other documents that it links to, of documents the reader may see. What links a part to another document
names that document, so it is read with it. A theme's footnotes and annexes are among its document's own,
so they are picked from those (footnotes_of, annexes_serving) rather than read a second time, theme by theme.
"""

from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Value,
    prefetch_related_objects,
)

from meetings.models import Meeting
from publication.views import may_preview, visible

from .annotations import annotate
from .models import Annex, CommuniqueItem, Declaration, Footnote, OfficialText, Theme

# A document's long texts, which nothing shows of a document read only to link to it or to name it: read
# with every part that links to one, they were most of what the database sent and the ORM built.
LONG_TEXTS = ("body", "summary", "provenance_note")


def without_long_texts(path: str) -> tuple[str, ...]:
    """The long texts of the document at `path`, for defer()."""
    return tuple(f"{path}__{field}" for field in LONG_TEXTS)


def parts_seen_by(model, user) -> QuerySet:
    """The parts (themes, annexes, communiqué items) of the documents that `user` may see, each with its
    document. The rule is a correlated EXISTS on the part's own document, so that the database starts from
    the parts asked for and checks each one's document:
    - as `declaration__in=<subquery>`, SQLite read all the parts of every published document before the
      few asked for;
    - as a condition on the join to the document, SQLite started from the published documents when a
      prefetch named many parts (the archive's 14,000 communiqué items: each of 36,000 themes was matched
      against all of them, for minutes), where the EXISTS reads each asked-for part once."""
    parts = model._default_manager.select_related("declaration").defer(*without_long_texts("declaration"))
    if may_preview(user, Declaration):
        return parts
    return parts.filter(Exists(Declaration.objects.published().filter(pk=OuterRef("declaration"))))


def theme_parts(user) -> tuple:
    """What every reading of a theme shows with it: its key points, and the communiqué items that take it
    up."""
    return ("key_points", Prefetch("communique_items", parts_seen_by(CommuniqueItem, user)))


def theme_record_parts(user) -> tuple:
    """What a theme's API record lists besides theme_parts: the footnotes and annexes of its document (which
    the reader sees, as the theme is seen), among which footnotes_of() and annexes_serving() find its own."""
    return (*theme_parts(user), "declaration__footnotes", "declaration__annexes")


def footnotes_of(theme) -> list[Footnote]:
    """The theme's footnotes, picked from its document's (a footnote's document is its theme's)."""
    return [note for note in theme.declaration.footnotes.all() if note.theme_id == theme.pk]


def annexes_serving(theme) -> list[Annex]:
    """The annexes that serve the theme, picked from its document's (validation holds an annex to a theme of
    its own document)."""
    return [annex for annex in theme.declaration.annexes.all() if annex.theme_id == theme.pk]


def annex_parts(user) -> tuple:
    """What every reading of an annex shows with it: the communiqué items that take it up."""
    return (Prefetch("communique_items", parts_seen_by(CommuniqueItem, user)),)


def item_parts(user) -> tuple:
    """What every reading of a communiqué item shows with it: the themes and annexes it takes up."""
    return (Prefetch("themes", parts_seen_by(Theme, user)), Prefetch("annexes", parts_seen_by(Annex, user)))


def document_parts(user, *, items: bool = True) -> tuple:
    """A document's themes (with their key points and the communiqué items that take them up), its footnotes,
    its annexes (with the theme each serves and the items that take them up) and, unless `items` is False,
    its own communiqué items (with the themes and annexes they take up)."""
    parts = (
        Prefetch("themes", Theme.objects.prefetch_related(*theme_parts(user))),
        # The page's notes name the theme each annotates.
        Prefetch("footnotes", Footnote.objects.select_related("theme")),
        Prefetch(
            "annexes",
            Annex.objects.select_related("theme__declaration")
            .defer(*without_long_texts("theme__declaration"))
            .prefetch_related(*annex_parts(user)),
        ),
    )
    return (*parts, own_items(user)) if items else parts


def own_items(user, *, read: bool = True) -> Prefetch:
    """A document's own communiqué items, with the themes and annexes they take up; none at all, without a
    query, when `read` is False."""
    items = (
        CommuniqueItem.objects.prefetch_related(*item_parts(user)) if read else CommuniqueItem.objects.none()
    )
    return Prefetch("communique_items", items)


def official_texts() -> Prefetch:
    """An annex's official texts, in their order."""
    return Prefetch("official_texts", OfficialText.objects.order_by("number"))


def document_official_texts(document) -> QuerySet:
    """The official texts of the document itself (not those of its annexes), in their order: read apart
    from its record, whose full reading (the API's export of every document) has no query to spare."""
    return OfficialText.objects.filter(declaration=document, annex=None).order_by("number")


def with_document_record(documents: QuerySet, *, user) -> QuerySet:
    """The documents with what a document's pages, its API record and its export show: its meeting and its
    source, joined (the API names the meeting only to a client who may see it,
    meetings.serializers.MeetingReferenceSerializer), and every part (document_parts)."""
    return documents.select_related("meeting", "source").prefetch_related(*document_parts(user))


def with_document_summary(documents: QuerySet, *, user) -> QuerySet:
    """The documents with what the API's list shows of each: its meeting, if `user` may see it. Read apart
    rather than joined (as are the sources): with the join, SQLite would sort every document rather than
    read the page off the index of the list's order."""
    return documents.prefetch_related(Prefetch("meeting", visible(Meeting.objects.all(), user)))


def with_document_row(documents: QuerySet, *, user) -> QuerySet:
    """The documents with what their CSV rows show (resources.DeclarationResource): the meeting if `user` may
    see it, the source, and the parts they count. The resource reads the meeting as it is read here, so the
    meetings `user` may not see are not read at all."""
    return documents.select_related("source").prefetch_related(
        Prefetch("meeting", visible(Meeting.objects.all(), user)),
        "themes",
        "annexes",
        "communique_items",
        Prefetch("official_texts", OfficialText.objects.filter(annex=None).order_by("number")),
    )


def read_document(slug: str, *, user) -> Declaration | None:
    """The document at `slug` as `user` may see it, with what its pages show, or None: each theme with its
    key points, its `notes` and its `annex_list` (picked from the document's own) and its `taken_up` (the
    communiqué items that take it up); each annex with its `taken_up`; each paragraph with its
    `annotations` (declarations.annotations). Ten queries at most with the page's corrections, however long
    the document is."""
    documents = visible(Declaration.objects.all(), user).select_related("meeting", "source")
    document = (
        documents.prefetch_related(
            Prefetch("themes", Theme.objects.prefetch_related("key_points")),
            Prefetch(
                "annexes",
                Annex.objects.select_related("theme__declaration").defer(
                    *without_long_texts("theme__declaration")
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )
    if document is None:
        return None
    themes = list(document.themes.all())
    annexes = list(document.annexes.all())
    # A footnote's document is its theme's (Footnote.save): a document without themes has none, and they are
    # not read. Only a leaders' communiqué has items of its own (CommuniqueItem.declaration's
    # limit_choices_to, which every save's validation applies): another document's are not read.
    notes = Footnote.objects.select_related("theme") if themes else Footnote.objects.none()
    prefetch_related_objects(
        [document],
        Prefetch("footnotes", notes),
        own_items(user, read=document.kind == Declaration.Kind.LEADERS_COMMUNIQUE),
    )
    taken_up = items_taking_up(document, user) if themes or annexes else []
    for theme in themes:
        theme.notes = footnotes_of(theme)
        theme.annex_list = annexes_serving(theme)
        theme.taken_up = [item for item in taken_up if item.theme_link == theme.pk]
    for annex in annexes:
        annex.taken_up = [item for item in taken_up if item.annex_link == annex.pk]
    document.own_official_texts = list(document_official_texts(document))
    annotate(
        [
            *(point for theme in themes for point in theme.key_points.all()),
            *document.footnotes.all(),
            *annexes,
            *document.communique_items.all(),
        ],
        user,
    )
    return document


def items_taking_up(document, user) -> list[CommuniqueItem]:
    """The communiqué items that take up a theme or an annex of `document`, of documents `user` may see, in
    one query (rather than one for the themes and one for the annexes): each row is an item with the theme
    (`theme_link`) or the annex (`annex_link`) it takes up, the other None."""
    items = parts_seen_by(CommuniqueItem, user).order_by()
    none = Value(None, output_field=IntegerField())
    by_theme = items.filter(themes__declaration=document).annotate(theme_link=F("themes"), annex_link=none)
    by_annex = items.filter(annexes__declaration=document).annotate(theme_link=none, annex_link=F("annexes"))
    return list(by_theme.union(by_annex, all=True).order_by("position", "id"))


def with_annex_record(annexes: QuerySet, *, user) -> QuerySet:
    """The annexes with what an annex's page and its API record show: its document, the theme it serves
    and the communiqué items that take it up."""
    return annexes.select_related("declaration", "theme__declaration").prefetch_related(
        *annex_parts(user), official_texts()
    )


def read_annex(slug: str, number: int, *, user) -> Annex | None:
    """Annex `number` of the document at `slug`, if `user` may see the document, with what its page shows
    (and its `annotations`, declarations.annotations); or None."""
    annexes = with_annex_record(parts_seen_by(Annex, user), user=user)
    annex = annexes.filter(declaration__slug=slug, number=number).first()
    if annex is not None:
        annotate([annex], user)
    return annex
