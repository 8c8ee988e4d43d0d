"""The API's shared fields (publication/api/fields.py): a text in either language or both with its status
and the fallback to Japanese, web addresses, publish times and slug references as their schemas describe
them."""

import re

import pytest

from meetings.models import Meeting
from tests.api_support import NEW_MEETING, TAKASAKI, new_meeting
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize("lang", ["ja", "en", "all"])
def test_missing_english_and_missing_relations(api, lang):
    meeting = MeetingFactory(title_en="", summary_ja="日本語だけの要約", summary_en="", summit=None)
    record = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": lang}).json()
    assert record["summit"] is None
    assert record["fallback_fields"] == (["title", "summary"] if lang == "en" else [])
    if lang == "all":
        assert record["summary"] == {"ja": "日本語だけの要約", "en": ""}
    else:
        assert record["summary"] == "日本語だけの要約"


@pytest.mark.parametrize("lang", ["ja", "en", "all"])
def test_every_record_says_what_each_text_is(api, lang):
    meeting = MeetingFactory(
        summary_ja="日本語だけの要約", summary_en="", translation_status={"title_en": "provisional"}
    )
    record = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": lang}).json()
    assert record["text_status"]["title"] == {"ja": "authentic", "en": "provisional", "stale": False}
    assert record["text_status"]["summary"] == {"ja": "authentic", "en": "missing", "stale": False}


def test_a_part_says_its_japanese_is_the_sources_summary_and_when_its_translation_is_stale(api):
    from declarations.models import Declaration

    theme = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration").themes.get(
        number=1
    )
    # The declaration's authentic text is English: a correction of its English leaves the Japanese behind.
    theme.title_en = "A corrected title"
    theme.save()
    record = api.get(f"/api/v1/declarations/{theme.declaration.slug}/themes/1/", {"lang": "en"}).json()
    assert record["text_status"] == {"title": {"ja": "summary", "en": "editorial", "stale": True}}


@pytest.mark.parametrize("text", [2.5, 7, True, ["高崎"], {"ja": "高崎"}])
def test_a_text_that_is_not_a_string_is_a_400_naming_its_language(editor_api, text):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"title": {"ja": text}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["title"]) == ["ja"]
    assert Meeting.objects.get(slug=TAKASAKI).title_ja == "G7群馬高崎デジタル・技術大臣会合"


def test_the_request_schema_of_a_text_says_it_is_a_string_without_nul_and_which_language_is_required(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    title = schema["MeetingWriteRequest"]["properties"]["title"]
    assert title["required"] == ["ja"] and title["additionalProperties"] is False
    assert title["properties"]["ja"]["minLength"] == 1
    assert title["properties"]["en"]["pattern"] == "^[^\\u0000]*$"
    assert schema["MeetingWriteRequest"]["additionalProperties"] is False
    assert (
        "additionalProperties" not in schema["Meeting"]
        or schema["Meeting"]["additionalProperties"] is not False
    )


@pytest.mark.parametrize(
    ("website", "status"),
    [
        ("https://www.soumu.go.jp/menu_news/index.html?page=2#top", 200),
        ("http://127.0.0.1:8000/ok", 200),
        ("", 200),
        ("ftp://www.soumu.go.jp/", 400),
        ("https://総務省.jp/", 400),
        ("https://www.soumu.go.jp/a b", 400),
    ],
)
def test_a_web_address_is_taken_as_the_schema_describes_it(publisher_api, website, status):
    response = publisher_api.patch("/api/v1/organizations/mic/", {"website": website}, format="json")
    assert response.status_code == status, response.json()
    if status == 400:
        assert list(response.json()) == ["website"]


def test_a_bad_translated_text_names_its_language(editor_api):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"title": {"en": "L" * 301}}, format="json")
    assert response.status_code == 400
    assert list(response.json()["title"]) == ["en"]
    assert "300" in response.json()["title"]["en"][0]


@pytest.mark.parametrize("summit", ["", " g7-2023-hiroshima-summit"])
def test_an_empty_or_padded_reference_is_a_400_not_no_summit(editor_api, summit):
    """Regression: DRF took "" for null, where the schema's slug pattern refuses it."""
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"summit": summit}, format="json")
    assert response.status_code in (400, 404)
    assert list(response.json()) == ["summit"]
    assert Meeting.objects.get(slug=TAKASAKI).summit.slug == "g7-2023-hiroshima-summit"


def test_a_required_text_of_spaces_alone_is_refused_as_its_schema_says(publisher_api, client):
    response = publisher_api.post(
        "/api/v1/meetings/", new_meeting(title={"ja": "\u00a0\u3000"}), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    pattern = re.compile(schema["MeetingWriteRequest"]["properties"]["title"]["properties"]["ja"]["pattern"])
    assert not pattern.search("\u00a0\u3000") and pattern.search(" 例 ")


@pytest.mark.parametrize(
    ("published_at", "status"),
    [
        ("2023-04-30T10:00:00+09:00", 200),
        ("1975-11-15T00:00:00Z", 200),
        ("2100-12-31T23:59:59-10:00", 200),
        ("0323-05-04T01:59:50-10:57", 400),
        ("1974-12-31T23:00:00Z", 400),
        ("9999-12-31T23:00:00-10:00", 400),
    ],
)
def test_a_publish_time_is_taken_from_1975_to_2100(publisher_api, published_at, status):
    """Regression: a time of year 323 came back with Tokyo's local mean time (+09:18:59), which is no RFC
    3339 date-time, and one of year 9999 could overflow."""
    response = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/", {"published_at": published_at}, format="json"
    )
    assert response.status_code == status, response.json()
    if status == 400:
        assert list(response.json()) == ["published_at"]
    else:
        assert re.fullmatch(r".*[+-]\d\d:\d\d|.*Z", response.json()["published_at"])


@pytest.mark.parametrize(
    ("website", "taken"),
    [
        ("https://www.soumu.go.jp/a%20b?x=%E5%BA%83#%C3%A9", True),
        ("https://www.soumu.go.jp/100%", False),
        ("https://www.soumu.go.jp/?q=%zz", False),
        ("http://localhost/#%x0", False),
        ("https://www.soumu.go.jp/\n", False),
        ("https://www.soumu.go.jp/ ", False),
        (" https://www.soumu.go.jp/", False),
    ],
)
def test_a_web_address_is_taken_exactly_when_its_schema_allows_it(publisher_api, client, website, taken):
    """Regression: a `%` without two hexadecimal digits matched the schema's pattern and Django's
    URLValidator, but no URI (`format: uri`) holds one; spaces around an address were trimmed away."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    address = schema["OrganizationWriteRequest"]["properties"]["website"]["anyOf"][0]
    # JSON Schema's `$` ends the text (ECMA-262), as \Z does in Python.
    assert address["pattern"].endswith("$")
    assert bool(re.search(address["pattern"][:-1] + r"\Z", website)) is taken
    response = publisher_api.patch("/api/v1/organizations/mic/", {"website": website}, format="json")
    assert response.status_code == (200 if taken else 400), response.json()


def test_japanese_is_required_for_a_new_record(editor_api):
    response = editor_api.post(
        "/api/v1/meetings/", {**NEW_MEETING, "title": {"en": "English only"}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["title"]
    assert list(response.json()["title"]) == ["ja"]


def test_a_translated_field_must_be_an_object_by_language(editor_api):
    response = editor_api.post("/api/v1/meetings/", {**NEW_MEETING, "title": "plain"}, format="json")
    assert response.status_code == 400
    assert "title" in response.json()
    response = editor_api.post(
        "/api/v1/meetings/", {**NEW_MEETING, "title": {"ja": "試験", "fr": "essai"}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["title"]) == ["fr"]
