"""Languages: the URL carries the language, `/` chooses one, every page links to itself in the other."""

import re

import pytest

from tests.factories import LocationFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

TAKASAKI = "g7-2023-digital-and-tech-takasaki"


@pytest.mark.parametrize("accept", ["fr-FR", ""])
def test_a_language_the_site_does_not_have_is_the_english_404_page(client, accept):
    response = client.get("/fr/", headers={"accept-language": accept} if accept else {})
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html
    assert response["Content-Language"] == "en"


def test_a_japanese_browser_gets_the_404_page_in_japanese(client):
    response = client.get("/fr/", headers={"accept-language": "ja"})
    assert response.status_code == 404
    assert '<html lang="ja">' in response.content.decode()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_names_the_english_page_as_x_default(client, lang):
    html = client.get(f"/{lang}/meetings/{TAKASAKI}/").content.decode()
    assert f'hreflang="x-default" href="http://testserver/en/meetings/{TAKASAKI}/"' in html
    assert html.count('hreflang="x-default"') == 1


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_html_lang_matches_the_url(client, lang):
    html = client.get(f"/{lang}/meetings/").content.decode()
    assert f'<html lang="{lang}">' in html


def test_language_switch_stays_on_the_same_record_and_keeps_the_query(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/?x=1").content.decode()
    switch = html[html.index('class="language-switch"') :]
    assert f'href="/ja/meetings/{TAKASAKI}/?x=1"' in switch
    assert 'aria-current="true" lang="en">English' in switch


def test_language_switch_on_a_filtered_list_keeps_the_filters(client):
    html = client.get("/ja/meetings/?portfolio=digital&ordering=-date").content.decode()
    assert 'href="/en/meetings/?portfolio=digital&amp;ordering=-date"' in html


def test_hreflang_alternates_name_both_languages(client):
    html = client.get(f"/ja/meetings/{TAKASAKI}/").content.decode()
    assert f'hreflang="en" href="http://testserver/en/meetings/{TAKASAKI}/"' in html
    assert f'hreflang="ja" href="http://testserver/ja/meetings/{TAKASAKI}/"' in html


def test_japanese_pages_have_japanese_ui_strings(client):
    html = client.get("/ja/meetings/").content.decode()
    for text in ("会合を絞り込む", "本文へ移動", "絞り込む", "すべての分野", "並び順"):
        assert text in html
    assert "Filter meetings" not in html


def test_english_fallback_to_japanese_is_marked_lang_ja(client):
    """A record with no English title shows its Japanese title, marked so, on English pages only."""
    meeting = MeetingFactory(
        title_ja="英語名のない会合", title_en="", summary_ja="日本語だけの概要。", summary_en=""
    )
    SessionFactory(meeting=meeting)
    LocationFactory(meeting=meeting)
    english = client.get(f"/en/meetings/{meeting.slug}/").content.decode()
    assert '<h1 lang="ja">英語名のない会合</h1>' in english
    # The summary's marks are in the page's English beside it, so the Japanese is marked on its own span.
    assert (
        '<p class="lead"><span lang="ja">日本語だけの概要。</span> <span class="text-marks" lang="en">'
        '<span class="status status--fallback">Japanese only</span>'
    ) in english
    listing = client.get("/en/meetings/?q=英語名のない").content.decode()
    assert '<span lang="ja">英語名のない会合</span>' in listing
    japanese = client.get(f"/ja/meetings/{meeting.slug}/").content.decode()
    assert "<h1>英語名のない会合</h1>" in japanese
    assert not re.search(r'<h1 lang="ja">', japanese)


def test_english_text_of_its_own_is_not_marked(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "<h1>G7 Digital and Tech Ministers&#39; Meeting in Takasaki, Gunma</h1>" in html


def test_the_admin_keeps_japanese_for_an_editor_whose_browser_names_neither(admin_client):
    response = admin_client.get("/admin/", headers={"accept-language": "fr-FR"})
    assert response.status_code == 200
    assert '<html lang="ja"' in response.content.decode()
