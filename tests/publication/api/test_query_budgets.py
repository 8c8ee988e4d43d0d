"""Query budgets: the number of queries of every endpoint does not grow with the number of records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from declarations.models import Declaration
from tests.api_support import COMMUNIQUE, DECLARATION, TAKASAKI, body
from tests.factories import (
    AnnexFactory,
    ChairFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    FootnoteFactory,
    KeyPointFactory,
    LocationFactory,
    MeetingFactory,
    OfficialTextFactory,
    OrganizationFactory,
    SessionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

EXTRA = 30

# Reads run outside a transaction (publication.api.views.ApiViewMixin.as_view), so no savepoint pair is counted.
ENDPOINTS = [
    ("/api/v1/meetings/", 5),
    ("/api/v1/meetings/?format=csv", 5),  # the meetings, summits, hosts, sessions, places
    (f"/api/v1/meetings/{TAKASAKI}/", 7),
    ("/api/v1/meetings/export/", 6),
    ("/api/v1/meetings/export/?format=csv", 5),
    ("/api/v1/meetings/?q=meeting", 6),
    ("/api/v1/declarations/", 4),
    (f"/api/v1/declarations/{DECLARATION}/", 9),
    (f"/api/v1/declarations/{COMMUNIQUE}/", 8),
    ("/api/v1/declarations/export/", 10),
    # The documents, their meetings, sources, parts counted and official texts.
    ("/api/v1/declarations/export/?format=csv", 6),
    ("/api/v1/declarations/?format=csv", 6),
    (f"/api/v1/declarations/{DECLARATION}/official-texts/", 3),
    (f"/api/v1/declarations/{DECLARATION}/akn/?lang=en", 9),
    ("/api/v1/themes/", 7),
    (f"/api/v1/declarations/{DECLARATION}/themes/1/", 6),
    ("/api/v1/themes/export/?format=csv", 5),
    # An annex's record gives its official texts.
    ("/api/v1/annexes/", 5),
    (f"/api/v1/declarations/{DECLARATION}/annexes/1/", 4),
    ("/api/v1/annexes/export/", 3),
    ("/api/v1/communique-items/", 5),
    (f"/api/v1/declarations/{COMMUNIQUE}/communique-items/1/", 4),
    ("/api/v1/communique-items/export/?format=csv", 3),
    ("/api/v1/organizations/", 2),
    ("/api/v1/organizations/mic/", 1),
    ("/api/v1/people/export/", 1),
    ("/api/v1/prefectures/", 2),
    ("/api/v1/prefectures/10/", 1),
    ("/api/v1/search/?q=DFFT", 2),
]
# The rule for every page and API response, whatever the number of records.
MOST_QUERIES = 10


def test_no_endpoint_may_use_more_than_ten_queries():
    """Guards the rule itself: a change that needs more queries than it allows cannot raise a budget past it."""
    assert {url: budget for url, budget in ENDPOINTS if budget > MOST_QUERIES} == {}


def add_records(count: int) -> None:
    """`count` more of every kind of record, linked as the fixtures are, all published."""
    communique = Declaration.objects.get(slug=COMMUNIQUE)
    takasaki = Declaration.objects.get(slug=DECLARATION)
    for index in range(count):
        meeting = MeetingFactory(title_en="test meeting")
        meeting.hosts.add(OrganizationFactory())
        SessionFactory(meeting=meeting)
        LocationFactory(meeting=meeting)
        ChairFactory(meeting=meeting)
        declaration = DeclarationFactory(meeting=meeting, title_en="DFFT test declaration")
        theme = ThemeFactory(declaration=declaration, title_en="DFFT test theme")
        KeyPointFactory(theme=theme)
        FootnoteFactory(theme=theme)
        annex = AnnexFactory(declaration=declaration, theme=theme)
        OfficialTextFactory(declaration=declaration)
        OfficialTextFactory(declaration=declaration, annex=annex)
        OfficialTextFactory(declaration=takasaki, number=20 + index, annex=takasaki.annexes.get(number=1))
        item = CommuniqueItemFactory(declaration=communique, number=50 + index, title_en="DFFT test item")
        item.themes.add(theme)
        item.annexes.add(annex)


def params(url: str) -> dict:
    # One page of up to 100 records, so that every extra record lands in the same response.
    return {} if "?" in url or "export" in url else {"page_size": 100}


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params(url))
        assert response.status_code == 200
        body(response)
    return len(context.captured_queries)


def test_the_queries_of_every_endpoint_do_not_grow_with_the_records(api):
    # One test for all endpoints: making the extra records is the slow part, so it is done once.
    with_fixtures = {url: queries_of(api, url) for url, _budget in ENDPOINTS}
    over_budget = {
        url: (with_fixtures[url], budget) for url, budget in ENDPOINTS if with_fixtures[url] > budget
    }
    assert over_budget == {}
    add_records(EXTRA)
    with_more = {url: queries_of(api, url) for url, _budget in ENDPOINTS}
    assert with_more == with_fixtures


def test_an_editor_reading_drafts_costs_the_same_few_queries_more(editor_api, django_assert_max_num_queries):
    # The token and the permission check cost a fixed number of queries on top of the anonymous budget.
    with django_assert_max_num_queries(5 + 4):
        assert editor_api.get("/api/v1/meetings/", {"page_size": 100}).status_code == 200
    add_records(EXTRA)
    with django_assert_max_num_queries(5 + 4):
        assert editor_api.get("/api/v1/meetings/", {"page_size": 100}).status_code == 200


def test_a_read_opens_no_transaction_and_a_write_runs_in_one(api, editor_api):
    with CaptureQueriesContext(connection) as read:
        assert api.get(f"/api/v1/meetings/{TAKASAKI}/").status_code == 200
        assert api.get("/api/v1/meetings/no-such-meeting/").status_code == 404
    assert not [query for query in read.captured_queries if "SAVEPOINT" in query["sql"].upper()]
    with CaptureQueriesContext(connection) as write:
        response = editor_api.patch(
            "/api/v1/organizations/mic/", {"website": "https://www.soumu.go.jp/"}, format="json"
        )
        assert response.status_code == 200
    assert any("SAVEPOINT" in query["sql"].upper() for query in write.captured_queries)
