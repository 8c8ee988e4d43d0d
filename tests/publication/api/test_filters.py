"""`?q=` on every list (publication/api/filters.py): the shared search engine, best first, with the other
filters and orders, never a draft."""

import pytest

from tests.api_support import COMMUNIQUE, TAKASAKI, slugs
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_q_finds_records_with_the_shared_search_engine_best_first(api):
    # A two-character Japanese word, which only the engine's bigram index finds.
    hiroshima = slugs(api.get("/api/v1/meetings/", {"q": "広島"}))
    assert hiroshima[0] == "g7-2023-hiroshima-summit"
    english = slugs(api.get("/api/v1/meetings/", {"q": "Takasaki"}))
    assert english[0] == TAKASAKI
    assert slugs(api.get("/api/v1/declarations/", {"q": "コミュニケ"})) == [COMMUNIQUE]


def test_q_needs_every_word_keeps_phrases_and_folds_accents_as_the_site_does(api):
    """`?q=` reaches the engine through SEARCH_RANKING: the same words, phrases and folding as the page."""
    tsukuba = "g20-2019-trade-and-digital-economy-tsukuba"
    assert set(slugs(api.get("/api/v1/meetings/", {"q": "digital trade"}))) == {tsukuba, TAKASAKI}
    assert slugs(api.get("/api/v1/meetings/", {"q": "digital trade tsukuba"})) == [tsukuba]
    assert slugs(api.get("/api/v1/meetings/", {"q": '"digital trade"'})) == []
    assert slugs(api.get("/api/v1/meetings/", {"q": '"trade and digital"'})) == [tsukuba]
    for query in ("Dusseldorf", "düsseldorf", "ＤＵＳＳＥＬＤＯＲＦ"):
        assert slugs(api.get("/api/v1/meetings/", {"q": query})) == ["g7-2022-digital-dusseldorf"]


def test_q_with_ordering_orders_as_asked(api):
    by_score = slugs(api.get("/api/v1/meetings/", {"q": "大臣会合", "page_size": 100}))
    by_date = slugs(api.get("/api/v1/meetings/", {"q": "大臣会合", "ordering": "date", "page_size": 100}))
    assert sorted(by_score) == sorted(by_date)
    assert by_date[0] == "g7-2016-ict-takamatsu"


def test_q_combines_with_the_other_filters(api):
    assert slugs(api.get("/api/v1/meetings/", {"q": "大臣", "prefecture": "10"})) == [TAKASAKI]


def test_q_finds_no_draft(api):
    MeetingFactory(slug="secret-draft", title_ja="秘密の会合", status="draft", published_at=None)
    assert slugs(api.get("/api/v1/meetings/", {"q": "秘密"})) == []


def test_q_finds_parts(api):
    items = api.get("/api/v1/communique-items/", {"q": "メタバース"}).json()["results"]
    assert [item["topic"] for item in items] == ["metaverse"]
    annexes = api.get("/api/v1/annexes/", {"q": "DFFT"}).json()["results"]
    assert annexes[0]["number"] == 1
