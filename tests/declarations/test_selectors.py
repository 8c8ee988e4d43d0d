"""declarations.selectors: a document with its parts (read_document) and its API record, what they show and
to whom, in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from declarations.selectors import read_document
from publication.models import published_condition
from tests.factories import (
    AnnexFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    FootnoteFactory,
    KeyPointFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def read_with_prefetch(slug: str, *, preview: bool) -> Declaration | None:
    """What the pages show, read with prefetch_related relation by relation: the rule the selector must
    keep (the items that take a part up in their number order, as the API lists them)."""
    visible = (
        Declaration.objects.all() if preview else Declaration.objects.filter(published_condition(at=NOW))
    )
    items = CommuniqueItem.objects.filter(declaration__in=visible).select_related("declaration")
    return (
        visible.select_related("meeting", "source")
        .prefetch_related(
            Prefetch(
                "themes",
                Theme.objects.prefetch_related(
                    Prefetch("key_points", KeyPoint.objects.order_by("number")),
                    Prefetch("communique_items", items.order_by("number")),
                    Prefetch("footnotes", Footnote.objects.all()),
                    Prefetch("annexes", Annex.objects.all()),
                ),
            ),
            Prefetch("footnotes", Footnote.objects.all()),
            Prefetch(
                "annexes",
                Annex.objects.prefetch_related(Prefetch("communique_items", items.order_by("number"))),
            ),
            Prefetch(
                "communique_items",
                CommuniqueItem.objects.prefetch_related(
                    Prefetch(
                        "themes", Theme.objects.filter(declaration__in=visible).select_related("declaration")
                    ),
                    Prefetch(
                        "annexes", Annex.objects.filter(declaration__in=visible).select_related("declaration")
                    ),
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


def tree(document, *, notes_of, annexes_of, items_of) -> dict:
    """What the document's pages read of it, as comparable values."""

    def items(records):
        return [(item.pk, item.declaration.slug) for item in records]

    return {
        "document": (document.pk, document.slug, document.title, document.meeting.slug, document.source_id),
        "themes": [
            (
                theme.pk,
                theme.declaration.slug,
                [(point.pk, point.text, point.theme.pk) for point in theme.key_points.all()],
                items(items_of(theme)),
                [note.pk for note in notes_of(theme)],
                [annex.pk for annex in annexes_of(theme)],
            )
            for theme in document.themes.all()
        ],
        "notes": [(note.pk, note.declaration.slug, note.theme.pk) for note in document.footnotes.all()],
        "annexes": [
            (annex.pk, annex.declaration.slug, annex.theme_id, items(items_of(annex)))
            for annex in document.annexes.all()
        ],
        "items": [
            (
                item.pk,
                item.declaration.slug,
                [(theme.pk, theme.declaration.slug) for theme in item.themes.all()],
                [(annex.pk, annex.declaration.slug) for annex in item.annexes.all()],
            )
            for item in document.communique_items.all()
        ],
    }


@pytest.fixture
def user(editor):
    """The reader: an editor, who may preview drafts, or a visitor."""
    return lambda preview: editor if preview else AnonymousUser()


@pytest.fixture
def read_tree(user):
    return lambda slug, *, preview: read_tree_with_selector(slug, user=user(preview))


def read_tree_with_selector(slug, *, user):
    document = read_document(slug, user=user)
    with CaptureQueriesContext(connection) as queries:
        shape = tree(
            document,
            notes_of=lambda theme: theme.notes,
            annexes_of=lambda theme: theme.annex_list,
            items_of=lambda part: part.taken_up,
        )
    assert not queries.captured_queries, "every part is read and linked up front"
    return shape


def orm_tree(slug, *, preview):
    document = read_with_prefetch(slug, preview=preview)
    return tree(
        document,
        notes_of=lambda theme: theme.footnotes.all(),
        annexes_of=lambda theme: theme.annexes.all(),
        items_of=lambda part: part.communique_items.all(),
    )


@pytest.fixture
def archive():
    """A published declaration whose themes and annexes a published and a draft communiqué take up, and a
    draft declaration that the published communiqué's item also takes up."""
    declaration = DeclarationFactory(slug="declaration")
    first, second = ThemeFactory(declaration=declaration), ThemeFactory(declaration=declaration)
    KeyPointFactory(theme=first, number=2)
    KeyPointFactory(theme=first, number=1)
    FootnoteFactory(theme=second)
    serving = AnnexFactory(declaration=declaration, theme=second)
    plain = AnnexFactory(declaration=declaration)
    draft_declaration = DeclarationFactory(slug="draft-declaration", status="draft")
    draft_theme = ThemeFactory(declaration=draft_declaration)

    communique = DeclarationFactory(slug="communique", kind=Declaration.Kind.LEADERS_COMMUNIQUE)
    taking_up = CommuniqueItemFactory(declaration=communique)
    taking_up.themes.set([first, draft_theme])
    taking_up.annexes.set([serving])
    CommuniqueItemFactory(declaration=communique).themes.set([second])
    draft = CommuniqueItemFactory(
        declaration=DeclarationFactory(
            slug="draft-communique", kind=Declaration.Kind.LEADERS_COMMUNIQUE, status="draft"
        )
    )
    draft.themes.set([first])
    draft.annexes.set([plain])
    return declaration


@pytest.mark.parametrize("slug", ["declaration", "communique"])
@pytest.mark.parametrize("preview", [False, True])
def test_it_reads_what_prefetch_related_read(archive, read_tree, slug, preview):
    assert read_tree(slug, preview=preview) == orm_tree(slug, preview=preview)


def test_a_visitor_sees_no_part_of_a_draft_and_an_editor_sees_all(archive, read_tree, user):
    public = read_tree("declaration", preview=False)
    editor = read_tree("declaration", preview=True)

    public_items = {item for theme in public["themes"] for _pk, item in theme[3]}
    editor_items = {item for theme in editor["themes"] for _pk, item in theme[3]}
    assert public_items == {"communique"}
    assert editor_items == {"communique", "draft-communique"}
    assert [len(item[2]) for item in read_tree("communique", preview=False)["items"]] == [1, 1]
    assert [len(item[2]) for item in read_tree("communique", preview=True)["items"]] == [2, 1]
    assert read_document("draft-declaration", user=user(False)) is None
    assert read_document("draft-declaration", user=user(True)).slug == "draft-declaration"


def test_a_scheduled_document_appears_when_its_time_comes(archive, user):
    scheduled = Declaration.objects.filter(slug="declaration")
    scheduled.update(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert read_document("declaration", user=user(False)) is None

    scheduled.update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    assert read_document("declaration", user=user(False)) is not None
    assert read_document("unknown", user=user(True)) is None


def test_the_queries_do_not_grow_with_the_parts(archive, user):
    with CaptureQueriesContext(connection) as few:
        read_document("declaration", user=user(False))
    declaration = Declaration.objects.get(slug="declaration")
    for _ in range(5):
        theme = ThemeFactory(declaration=declaration)
        KeyPointFactory.create_batch(3, theme=theme)
        AnnexFactory(declaration=declaration, theme=theme)
    with CaptureQueriesContext(connection) as many:
        read_document("declaration", user=user(False))

    # The document; its themes and their key points; its annexes; its footnotes; the items that take up
    # its themes and annexes, in one query; its own official texts; what is shown beside its paragraphs
    # (declarations.annotations: the commitments they hold). A declaration has no communiqué items: none
    # are read.
    assert len(many.captured_queries) == len(few.captured_queries) == 8


def test_parts_without_parents_are_not_read(user):
    DeclarationFactory(slug="bare")

    with CaptureQueriesContext(connection) as queries:
        document = read_document("bare", user=user(False))

    assert list(document.themes.all()) == list(document.annexes.all()) == []
    # Without themes there are no footnotes, and nothing takes up a theme or an annex of it.
    assert len(queries.captured_queries) == 4, "the document, its themes, annexes and official texts"


# The API's record of a document (declarations.api.DeclarationViewSet, with_document_record) and its CSV row
# (with_document_row).


@pytest.fixture
def api_archive(archive):
    """The archive above, the communiqué's meeting a draft (its documents then name no meeting publicly)."""
    communique = Declaration.objects.get(slug="communique")
    communique.meeting.status = "draft"
    communique.meeting.save()
    return archive


@pytest.mark.parametrize("slug", ["declaration", "communique", "draft-declaration"])
@pytest.mark.parametrize("client", ["api", "editor_api"])
def test_the_api_record_shows_what_the_client_may_see(api_archive, request, slug, client):
    as_editor = client == "editor_api"
    client = request.getfixturevalue(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/declarations/{slug}/")

    assert response.status_code == (404 if slug.startswith("draft") and not as_editor else 200)
    if response.status_code == 200:
        record = response.json()
        assert (record["meeting"] is None) == (slug == "communique" and not as_editor)
        # At most ten queries; an editor's token and permissions cost a few more.
        assert len(queries) <= (10 + 4 if as_editor else 10)
    if slug == "declaration":
        first, second = record["themes"]
        assert [point["number"] for point in first["key_points"]] == [1, 2]
        assert [item["declaration"] for item in first["communique_items"]] == (
            ["communique", "draft-communique"] if as_editor else ["communique"]
        )
        assert len(second["footnotes"]) == 1 and len(second["annexes"]) == 1
        assert [annex["theme"] and annex["theme"]["number"] for annex in record["annexes"]] == [
            second["number"],
            None,
        ]
    if slug == "communique":
        taking_up = record["communique_items"][0]
        assert [theme["declaration"] for theme in taking_up["themes"]] == (
            ["declaration", "draft-declaration"] if as_editor else ["declaration"]
        )
        assert [annex["declaration"] for annex in taking_up["annexes"]] == ["declaration"]


def test_a_theme_lists_the_same_footnotes_and_annexes_alone_as_within_its_document(archive, api):
    """Guards the picking of a theme's footnotes and annexes among its document's (footnotes_of,
    annexes_serving): the theme's own record, its row in the list of themes and its place in the
    document's record list the same ones."""
    within = api.get("/api/v1/declarations/declaration/").json()["themes"]
    listed = api.get("/api/v1/themes/", {"declaration": "declaration"}).json()["results"]

    def parts(theme):
        return theme["footnotes"], theme["annexes"]

    assert [len(part) for theme in within for part in parts(theme)] == [0, 0, 1, 1]
    for theme, row in zip(within, listed, strict=True):
        alone = api.get(f"/api/v1/declarations/declaration/themes/{theme['number']}/").json()
        assert parts(theme) == parts(row) == parts(alone)
    serving = Annex.objects.get(declaration__slug="declaration", theme__isnull=False)
    assert within[1]["annexes"][0]["number"] == serving.number


@pytest.mark.parametrize("client", ["api", "editor_api"])
def test_a_csv_row_names_the_meeting_only_to_a_client_who_may_see_it(api_archive, request, client):
    """Guards with_document_row: the CSV's columns read the document's meeting as the read leaves it, so a
    meeting the client may not see must not be read at all."""
    response = request.getfixturevalue(client).get("/api/v1/declarations/export/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(text))}

    communique, declaration = (Declaration.objects.get(slug=slug) for slug in ("communique", "declaration"))
    assert rows["communique"]["meeting"] == ("" if client == "api" else communique.meeting.slug)
    assert rows["declaration"]["meeting"] == declaration.meeting.slug
    assert (rows["declaration"]["themes"], rows["declaration"]["annexes"]) == ("2", "2")


def test_only_a_communiques_own_items_are_read(user):
    """Only a leaders' communiqué has items (validation holds an item to one): a declaration's page reads
    none, a communiqué's reads them with the parts they take up."""
    with CaptureQueriesContext(connection) as queries:
        declaration = read_document("g7-2023-digital-and-tech-ministerial-declaration", user=user(False))
        assert list(declaration.communique_items.all()) == []
    own_items = 'WHERE "declarations_communiqueitem"."declaration_id" IN'
    assert not any(own_items in query["sql"] for query in queries)
    communique = read_document("g7-2023-hiroshima-leaders-communique", user=user(False))
    with CaptureQueriesContext(connection) as queries:
        items = list(communique.communique_items.all())
        assert [item.number for item in items] == [1, 2, 3, 4]
        assert sum(len(item.themes.all()) + len(item.annexes.all()) for item in items) > 0
    assert len(queries.captured_queries) == 0
