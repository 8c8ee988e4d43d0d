"""Search finds the commitment register's commitments, in both languages, as their own kind with a facet;
a hit links to the commitment's page, and only a published commitment is found."""

import pytest
from django.utils import timezone

from commitments.models import Commitment
from declarations.models import Declaration, KeyPoint
from search.engine import facets, rank, search
from search.models import Kind, SearchEntry

pytestmark = pytest.mark.django_db

SUMMIT = "digital-competition-summit"


def commitment_hits(query, language, kinds=None):
    results = search(query, language=language, kinds=kinds)
    return [(hit.slug, hit.url, hit.context) for hit in results.hits if hit.kind == Kind.COMMITMENT], results


def test_every_commitment_is_indexed_in_each_language():
    count = Commitment.objects.count()
    for language in ("ja", "en"):
        assert SearchEntry.objects.filter(kind=Kind.COMMITMENT, language=language).count() == count


@pytest.mark.parametrize(
    ("query", "language", "context"),
    [
        # 「デジタル競争サミットを今秋開催することに合意」 (commitment 19).
        ("デジタル競争サミット", "ja", "閣僚宣言"),
        ("competition summit", "en", "Ministerial Declaration"),
    ],
)
def test_a_commitment_is_found_by_its_words_and_links_to_its_page(query, language, context):
    found, _results = commitment_hits(query, language)
    assert (SUMMIT, f"/{language}/commitments/{SUMMIT}/") in [(slug, url) for slug, url, _ in found]
    assert context in next(hit_context for slug, _, hit_context in found if slug == SUMMIT)
    assert Kind.COMMITMENT in [facet.kind for facet in facets(rank(query, language=language))]


def test_the_commitments_facet_finds_commitments_only():
    found, results = commitment_hits("デジタル", "ja", kinds=[Kind.COMMITMENT])
    assert found
    assert {hit.kind for hit in results.hits} == {Kind.COMMITMENT}


def test_the_search_page_offers_the_facet_in_both_languages(client):
    says = {
        "ja": "コミュニケの項目、約束、その後の動き",
        "en": "communiqué item, commitment, follow-up",
    }
    for language, label in (("ja", "約束"), ("en", "Commitments")):
        page = client.get(f"/{language}/search/?q=%E3%82%B5%E3%83%9F%E3%83%83%E3%83%88").content.decode()
        assert f'{label} <span class="facet__count">' in page
        assert f'href="/{language}/commitments/{SUMMIT}/"' in page
        assert says[language] in page
    response = client.get("/en/search/?q=summit&kind=commitment")
    assert response.status_code == 200
    assert {hit.kind for hit in response.context["results"].hits} == {Kind.COMMITMENT}


def test_the_api_finds_commitments_by_their_kind(api):
    response = api.get("/api/v1/search/?q=competition+summit&kind=commitment&lang=en")
    assert response.status_code == 200, response.content
    hits = response.json()["results"]
    assert {hit["kind"] for hit in hits} == {"commitment"}
    summit = next(hit for hit in hits if hit["web_url"].endswith(f"/en/commitments/{SUMMIT}/"))
    assert summit["api_url"] == f"http://testserver/api/v1/commitments/{SUMMIT}/"


def test_a_draft_commitment_is_not_found_and_a_saved_change_is():
    point = KeyPoint.objects.get(
        theme__declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", theme__number=1, number=1
    )
    commitment = Commitment.objects.create(
        slug="wombat-watch", number=100, text_ja="ウォンバットの見守り", text_en="Watch the wombats.",
        key_point=point, committed_by="ministers", act="agree", status="draft",
    )  # fmt: skip
    assert commitment_hits("wombats", "en")[0] == []
    commitment.status, commitment.published_at = "published", timezone.now()
    commitment.save()
    assert [slug for slug, _, _ in commitment_hits("wombats", "en")[0]] == ["wombat-watch"]
    commitment.text_en = "Count the koalas."
    commitment.save()
    assert commitment_hits("wombats", "en")[0] == []
    assert [slug for slug, _, _ in commitment_hits("koalas", "en")[0]] == ["wombat-watch"]
    pk = commitment.pk
    assert SearchEntry.objects.filter(kind=Kind.COMMITMENT, object_id=pk).count() == 2
    commitment.delete()
    assert not SearchEntry.objects.filter(kind=Kind.COMMITMENT, object_id=pk).exists()
    assert commitment_hits("koalas", "en")[0] == []


def test_a_commitment_names_its_document_as_that_document_is_renamed():
    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    declaration.short_title_en = "Takasaki Declaration"
    declaration.save()
    found, _results = commitment_hits("competition summit", "en")
    assert next(context for slug, _, context in found if slug == SUMMIT) == "Takasaki Declaration"
