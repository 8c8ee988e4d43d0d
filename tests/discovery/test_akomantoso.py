"""Each outcome document as Akoma Ntoso 3.0 XML: valid against the OASIS schema in both language
expressions, its parts' eIds the anchors of its page, its parts in the order of their position (as the
archive lists them), its FRBR identity by the naming convention, its authentic expression marked, served
on the site and by the API in a fixed number of queries."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from lxml import etree

from commitments.models import Commitment
from declarations.models import Declaration, KeyPoint, Theme
from declarations.selectors import read_document
from discovery.akomantoso import akoma_ntoso
from discovery.bundle import natural_order
from tests.discovery.support import NS
from tests.factories import DeclarationFactory

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"


def xml_of(slug, language) -> etree._Element:
    document = read_document(slug, user=AnonymousUser())
    return etree.fromstring(
        akoma_ntoso(
            document, language, archive_url="https://example.org/", meeting_url="https://example.org/m/"
        )
    )


def fixture_documents():
    return list(Declaration.objects.order_by("slug").values_list("slug", flat=True))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_document_of_the_fixtures_is_valid_akoma_ntoso_in_both_languages(schema, language):
    slugs = fixture_documents()
    assert DECLARATION in slugs and COMMUNIQUE in slugs
    for slug in slugs:
        root = xml_of(slug, language)
        assert schema.validate(root), (slug, language, schema.error_log)


def test_a_document_without_parts_or_date_is_valid_too(schema):
    DeclarationFactory(slug="bare", adopted_on=None, summary_ja="", summary_en="")
    for language in ("ja", "en"):
        assert schema.validate(xml_of("bare", language)), schema.error_log


def test_the_eids_are_the_anchors_of_the_document_page(client):
    html = client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    page_ids = set(re.findall(r'id="((?:theme|note|annex|item)-[0-9][^"]*)"', html))
    page_ids = {anchor for anchor in page_ids if not anchor.endswith("-heading")}
    root = xml_of(DECLARATION, "en")
    # The parts' eIds: the references of the metadata (the archive, the meeting, the commitments) name
    # what is outside the text.
    eids = set(root.xpath("//akn:*[not(ancestor::akn:meta)]/@eId", namespaces=NS))
    assert eids == page_ids
    assert {"theme-1", "theme-1-point-1", "note-1", "annex-5"} <= eids
    communique = xml_of(COMMUNIQUE, "ja")
    assert communique.xpath("//akn:hcontainer[@name='communiqueItem']/@eId", namespaces=NS)[:2] == [
        "item-1",
        "item-2",
    ]


def test_the_frbr_identity_follows_the_naming_convention_and_marks_the_authentic_expression():
    work = f"/akn/jp/statement/2023-04-30/{DECLARATION}"
    english, japanese = xml_of(DECLARATION, "en"), xml_of(DECLARATION, "ja")

    def value(root, path):
        return root.xpath(path, namespaces=NS)[0]

    assert value(english, "//akn:statement/@name") == "ministerialDeclaration"
    assert value(english, "//akn:FRBRWork/akn:FRBRuri/@value") == work
    assert value(english, "//akn:FRBRWork/akn:FRBRcountry/@value") == "jp"
    assert value(english, "//akn:FRBRExpression/akn:FRBRuri/@value") == f"{work}/eng@"
    assert value(japanese, "//akn:FRBRExpression/akn:FRBRuri/@value") == f"{work}/jpn@"
    assert value(english, "//akn:FRBRExpression/akn:FRBRlanguage/@language") == "eng"
    assert value(japanese, "//akn:FRBRExpression/akn:FRBRlanguage/@language") == "jpn"
    assert value(english, "//akn:FRBRManifestation/akn:FRBRthis/@value") == f"{work}/eng@/!main.xml"
    # The declaration's authentic text is English; the Japanese names it as its master.
    assert value(english, "//akn:FRBRExpression/akn:FRBRauthoritative/@value") == "true"
    assert value(japanese, "//akn:FRBRExpression/akn:FRBRauthoritative/@value") == "false"
    assert value(japanese, "//akn:FRBRmasterExpression/@href") == f"{work}/eng@"
    assert not english.xpath("//akn:FRBRmasterExpression", namespaces=NS)
    communique = xml_of(COMMUNIQUE, "ja")
    assert value(communique, "//akn:FRBRExpression/akn:FRBRauthoritative/@value") == (
        "true" if Declaration.objects.get(slug=COMMUNIQUE).authentic_language == "ja" else "false"
    )


def test_each_expression_is_in_its_language_and_marks_japanese_standing_in():
    japanese = xml_of(DECLARATION, "ja")
    assert japanese.xpath("string(//akn:docTitle)", namespaces=NS) == "G7群馬高崎デジタル・技術閣僚宣言"
    english = xml_of(DECLARATION, "en")
    assert english.xpath("string(//akn:docTitle)", namespaces=NS).startswith("Ministerial Declaration")
    note = english.xpath("//akn:authorialNote[@eId='note-1']", namespaces=NS)[0]
    assert note.get("marker") == "＊1"
    theme = Declaration.objects.get(slug=DECLARATION).themes.get(number=1)
    theme.title_en = ""
    theme.save()
    heading = xml_of(DECLARATION, "en").xpath("//akn:hcontainer[@eId='theme-1']/akn:heading", namespaces=NS)[
        0
    ]
    assert heading.text == theme.title_ja
    assert heading.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_site_serves_each_expression_and_the_document_page_links_it(client, schema, language):
    response = client.get(f"/{language}/declarations/{DECLARATION}/akn.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/akn+xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert schema.validate(root)
    code = {"ja": "jpn", "en": "eng"}[language]
    assert root.xpath("//akn:FRBRlanguage/@language", namespaces=NS) == [code]
    page = client.get(f"/{language}/declarations/{DECLARATION}/").content.decode()
    assert f'href="/{language}/declarations/{DECLARATION}/akn.xml"' in page


def test_a_draft_has_no_akoma_ntoso_for_the_public(client, api):
    DeclarationFactory(slug="draft-document", status="draft")
    assert client.get("/en/declarations/draft-document/akn.xml").status_code == 404
    assert api.get("/api/v1/declarations/draft-document/akn/").status_code == 404


def test_the_query_count_does_not_grow_with_the_document(count_queries):
    from tests.declarations.test_views import grow

    urls = [f"/en/declarations/{DECLARATION}/akn.xml", f"/api/v1/declarations/{DECLARATION}/akn/?lang=en"]
    before = [count_queries(url) for url in urls]
    grow(Declaration.objects.get(slug=DECLARATION))
    assert [count_queries(url) for url in urls] == before
    assert max(before) <= 10


def test_the_data_page_lists_the_akoma_ntoso_of_each_document(client):
    html = client.get("/en/data/").content.decode()
    assert f'href="/en/declarations/{DECLARATION}/akn.xml"' in html
    assert f'href="/en/declarations/{COMMUNIQUE}/akn.xml"' in html
    assert "Akoma Ntoso" in html


def concepts(root) -> dict[str, etree._Element]:
    return {concept.get("eId"): concept for concept in root.xpath("//akn:TLCConcept", namespaces=NS)}


def referred_by(root, eid) -> set[str]:
    """What the part with `eid` refers to, as the eIds of concepts."""
    (part,) = root.xpath("//akn:*[not(ancestor::akn:meta)][@eId=$eid]", eid=eid, namespaces=NS)
    return {reference.removeprefix("#") for reference in (part.get("refersTo") or "").split()}


def published_commitments_of(slug) -> list[Commitment]:
    return [
        commitment
        for commitment in Commitment.objects.published().order_by("number")
        if commitment.source_declaration.slug == slug
    ]


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("slug", [DECLARATION, COMMUNIQUE])
def test_each_published_commitment_is_a_concept_its_paragraph_refers_to(schema, slug, language):
    commitments = published_commitments_of(slug)
    assert commitments
    root = xml_of(slug, language)
    assert schema.validate(root), schema.error_log
    found = concepts(root)
    assert set(found) == {f"commitment-{commitment.slug}" for commitment in commitments}
    for commitment in commitments:
        eid = f"commitment-{commitment.slug}"
        concept = found[eid]
        assert concept.get("href") == f"https://example.org/{language}/commitments/{commitment.slug}/"
        words = getattr(commitment, f"text_{language}") or commitment.text_ja
        assert concept.get("showAs") == f"{commitment.number}. {words}"
        # Tied to the paragraph it comes from: the element whose eId is the paragraph's anchor names it.
        assert eid in referred_by(root, commitment.source_anchor), (eid, commitment.source_anchor)
    # Nothing else refers to a commitment.
    references = root.xpath("//akn:*/@refersTo", namespaces=NS)
    assert sum(len(value.split()) for value in references) == len(commitments)


def test_generative_ai_forum_is_tied_to_key_point_5_2_in_both_expressions():
    for language in ("ja", "en"):
        root = xml_of(DECLARATION, language)
        assert referred_by(root, "theme-5-point-2") == {"commitment-generative-ai-forum"}
        concept = concepts(root)["commitment-generative-ai-forum"]
        assert concept.get("showAs").startswith("16. ")


def test_a_commitment_the_public_may_not_see_is_not_in_the_xml(client, admin_client, schema):
    from django.utils import timezone

    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=2, number=1)
    before = referred_by(xml_of(DECLARATION, "en"), point.anchor)
    for number, status, published_at in (
        (100, "draft", None),
        (101, "published", timezone.now() + datetime.timedelta(days=3)),
    ):
        Commitment.objects.create(
            slug=f"unseen-{number}", number=number, text_ja=f"合意{number}", text_en="",
            committed_by="ministers", act="agree", status=status, published_at=published_at, key_point=point,
        )  # fmt: skip
    for reader in (client, admin_client):
        # Staff preview a draft commitment on the document's page, never in its XML.
        response = reader.get(f"/en/declarations/{DECLARATION}/akn.xml")
        root = etree.fromstring(response.content)
        assert schema.validate(root), schema.error_log
        assert not {"commitment-unseen-100", "commitment-unseen-101"} & set(concepts(root))
        assert referred_by(root, point.anchor) == before


def test_a_commitment_without_english_words_is_named_in_japanese_in_the_english_expression(schema):
    commitment = Commitment.objects.published().get(slug="generative-ai-forum")
    commitment.text_en = ""
    commitment.save()
    root = xml_of(DECLARATION, "en")
    assert schema.validate(root), schema.error_log
    assert concepts(root)["commitment-generative-ai-forum"].get("showAs") == f"16. {commitment.text_ja}"


def test_the_query_count_does_not_grow_with_the_commitments(client, count_queries):
    from django.utils import timezone

    urls = [f"/en/declarations/{DECLARATION}/akn.xml", f"/api/v1/declarations/{DECLARATION}/akn/?lang=ja"]
    before = [count_queries(url) for url in urls]
    points = KeyPoint.objects.filter(theme__declaration__slug=DECLARATION)
    for number, point in enumerate(points, start=200):
        Commitment.objects.create(
            slug=f"more-{number}", number=number, text_ja=f"合意{number}", text_en=f"Agreed {number}",
            committed_by="ministers", act="agree", status="published", published_at=timezone.now(),
            key_point=point,
        )  # fmt: skip
    assert [count_queries(url) for url in urls] == before
    assert len(concepts(etree.fromstring(client.get(urls[0]).content))) > len(points)


def test_the_archive_and_the_akoma_ntoso_text_give_the_parts_in_their_order(api):
    Theme.objects.filter(declaration__slug=DECLARATION, number=1).update(position=9)
    themes = natural_order(
        "themes", Theme.objects.select_related("declaration").filter(declaration__slug=DECLARATION)
    )
    assert [theme.number for theme in themes] == [2, 3, 4, 5, 6, 1]
    response = api.get(f"/api/v1/declarations/{DECLARATION}/akn/", {"lang": "en"})
    root = etree.fromstring(response.content)
    ids = root.xpath("//*[local-name()='hcontainer'][@name='theme']/@eId")
    assert ids == ["theme-2", "theme-3", "theme-4", "theme-5", "theme-6", "theme-1"]
