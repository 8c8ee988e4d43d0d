"""What a consumer reads: every resource, nested where needed, in either language or both."""

import json

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import DeclarationFactory, MeetingFactory, OrganizationFactory, ThemeFactory

from .conftest import COMMUNIQUE, DECLARATION, TAKASAKI, body

pytestmark = pytest.mark.django_db


def test_the_router_names_resolve_under_api_v1():
    assert reverse("api:meeting-list") == "/api/v1/meetings/"
    assert reverse("api:meeting-detail", kwargs={"slug": TAKASAKI}) == f"/api/v1/meetings/{TAKASAKI}/"
    assert reverse("api:annex-detail", kwargs={"slug": DECLARATION, "number": 1}) == (
        f"/api/v1/declarations/{DECLARATION}/annexes/1/"
    )
    assert reverse("api:prefecture-detail", kwargs={"code": "10"}) == "/api/v1/prefectures/10/"
    assert reverse("api:meeting-export") == "/api/v1/meetings/export/"


def test_the_meetings_list_is_paginated_and_holds_every_published_meeting(api):
    response = api.get("/api/v1/meetings/", {"page_size": 100})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 18
    assert data["next"] is None and data["previous"] is None
    assert {meeting["slug"] for meeting in data["results"]} >= {TAKASAKI, "g7-2023-hiroshima-summit"}
    # The list is ordered by date, as on the website: the 2016 meeting comes first.
    assert data["results"][0]["slug"] == "g7-2016-ict-takamatsu"


def test_a_meeting_has_its_sessions_places_hosts_chairs_and_documents_inline(api):
    meeting = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json()
    assert meeting["title"] == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"
    assert meeting["start_date"] == "2023-04-29" and meeting["end_date"] == "2023-04-30"
    assert meeting["sessions"] == [
        {"start_date": "2023-04-29", "end_date": "2023-04-30", "precision": "day", "mode": "in_person"}
    ]
    [location] = meeting["locations"]
    assert location["prefecture"]["code"] == "10"
    assert location["prefecture"]["name"] == "Gunma"
    assert location["city"] == "Takasaki"
    assert isinstance(location["latitude"], float)
    assert {host["slug"] for host in meeting["hosts"]} == {"mic", "digital-agency", "meti"}
    assert meeting["chairs"][0]["person"]["name"].startswith("Matsumoto")
    assert [document["slug"] for document in meeting["documents"]] == [DECLARATION]
    assert meeting["documents"][0]["web_url"] == f"http://testserver/en/declarations/{DECLARATION}/"
    assert meeting["summit"]["slug"] == "g7-2023-hiroshima-summit"
    assert meeting["web_url"] == f"http://testserver/en/meetings/{TAKASAKI}/"
    assert meeting["api_url"] == f"http://testserver/api/v1/meetings/{TAKASAKI}/"


def test_no_raw_language_columns_show(api):
    text = api.get(f"/api/v1/declarations/{DECLARATION}/").content.decode()
    assert "title_ja" not in text and "title_en" not in text and '_ja"' not in text


def test_japanese_is_the_default_and_accept_language_chooses(api):
    japanese = api.get(f"/api/v1/meetings/{TAKASAKI}/")
    assert japanese.json()["title"] == "G7群馬高崎デジタル・技術大臣会合"
    assert japanese.headers["Content-Language"] == "ja"
    english = api.get(f"/api/v1/meetings/{TAKASAKI}/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,ja;q=0.5")
    assert english.json()["title"].startswith("G7 Digital and Tech")
    assert english.headers["Content-Language"] == "en"
    assert english.json()["web_url"].startswith("http://testserver/en/")
    vary = {part.strip() for part in english.headers["Vary"].split(",")}
    assert {"Accept-Language", "Cookie", "Authorization"} <= vary


def test_lang_overrides_accept_language(api):
    response = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "ja"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["title"] == "G7群馬高崎デジタル・技術大臣会合"
    assert response.headers["Content-Language"] == "ja"


def test_lang_all_gives_both_texts_of_every_translated_field(api):
    response = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "all"})
    meeting = response.json()
    assert meeting["title"] == {
        "ja": "G7群馬高崎デジタル・技術大臣会合",
        "en": "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma",
    }
    assert meeting["locations"][0]["city"] == {"ja": "高崎市", "en": "Takasaki"}
    assert meeting["web_url"] == {
        "ja": f"http://testserver/ja/meetings/{TAKASAKI}/",
        "en": f"http://testserver/en/meetings/{TAKASAKI}/",
    }
    assert response.headers["Content-Language"] == "ja, en"


def test_an_unknown_language_is_a_400_that_says_which_are_known(api):
    response = api.get("/api/v1/meetings/", {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"lang": ["Unknown language: use ja, en or all."]}


def test_missing_english_falls_back_to_japanese_and_says_so(api):
    meeting = MeetingFactory(title_en="", summary_ja="日本語だけの要約", summary_en="")
    english = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": "en"}).json()
    assert english["title"] == meeting.title_ja
    assert english["summary"] == "日本語だけの要約"
    assert english["fallback_fields"] == ["title", "summary"]
    assert english["short_title"] == "Test meeting"
    japanese = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": "ja"}).json()
    assert japanese["fallback_fields"] == []
    both = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": "all"}).json()
    assert both["title"] == {"ja": meeting.title_ja, "en": ""}


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


def test_a_communique_item_traces_to_the_themes_and_annexes_it_takes_up(api):
    item = api.get(f"/api/v1/declarations/{COMMUNIQUE}/communique-items/3/").json()
    assert item["topic"] == "dfft"
    assert [(theme["declaration"], theme["number"]) for theme in item["themes"]] == [(DECLARATION, 1)]
    assert [(annex["declaration"], annex["number"]) for annex in item["annexes"]] == [(DECLARATION, 1)]
    assert item["web_url"] == f"http://testserver/ja/declarations/{COMMUNIQUE}/#item-3"
    assert item["themes"][0]["api_url"] == f"http://testserver/api/v1/declarations/{DECLARATION}/themes/1/"


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


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/v1/themes/", 6),
        ("/api/v1/annexes/", 5),
        ("/api/v1/communique-items/", 4),
        ("/api/v1/declarations/", 2),
        ("/api/v1/prefectures/", 47),
        ("/api/v1/organizations/", 3),
        ("/api/v1/people/", 3),
    ],
)
def test_every_list_counts_the_fixtures_records(api, url, count):
    assert api.get(url, {"page_size": 100}).json()["count"] == count


def test_a_prefecture_is_found_by_its_jis_code(api):
    prefecture = api.get("/api/v1/prefectures/10/", {"lang": "all"}).json()
    assert prefecture["name"] == {"ja": "群馬県", "en": "Gunma"}
    assert prefecture["web_url"]["en"] == "http://testserver/en/meetings/?prefecture=10"


def test_organizations_and_people_are_found_by_slug(api):
    organization = api.get("/api/v1/organizations/mic/", {"lang": "en"}).json()
    assert organization["name"] == "Ministry of Internal Affairs and Communications"
    assert organization["website"].startswith("https://")
    person = api.get("/api/v1/people/", {"lang": "ja"}).json()["results"]
    assert {p["name"] for p in person} >= {"松本剛明"}


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


def test_an_organization_has_no_public_page(api):
    OrganizationFactory(slug="plain-organization")
    organization = api.get("/api/v1/organizations/plain-organization/").json()
    assert organization["web_url"] is None
    assert organization["api_url"] == "http://testserver/api/v1/organizations/plain-organization/"


PROVENANCE = {"source", "source_locator", "provenance_note"}


@pytest.mark.parametrize(
    ("resource", "slug", "left_out"),
    [
        ("declarations", DECLARATION, {"body", "themes", "annexes", "communique_items", *PROVENANCE}),
        ("meetings", TAKASAKI, {"hosts", "chairs", "summit", "documents", *PROVENANCE}),
    ],
)
def test_a_list_gives_summaries_and_the_record_and_export_give_everything(api, resource, slug, left_out):
    listed = next(
        record
        for record in api.get(f"/api/v1/{resource}/", {"lang": "en"}).json()["results"]
        if record["slug"] == slug
    )
    whole = api.get(listed["api_url"], {"lang": "en"}).json()
    assert not left_out & set(listed)
    assert left_out <= set(whole)
    assert {key: value for key, value in whole.items() if key in listed} == listed
    exported = next(
        record
        for record in json.loads(body(api.get(f"/api/v1/{resource}/export/", {"lang": "en"})))
        if record["slug"] == slug
    )
    assert exported == whole


def test_the_meetings_list_keeps_sessions_and_places_and_as_csv_gives_whole_meetings(api):
    listed = next(
        meeting
        for meeting in api.get("/api/v1/meetings/", {"lang": "en"}).json()["results"]
        if meeting["slug"] == TAKASAKI
    )
    assert listed["sessions"] and listed["locations"][0]["city"] == "Takasaki"
    csv_text = body(api.get("/api/v1/meetings/", {"format": "csv"})).decode()
    assert "g7-2023-digital-and-tech-takasaki" in csv_text and "summit" in csv_text.splitlines()[0]


def test_each_request_reads_in_its_own_language(api):
    takasaki = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json()
    summit = api.get("/api/v1/meetings/g7-2023-hiroshima-summit/", {"lang": "ja"}).json()
    meetings = api.get("/api/v1/meetings/", {"lang": "all", "page_size": 3}).json()["results"]
    assert api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json() == takasaki
    assert summit["slug"] == "g7-2023-hiroshima-summit" and summit["title"] == "G7広島サミット"
    assert summit["web_url"].endswith("/ja/meetings/g7-2023-hiroshima-summit/")
    assert takasaki["web_url"].endswith(f"/en/meetings/{TAKASAKI}/")
    assert set(meetings[0]["title"]) == {"ja", "en"}


# Writes: what the schema lets a client send is taken as docs/api.md says.


def new_meeting(**fields) -> dict:
    return {
        "slug": "g7-2023-example",
        "forum": "G7",
        "kind": "ministerial",
        "year": 2023,
        "presidency": "JP",
        "portfolio": "digital",
        "title": {"ja": "例の会合"},
        "short_title": {"ja": "例"},
        **fields,
    }


@pytest.mark.parametrize("publish_time", [{}, {"published_at": None}])
def test_a_record_published_without_a_publish_time_is_published_now(publisher_api, publish_time):
    """Regression: `status: published` alone, which the schema allows, was a 400 (a published record needs
    its publish time); it publishes now, as the admin's "publish now" does."""
    from django.utils import timezone

    before = timezone.now()
    response = publisher_api.post(
        "/api/v1/meetings/?lang=en", new_meeting(status="published", **publish_time), format="json"
    )
    assert response.status_code == 201, response.json()
    published_at = Meeting.objects.get(slug="g7-2023-example").published_at
    assert before <= published_at <= timezone.now()
    assert publisher_api.get("/api/v1/meetings/g7-2023-example/").status_code == 200


def test_a_draft_keeps_no_publish_time_and_a_given_one_is_kept(publisher_api):
    assert publisher_api.post("/api/v1/meetings/", new_meeting(), format="json").status_code == 201
    assert Meeting.objects.get(slug="g7-2023-example").published_at is None
    when = "2030-01-01T09:00:00+09:00"
    response = publisher_api.patch(
        "/api/v1/meetings/g7-2023-example/", {"status": "published", "published_at": when}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["published_at"] == when


def test_only_a_ministerial_meeting_has_a_summit_as_the_schema_says(publisher_api, client):
    """Regression: the rule was the model's alone; a summit with a summit, which the schema allowed, was a
    400. The schema states it now."""
    kind = "summit"
    import jsonschema

    response = publisher_api.post(
        "/api/v1/meetings/", new_meeting(kind=kind, summit="g7-2023-hiroshima-summit"), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["summit"]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    rule = {"anyOf": schema["MeetingWriteRequest"]["anyOf"]}
    validator = jsonschema.Draft4Validator(rule)
    assert not validator.is_valid({"kind": kind, "summit": "g7-2023-hiroshima-summit"})
    assert validator.is_valid({"kind": kind, "summit": None})
    assert validator.is_valid({"kind": kind})
    assert validator.is_valid({"kind": "ministerial", "summit": "g7-2023-hiroshima-summit"})
