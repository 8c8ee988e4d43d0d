"""The language of a response (publication/api/languages.py): `?lang=` before Accept-Language, Japanese by
default, a 400 for a language the site does not have, each request in its own language."""

import pytest

from tests.api_support import TAKASAKI

pytestmark = pytest.mark.django_db


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


def test_an_unknown_language_is_a_400_that_says_which_are_known(api):
    response = api.get("/api/v1/meetings/", {"lang": "fr"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"lang": ["Unknown language: use ja, en or all."]}


def test_each_request_reads_in_its_own_language(api):
    takasaki = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json()
    summit = api.get("/api/v1/meetings/g7-2023-hiroshima-summit/", {"lang": "ja"}).json()
    meetings = api.get("/api/v1/meetings/", {"lang": "all", "page_size": 3}).json()["results"]
    assert api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json() == takasaki
    assert summit["slug"] == "g7-2023-hiroshima-summit" and summit["title"] == "G7広島サミット"
    assert summit["web_url"].endswith("/ja/meetings/g7-2023-hiroshima-summit/")
    assert takasaki["web_url"].endswith(f"/en/meetings/{TAKASAKI}/")
    assert set(meetings[0]["title"]) == {"ja", "en"}
