"""The search page's results, a page at a time: the same ranking, cut into pages as the lists are."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from search.engine import rank
from search.views import RESULTS_PER_PAGE
from tests.factories import KeyPointFactory, MeetingFactory, ThemeFactory

pytestmark = pytest.mark.django_db

# A word no record of the presidency holds: 24 meetings have it in their title, 22 key points in their text,
# so 46 results, every meeting ranked above every key point: pages of 20, 20 and 6.
WORD = "wombat"
MEETINGS = 24
KEY_POINTS = 22


@pytest.fixture
def wombats():
    for number in range(MEETINGS):
        MeetingFactory(title_en=f"Wombat forum {number}")
    theme = ThemeFactory()
    KeyPointFactory.create_batch(KEY_POINTS, theme=theme, text_en="A key point on the wombat's burrow.")


def hits(response) -> list[tuple[str, int]]:
    """The page's hits as (kind, record), in the order the page shows them."""
    return [(hit.kind, hit.object_id) for hit in response.context["results"].hits]


def link(response, rel: str) -> str | None:
    """The address of the pagination's link to the next or previous page, unescaped, or None."""
    found = re.search(rf'<a href="([^"]*)" rel="{rel}">', response.content.decode())
    return html.unescape(found.group(1)) if found else None


def test_page_one_shows_the_twenty_best_and_links_page_two_keeping_the_query(client, wombats):
    response = client.get("/en/search/", {"q": WORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert len(hits(response)) == RESULTS_PER_PAGE == 20
    assert response.context["results"].total == MEETINGS + KEY_POINTS
    assert f"46 results for “{WORD}”" in page
    assert "Showing results 1–20, grouped by kind." in page
    assert "Page 1 of 3" in page
    assert link(response, "prev") is None
    assert parse_qs(urlsplit(link(response, "next")).query) == {"q": [WORD], "page": ["2"]}
    # The twenty best are the meetings, whose title holds the word; the groups count this page's hits.
    assert [(kind, len(group)) for kind, _label, group in response.context["results"].groups] == [
        ("meeting", 20)
    ]
    assert "Meetings (20)" in page


def test_the_next_link_keeps_the_kind_too(client, wombats):
    response = client.get("/en/search/", {"q": WORD, "kind": "key_point"})
    assert response.context["results"].total == KEY_POINTS
    assert {kind for kind, _record in hits(response)} == {"key_point"}
    next_page = link(response, "next")
    assert parse_qs(urlsplit(next_page).query) == {"q": [WORD], "kind": ["key_point"], "page": ["2"]}
    last = client.get("/en/search/" + next_page)
    assert len(hits(last)) == KEY_POINTS - RESULTS_PER_PAGE
    assert {kind for kind, _record in hits(last)} == {"key_point"}


def test_the_pages_follow_the_ranking_each_hit_once_and_the_last_has_no_next_link(client, wombats):
    ranking = rank(WORD, language="en")
    ranked = [(record.kind, record.object_id) for record in ranking.records]
    scores = {(record.kind, record.object_id): record.score for record in ranking.records}
    assert len(ranked) == MEETINGS + KEY_POINTS
    pages = [client.get("/en/search/", {"q": WORD})]
    while next_page := link(pages[-1], "next"):
        pages.append(client.get("/en/search/" + next_page))
    assert [len(hits(page)) for page in pages] == [20, 20, 6]
    shown = [hits(page) for page in pages]
    # Each page holds the next slice of the ranking, shown by kind in the engine's order of kinds and in
    # rank order within a kind.
    for number, page_hits in enumerate(shown):
        expected = ranked[number * RESULTS_PER_PAGE : (number + 1) * RESULTS_PER_PAGE]
        assert sorted(page_hits, key=expected.index) == expected
        for _kind, _label, group in pages[number].context["results"].groups:
            assert [ranked.index((hit.kind, hit.object_id)) for hit in group] == sorted(
                ranked.index((hit.kind, hit.object_id)) for hit in group
            )
    everything = [hit for page_hits in shown for hit in page_hits]
    assert len(set(everything)) == len(everything) == len(ranked)
    # Best first: nothing on a later page scores above anything on an earlier one.
    assert min(scores[hit] for hit in shown[0]) >= max(scores[hit] for hit in shown[1])
    assert min(scores[hit] for hit in shown[1]) >= max(scores[hit] for hit in shown[2])
    # Page 2 holds the last meetings and the first key points: the counts are this page's, the heading
    # still the whole search's.
    second = pages[1]
    assert [(kind, len(group)) for kind, _label, group in second.context["results"].groups] == [
        ("meeting", 4),
        ("key_point", 16),
    ]
    second_html = second.content.decode()
    assert "Meetings (4)" in second_html and "Key points (16)" in second_html
    assert "46 results for" in second_html
    assert "Showing results 21–40, grouped by kind." in second_html
    assert parse_qs(urlsplit(link(second, "prev")).query) == {"q": [WORD], "page": ["1"]}
    last = pages[-1]
    assert "Page 3 of 3" in last.content.decode()
    assert link(last, "next") is None
    assert link(last, "prev") is not None


@pytest.mark.parametrize(
    ("value", "status", "page"),
    [
        ("abc", 404, None),
        ("0", 404, None),
        ("-1", 404, None),
        ("1.5", 404, None),
        ("999999999", 404, None),
        ("9" * 5000, 404, None),
        ("", 200, "first"),
        ("1", 200, "first"),
        ("last", 200, "last"),
    ],
)
@pytest.mark.parametrize(("lang", "not_found"), [("ja", "ページが見つかりません"), ("en", "Page not found")])
def test_a_page_value_answers_as_the_lists_do(client, wombats, value, status, page, lang, not_found):
    """A page that is not one is the lists' 404 in the visitor's language, never a 500 or a guess."""
    for url, query in ((f"/{lang}/meetings/", {}), (f"/{lang}/search/", {"q": WORD})):
        response = client.get(url, {**query, "page": value})
        assert response.status_code == status, url
        if status == 404:
            assert not_found in response.content.decode()
            assert f'<html lang="{lang}">' in response.content.decode()
        else:
            page_obj = response.context["page_obj"]
            assert page_obj.number == (1 if page == "first" else page_obj.paginator.num_pages), url


def test_a_page_past_the_last_is_a_404(client, wombats):
    assert client.get("/en/search/", {"q": WORD, "kind": "meeting", "page": 2}).status_code == 200
    assert client.get("/en/search/", {"q": WORD, "kind": "meeting", "page": 3}).status_code == 404
    assert client.get("/en/search/", {"q": "zzyzx", "page": 1}).status_code == 200
    assert client.get("/en/search/", {"q": "zzyzx", "page": 2}).status_code == 404


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"page": "2"}, {"q": " ", "page": "abc"}])
def test_without_words_there_is_no_pagination(client, wombats, params):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    assert response.context["results"] is None
    assert 'class="pagination"' not in response.content.decode()


def test_one_page_of_results_shows_no_pagination(client):
    for number in range(3):
        MeetingFactory(title_en=f"Numbat forum {number}")
    response = client.get("/en/search/", {"q": "numbat"})
    assert response.context["results"].total == 3
    assert 'class="pagination"' not in response.content.decode()
    assert "Showing results" not in response.content.decode()


def test_a_bad_query_is_the_forms_400_whatever_the_page(client, wombats):
    response = client.get("/ja/search/", {"q": "x" * 10_000, "page": "abc"})
    assert response.status_code == 400
    assert 'class="pagination"' not in response.content.decode()


def test_the_japanese_pages_pagination_is_in_japanese(client, wombats):
    response = client.get("/ja/search/", {"q": WORD, "page": "2"})
    assert response.status_code == 200
    page = response.content.decode()
    pagination = page[page.index('<nav class="pagination"') :]
    pagination = pagination[: pagination.index("</nav>")]
    assert 'aria-label="ページ"' in pagination
    assert "前のページ" in pagination and "次のページ" in pagination
    assert "3ページ中2ページ目" in pagination
    assert "21〜40件目を種類別に表示しています。" in page
    assert 'aria-label="このページの結果の種類"' in page
    for english in ("Previous page", "Next page", "Page 2 of 3", "Showing results", "Result groups"):
        assert english not in page


def test_a_later_page_costs_the_queries_of_the_first(count_queries, wombats):
    first = count_queries(f"/ja/search/?q={WORD}")
    assert count_queries(f"/ja/search/?q={WORD}&page=2") == first
    assert count_queries(f"/ja/search/?q={WORD}&page=3") == first
    assert count_queries(f"/ja/search/?q={WORD}&kind=key_point&page=2") == first
    for number in range(40):
        MeetingFactory(title_en=f"Wombat council {number}")
    assert count_queries(f"/ja/search/?q={WORD}&page=2") == first
    assert count_queries(f"/ja/search/?q={WORD}&page=5") == first
