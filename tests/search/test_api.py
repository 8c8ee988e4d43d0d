"""The search endpoint (search/api.py): hits of every kind in one ranked list, narrowed by kind, with a count
that says when it is a lower bound; the commitment register's records found by their kind, with their
addresses."""

import pytest

from tests.api_support import COMMUNIQUE
from tests.search.support import COMPETITION_SUMMIT, EPAD, HUMAN_CENTRED, TSUKUBA

pytestmark = pytest.mark.django_db


def test_the_search_endpoint_ranks_every_kind_in_one_list(api):
    """The communiqué follows the summit it is named after, before the meetings that name it in passing."""
    hits = api.get("/api/v1/search/", {"q": "広島", "lang": "ja", "page_size": 100}).json()["results"]
    # The follow-up on the Hiroshima AI Process names Hiroshima once more than the summit's entry does.
    assert [(hit["kind"], hit["web_url"].split("/")[-2]) for hit in hits[:3]] == [
        ("follow_up", "hiroshima-ai-process-ministers-meeting-2023-09"),
        ("meeting", "g7-2023-hiroshima-summit"),
        ("declaration", COMMUNIQUE),
    ]
    assert [hit["score"] for hit in hits] == sorted((hit["score"] for hit in hits), reverse=True)
    quoted = api.get("/api/v1/search/", {"q": '"trade and digital economy"', "lang": "en"}).json()
    # The meeting, then the three commitments of its statement that 2023's build on (earlier commitments).
    assert [hit["kind"] for hit in quoted["results"]] == ["meeting", *["earlier_commitment"] * 3]
    assert (
        quoted["results"][0]["title"]
        == "G20 Ministerial Meeting on Trade and Digital Economy in Tsukuba, Ibaraki"
    )
    # The phrase is in the title only (the summary says "trade and the digital economy"): marked there.
    assert quoted["results"][0]["snippet"] == (
        "G20 Ministerial Meeting on <mark>Trade and Digital Economy</mark> in Tsukuba, Ibaraki"
    )


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


def test_the_api_finds_commitments_by_their_kind(api):
    response = api.get("/api/v1/search/?q=competition+summit&kind=commitment&lang=en")
    assert response.status_code == 200, response.content
    hits = response.json()["results"]
    assert {hit["kind"] for hit in hits} == {"commitment"}
    summit = next(hit for hit in hits if hit["web_url"].endswith(f"/en/commitments/{COMPETITION_SUMMIT}/"))
    assert summit["api_url"] == f"http://testserver/api/v1/commitments/{COMPETITION_SUMMIT}/"


def test_the_api_finds_them_by_their_kind_with_their_addresses(api):
    response = api.get("/api/v1/search/?q=EPaD&kind=follow_up&lang=en")
    assert response.status_code == 200, response.content
    (hit,) = response.json()["results"]
    assert hit["kind"] == "follow_up"
    assert hit["web_url"] == f"http://testserver/en/commitments/follow-ups/{EPAD}/"
    assert hit["api_url"] == f"http://testserver/api/v1/follow-ups/{EPAD}/"
    response = api.get("/api/v1/search/?q=human-centred&kind=earlier_commitment&lang=ja")
    assert response.status_code == 200, response.content
    (hit,) = response.json()["results"]
    assert hit["web_url"] == f"http://testserver/ja/meetings/{TSUKUBA}/#earlier-{HUMAN_CENTRED}"
    assert hit["api_url"] == f"http://testserver/api/v1/earlier-commitments/{HUMAN_CENTRED}/"
    assert api.get(hit["api_url"]).status_code == 200
