"""Querying: the website's filters, the shared search engine as `?q=`, and pagination."""

import pytest

from tests.factories import MeetingFactory

from .conftest import COMMUNIQUE, DECLARATION, TAKASAKI

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [record["slug"] for record in response.json()["results"]]


def test_meetings_filter_as_on_the_website(api):
    assert slugs(api.get("/api/v1/meetings/", {"prefecture": "10"})) == [TAKASAKI]
    assert slugs(api.get("/api/v1/meetings/", {"forum": "G20"})) == [
        "g20-2019-trade-and-digital-economy-tsukuba"
    ]
    assert slugs(api.get("/api/v1/meetings/", {"kind": "summit"})) == ["g7-2023-hiroshima-summit"]
    digital_2023 = api.get("/api/v1/meetings/", {"portfolio": "digital", "year": 2023})
    assert slugs(digital_2023) == [TAKASAKI]
    april_2023 = slugs(api.get("/api/v1/meetings/", {"year": 2023, "month": 4, "page_size": 100}))
    assert TAKASAKI in april_2023 and "g7-2023-hiroshima-summit" not in april_2023


def test_the_education_meeting_is_found_by_either_of_its_prefectures(api):
    toyama = slugs(api.get("/api/v1/meetings/", {"prefecture": "16"}))
    ishikawa = slugs(api.get("/api/v1/meetings/", {"prefecture": "17"}))
    assert toyama == ishikawa and len(toyama) == 1


def test_meetings_order_as_asked(api):
    earliest = slugs(api.get("/api/v1/meetings/", {"ordering": "date", "page_size": 100}))
    latest = slugs(api.get("/api/v1/meetings/", {"ordering": "-date", "page_size": 100}))
    assert earliest[0] == "g7-2016-ict-takamatsu"
    assert latest[-1] == "g7-2016-ict-takamatsu"
    assert sorted(latest) == sorted(earliest)


def test_declarations_filter_as_on_the_website(api):
    assert slugs(api.get("/api/v1/declarations/", {"kind": "leaders_communique"})) == [COMMUNIQUE]
    assert slugs(api.get("/api/v1/declarations/", {"meeting": TAKASAKI})) == [DECLARATION]
    assert slugs(api.get("/api/v1/declarations/", {"year": 2023})) == [COMMUNIQUE, DECLARATION]
    assert slugs(api.get("/api/v1/declarations/", {"ordering": "date"})) == [DECLARATION, COMMUNIQUE]


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


def test_the_search_endpoint_ranks_every_kind_in_one_list(api):
    """The communiqué follows the summit it is named after, before the meetings that name it in passing."""
    hits = api.get("/api/v1/search/", {"q": "広島", "lang": "ja", "page_size": 100}).json()["results"]
    assert [(hit["kind"], hit["web_url"].split("/")[-2]) for hit in hits[:2]] == [
        ("meeting", "g7-2023-hiroshima-summit"),
        ("declaration", COMMUNIQUE),
    ]
    assert [hit["score"] for hit in hits] == sorted((hit["score"] for hit in hits), reverse=True)
    quoted = api.get("/api/v1/search/", {"q": '"trade and digital economy"', "lang": "en"}).json()
    assert [hit["title"] for hit in quoted["results"]] == [
        "G20 Ministerial Meeting on Trade and Digital Economy in Tsukuba, Ibaraki"
    ]
    # The phrase is in the title only (the summary says "trade and the digital economy"): marked there.
    assert quoted["results"][0]["snippet"] == (
        "G20 Ministerial Meeting on <mark>Trade and Digital Economy</mark> in Tsukuba, Ibaraki"
    )


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


def test_the_search_endpoint_returns_hits_of_every_kind(api):
    response = api.get("/api/v1/search/", {"q": "DFFT", "lang": "en", "page_size": 100})
    assert response.status_code == 200
    hits = response.json()["results"]
    kinds = {hit["kind"] for hit in hits}
    assert {"declaration", "theme", "annex", "communique_item"} <= kinds
    assert all(hit["score"] > 0 for hit in hits)
    assert [hit["score"] for hit in hits] == sorted((hit["score"] for hit in hits), reverse=True)
    theme = next(hit for hit in hits if hit["kind"] == "theme")
    assert theme["web_url"].startswith("http://testserver/en/declarations/")
    assert theme["api_url"].startswith("http://testserver/api/v1/declarations/")
    assert "<mark>" in "".join(hit["snippet"] for hit in hits)


def test_the_search_endpoint_narrows_by_kind(api):
    hits = api.get("/api/v1/search/", {"q": "DFFT", "kind": ["annex", "theme"]}).json()["results"]
    assert hits and {hit["kind"] for hit in hits} <= {"annex", "theme"}


def test_pages_link_to_each_other(api):
    first = api.get("/api/v1/prefectures/", {"page_size": 20}).json()
    assert first["count"] == 47 and len(first["results"]) == 20
    assert first["next"] == "http://testserver/api/v1/prefectures/?page=2&page_size=20"
    last = api.get("/api/v1/prefectures/", {"page_size": 20, "page": 3}).json()
    assert [prefecture["code"] for prefecture in last["results"]] == [str(code) for code in range(41, 48)]
    assert last["next"] is None and last["previous"].endswith("page=2&page_size=20")


def test_the_default_page_holds_twenty(api):
    assert len(api.get("/api/v1/prefectures/").json()["results"]) == 20


def test_the_search_endpoint_says_when_its_count_is_a_lower_bound(api, monkeypatch):
    complete = api.get("/api/v1/search/", {"q": "DFFT", "page_size": 100}).json()
    assert complete["more"] is False and complete["count"] > 3
    # As if DFFT were so common that only the best few records of it were ranked.
    monkeypatch.setattr("search.engine.CANDIDATES_PER_TERM", 2)
    capped = api.get("/api/v1/search/", {"q": "DFFT", "page_size": 100}).json()
    assert capped["more"] is True
    assert capped["count"] < complete["count"]
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    page = schema["components"]["schemas"]["PaginatedSearchHitList"]
    assert "more" in page["required"] and page["properties"]["more"]["type"] == "boolean"
