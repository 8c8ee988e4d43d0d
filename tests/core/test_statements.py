"""publication.statements.AtTime: a query built once, run with each request's time, as the ORM would run it."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from declarations.models import Annex, CommuniqueItem, Declaration, KeyPoint, Theme
from meetings.api import archive_last_modified, archive_stamps
from meetings.models import Meeting
from publication import statements
from publication.statements import UNREAD, AtTime, Statement, attach, related, together
from tests.factories import (
    AnnexFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    KeyPointFactory,
    MeetingFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=123456)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def archive():
    """A meeting published yesterday, one scheduled for tomorrow, a document published two days ago."""
    published = MeetingFactory(status="published", published_at=NOW - DAY)
    MeetingFactory(status="published", published_at=NOW + DAY)
    DeclarationFactory(meeting=published, status="published", published_at=NOW - 2 * DAY)
    return published


@pytest.mark.parametrize(
    "moment", [NOW - 3 * DAY, NOW - DAY - datetime.timedelta(microseconds=1), NOW, NOW + 2 * DAY]
)
def test_each_moment_gives_the_row_the_orm_gives(archive, moment):
    prepared = AtTime(Meeting, archive_stamps)

    assert prepared.first(moment) == archive_stamps(moment).first()


def test_the_published_times_follow_the_moment(archive):
    Meeting.objects.exclude(pk=archive.pk).filter(published_at__lt=NOW).update(published_at=NOW - 9 * DAY)
    Declaration.objects.filter(published_at__lt=NOW - 2 * DAY).update(published_at=NOW - 9 * DAY)
    prepared = AtTime(Meeting, archive_stamps)

    before = prepared.first(NOW - DAY - datetime.timedelta(microseconds=1))
    after = prepared.first(NOW)

    assert before["published"] == NOW - 9 * DAY
    assert after["published"] == NOW - DAY
    assert after["document_published"] == NOW - 2 * DAY
    assert isinstance(after["changed"], datetime.datetime) and timezone.is_aware(after["changed"])


def test_the_query_is_built_once_and_runs_as_one_query(archive):
    built = []

    def build(moment):
        built.append(moment)
        return archive_stamps(moment)

    prepared = AtTime(Meeting, build)
    with CaptureQueriesContext(connection) as queries:
        prepared.first(NOW)
        prepared.first(NOW + DAY)

    assert len(built) == 1
    assert len(queries.captured_queries) == 2


def test_no_row_is_none():
    prepared = AtTime(Meeting, lambda moment: archive_stamps(moment).filter(pk__lt=0))

    assert prepared.first(NOW) is None


def test_a_query_that_does_not_depend_on_the_moment_is_refused():
    prepared = AtTime(Meeting, lambda moment: Meeting.objects.values("slug"))

    with pytest.raises(ValueError):
        prepared.first(NOW)


def test_archive_last_modified_is_the_newest_of_the_four_times(archive):
    Meeting.objects.update(updated_at=NOW - 5 * DAY)
    Declaration.objects.update(updated_at=NOW - 5 * DAY)

    assert archive_last_modified() == NOW - DAY


# publication.statements.Statement: a QuerySet built once, its rows made into instances as the QuerySet makes them.


def fields_of(record) -> dict:
    return {name: value for name, value in vars(record).items() if not name.startswith("_")}


def shown_fields_of(record) -> dict:
    """fields_of() but the editors' bookkeeping, which statements leave unread."""
    return {name: value for name, value in fields_of(record).items() if name not in UNREAD}


@pytest.fixture
def document():
    """A document with two themes (one with two key points) and two annexes, the second serving a theme."""
    declaration = DeclarationFactory()
    first, second = ThemeFactory(declaration=declaration), ThemeFactory(declaration=declaration)
    KeyPointFactory(theme=first)
    KeyPointFactory(theme=first)
    AnnexFactory(declaration=declaration, number=1, title_en="Beta", title_ja="あ")
    AnnexFactory(declaration=declaration, number=2, theme=second, title_en="Alpha", title_ja="い")
    return declaration


def test_a_statement_gives_the_instances_the_queryset_gives(document):
    def build(document):
        return Annex.objects.filter(declaration=document).select_related("theme", "declaration__meeting")

    statement = Statement(Annex, build)

    annexes = statement(document=document.pk)

    expected = list(build(document.pk))
    assert [fields_of(annex) for annex in annexes] == [shown_fields_of(annex) for annex in expected]
    assert all(type(annex) is Annex and annex._state.db == "default" for annex in annexes)
    with CaptureQueriesContext(connection) as queries:
        related = [(annex.theme, annex.declaration.meeting) for annex in annexes]
    assert not queries.captured_queries, "select_related is read with the rows"
    assert related == [(annex.theme, annex.declaration.meeting) for annex in expected]
    # Converted as Django converts them: an aware datetime, not SQLite's text.
    assert annexes[0].declaration.published_at == document.published_at


def test_the_editors_bookkeeping_is_left_unread_and_read_when_asked_for(document):
    document.translation_status = {"title_en": "provisional"}
    document.save()
    statement = Statement(
        Annex, lambda document: Annex.objects.filter(declaration=document).select_related("declaration")
    )
    with CaptureQueriesContext(connection) as queries:
        annexes = statement(document=document.pk)
    (select,) = queries.captured_queries
    assert not any(column in select["sql"] for column in UNREAD)
    assert "title_en" in select["sql"]
    # Asked for, it is read from the database: never a wrong value.
    assert annexes[0].declaration.translation_status == {"title_en": "provisional"}
    assert annexes[0].text_changed_at == Annex.objects.get(pk=annexes[0].pk).text_changed_at


def test_annotations_are_set_as_the_queryset_sets_them(document):
    def build(document):
        return Theme.objects.filter(declaration=document).annotate(points=Count("key_points"))

    themes = Statement(Theme, build)(document=document.pk)

    assert [(theme.pk, theme.points) for theme in themes] == [
        (theme.pk, theme.points) for theme in build(document.pk)
    ]
    assert sorted(theme.points for theme in themes) == [0, 2]


def test_it_is_built_once_a_shape_and_each_run_is_one_query(document):
    other = DeclarationFactory()
    AnnexFactory(declaration=other)
    built = []

    def build(documents):
        built.append(list(documents))
        return Annex.objects.filter(declaration__in=documents)

    statement = Statement(Annex, build)
    with CaptureQueriesContext(connection) as queries:
        both = statement(documents=[document.pk, other.pk])
        one = statement(documents=[other.pk])
        again = statement(documents=[other.pk, document.pk])
        assert statement(documents=[]) == []

    assert len(built) == 4, "twice (two sets of stand-ins) for a list of two, and for a list of one"
    assert len(queries.captured_queries) == 3, "an empty list runs no query"
    assert {annex.declaration_id for annex in both} == {document.pk, other.pk}
    assert [annex.pk for annex in one] == list(other.annexes.values_list("pk", flat=True))
    assert sorted(annex.pk for annex in again) == sorted(annex.pk for annex in both)


def test_each_language_has_its_own_sql(document):
    """modeltranslation writes `title` as the active language's column when the QuerySet is built."""
    statement = Statement(
        Annex, lambda document: Annex.objects.filter(declaration=document).order_by("title")
    )

    with translation.override("en"):
        english = [annex.title_en for annex in statement(document=document.pk)]
    with translation.override("ja"):
        japanese = [annex.title_ja for annex in statement(document=document.pk)]

    assert english == ["Alpha", "Beta"]
    assert japanese == ["あ", "い"]


def test_the_moment_is_a_value_of_each_run():
    DeclarationFactory(slug="past", published_at=NOW - DAY)
    DeclarationFactory(slug="future", published_at=NOW + DAY)
    statement = Statement(
        Declaration,
        lambda moment: Declaration.objects.filter(
            slug__in=["past", "future"], published_at__lte=moment
        ).order_by("slug"),
    )

    assert [document.slug for document in statement(moment=NOW)] == ["past"]
    assert [document.slug for document in statement(moment=NOW + 2 * DAY)] == ["future", "past"]


def test_a_value_the_query_does_not_take_is_refused(document):
    statement = Statement(Annex, lambda document, number: Annex.objects.filter(declaration=document))

    with pytest.raises(ValueError, match="number"):
        statement(document=document.pk, number=1)


def test_a_value_changed_on_its_way_is_refused(document):
    """`icontains` sends `%value%`: the statement cannot put a value where the database is given another."""
    statement = Statement(Annex, lambda title: Annex.objects.filter(title_en__icontains=title))

    with pytest.raises(ValueError, match="as it is given"):
        statement(title="Alpha")


def test_a_constant_equal_to_a_stand_in_stays_a_constant(document):
    """The query is built with two sets of stand-ins: only what differs between the two is a value."""
    AnnexFactory(declaration=document, number=50)
    statement = Statement(
        Annex,
        lambda document: Annex.objects.filter(number__lte=20_001, declaration=document).order_by("number"),
    )

    annexes = statement(document=document.pk)

    assert [annex.number for annex in annexes] == [1, 2, 50]


def test_values_of_other_types_are_refused(document):
    statement = Statement(Annex, lambda document: Annex.objects.filter(declaration=document))

    with pytest.raises(TypeError):
        statement(document=1.5)
    with pytest.raises(TypeError):
        statement(document=True)
    statement(document=document.pk)
    with pytest.raises(TypeError):
        statement(document=None)
    with pytest.raises(ValueError):
        statement(document=str(document.pk))  # not run in the SQL built for an int


def test_attach_sets_what_all_gives_without_a_query(document):
    theme = Theme.objects.get(pk=document.themes.filter(key_points__isnull=False).values("pk")[:1])
    points = list(KeyPoint.objects.filter(theme=theme))
    item = CommuniqueItemFactory()
    item.themes.add(theme)
    item = CommuniqueItem.objects.get(pk=item.pk)

    attach(theme, "key_points", points)
    attach(item, "themes", [theme])
    with CaptureQueriesContext(connection) as queries:
        assert list(theme.key_points.all()) == points
        assert theme.key_points.count() == 2
        assert list(item.themes.all()) == [theme]
    assert not queries.captured_queries

    with CaptureQueriesContext(connection) as queries:
        assert theme.key_points.all().first() == points[0] and theme.key_points.all().last() == points[-1]
        assert theme.key_points.exists() and theme.key_points.all()[1] == points[1]
        assert item.themes.count() == 1
    assert not queries.captured_queries

    # The related manager's own QuerySet underneath: anything else asks the database, of this record only.
    KeyPointFactory()
    with CaptureQueriesContext(connection) as queries:
        assert list(theme.key_points.filter(number__gte=0)) == points
        assert list(theme.key_points.all().order_by("-number")) == points[::-1]
        assert list(item.themes.filter(pk=theme.pk)) == [theme]
        assert theme.key_points.all().model is KeyPoint
    assert len(queries.captured_queries) == 3
    # and what was read stays read.
    with CaptureQueriesContext(connection) as queries:
        assert list(theme.key_points.all()) == points
    assert not queries.captured_queries


def test_related_gives_what_all_gives_attached_prefetched_or_neither(document, monkeypatch):
    theme = Theme.objects.get(pk=document.themes.filter(key_points__isnull=False).values("pk")[:1])
    points = list(KeyPoint.objects.filter(theme=theme))
    attach(theme, "key_points", points)
    # What a selector attached: the list itself, without a related manager or a query.
    made = []
    monkeypatch.setattr(
        type(Theme.key_points), "__get__", lambda *args: made.append(args) or pytest.fail("a manager")
    )
    with CaptureQueriesContext(connection) as queries:
        assert related(theme, "key_points") == points
    assert not queries.captured_queries and not made
    monkeypatch.undo()
    assert related(theme, "key_points") is theme.key_points.all()
    # Django's prefetch_related, and nothing read ahead: the manager's all(), as before.
    prefetched = Theme.objects.prefetch_related("key_points").get(pk=theme.pk)
    with CaptureQueriesContext(connection) as queries:
        assert list(related(prefetched, "key_points")) == points
    assert not queries.captured_queries
    with CaptureQueriesContext(connection) as queries:
        assert list(related(Theme.objects.get(pk=theme.pk), "key_points")) == points
    assert len(queries.captured_queries) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_prepares_a_statement_that_a_connection_runs_often(document):
    """The server binds the parameters and prepares what a connection has run five times
    (DATABASE_PREPARED_STATEMENTS), so the pages' statements are planned once a connection."""
    statement = Statement(
        Annex, lambda document: Annex.objects.filter(declaration=document).order_by("number")
    )
    for _ in range(6):
        annexes = statement(document=document.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s", ["%declarations_annex%"]
        )
        prepared = [row[0] for row in cursor.fetchall()]

    assert [annex.number for annex in annexes] == [1, 2]
    assert any('"declarations_annex"."declaration_id" = $1' in sql for sql in prepared), prepared


def test_statements_run_together_give_what_each_gives_alone(document, monkeypatch):
    themes = Statement(Theme, lambda document: Theme.objects.filter(declaration=document))
    annexes = Statement(
        Annex, lambda document: Annex.objects.filter(declaration=document).select_related("theme")
    )
    by_ids = Statement(Annex, lambda ids: Annex.objects.filter(pk__in=ids))
    pipelines = []
    real = statements._pipelined
    monkeypatch.setattr(
        statements, "_pipelined", lambda pending: pipelines.append(len(pending)) or real(pending)
    )

    with CaptureQueriesContext(connection) as queries:
        together_read = together(
            (themes, {"document": document.pk}),
            None,
            (annexes, {"document": document.pk}),
            (by_ids, {"ids": []}),
        )
    alone = [themes(document=document.pk), [], annexes(document=document.pk), []]

    assert [[fields_of(record) for record in read] for read in together_read] == [
        [fields_of(record) for record in read] for read in alone
    ]
    assert together_read[2][1].theme == alone[2][1].theme
    # Each statement is still a query; none for nothing to read or an empty `__in`.
    assert len(queries.captured_queries) == 2
    # Sent in one round trip where the database is PostgreSQL.
    assert pipelines == ([2] if connection.vendor == "postgresql" else [])


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pipeline is PostgreSQL's; SQLite runs them in turn"
)
def test_an_error_in_a_pipeline_is_djangos_and_leaves_the_connection_usable(document):
    good = Statement(Theme, lambda document: Theme.objects.filter(declaration=document))
    bad = Statement(
        Theme,
        lambda document: Theme.objects.filter(declaration=document).annotate(
            broken=RawSQL("1 / (%s - %s)", [1, 1])
        ),
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        together((good, {"document": document.pk}), (bad, {"document": document.pk}))
    assert [
        theme.pk
        for theme in together((good, {"document": document.pk}), (good, {"document": document.pk}))[1]
    ] == [theme.pk for theme in document.themes.all()]
