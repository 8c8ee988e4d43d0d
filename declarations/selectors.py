"""How a document and its parts are read, for its pages, its API record and its export alike.

A document's parts are prefetched (document_parts): its themes with their key points, its annexes and
its own communiqué items, each with the parts of other documents that it links to, of documents the
reader may see. What links a part to another document names that document, so it is read with it.
"""

from django.db.models import Prefetch, QuerySet

from publication.models import published_condition
from publication.views import may_preview, visible

from .models import Annex, CommuniqueItem, Declaration, Footnote, Theme


def parts_seen_by(model, user) -> QuerySet:
    """The parts (themes, annexes, communiqué items) of the documents that `user` may see, each with its
    document. The rule is a condition on the join to the document, not `declaration__in=<subquery>`:
    given every published document to match, SQLite read all their parts before the few asked for."""
    parts = model._default_manager.select_related("declaration")
    if may_preview(user, Declaration):
        return parts
    return parts.filter(published_condition("declaration"))


def theme_parts(user) -> tuple:
    """What every reading of a theme shows with it: its key points, and the communiqué items that take it
    up."""
    return ("key_points", Prefetch("communique_items", parts_seen_by(CommuniqueItem, user)))


def theme_record_parts(user) -> tuple:
    """What a theme's API record lists: theme_parts, its footnotes, and the annexes that serve it."""
    return (
        *theme_parts(user),
        Prefetch("footnotes", Footnote.objects.select_related("declaration")),
        Prefetch("annexes", parts_seen_by(Annex, user)),
    )


def annex_parts(user) -> tuple:
    """What every reading of an annex shows with it: the communiqué items that take it up."""
    return (Prefetch("communique_items", parts_seen_by(CommuniqueItem, user)),)


def item_parts(user) -> tuple:
    """What every reading of a communiqué item shows with it: the themes and annexes it takes up."""
    return (Prefetch("themes", parts_seen_by(Theme, user)), Prefetch("annexes", parts_seen_by(Annex, user)))


def document_parts(user, *, themes=theme_parts) -> tuple:
    """A document's themes (with what `themes(user)` gives), its annexes (with the theme each serves) and
    its own communiqué items, each with what every reading of it shows."""
    return (
        Prefetch("themes", Theme.objects.prefetch_related(*themes(user))),
        Prefetch(
            "annexes", Annex.objects.select_related("theme__declaration").prefetch_related(*annex_parts(user))
        ),
        Prefetch("communique_items", CommuniqueItem.objects.prefetch_related(*item_parts(user))),
    )


def read_document(slug: str, *, user) -> Declaration | None:
    """The document at `slug` as `user` may see it, with its meeting and every part its pages show, or
    None. Each theme's `notes` and `annex_list` are taken from the document's own footnotes and annexes
    (a footnote's document is its theme's, and validation holds an annex to a theme of its own document),
    rather than read again theme by theme."""
    document = (
        visible(Declaration.objects.select_related("meeting", "source"), user)
        .prefetch_related(
            *document_parts(user), Prefetch("footnotes", Footnote.objects.select_related("theme"))
        )
        .filter(slug=slug)
        .first()
    )
    if document is None:
        return None
    notes, annexes = document.footnotes.all(), document.annexes.all()
    for theme in document.themes.all():
        theme.notes = [note for note in notes if note.theme_id == theme.pk]
        theme.annex_list = [annex for annex in annexes if annex.theme_id == theme.pk]
    return document


def with_annex_record(annexes: QuerySet, *, user) -> QuerySet:
    """The annexes with what an annex's page and its API record show: its document, the theme it serves
    and the communiqué items that take it up."""
    return annexes.select_related("declaration", "theme__declaration").prefetch_related(*annex_parts(user))


def read_annex(slug: str, number: int, *, user) -> Annex | None:
    """Annex `number` of the document at `slug`, if `user` may see the document, with what its page shows;
    or None."""
    annexes = with_annex_record(parts_seen_by(Annex, user), user=user)
    return annexes.filter(declaration__slug=slug, number=number).first()
