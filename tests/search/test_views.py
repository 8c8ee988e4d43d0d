"""The search page's results, a page at a time: the same ranking, cut into pages as the lists are. The
commitment register's kinds as facets, in both languages, which narrow the page to them; what the page says
it finds; a misspelt kind a 400 on the page and in the API; the page's query budget."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.models import EarlierCommitment
from declarations.models import KeyPoint
from search.engine import facets, rank
from search.models import Kind
from search.views import RESULTS_PER_PAGE
from tests.factories import KeyPointFactory, MeetingFactory, ThemeFactory
from tests.search.support import COMPETITION_SUMMIT, EPAD

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


def page_of(response) -> str:
    return response.content.decode()


def shown_links(response) -> list[str]:
    """The addresses of the hits' titles, in the order of the page's HTML."""
    return [
        html.unescape(found)
        for found in re.findall(r'<a class="hit__title" href="([^"]*)"', page_of(response))
    ]


def facet_links(response) -> list[tuple[str, str, dict, bool]]:
    """The facets as (label, count, query of the link, whether it is the current one)."""
    found = re.findall(
        r'<a class="facet" href="([^"]*)"( aria-current="page")?>(.*?) <span class="facet__count">(.*?)</span>',
        page_of(response),
    )
    return [
        (html.unescape(label), count, parse_qs(urlsplit(html.unescape(href)).query), bool(current))
        for href, current, label, count in found
    ]


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
    assert "Showing results 1–20, best first." in page
    assert "Page 1 of 3" in page
    assert link(response, "prev") is None
    assert parse_qs(urlsplit(link(response, "next")).query) == {"q": [WORD], "page": ["2"]}
    # The twenty best are the meetings, whose title holds the word.
    assert {kind for kind, _record in hits(response)} == {"meeting"}
    # The facets count the whole search, not this page, and lead to the first page of each kind.
    assert facet_links(response) == [
        ("All kinds", "46", {"q": [WORD]}, True),
        ("Meetings", "24", {"q": [WORD], "kind": ["meeting"]}, False),
        ("Key points", "22", {"q": [WORD], "kind": ["key_point"]}, False),
    ]


def test_the_next_link_keeps_the_kind_too(client, wombats):
    response = client.get("/en/search/", {"q": WORD, "kind": "key_point"})
    assert response.context["results"].total == KEY_POINTS
    assert {kind for kind, _record in hits(response)} == {"key_point"}
    # Narrowed to a kind, the facets still count every kind, and say which one is shown.
    assert [(label, count, current) for label, count, _query, current in facet_links(response)] == [
        ("All kinds", "46", False),
        ("Meetings", "24", False),
        ("Key points", "22", True),
    ]
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
    # Each page shows the next slice of the ranking in the ranking's order, whatever the kinds.
    for number, page_hits in enumerate(shown):
        assert page_hits == ranked[number * RESULTS_PER_PAGE : (number + 1) * RESULTS_PER_PAGE]
        assert shown_links(pages[number]) == [hit.url for hit in pages[number].context["results"].hits]
    everything = [hit for page_hits in shown for hit in page_hits]
    assert len(set(everything)) == len(everything) == len(ranked)
    # Best first: nothing on a later page scores above anything on an earlier one.
    assert min(scores[hit] for hit in shown[0]) >= max(scores[hit] for hit in shown[1])
    assert min(scores[hit] for hit in shown[1]) >= max(scores[hit] for hit in shown[2])
    # Page 2 holds the last meetings, then the first key points, in one list; the heading and the facets
    # still count the whole search.
    second = pages[1]
    assert [kind for kind, _record in hits(second)] == ["meeting"] * 4 + ["key_point"] * 16
    second_html = second.content.decode()
    assert [(label, count) for label, count, _query, _current in facet_links(second)] == [
        ("All kinds", "46"),
        ("Meetings", "24"),
        ("Key points", "22"),
    ]
    assert "46 results for" in second_html
    assert "Showing results 21–40, best first." in second_html
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
    assert "21〜40件目を、関連度の高い順に表示しています。" in page
    assert 'aria-label="見つかった記録の種類"' in page
    assert [(label, count) for label, count, _query, _current in facet_links(response)] == [
        ("すべての種類", "46"),
        ("会合", "24"),
        ("主なポイント", "22"),
    ]
    assert '<span class="tag">会合</span>' in page and '<span class="tag">主なポイント</span>' in page
    for english in (
        "Previous page",
        "Next page",
        "Page 2 of 3",
        "Showing results",
        "Kinds of record",
        "Meeting",
    ):
        assert english not in page


def test_a_later_page_costs_the_queries_of_the_first(count_queries, wombats):
    first = count_queries(f"/ja/search/?q={WORD}")
    assert count_queries(f"/ja/search/?q={WORD}&page=2") == first
    assert count_queries(f"/ja/search/?q={WORD}&page=3") == first
    # A kind ranks its own records besides counting every kind for the facets: one query more, always.
    narrowed = count_queries(f"/ja/search/?q={WORD}&kind=key_point&page=2")
    assert narrowed == first + 1
    for number in range(40):
        MeetingFactory(title_en=f"Wombat council {number}")
    assert count_queries(f"/ja/search/?q={WORD}&page=2") == first
    assert count_queries(f"/ja/search/?q={WORD}&page=5") == first
    assert count_queries(f"/ja/search/?q={WORD}&kind=meeting&page=3") == narrowed
    assert narrowed <= 10


def test_a_kind_is_ranked_among_its_own_when_a_word_is_too_common_to_read_whole(client, wombats, monkeypatch):
    """Where the search of every kind stops at the best entries of a common word, the facets say "or
    more" and a kind's page ranks as far into that kind's own entries."""
    monkeypatch.setattr("search.engine.CANDIDATES_PER_TERM", 30)
    everything = client.get("/en/search/", {"q": WORD})
    assert everything.context["results"].more
    assert [(label, count) for label, count, _query, _current in facet_links(everything)] == [
        ("All kinds", "31 or more"),
        ("Meetings", "24 or more"),
        ("Key points", "7 or more"),
    ]
    key_points = client.get("/en/search/", {"q": WORD, "kind": "key_point"})
    assert key_points.context["results"].total == KEY_POINTS
    response = client.get("/ja/search/", {"q": WORD})
    assert "24件以上" in page_of(response)


def test_hiroshima_lists_the_communique_second_not_after_the_ministerial_meetings(client):
    """Regression: grouped by kind, fourteen ministerial meetings that name the summit in passing came
    before the communiqué that bears its name; in one ranked list it follows the summit."""
    for lang in ("ja", "en"):
        response = client.get(f"/{lang}/search/", {"q": "広島"})
        links = shown_links(response)
        # The follow-up on the Hiroshima AI Process names it once more than the summit's entry does.
        assert links[:3] == [
            f"/{lang}/commitments/follow-ups/hiroshima-ai-process-ministers-meeting-2023-09/",
            f"/{lang}/meetings/g7-2023-hiroshima-summit/",
            f"/{lang}/declarations/g7-2023-hiroshima-leaders-communique/",
        ]
        assert f"/{lang}/meetings/g7-2023-foreign-karuizawa/" in links[3:]
        labels = re.findall(r'<span class="tag">([^<]*)</span>', page_of(response))
        assert labels[:5] == (
            ["その後の動き", "会合", "文書", "約束", "会合"]
            if lang == "ja"
            else ["Follow-up", "Meeting", "Document", "Commitment", "Meeting"]
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            # The follow-ups' page: the Japan Fair Trade Commission's summit on digital competition.
            "digital trade",
            {"g20-2019-trade-and-digital-economy-tsukuba", "g7-2023-digital-and-tech-takasaki", "follow-ups"},
        ),
        ('"digital trade"', set()),
        ('"trade and digital"', {"g20-2019-trade-and-digital-economy-tsukuba"}),
        ("Dusseldorf", {"g7-2022-digital-dusseldorf"}),
        ("ｄｕｓｓｅｌｄｏｒｆ", {"g7-2022-digital-dusseldorf"}),
    ],
)
def test_the_page_searches_all_words_phrases_and_folded_accents(client, query, expected):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert {link.split("/")[3] for link in shown_links(response)} == expected
    if not expected:
        assert "Nothing matches." in page_of(response)


def test_a_kind_without_results_keeps_the_facets_that_have_some(client):
    response = client.get("/en/search/", {"q": "Dusseldorf", "kind": "annex"})
    assert response.status_code == 200 and hits(response) == []
    assert [(label, count, current) for label, count, _query, current in facet_links(response)] == [
        ("All kinds", "1", False),
        ("Meetings", "1", False),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "marked"),
    [
        ("/en/search/?q=広島", '“<span lang="ja">広島</span>”'),
        ("/ja/search/?q=広島", '「<span lang="ja">広島</span>」'),
        ("/en/search/?q=Hiroshima", "“Hiroshima”"),
    ],
)
def test_the_echoed_query_is_marked_japanese_when_it_is(client, path, marked):
    """The results' heading repeats the query: Japanese words in it are marked lang="ja" on an English page
    too (WCAG's language of parts), and a query of Latin letters takes the page's language."""
    response = client.get(path)
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', response.content.decode(), re.S).group(1)
    assert marked in heading
    assert heading.count("<span") == marked.count("<span")


def test_the_search_page_offers_the_facet_in_both_languages(client):
    says = {
        "ja": "コミュニケの項目、約束、その後の動き",
        "en": "communiqué item, commitment, follow-up",
    }
    for language, label in (("ja", "約束"), ("en", "Commitments")):
        page = client.get(f"/{language}/search/?q=%E3%82%B5%E3%83%9F%E3%83%83%E3%83%88").content.decode()
        assert f'{label} <span class="facet__count">' in page
        assert f'href="/{language}/commitments/{COMPETITION_SUMMIT}/"' in page
        assert says[language] in page
    response = client.get("/en/search/?q=summit&kind=commitment")
    assert response.status_code == 200
    assert {hit.kind for hit in response.context["results"].hits} == {Kind.COMMITMENT}


def test_the_facets_count_the_new_kinds_and_narrow_to_them(client):
    ranking = rank("DFFT", language="en")
    earlier = {record.object_id for record in ranking.records if record.kind == Kind.EARLIER_COMMITMENT}
    # Tsukuba's statement, which named DFFT, and Düsseldorf's action plan, whose Japanese title does.
    assert earlier == set(
        EarlierCommitment.objects.filter(
            slug__in=["tsukuba-2019-data-free-flow-with-trust", "dusseldorf-2022-action-plan-dfft"]
        ).values_list("pk", flat=True)
    )
    assert {facet.kind: facet.count for facet in facets(ranking)}[Kind.EARLIER_COMMITMENT] == 2
    for language, label in (("ja", "以前の約束"), ("en", "Earlier commitments")):
        page = client.get(f"/{language}/search/", {"q": "DFFT"}).content.decode()
        assert f'{label} <span class="facet__count">2</span>' in page
        only = client.get(f"/{language}/search/", {"q": "DFFT", "kind": "earlier_commitment"})
        assert only.status_code == 200
        assert {hit.kind for hit in only.context["results"].hits} == {Kind.EARLIER_COMMITMENT}
        # Each hit says what it is, in the page's language.
        tags = re.findall(r'<span class="tag">([^<]*)</span>', only.content.decode())
        assert tags == ["以前の約束" if language == "ja" else "Earlier commitment"] * 2
    for language, label, name in (("ja", "その後の動き", "その後の動き"), ("en", "Follow-ups", "Follow-up")):
        page = client.get(f"/{language}/search/", {"q": "EPaD"}).content.decode()
        assert f'{label} <span class="facet__count">1</span>' in page
        assert f'<span class="tag">{name}</span>' in page
        assert f'href="/{language}/commitments/follow-ups/{EPAD}/"' in page


def test_the_search_page_says_what_it_finds_in_both_languages(client):
    says = {
        "ja": "コミュニケの項目、約束、その後の動き、以前の約束を、日本語と英語で検索します",
        "en": "commitment, follow-up and earlier commitment, in Japanese and English",
    }
    for language, words in says.items():
        assert words in client.get(f"/{language}/search/").content.decode()


@pytest.mark.parametrize("kind", ["follow-up", "followup", "earlier", "earlier_commitments"])
def test_a_kind_misspelt_is_a_400_on_the_page_and_in_the_api(client, api, kind):
    assert client.get("/en/search/", {"q": "EPaD", "kind": kind}).status_code == 400
    assert api.get("/api/v1/search/", {"q": "EPaD", "kind": kind}).status_code == 400


def test_the_search_page_of_the_new_kinds_keeps_its_query_budget(client, django_assert_num_queries):
    """The ranking (and a kind's own) and the page's entries, with their meetings' slugs and the commitments
    the follow-ups answer: as many queries as any search page, none a hit."""
    for query, count in (
        ({"q": "DFFT"}, 2),
        ({"q": "DFFT", "kind": "earlier_commitment"}, 3),
        ({"q": "EPaD"}, 2),
        ({"q": "総務省", "kind": "follow_up"}, 3),
    ):
        with django_assert_num_queries(count):
            assert client.get("/ja/search/", query).status_code == 200


def search_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.usefixtures("record_cache_on")
def test_a_visitors_search_is_kept_until_an_entry_holding_its_words_changes(client):
    kept = {}
    for path in ("/en/search/?q=womb", "/en/search/?q=wombat", "/en/search/?q=sendai", "/ja/search/?q=宣言"):
        first, first_queries = search_queries(client, path)
        second, second_queries = search_queries(client, path)
        assert second == first
        assert second_queries == 0 < first_queries
        kept[path] = first
    point = KeyPoint.objects.exclude(text_en__icontains="sendai").exclude(text_ja__contains="宣言").first()
    point.text_en = f"{point.text_en} A wombat's burrow."
    point.save()
    for path in ("/en/search/?q=wombat", "/en/search/?q=womb"):
        found, queries = search_queries(client, path)
        assert queries > 0
        assert f"#{point.anchor}" in html.unescape(found)
    # No entry holding these words changed: the searches keep their results.
    for path in ("/en/search/?q=sendai", "/ja/search/?q=宣言"):
        found, queries = search_queries(client, path)
        assert (found, queries) == (kept[path], 0)


@pytest.mark.usefixtures("record_cache_on")
def test_a_search_that_fails_or_pages_past_its_end_is_never_kept(client):
    for path, status in (
        ("/en/search/?kind=nonsense&q=digital", 400),
        ("/en/search/?q=digital&page=99", 404),
    ):
        assert client.get(path).status_code == status
        assert client.get(path).status_code == status
