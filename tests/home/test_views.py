"""The home page, the search page, the error pages."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from meetings.models import Meeting
from tests.factories import LocationFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_home_timeline_has_the_fifteen_meetings_from_april_to_december(client):
    response = client.get("/ja/")
    assert response.status_code == 200
    assert len(response.context["meetings"]) == 15
    months = [group["month"] for group in response.context["timeline"]]
    assert months[0] == datetime.date(2023, 4, 1)
    assert months[-1] == datetime.date(2023, 12, 1)
    html = response.content.decode()
    assert "2023年4月" in html and "2023年12月" in html
    # The trade ministers met twice: online in April and in Sakai in October.
    trade = html.count('href="/ja/meetings/g7-2023-trade-osaka-sakai/"')
    assert trade >= 3  # two timeline entries and the map marker


def test_home_map_marks_every_place_and_links_each_meeting(client):
    response = client.get("/en/")
    html = response.content.decode()
    svg = html[html.index('<svg class="japan-map"') : html.index("</svg>")]
    assert "CC0 1.0" in svg
    markers = re.findall(r'<a href="(/en/meetings/[^"]+/)" class="japan-map__marker', svg)
    # Fifteen meetings, one of them (Education) in two prefectures.
    assert len(markers) == 16
    assert len(set(markers)) == 15
    assert markers.count("/en/meetings/g7-2023-education-toyama-kanazawa/") == 2
    for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="13', svg):
        assert 0 <= float(x) <= response.context["map"]["width"]
        assert 0 <= float(y) <= response.context["map"]["height"]


def test_home_shows_the_takasaki_declaration_and_the_communique_items(client):
    html = client.get("/en/").content.decode()
    for number in range(1, 7):
        assert (
            f'href="/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/#theme-{number}"'
            in html
        )
    for number in range(1, 5):
        assert f'href="/en/declarations/g7-2023-hiroshima-leaders-communique/#item-{number}"' in html


def test_home_query_count_does_not_grow_with_meetings(count_queries):
    before = count_queries("/en/")
    summit = Meeting.objects.get(slug="g7-2023-hiroshima-summit")
    for day in range(1, 31):
        meeting = MeetingFactory(summit=summit)
        SessionFactory(
            meeting=meeting, start_date=datetime.date(2023, 9, day), end_date=datetime.date(2023, 9, day)
        )
        LocationFactory(meeting=meeting)
    assert count_queries("/en/") == before
    assert before <= 12


@pytest.mark.parametrize(
    ("lang", "query"), [("ja", "宣言"), ("ja", "広島"), ("ja", "生成"), ("en", "digital")]
)
def test_search_finds_and_highlights(client, lang, query):
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["results"].total > 0
    assert f"<mark>{query}" in html or f"<mark>{query.capitalize()}" in html
    assert 'class="result-group"' in html


def test_search_groups_follow_the_engines_order_and_mark_other_language_hits(client):
    response = client.get("/en/search/", {"q": "広島"})
    groups = [kind for kind, _label, _hits in response.context["results"].groups]
    assert groups[0] == "meeting"
    html = response.content.decode()
    assert '<li class="hit" lang="ja">' in html


def test_search_can_be_limited_to_one_kind(client):
    response = client.get("/en/search/", {"q": "AI", "kind": "annex"})
    assert {kind for kind, _label, _hits in response.context["results"].groups} == {"annex"}


@pytest.mark.parametrize("params", [{"q": "x" * 10_000}, {"q": "a\x00b"}, {"q": "AI", "kind": "planet"}])
def test_search_bad_input_is_a_400_with_the_error_in_the_users_language(client, params):
    response = client.get("/ja/search/", params)
    assert response.status_code == 400
    assert "使用できない条件があります" in response.content.decode()


def test_search_without_words_shows_only_the_form(client):
    response = client.get("/en/search/")
    assert response.status_code == 200
    assert response.context["results"] is None


def test_search_query_count_does_not_grow(count_queries):
    before = count_queries("/ja/search/?q=会合")
    for _ in range(30):
        SessionFactory(meeting=MeetingFactory(title_ja="試験の会合"))
    assert count_queries("/ja/search/?q=会合") == before


@pytest.mark.parametrize(("lang", "text"), [("ja", "ページが見つかりません"), ("en", "Page not found")])
def test_404_in_the_users_language(client, lang, text):
    response = client.get(f"/{lang}/meetings/no-such-meeting/")
    assert response.status_code == 404
    html = response.content.decode()
    assert text in html
    assert f'<html lang="{lang}">' in html


def test_an_unprefixed_unknown_address_is_a_404_in_the_accept_language(client):
    response = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_500_page_needs_no_request_and_speaks_both_languages():
    with translation.override("en"):
        html = render_to_string("500.html")
    assert "エラーが発生しました" in html
    assert "Server error" in html
    assert 'href="/ja/"' in html and 'href="/en/"' in html


def home_json_ld(html: str) -> dict:
    import json

    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    return json.loads(found)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_home_page_describes_the_site_and_the_presidencys_meetings(client, lang):
    data = home_json_ld(client.get(f"/{lang}/").content.decode())
    site, meetings = data["@graph"]
    assert site["@type"] == "WebSite" and site["url"] == f"http://testserver/{lang}/"
    assert site["inLanguage"] == lang
    target = site["potentialAction"]["target"]["urlTemplate"]
    assert target == f"http://testserver/{lang}/search/?q={{search_term_string}}"
    assert meetings["@type"] == "ItemList"
    elements = meetings["itemListElement"]
    assert len(elements) == 15
    assert [element["position"] for element in elements] == list(range(1, 16))
    assert all(element["item"]["@type"] == "Event" for element in elements)
    assert f"http://testserver/{lang}/meetings/g7-2023-hiroshima-summit/" in [e["url"] for e in elements]
