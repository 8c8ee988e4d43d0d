"""What the register's pages read (commitments/selectors.py): the dashboard's counts, a commitment's
assessment history, what it builds on and what builds on it, and its lineage oldest first, without drafts;
the commitments each paragraph of a document holds (commitments_held), shown beside it on the document's
pages and in each column of the side-by-side view, to the public only once published, in a fixed number of
queries."""

import datetime
import re

import lxml.html
import pytest
from django.utils import timezone

from commitments.models import Assessment, Commitment, EarlierCommitment
from declarations.models import Annex, KeyPoint
from tests.commitments.support import DASHBOARD, DUSSELDORF, SUMMIT, TAKAMATSU, TSUKUBA, html_of

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_each_rating_and_progress(client):
    counts = client.get(DASHBOARD.format(lang="en")).context["counts"]
    assert counts["total"] == 24
    assert counts["rating_full"] == 5 and counts["rating_not_assessed"] == 19
    assert counts["progress_met"] == 5 and counts["progress_open"] == 19


def test_the_assessment_history_shows_each_rating_once_and_a_change_as_a_correction(client):
    assessment = Assessment.objects.get(commitment__slug="digital-competition-summit")
    response = client.get(SUMMIT.format(lang="en"))
    assert [version.rating for version in response.context["history"]] == ["full"]
    assessment.rating = "partial"
    assessment._change_reason = "The summit was held by the competition authorities, not the ministers."
    assessment.save()
    response = client.get(SUMMIT.format(lang="en"))
    assert [version.rating for version in response.context["history"]] == ["partial", "full"]
    page = response.content.decode()
    # The commitment is published: the change of its assessment is a public correction on its page.
    assert "Corrections of its parts" in page
    assert "The summit was held by the competition authorities, not the ministers." in page


def test_lineage_both_ways(client):
    page = html_of(client, "/en/commitments/iap-endorse/")
    assert 'href="/en/commitments/iap-establish/"' in page and "Builds on" in page
    page = html_of(client, "/en/commitments/iap-establish/")
    assert 'href="/en/commitments/iap-endorse/"' in page and "Built on by" in page


def test_a_commitments_page_shows_its_lineage_oldest_first(client):
    page = html_of(client, "/en/commitments/iap-establish/")
    section = page[page.index('id="lineage-heading"') :]
    section = section[: section.index("</section>")]
    years = re.findall(r'<p class="lineage__year">(\d{4})', section)
    assert years == sorted(years) and years[0] == "2019" and years[-1] == "2023"
    # Each earlier commitment with its meeting (linked), its summary, its source and its date.
    assert f'href="/en/meetings/{TSUKUBA}/"' in section and f'href="/en/meetings/{DUSSELDORF}/"' in section
    assert "data free flow with trust (DFFT)" in section
    assert 'href="https://worldjpn.net/documents/texts/G20/20190609.D2E.html"' in section
    assert "paragraph 16" in section and "9 June 2019" in section
    assert "status--editorial" in section
    # Then this commitment, then the leaders' commitment that builds on it.
    assert section.index("This commitment") < section.index('href="/en/commitments/iap-endorse/"')
    assert section.index("2022") < section.index("This commitment")
    # DFFT from 2016: the free flow of information of the Takamatsu meeting, then Tsukuba and Düsseldorf.
    page = html_of(client, "/en/commitments/dfft-vision-priorities/")
    section = page[page.index('id="lineage-heading"') :]
    years = re.findall(r'<p class="lineage__year">(\d{4})', section[: section.index("</section>")])
    assert years[:3] == ["2016", "2019", "2022"]
    assert f'href="/en/meetings/{TAKAMATSU}/"' in section


def test_a_draft_earlier_commitment_is_not_shown(client):
    EarlierCommitment.objects.filter(slug="tsukuba-2019-data-free-flow-with-trust").update(status="draft")
    assert "paragraph 16" not in html_of(client, "/en/commitments/iap-establish/")
    assert "data free flow with trust (DFFT)" not in html_of(client, f"/en/meetings/{TSUKUBA}/")
    assert (
        client.get("/api/v1/earlier-commitments/tsukuba-2019-data-free-flow-with-trust/").status_code == 404
    )
    record = client.get("/api/v1/commitments/iap-establish/").json()
    assert "tsukuba-2019-data-free-flow-with-trust" not in [
        step["slug"] for step in record["earlier_commitments"]
    ]


# A document's pages show, beside each key point, footnote, annex and communiqué item, the commitments it holds
# (commitments_held, through declarations.annotations), each with its assessment's rating and linked to its
# page; within the page's ten queries, however many commitments there are.

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


TAKASAKI = "/{lang}/declarations/" + DECLARATION + "/"


COMMUNIQUE = "/{lang}/declarations/g7-2023-hiroshima-leaders-communique/"


FULL = {"en": "Full", "ja": "完全"}


HEADING = {"en": "Commitments in this paragraph", "ja": "この段落の約束"}


def paragraph(page: str, anchor: str) -> str:
    """The paragraph with id `anchor`, up to its "Cite this"."""
    match = re.search(rf'id="{anchor}"(.*?)<details class="cite">', page, re.S)
    assert match, anchor
    return match.group(1)


def held(fragment: str) -> list[tuple[str, str]]:
    """The commitments shown in `fragment`: each one's address and its rating."""
    return re.findall(
        r'<li><a href="([^"]+/commitments/[^"]+/)">[^<]*</a> <span class="status rating rating--(\w+)">',
        fragment,
    )


def make_commitment(number: int, status: str = "published", rating: str = "partial", **source) -> Commitment:
    commitment = Commitment.objects.create(
        slug=f"more-{number}", number=number, text_ja=f"合意{number}", text_en=f"Agreed {number}",
        committed_by="ministers", act="agree", status=status,
        published_at=timezone.now() if status == "published" else None, **source,
    )  # fmt: skip
    Assessment.objects.create(
        commitment=commitment, rating=rating, assessed_by_ja="編集部", assessed_on=datetime.date(2024, 2, 1)
    )
    return commitment


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_declaration_shows_beside_key_point_5_2_the_commitment_it_holds_and_its_status(client, lang):
    page = html_of(client, TAKASAKI.format(lang=lang))
    point = paragraph(page, "theme-5-point-2")
    assert held(point) == [(f"/{lang}/commitments/generative-ai-forum/", "full")]
    assert f">{FULL[lang]}</span>" in point
    assert HEADING[lang] in point
    # 「生成AIについて、早急に議論の場を持つことに合意」 (commitment 16), in the page's language.
    words = Commitment.objects.get(slug="generative-ai-forum")
    assert f"16. {words.text_ja if lang == 'ja' else words.text_en}</a>" in point


def test_a_key_point_shows_each_of_its_commitments_in_their_order(client):
    point = paragraph(html_of(client, TAKASAKI.format(lang="en")), "theme-1-point-1")
    assert held(point) == [
        ("/en/commitments/iap-establish/", "not_assessed"),
        ("/en/commitments/dfft-vision-priorities/", "not_assessed"),
    ]
    assert "Not assessed" in point


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_footnote_shows_its_commitments(client, lang):
    note = paragraph(html_of(client, TAKASAKI.format(lang=lang)), "note-2")
    assert held(note) == [
        (f"/{lang}/commitments/unfragmented-internet/", "not_assessed"),
        (f"/{lang}/commitments/counter-internet-shutdowns/", "not_assessed"),
        (f"/{lang}/commitments/igf-2023-kyoto-cooperation/", "not_assessed"),
        (f"/{lang}/commitments/disinformation-practices-igf-2023/", "full"),
    ]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_communique_item_shows_its_commitments(client, lang):
    page = html_of(client, COMMUNIQUE.format(lang=lang))
    assert held(paragraph(page, "item-1")) == [(f"/{lang}/commitments/hiroshima-ai-process/", "full")]
    assert held(paragraph(page, "item-4")) == [
        (f"/{lang}/commitments/submarine-cables-resilience/", "not_assessed"),
        (f"/{lang}/commitments/digital-divide-access/", "not_assessed"),
    ]


def test_a_paragraph_without_commitments_shows_none(client):
    # Every key point, footnote and communiqué item of the source holds one; no annex does.
    assert "commitments-held" not in paragraph(html_of(client, TAKASAKI.format(lang="en")), "annex-1")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_annex_shows_its_commitments_on_the_document_and_on_its_own_page(client, lang):
    annex = Annex.objects.get(declaration__slug=DECLARATION, number=2)
    make_commitment(100, annex=annex, rating="partial")
    expected = [(f"/{lang}/commitments/more-100/", "partial")]
    assert held(paragraph(html_of(client, TAKASAKI.format(lang=lang)), "annex-2")) == expected
    own_page = html_of(client, TAKASAKI.format(lang=lang) + "annexes/2/")
    assert held(own_page) == expected
    assert "合意100" in own_page if lang == "ja" else "Agreed 100" in own_page


def test_a_commitment_the_public_may_not_see_is_not_shown(client, admin_client):
    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=2, number=1)
    make_commitment(100, status="draft", key_point=point)
    url = TAKASAKI.format(lang="en")
    assert "/en/commitments/more-100/" not in paragraph(html_of(client, url), "theme-2-point-1")
    # An editor previews it where it will be shown.
    assert ("/en/commitments/more-100/", "partial") in held(
        paragraph(html_of(admin_client, url), "theme-2-point-1")
    )


@pytest.mark.parametrize(
    "url",
    [
        TAKASAKI.format(lang="en"),
        TAKASAKI.format(lang="ja") + "bilingual/",
        COMMUNIQUE.format(lang="ja"),
        TAKASAKI.format(lang="en") + "annexes/1/",
    ],
)
def test_the_pages_stay_within_ten_queries_however_many_commitments(count_queries, url):
    before = count_queries(url)
    assert before <= 10
    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=4, number=1)
    annex = Annex.objects.get(declaration__slug=DECLARATION, number=1)
    for number in range(100, 130):
        make_commitment(number, key_point=point)
        make_commitment(number + 100, annex=annex)
    assert count_queries(url) == before


# The side-by-side view: beside each paragraph, in each column, the commitments it holds, wholly in that
# column's language whatever the page's.
BILINGUAL = TAKASAKI + "bilingual/"


WORDS = {"ja": "text_ja", "en": "text_en"}


def columns(page: str, anchor: str) -> dict[str, lxml.html.HtmlElement]:
    """The Japanese and the English column of the side-by-side row of the paragraph at `anchor` (a key point
    or note, found by its anchor in the Japanese column, or a row's own anchor)."""
    tree = lxml.html.fromstring(page)
    (element,) = tree.xpath("//*[@id=$anchor]", anchor=anchor)
    row = next(found for found in (element, *element.iterancestors()) if "bilingual-row" in found.classes)
    sides = row.xpath(".//div[contains(@class, 'bilingual__side')]")
    return {side.get("lang"): side for side in sides}


def shown(side, position: int | None = None) -> list[dict]:
    """The commitments a column shows (of its `position`th key point, or of all its paragraphs): each
    one's address, words, rating and the lang of its block."""
    scope = side.xpath(".//ol[@class='key-points']/li")[position] if position is not None else side
    found = []
    for block in scope.xpath(".//div[@class='commitments-held']"):
        for item in block.xpath(".//li"):
            (link,) = item.xpath("./a")
            (rating,) = item.xpath("./span[contains(@class, 'rating')]")
            found.append(
                {
                    "href": link.get("href"),
                    "hreflang": link.get("hreflang"),
                    "words": link.text_content(),
                    "rating": rating.text_content(),
                    "lang": block.get("lang"),
                    "heading": block.xpath("string(./p)"),
                }
            )
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_side_by_side_view_shows_each_key_points_commitments_in_each_columns_language(client, lang):
    sides = columns(html_of(client, BILINGUAL.format(lang=lang)), "theme-5-point-2")
    words = Commitment.objects.get(slug="generative-ai-forum")
    for side in ("ja", "en"):
        assert shown(sides[side], 1) == [
            {
                "href": f"/{side}/commitments/generative-ai-forum/",
                "hreflang": side,
                "words": f"16. {getattr(words, WORDS[side])}",
                "rating": FULL[side],
                "lang": side,
                "heading": HEADING[side],
            }
        ], side
        # The first key point of the theme holds none of it.
        assert "/commitments/generative-ai-forum/" not in lxml.html.tostring(
            sides[side].xpath(".//ol[@class='key-points']/li")[0], encoding="unicode"
        )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_side_by_side_view_shows_a_notes_commitments(client, lang):
    sides = columns(html_of(client, BILINGUAL.format(lang=lang)), "note-2")
    for side in ("ja", "en"):
        addresses = [commitment["href"] for commitment in shown(sides[side])]
        assert f"/{side}/commitments/disinformation-practices-igf-2023/" in addresses
        assert f"/{side}/commitments/unfragmented-internet/" in addresses


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_side_by_side_view_of_the_communique_shows_each_items_commitments(client, lang):
    page = html_of(client, COMMUNIQUE.format(lang=lang) + "bilingual/")
    for anchor, expected in (
        ("item-1", ["hiroshima-ai-process"]),
        ("item-4", ["submarine-cables-resilience", "digital-divide-access"]),
    ):
        sides = columns(page, anchor)
        for side in ("ja", "en"):
            assert [commitment["href"] for commitment in shown(sides[side])] == [
                f"/{side}/commitments/{slug}/" for slug in expected
            ], (anchor, side)
            assert all(commitment["heading"] == HEADING[side] for commitment in shown(sides[side]))


def test_the_side_by_side_view_shows_an_annexs_commitments(client):
    annex = Annex.objects.get(declaration__slug=DECLARATION, number=2)
    make_commitment(100, annex=annex, rating="partial")
    sides = columns(html_of(client, BILINGUAL.format(lang="en")), "annex-2")
    assert [(c["href"], c["words"], c["rating"]) for c in shown(sides["ja"])] == [
        ("/ja/commitments/more-100/", "100. 合意100", "部分的")
    ]
    assert [(c["href"], c["words"], c["rating"]) for c in shown(sides["en"])] == [
        ("/en/commitments/more-100/", "100. Agreed 100", "Partial")
    ]


def test_the_english_column_gives_words_without_english_in_japanese_marked_so(client):
    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=2, number=1)
    commitment = make_commitment(100, key_point=point)
    commitment.text_en = ""
    commitment.save()
    sides = columns(html_of(client, BILINGUAL.format(lang="en")), point.anchor)
    (english,) = [c for c in shown(sides["en"]) if c["href"].endswith("/more-100/")]
    assert english["words"] == "100. 合意100"
    (link,) = sides["en"].xpath(".//a[contains(@href, '/more-100/')]")
    assert link.xpath("./span/@lang") == ["ja"]
    (japanese,) = [c for c in shown(sides["ja"]) if c["href"].endswith("/more-100/")]
    assert not sides["ja"].xpath(".//a[contains(@href, '/more-100/')]/span")
    assert japanese["words"] == "100. 合意100"


def test_the_side_by_side_view_shows_no_commitment_the_public_may_not_see(client, admin_client):
    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=2, number=1)
    make_commitment(100, status="draft", key_point=point)
    url = BILINGUAL.format(lang="en")
    for side in ("ja", "en"):
        assert (
            "/more-100/" not in lxml.html.tostring(columns(html_of(client, url), point.anchor)[side]).decode()
        )
        # An editor previews it where it will be shown.
        assert f"/{side}/commitments/more-100/" in [
            c["href"] for c in shown(columns(html_of(admin_client, url), point.anchor)[side])
        ]


def test_the_side_by_side_view_shows_every_commitment_within_its_queries(count_queries, client):
    url = BILINGUAL.format(lang="ja")
    before = count_queries(url)
    assert before <= 10
    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=4, number=1)
    for number in range(100, 130):
        make_commitment(number, key_point=point)
    assert count_queries(url) == before
    sides = columns(html_of(client, url), point.anchor)
    for side in ("ja", "en"):
        addresses = {c["href"] for c in shown(sides[side], 0)}
        assert {f"/{side}/commitments/more-{number}/" for number in range(100, 130)} <= addresses
