"""Performance that does not depend on the machine: every page, API endpoint and admin changelist uses the
same number of queries with the source's records (1×) and with a synthetic archive of 100 times as many,
no page or API response uses more than 10; an index serves every filter; pages answer a repeated request
with a 304."""

import json
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.management.commands.generate_archive import Generator
from commitments.models import Assessment, Commitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration
from meetings.models import Location, Meeting, Session

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"
COMMITMENT = "generative-ai-forum"
FOLLOW_UP = "g7-competition-summit-tokyo-2023"

# Marked so that they run with the other database tests, before any transactional test empties the tables.
pytestmark = pytest.mark.django_db

PAGES = {
    "home": "/en/",
    "meetings": "/en/meetings/",
    "meetings filtered": "/en/meetings/?year=2023&portfolio=digital&prefecture=10&forum=G7&kind=ministerial",
    "meetings by title": "/ja/meetings/?ordering=-title",
    "meetings by month": "/en/meetings/?month=4&q=digital",
    "meeting": f"/en/meetings/{TAKASAKI}/",
    "documents": "/en/declarations/",
    "documents filtered": "/en/declarations/?kind=ministerial_declaration&year=2023&q=digital",
    "document": f"/en/declarations/{DECLARATION}/",
    "communiqué": f"/ja/declarations/{COMMUNIQUE}/",
    "side by side": f"/en/declarations/{DECLARATION}/bilingual/",
    "annex": f"/en/declarations/{DECLARATION}/annexes/1/",
    "document as Akoma Ntoso": f"/en/declarations/{DECLARATION}/akn.xml",
    "search ja": "/ja/search/?q=宣言",
    "search en": "/en/search/?q=digital",
    # More than a page of results at 1× (32), many pages at 100×.
    "search page 1": "/en/search/?q=G7",
    "search page 2": "/en/search/?q=G7&page=2",
    "search one kind": "/en/search/?q=G7&kind=meeting",
    "search phrase": '/en/search/?q="digital infrastructure" G7',
    # The register's follow-ups (the Secretariat of the Headquarters for Digital Market Competition; every
    # synthetic one's issuing body) and earlier commitments.
    "search follow-ups": "/en/search/?q=Secretariat",
    "search earlier commitments": "/ja/search/?q=DFFT&kind=earlier_commitment",
    "data": "/ja/data/",
    "about": "/en/about/",
    "accessibility": "/ja/accessibility/",
    "terms": "/en/terms/",
    "contact": "/ja/contact/",
    # The commitment register, which the synthetic archive grows too (generate_archive).
    "commitments": "/en/commitments/",
    "commitments filtered": "/ja/commitments/?rating=full&progress=met&committed_by=ministers",
    "commitment": f"/en/commitments/{COMMITMENT}/",
    "follow-ups": "/en/commitments/follow-ups/",
    "follow-up": f"/ja/commitments/follow-ups/{FOLLOW_UP}/",
}
# Files that list every record: their query count is fixed, their length is not (they are cached).
CATALOGUES = {
    "sitemap": "/sitemap.xml",
    "feed": "/en/feeds/documents.atom",
    "calendar": "/meetings.ics",
}
# The whole archive in one file: built from every table once per content generation and then served from
# the cache (tests run with the page cache off, so this measures the build). Like the API's exports it is a
# bulk download rather than a page: its count is held to the same at both scales, not to the page budget.
FILES = {
    "archive bundle": "/data/g7-2023-archive.zip",
    "commitments CSV": "/api/v1/commitments/export/?format=csv",
    "follow-ups CSV": "/api/v1/follow-ups/export/?format=csv",
    "assessments CSV": "/api/v1/assessments/export/?format=csv",
}
API = {
    "meetings": "/api/v1/meetings/",
    "meetings filtered": "/api/v1/meetings/?year=2023&portfolio=digital&ordering=-date",
    "meeting": f"/api/v1/meetings/{TAKASAKI}/",
    "declarations": "/api/v1/declarations/?lang=all",
    "declaration": f"/api/v1/declarations/{DECLARATION}/",
    "themes": "/api/v1/themes/",
    "theme": f"/api/v1/declarations/{DECLARATION}/themes/1/",
    "annexes": "/api/v1/annexes/?kind=action_plan",
    "annex": f"/api/v1/declarations/{DECLARATION}/annexes/1/",
    "official texts": f"/api/v1/declarations/{DECLARATION}/official-texts/",
    "declaration as Akoma Ntoso": f"/api/v1/declarations/{DECLARATION}/akn/?lang=ja",
    "communiqué items": "/api/v1/communique-items/",
    "organizations": "/api/v1/organizations/",
    "people": "/api/v1/people/",
    "prefectures": "/api/v1/prefectures/",
    "search": "/api/v1/search/?q=デジタル",
    "search follow-ups": "/api/v1/search/?q=Secretariat&kind=follow_up",
    "commitments": "/api/v1/commitments/?lang=all",
    "commitments filtered": "/api/v1/commitments/?rating=full&committed_by=ministers",
    "commitment": f"/api/v1/commitments/{COMMITMENT}/",
    "follow-ups": "/api/v1/follow-ups/",
    "follow-up": f"/api/v1/follow-ups/{FOLLOW_UP}/",
    "assessments": "/api/v1/assessments/",
    "assessment": f"/api/v1/assessments/{COMMITMENT}/",
}
PAGE_BUDGET = 10
ADMIN_MODELS = [
    model
    for model in apps.get_models()
    if model._meta.app_label in {"core", "meetings", "declarations", "commitments"}
    and admin.site.is_registered(model)
]


def count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code, len(queries)


def measure(client, admin_client) -> dict[str, tuple[int, int]]:
    results = {}
    for name, url in {**PAGES, **CATALOGUES}.items():
        results[f"page {name}"] = count_queries(client, url)
    for name, url in API.items():
        results[f"api {name}"] = count_queries(client, url)
    for name, url in FILES.items():
        results[f"file {name}"] = count_queries(client, url)
    for model in ADMIN_MODELS:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        results[f"admin {model._meta.label}"] = count_queries(admin_client, url)
    return results


# The lists whose page must be read off an index in its order, not sorted from every record.
ORDERED_LISTS = [
    "/en/meetings/",
    "/en/meetings/?ordering=-date",
    "/en/declarations/",
    "/en/declarations/?kind=ministerial_declaration",
    "/api/v1/meetings/",
    "/api/v1/declarations/",
    "/api/v1/declarations/?kind=ministerial_declaration",
    "/api/v1/themes/",
    "/api/v1/annexes/",
    "/api/v1/communique-items/",
    "/en/commitments/",
    "/en/commitments/follow-ups/",
    "/api/v1/commitments/",
    "/api/v1/follow-ups/",
    "/api/v1/assessments/",
]


def list_queries(client) -> dict[str, list[str]]:
    """Each list of ORDERED_LISTS with the SQL of every query its first page makes."""
    found = {}
    for url in ORDERED_LISTS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        found[url] = [query["sql"] for query in queries]
    return found


def sqlite_plan(sql: str) -> list[tuple[int, str]]:
    """SQLite's plan of a query: each step's parent and what it does."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [(parent, detail) for _id, parent, _, detail in cursor]


def sorts(sql: str) -> bool:
    """Whether the database sorts rows for the query's ORDER BY rather than reading them in order (on
    PostgreSQL: any Sort in the plan, however few rows the planner expects it to sort; every table a list
    reads, the commitment register's too, is grown by the synthetic archive)."""
    if connection.vendor == "sqlite":
        return any(
            parent == 0 and "TEMP B-TREE FOR ORDER BY" in detail for parent, detail in sqlite_plan(sql)
        )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        if node["Node Type"] == "Sort":
            return True
        nodes.extend(node.get("Plans", []))
    return False


def reads_rows(sql: str) -> bool:
    """Whether SQLite reads a table's rows for the query (a scan or a search of the table itself, or an
    index that does not hold every column asked for) rather than answering from indexes alone."""
    return any(
        detail.startswith(("SCAN", "SEARCH")) and "COVERING INDEX" not in detail
        for _parent, detail in sqlite_plan(sql)
    )


def sorted_pages(queries: dict[str, list[str]]) -> dict[str, str]:
    """For each list, its page query if the database sorts for it."""
    return {
        url: sql[sql.index("ORDER BY") :]
        for url, statements in queries.items()
        for sql in statements
        if re.search(r"ORDER BY .* LIMIT \d+$", sql) and sorts(sql)
    }


def counts_reading_rows(queries: dict[str, list[str]]) -> dict[str, str]:
    """For each list, its COUNT query if SQLite reads rows for it rather than an index alone."""
    return {
        url: sql
        for url, statements in queries.items()
        for sql in statements
        if sql.startswith("SELECT COUNT(*)") and reads_rows(sql)
    }


@pytest.fixture(scope="module")
def budgets(django_db_setup, django_db_blocker):
    """The query counts of every page at 1× and at 100×, measured in one transaction that is rolled back."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from search.indexing import reindex
    from search.models import Kind

    class Rollback(Exception):
        pass

    counts = {}
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_superuser("budget", password="a-long-budget-password")
                staff = Client()
                staff.force_login(user)
                # Warm what is cached per process (content types, the site's settings), so that only the
                # records count.
                measure(Client(), staff)
                counts["1×"] = measure(Client(), staff)
                counts["sizes 1×"] = (Meeting.objects.count(), Declaration.objects.count())
                import random

                Generator(100, random.Random(2023)).run()
                # Index a part of the new records (all of them would take minutes): enough that searches
                # find many hits, and the count of queries still must not change.
                for kind, model in (
                    (Kind.MEETING, Meeting),
                    (Kind.DECLARATION, Declaration),
                    (Kind.FOLLOW_UP, FollowUp),
                ):
                    reindex(
                        kind, model.objects.filter(slug__startswith="synthetic-").values_list("pk", flat=True)
                    )
                counts["100×"] = measure(Client(), staff)
                counts["sizes 100×"] = (Meeting.objects.count(), Declaration.objects.count())
                counts["register 100×"] = (
                    Commitment.objects.count(),
                    FollowUp.objects.count(),
                    Assessment.objects.count(),
                )
                # As generate_archive leaves the database: with the planner's statistics.
                from publication.services import refresh_statistics

                refresh_statistics()
                queries = list_queries(Client())
                counts["sorted 100×"] = sorted_pages(queries)
                # The checks themselves: an order no index serves is seen to sort, and a count by a column
                # no index holds to read rows.
                with CaptureQueriesContext(connection) as control:
                    list(Meeting.objects.order_by("participants_en", "pk")[:20])
                    Meeting.objects.filter(participants_en="G7").count()
                counts["control sorts"] = sorts(control[0]["sql"])
                if connection.vendor == "sqlite":
                    counts["counts reading rows 100×"] = counts_reading_rows(queries)
                    counts["control reads rows"] = reads_rows(control[1]["sql"])
                raise Rollback
        except Rollback:
            pass
    return counts


def test_the_synthetic_archive_is_a_hundred_times_the_source(budgets):
    meetings, documents = budgets["sizes 100×"]
    assert meetings >= 1800 and documents >= 5000
    assert budgets["sizes 1×"][0] < 100
    # The register: 900 commitments more (as far as its numbers, 1 to 999, go), each assessed, and 2,000
    # follow-ups.
    commitments, follow_ups, assessments = budgets["register 100×"]
    assert commitments >= 900 and assessments == commitments and follow_ups >= 2000


def test_every_page_answers_at_both_scales(budgets):
    for scale in ("1×", "100×"):
        failed = {name: status for name, (status, _) in budgets[scale].items() if status != 200}
        assert not failed, (scale, failed)


def test_no_query_count_grows_with_the_number_of_records(budgets):
    grown = {
        name: (queries, budgets["100×"][name][1])
        for name, (_, queries) in budgets["1×"].items()
        if budgets["100×"][name][1] != queries
    }
    assert not grown, grown


def test_a_later_search_page_costs_the_queries_of_the_first(budgets):
    for scale in ("1×", "100×"):
        assert budgets[scale]["page search page 2"] == budgets[scale]["page search page 1"], scale


def test_every_list_reads_its_page_off_an_index_at_100x(budgets):
    assert budgets["control sorts"]
    assert budgets["sorted 100×"] == {}


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL counts from an index alone only where VACUUM has marked the table's pages "
    "all-visible, which it has not done yet for records just generated.",
)
def test_every_lists_count_reads_an_index_alone_at_100x(budgets):
    assert budgets["control reads rows"]
    assert budgets["counts reading rows 100×"] == {}


def test_no_page_or_api_response_uses_more_than_ten_queries(budgets):
    heavy = {
        name: queries
        for scale in ("1×", "100×")
        for name, (_, queries) in budgets[scale].items()
        if name.startswith(("page ", "api ")) and queries > PAGE_BUDGET
    }
    assert not heavy, heavy


@pytest.mark.parametrize("url", [PAGES["home"], PAGES["meeting"], PAGES["document"], PAGES["search ja"]])
def test_a_repeated_page_request_with_its_etag_is_a_304(client, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    other_language = client.get(url.replace("/en/", "/ja/", 1), HTTP_IF_NONE_MATCH=first["ETag"])
    if url.startswith("/en/"):
        assert other_language.status_code == 200


def indexed_leading_columns(model) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        info["columns"][0]
        for info in constraints.values()
        if info["columns"] and (info["index"] or info["unique"])
    }


@pytest.mark.parametrize(
    ("model", "columns"),
    [
        # The meeting list's filters: forum, kind, year, portfolio; status for published(); the slug lookup.
        (Meeting, ["forum", "kind", "year", "portfolio", "status", "slug", "summit_id", "start_date"]),
        # month goes through the sessions, prefecture through the locations; the order by date is the
        # meetings' own start_date, which the sessions keep.
        (Session, ["meeting_id", "start_date", "end_date"]),
        (Location, ["meeting_id", "prefecture_id"]),
        (Declaration, ["kind", "meeting_id", "adopted_on", "status", "slug"]),
        (Annex, ["declaration_id", "kind", "theme_id"]),
        (CommuniqueItem, ["declaration_id", "topic"]),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_an_index_serves_every_filter_and_ordering(model, columns):
    missing = set(columns) - indexed_leading_columns(model)
    assert not missing, missing


def test_generate_archive_refuses_a_second_run_without_replace():
    from django.core.management.base import CommandError

    call_command("generate_archive", "--scale", "1", "--no-index", verbosity=0)
    assert Meeting.objects.filter(slug__startswith="synthetic-").count() == 18
    with pytest.raises(CommandError):
        call_command("generate_archive", "--scale", "1", "--no-index", verbosity=0)
    call_command("generate_archive", "--scale", "2", "--replace", "--no-index", verbosity=0)
    assert Meeting.objects.filter(slug__startswith="synthetic-").count() == 36
    assert Declaration.objects.filter(slug__startswith="synthetic-").count() == 100


def test_generate_archive_grows_the_commitment_register_by_its_rules(settings):
    """Nine commitments a unit, each from a synthetic paragraph and assessed, twenty follow-ups a unit: every
    record passes its model's validation (its validators, clean() and constraints), and --replace removes
    them with the rest."""
    # The synthetic follow-ups' addresses are not on the web: the link check is not what is tested.
    settings.LINK_CHECK_BEFORE_PUBLISHING = False
    last = Commitment.objects.order_by("-number").first().number
    call_command("generate_archive", "--scale", "2", "--no-index", verbosity=0)
    commitments = Commitment.objects.filter(slug__startswith="synthetic-").order_by("number")
    follow_ups = FollowUp.objects.filter(slug__startswith="synthetic-")
    assessments = Assessment.objects.filter(commitment__slug__startswith="synthetic-")
    assert (commitments.count(), follow_ups.count(), assessments.count()) == (18, 40, 18)
    assert [commitment.number for commitment in commitments] == list(range(last + 1, last + 19))
    for record in [*commitments, *follow_ups, *assessments]:
        record.full_clean()
    sources = {
        field: commitments.filter(**{f"{field}__isnull": False}).count()
        for field in ("key_point", "footnote", "annex", "communique_item")
    }
    assert sources == {"key_point": 10, "footnote": 2, "annex": 2, "communique_item": 4}
    for commitment in commitments:
        assert commitment.source_declaration.slug.startswith("synthetic-")
        assert commitment.is_public
        assert commitment.follow_ups.exists()
        evidence = set(commitment.assessment.evidence.all())
        assert evidence <= set(commitment.follow_ups.all())
        assert bool(evidence) == (commitment.assessment.rating in {"full", "partial", "none"})
    call_command("generate_archive", "--scale", "1", "--replace", "--no-index", verbosity=0)
    # Counted afresh (a queryset read above counts what it read).
    assert (commitments.all().count(), follow_ups.all().count(), assessments.all().count()) == (9, 20, 9)


def test_generate_archive_numbers_commitments_no_further_than_999():
    Commitment.objects.filter(slug="generative-ai-forum").update(number=985)
    call_command("generate_archive", "--scale", "3", "--no-index", verbosity=0)
    numbers = list(Commitment.objects.filter(slug__startswith="synthetic-").values_list("number", flat=True))
    # Room for one unit's nine (986–994), not for a second.
    assert sorted(numbers) == list(range(986, 995))
