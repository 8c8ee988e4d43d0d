"""The documents' and parts' endpoints (declarations/api.py): a part found by its document and number, parts
filtered by document, kind and topic, and a document's official texts."""

import pytest

from tests.api_support import DECLARATION
from tests.factories import DeclarationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_an_annex_is_found_by_its_document_and_number(api):
    annex = api.get(f"/api/v1/declarations/{DECLARATION}/annexes/3/", {"lang": "en"}).json()
    assert annex["title"] == "G7 Action Plan for Building a Secure and Resilient Digital Infrastructure"
    assert annex["web_url"] == f"http://testserver/en/declarations/{DECLARATION}/annexes/3/"
    assert annex["theme"]["number"] == 2
    assert [item["number"] for item in annex["communique_items"]] == [4]


def test_a_theme_is_found_by_its_document_and_number(api):
    theme = api.get(f"/api/v1/declarations/{DECLARATION}/themes/5/", {"lang": "en"}).json()
    assert theme["declaration"]["slug"] == DECLARATION
    assert theme["annexes"][0]["number"] == 5
    assert [item["topic"] for item in theme["communique_items"]] == ["ai"]


def test_parts_can_be_listed_for_one_document(api):
    ThemeFactory(declaration=DeclarationFactory(), number=1)
    response = api.get("/api/v1/themes/", {"declaration": DECLARATION})
    assert response.json()["count"] == 6
    assert {theme["declaration"]["slug"] for theme in response.json()["results"]} == {DECLARATION}


def test_annexes_and_items_filter_by_kind_and_topic(api):
    annexes = api.get("/api/v1/annexes/", {"kind": "vision"}).json()["results"]
    assert [annex["number"] for annex in annexes] == [1, 2]
    items = api.get("/api/v1/communique-items/", {"topic": "metaverse"}).json()["results"]
    assert [item["number"] for item in items] == [2]


def test_a_document_and_an_annex_give_their_official_texts(api):
    from declarations.models import Declaration
    from tests.factories import OfficialTextFactory

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    annex_text = OfficialTextFactory(
        declaration=declaration, number=10, annex=declaration.annexes.get(number=1)
    )
    record = api.get(f"/api/v1/declarations/{declaration.slug}/", {"lang": "en"}).json()
    address = record["official_texts_url"]
    assert address.endswith(f"/api/v1/declarations/{declaration.slug}/official-texts/")
    texts = api.get(address, {"lang": "en"}).json()
    assert [text["url"] for text in texts] == [
        "https://www.digital.go.jp/news/efdaf817-4962-442d-8b5d-9fa1215cb56a/",
        "https://digital.go.jp/en/1dd2ad3e-3287-4677-971b-f7e973721367-en",
        annex_text.url,
    ]
    english = texts[1]
    assert english["language"] == "en" and english["format"] == "html" and english["annex"] is None
    assert english["issuer"] == "Digital Agency"
    assert (english["published_on"], english["checked_on"]) == ("2023-04-30", "2026-12-05")
    assert texts[0]["published_on"] is None and texts[0]["issuer"] == "Digital Agency"
    assert texts[2]["annex"] == 1
    annex = api.get(f"/api/v1/declarations/{declaration.slug}/annexes/1/", {"lang": "ja"}).json()
    assert [text["url"] for text in annex["official_texts"]] == [annex_text.url]
    assert annex["official_texts"][0]["issuer"] == "試験省"
    assert api.get("/api/v1/declarations/no-such-document/official-texts/").status_code == 404
