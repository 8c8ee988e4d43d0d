"""The home page, the search page, the error pages."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation

from home import japan_map
from home import views as home_views
from meetings.models import Meeting
from tests.factories import LocationFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_home_timeline_is_an_axis_of_the_fifteen_meetings_from_april_to_december(client):
    response = client.get("/ja/")
    assert response.status_code == 200
    assert len(response.context["meetings"]) == 15
    timeline = response.context["timeline"]
    assert timeline["months"][0] == datetime.date(2023, 4, 1)
    assert timeline["months"][-1] == datetime.date(2023, 12, 1)
    assert len(timeline["months"]) == 9
    rows = {row["meeting"].slug: row for row in timeline["rows"]}
    assert len(timeline["rows"]) == 15, "one row per meeting"
    # The trade ministers met twice (online in April, in Sakai in October): one row, two marks.
    trade = rows["g7-2023-trade-osaka-sakai"]
    assert [mark["session"].start_date for mark in trade["marks"]] == [
        datetime.date(2023, 4, 4),
        datetime.date(2023, 10, 28),
    ]
    assert trade["marks"][0]["x"] == pytest.approx(3 / 30, abs=0.001)  # 4 April: day 4 of April's 30
    assert 6 < trade["marks"][1]["x"] < 7  # in October, the seventh month of the axis
    # The education ministers met in two places at once: one row, one mark.
    assert len(rows["g7-2023-education-toyama-kanazawa"]["marks"]) == 1
    assert next(row["meeting"].slug for row in timeline["rows"]) == "g7-2023-trade-osaka-sakai"
    assert [row["meeting"].slug for row in timeline["rows"]][-1] == "g7-2023-interior-and-security-mito"
    html = response.content.decode()
    axis = html[html.index('<div class="axis">') : html.index("</ol>", html.index('<div class="axis">'))]
    assert axis.count('<li class="axis__row') == 15
    assert axis.count('href="/ja/meetings/g7-2023-trade-osaka-sakai/"') == 1
    assert axis.count('class="axis__mark') == 16
    assert "4月</span>" in axis and "12月</span>" in axis
    # The list says in words what the marks draw: each session's dates and the meeting's places.
    assert "2023年4月4日（火）" in axis and "2023年10月28日（土）〜29日（日）" in axis
    assert "富山県富山市、石川県金沢市" in axis
    assert 'class="axis__track" viewBox="0 0 9 1" preserveAspectRatio="none" aria-hidden="true"' in axis


def test_a_session_known_by_its_month_only_spans_its_month():
    from home.views import time_axis

    meeting = MeetingFactory()
    SessionFactory(
        meeting=meeting,
        start_date=datetime.date(2023, 5, 1),
        end_date=datetime.date(2023, 5, 1),
        precision="month",
    )
    SessionFactory(meeting=meeting, start_date=datetime.date(2023, 7, 9), end_date=datetime.date(2023, 7, 9))
    meeting = Meeting.objects.with_parts().get(pk=meeting.pk)
    axis = time_axis([meeting])
    assert axis["months"] == [datetime.date(2023, month, 1) for month in (5, 6, 7)]
    month, day = axis["rows"][0]["marks"]
    assert (month["x"], month["width"]) == (0, 1)
    # A single day is drawn wider than it is, so that it shows on a phone.
    assert day["x"] == pytest.approx(2 + 8 / 31, abs=0.001)
    assert day["width"] == pytest.approx(0.2)
    assert time_axis([]) is None


def map_links(html: str) -> dict[str, list[tuple[str, str, str]]]:
    """The map's labelled links by layout: (address, accessible name, label) for each."""
    svg = html[
        html.index('<svg class="japan-map"') : html.index("</svg>", html.index('<svg class="japan-map"'))
    ]
    layouts = {}
    for name, group in re.findall(
        r'<g class="japan-map__labels japan-map__labels--(\w+)"(.*?)</g>', svg, re.S
    ):
        layouts[name] = re.findall(
            r'<a href="([^"]+)" class="japan-map__place[^"]*" aria-label="([^"]+)">.*?<text[^>]*>([^<]+)</text>',
            group,
            re.S,
        )
    return layouts


def test_home_map_labels_every_place_with_a_link_to_its_meeting(client):
    response = client.get("/en/")
    html = response.content.decode()
    layouts = map_links(html)
    assert set(layouts) == {"narrow", "wide"}
    for links in layouts.values():
        # Fifteen meetings, one of them (Education) in two prefectures.
        assert len(links) == 16
        assert len({address for address, _name, _label in links}) == 15
        education = [link for link in links if link[0] == "/en/meetings/g7-2023-education-toyama-kanazawa/"]
        assert sorted(label for _address, _name, label in education) == ["Kanazawa", "Toyama"]
        for _address, name, label in links:
            assert name.startswith(f"{label}: "), "the accessible name starts with the visible label"
        assert (
            "/en/meetings/g7-2023-digital-and-tech-takasaki/",
            "Takasaki: Digital and Tech Ministers&#39; Meeting",
            "Takasaki",
        ) in links
    # Links inside an image are hidden from screen readers (axe: nested-interactive): the map is none.
    svg = html[html.index('<svg class="japan-map"') : html.index("</svg>")]
    assert 'role="img"' not in svg
    assert '<figure class="home-map__figure">' in html and "<figcaption" in html
    assert "Natural Earth" in html


def test_home_map_speaks_the_pages_language(client):
    labels = {label for _address, _name, label in map_links(client.get("/ja/").content.decode())["wide"]}
    assert {"高崎市", "軽井沢町", "富山市", "金沢市", "広島市"} <= labels
    html = client.get("/ja/").content.decode()
    assert "会合の開催地を示した日本地図" in html


def test_home_map_shades_the_prefectures_that_hosted_a_meeting(client):
    response = client.get("/en/")
    prefectures = response.context["map"]["prefectures"]
    assert len(prefectures) == 47
    hosts = sorted(prefecture["code"] for prefecture in prefectures if prefecture["host"])
    assert hosts == sorted(
        ["01", "04", "08", "09", "10", "15", "16", "17", "20", "24", "27", "33", "34", "37", "42", "45"]
    )
    html = response.content.decode()
    assert html.count('<path class="japan-map__host"') == 16


def test_home_map_labels_are_24_px_targets_and_cover_no_other_label(client):
    """Regression: the markers were 15 px across on a phone, short of WCAG 2.2's 24 px (2.5.8)."""
    from home import japan_map

    context = client.get("/en/").context["map"]
    for layout in context["layouts"]:
        narrowest = japan_map.LAYOUTS[layout["name"]]
        boxes = [place["label"].box for place in layout["labels"]]
        for box in boxes:
            assert box.height * narrowest / context["width"] >= 24
            assert box.width >= box.height
            assert box.x >= 0 and box.x + box.width <= context["width"]
            assert box.y >= 0 and box.y + box.height <= context["height"]
        for index, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[index + 1 :]), layout["name"]


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
    assert before <= 10


@pytest.mark.parametrize(
    ("lang", "query"), [("ja", "宣言"), ("ja", "広島"), ("ja", "生成"), ("en", "digital")]
)
def test_search_finds_and_highlights(client, lang, query):
    response = client.get(f"/{lang}/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["results"].total > 0
    assert f"<mark>{query}" in html or f"<mark>{query.capitalize()}" in html
    assert '<ol class="hits">' in html and 'class="facets"' in html


def test_search_lists_hits_best_first_whatever_their_kind_and_marks_other_language_hits(client):
    response = client.get("/en/search/", {"q": "広島"})
    kinds = [hit.kind for hit in response.context["results"].hits]
    # The follow-up on the Hiroshima AI Process names Hiroshima once more than the summit's entry does.
    assert kinds[:4] == ["follow_up", "meeting", "declaration", "commitment"]
    html = response.content.decode()
    # The Japanese that matched is marked as Japanese, its kind as the page's English.
    assert (
        '<li class="hit" lang="ja">\n      <p class="hit__kind" lang="en"><span class="tag">Meeting</span></p>'
        in html
    )


def test_search_can_be_limited_to_one_kind(client):
    response = client.get("/en/search/", {"q": "AI", "kind": "annex"})
    assert {hit.kind for hit in response.context["results"].hits} == {"annex"}


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


@pytest.fixture
def layouts_counted(monkeypatch):
    """Each layout of the map's labels made, and the home page's memory of them emptied, as in a worker
    that has just started."""
    made = []
    lay_out = japan_map.place_labels

    def counted(*args):
        made.append(args)
        return lay_out(*args)

    monkeypatch.setattr(japan_map, "place_labels", counted)
    home_views.shared_place_labels.cache_clear()
    yield made
    home_views.shared_place_labels.cache_clear()


def test_the_maps_labels_are_laid_out_once_for_every_process(client, layouts_counted):
    """Regression: each new worker spent a second or two of CPU laying out the labels on its first home page
    in each language (2.3-2.8 s answers in the fault drill after a worker was killed or Redis restarted).
    A new process now finds them in the shared cache."""
    caches["default"].clear()
    first = client.get("/en/").content
    assert len(layouts_counted) == len(japan_map.LAYOUTS)
    home_views.shared_place_labels.cache_clear()  # another process: nothing laid out in its memory
    again = client.get("/en/").content
    assert len(layouts_counted) == len(japan_map.LAYOUTS)
    assert again == first
    client.get("/ja/")  # the Japanese names are wider: labels of their own
    assert len(layouts_counted) == 2 * len(japan_map.LAYOUTS)


def test_without_the_cache_the_map_is_laid_out_in_the_process(client, layouts_counted, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(caches["default"], "get", unreachable)
    response = client.get("/en/")
    assert response.status_code == 200
    assert len(layouts_counted) == len(japan_map.LAYOUTS)
    assert "japan-map__labels--wide" in response.content.decode()
