"""A document's pages show, beside each key point, footnote, annex and communiqué item, the commitments it
holds, each with its assessment's rating and linked to its page; within the page's ten queries, however
many commitments there are (declarations.annotations, commitments.selectors.commitments_held)."""

import datetime
import re

import pytest
from django.utils import timezone

from commitments.models import Assessment, Commitment
from declarations.models import Annex, KeyPoint

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
TAKASAKI = "/{lang}/declarations/" + DECLARATION + "/"
COMMUNIQUE = "/{lang}/declarations/g7-2023-hiroshima-leaders-communique/"
FULL = {"en": "Full", "ja": "完全"}
HEADING = {"en": "Commitments in this paragraph", "ja": "この段落の約束"}


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


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
