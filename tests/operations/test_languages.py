"""The language of an address without one (operations/languages.py): the language cookie, else the
browser's, else English for an international audience."""

import pytest

from tests.api_support import TAKASAKI

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("en-GB,en;q=0.9", "/en/"),
        ("ja-JP,ja;q=0.9,en;q=0.5", "/ja/"),
        ("fr-FR,fr;q=0.9,ja;q=0.3", "/ja/"),
        # A browser that asks for neither language, or for none, gets English, not the source language.
        ("fr-FR", "/en/"),
        ("fr-FR,fr;q=0.9,*;q=0.5", "/en/"),
        ("", "/en/"),
    ],
)
def test_root_redirects_by_accept_language(client, accept, expected):
    response = client.get("/", headers={"accept-language": accept} if accept else {})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response.get("Vary", "")


def test_an_address_without_a_language_sends_a_french_browser_to_the_english_page(client):
    response = client.get(f"/meetings/{TAKASAKI}/", headers={"accept-language": "fr-FR"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/meetings/{TAKASAKI}/"


@pytest.mark.parametrize(("cookie", "expected"), [("ja", "/ja/"), ("en", "/en/"), ("fr", "/en/")])
def test_the_language_cookie_comes_before_the_browsers_language(client, cookie, expected):
    client.cookies["django_language"] = cookie
    assert client.get("/", headers={"accept-language": "fr-FR"})["Location"] == expected
