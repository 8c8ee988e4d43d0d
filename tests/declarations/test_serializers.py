"""How the API reads and writes a document and its parts (declarations/serializers.py): themes with key
points and footnotes, annexes and items traced to each other, and references to parts that do not exist."""

import pytest

from declarations.models import Annex, CommuniqueItem, Declaration, Theme
from tests.api_support import COMMUNIQUE, DECLARATION, TAKASAKI
from tests.declarations.support import exchange_places

pytestmark = pytest.mark.django_db


def test_a_declaration_has_its_themes_with_key_points_and_footnotes_annexes_and_items(api):
    declaration = api.get(f"/api/v1/declarations/{DECLARATION}/", {"lang": "en"}).json()
    assert declaration["meeting"]["slug"] == TAKASAKI
    assert [theme["number"] for theme in declaration["themes"]] == [1, 2, 3, 4, 5, 6]
    assert [theme["marker"] for theme in declaration["themes"]][:2] == ["①", "②"]
    assert all(theme["key_points"] for theme in declaration["themes"])
    footnotes = [note for theme in declaration["themes"] for note in theme["footnotes"]]
    assert sorted(note["number"] for note in footnotes) == [1, 2, 3]
    assert all("#note-" in note["web_url"] for note in footnotes)
    assert declaration["annexes"][0]["title"] == ("G7 Vision for Operationalising DFFT and its Priorities")
    assert len(declaration["annexes"]) == 5
    first = declaration["themes"][0]
    assert first["web_url"] == f"http://testserver/en/declarations/{DECLARATION}/#theme-1"
    # The trace shows on the ministerial end: theme 1 is taken up by the communiqué's DFFT item.
    assert [item["topic"] for item in first["communique_items"]] == ["dfft"]


def test_each_part_gives_its_position_in_the_order_shown_beside_the_number_its_address_cites(api):
    first, second = Theme.objects.filter(declaration__slug=DECLARATION).order_by("position")[:2]
    exchange_places(first, second)
    declaration = api.get(f"/api/v1/declarations/{DECLARATION}/").json()
    assert [(theme["number"], theme["position"]) for theme in declaration["themes"][:3]] == [
        (2, 1),
        (1, 2),
        (3, 3),
    ]
    theme = api.get(f"/api/v1/declarations/{DECLARATION}/themes/1/").json()
    assert theme["position"] == 2
    assert theme["web_url"].endswith("#theme-1")
    points = theme["key_points"]
    assert [point["position"] for point in points] == list(range(1, len(points) + 1))
    notes = [note for theme in declaration["themes"] for note in theme["footnotes"]]
    assert all(note["position"] >= 1 for note in notes)
    for path, model in (("annexes", Annex), ("communique-items", CommuniqueItem)):
        listed = api.get(f"/api/v1/{path}/", {"page_size": 100}).json()["results"]
        stored = {
            (slug, number): position
            for slug, number, position in model.objects.values_list("declaration__slug", "number", "position")
        }
        assert listed
        assert {(part["declaration"]["slug"], part["number"]): part["position"] for part in listed} == stored


def test_a_communique_item_traces_to_the_themes_and_annexes_it_takes_up(api):
    item = api.get(f"/api/v1/declarations/{COMMUNIQUE}/communique-items/3/").json()
    assert item["topic"] == "dfft"
    assert [(theme["declaration"], theme["number"]) for theme in item["themes"]] == [(DECLARATION, 1)]
    assert [(annex["declaration"], annex["number"]) for annex in item["annexes"]] == [(DECLARATION, 1)]
    assert item["web_url"] == f"http://testserver/ja/declarations/{COMMUNIQUE}/#item-3"
    assert item["themes"][0]["api_url"] == f"http://testserver/api/v1/declarations/{DECLARATION}/themes/1/"


def test_a_communique_item_naming_parts_that_do_not_exist_is_a_404_naming_them(publisher_api):
    """Regression: a part that does not exist beside a document that does not exist was a 400, which the
    schema (that cannot know which parts exist) does not give for a body it allows."""
    item = {
        "declaration": "no-such-communique",
        "number": 1,
        "topic": "ai",
        "title": {"ja": "例"},
        "text": {"ja": "本文"},
        "annexes": [{"declaration": "no-such-document", "number": 98}],
    }
    response = publisher_api.post("/api/v1/communique-items/?lang=en", item, format="json")
    assert response.status_code == 404
    assert set(response.json()) == {"declaration", "annexes"}
    assert "no part numbered 98" in response.json()["annexes"][0]


def test_a_part_of_another_number_in_a_real_document_is_a_404(publisher_api):
    from tests.api_support import COMMUNIQUE

    item = {
        "declaration": COMMUNIQUE,
        "number": 90,
        "topic": "ai",
        "title": {"ja": "例"},
        "text": {"ja": "本文"},
        "themes": [{"declaration": DECLARATION, "number": 99}],
    }
    response = publisher_api.post("/api/v1/communique-items/", item, format="json")
    assert response.status_code == 404
    assert list(response.json()) == ["themes"]


def test_an_annex_serving_a_theme_its_document_does_not_have_is_a_404(publisher_api):
    response = publisher_api.patch(
        f"/api/v1/declarations/{DECLARATION}/annexes/1/", {"theme": 99, "change_note": "x"}, format="json"
    )
    assert response.status_code == 404
    assert list(response.json()) == ["theme"]


def test_a_part_reference_of_another_json_type_is_a_400(publisher_api):
    from tests.api_support import COMMUNIQUE

    response = publisher_api.patch(
        f"/api/v1/declarations/{COMMUNIQUE}/communique-items/1/",
        {"themes": [{"declaration": DECLARATION, "number": "1"}], "change_note": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"themes": {"0": {"number": ["整数を指定してください。"]}}}


def test_an_annex_serves_a_theme_of_its_own_document_only(editor_api):
    response = editor_api.post(
        "/api/v1/annexes/",
        {"declaration": COMMUNIQUE, "number": 1, "kind": "other", "title": {"ja": "附属書"}, "theme": 1},
        format="json",
    )
    # The communiqué has no theme 1: the number names no part of the annex's own document, as a reference
    # to a record that does not exist (a 404 naming the field).
    assert response.status_code == 404
    assert list(response.json()) == ["theme"]


def test_a_communique_item_belongs_to_a_communique(publisher_api):
    response = publisher_api.post(
        "/api/v1/communique-items/",
        {
            "declaration": DECLARATION,
            "number": 9,
            "topic": "ai",
            "title": {"ja": "項目"},
            "text": {"ja": "本文"},
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["declaration"]


def test_a_publisher_writes_a_communique_item_traced_to_a_theme_and_annex(publisher_api):
    before = Declaration.objects.get(slug=COMMUNIQUE).updated_at
    response = publisher_api.post(
        "/api/v1/communique-items/",
        {
            "declaration": COMMUNIQUE,
            "number": 9,
            "topic": "other",
            "title": {"ja": "項目", "en": "Item"},
            "text": {"ja": "本文", "en": "Text"},
            "themes": [{"declaration": DECLARATION, "number": 3}],
            "annexes": [{"declaration": DECLARATION, "number": 4}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [(t["declaration"], t["number"]) for t in response.json()["themes"]] == [(DECLARATION, 3)]
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=3)
    assert theme.communique_items.filter(number=9).exists()
    # The document's change time moves with its parts, so Last-Modified does too.
    assert Declaration.objects.get(slug=COMMUNIQUE).updated_at > before


def test_a_reference_to_a_missing_part_is_a_field_error(editor_api):
    response = editor_api.post(
        "/api/v1/communique-items/",
        {
            "declaration": COMMUNIQUE,
            "number": 9,
            "topic": "other",
            "title": {"ja": "項目"},
            "text": {"ja": "本文"},
            "themes": [{"declaration": DECLARATION, "number": 42}],
        },
        format="json",
    )
    # As any reference to a record that does not exist: a 404 naming the field.
    assert response.status_code == 404
    assert list(response.json()) == ["themes"]
