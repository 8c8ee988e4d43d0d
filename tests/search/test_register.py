"""Search finds the commitment register's other public records, in both languages, each as its own kind with
a facet: the follow-ups (what came of a commitment), linked to their own pages, and the earlier meetings'
commitments that 2023's build on, linked to their place on their meeting's page. A draft or a scheduled
record is not found until it is public; an edit, a new link or a deletion shows at once."""

import datetime
import re

import pytest
from django.db.models.signals import post_migrate
from django.utils import timezone

from commitments.models import Commitment, EarlierCommitment, FollowUp
from meetings.models import Meeting
from search import indexing
from search.engine import facets, rank, search
from search.models import Kind, SearchEntry

pytestmark = pytest.mark.django_db

EPAD = "epad-published-igf-2023-kyoto"
HUMAN_CENTRED = "tsukuba-2019-human-centred-ai"
TSUKUBA = "g20-2019-trade-and-digital-economy-tsukuba"


def found(query, language, kind, kinds=None):
    """The hits of `kind` as (slug, url, context)."""
    return [
        (hit.slug, hit.url, hit.context)
        for hit in search(query, language=language, kinds=kinds).hits
        if hit.kind == kind
    ]


def slugs(query, language, kind):
    return [slug for slug, _url, _context in found(query, language, kind)]


def published(**fields):
    return {"status": "published", "published_at": timezone.now() - datetime.timedelta(minutes=1), **fields}


@pytest.fixture
def follow_up():
    """A follow-up as an editor starts it: a draft, answering a published commitment."""
    record = FollowUp.objects.create(
        slug="numbat-census",
        kind="publication",
        title_ja="フクロアリクイの調査報告の公表",
        title_en="Publication of the numbat census",
        date=datetime.date(2023, 12, 1),
        issued_by_ja="総務省",
        issued_by_en="Ministry of Internal Affairs and Communications, Japan",
        url="https://www.soumu.go.jp/",
        summary_ja="調査報告が公表された。",
        summary_en="The census was published.",
        status="draft",
    )
    record.commitments.add(Commitment.objects.get(slug="digital-competition-summit"))
    return record


@pytest.fixture
def earlier():
    """An earlier commitment as an editor starts it: a draft of a published earlier meeting, carried forward
    by a published 2023 commitment."""
    record = EarlierCommitment.objects.create(
        slug="tsukuba-2019-quokka-principles",
        meeting=Meeting.objects.get(slug=TSUKUBA),
        thread="ai",
        document_title_ja="G20貿易・デジタル経済大臣会合閣僚声明",
        document_title_en="G20 Ministerial Statement on Trade and Digital Economy",
        paragraph="99",
        summary_ja="G20の大臣はクオッカの原則を確認した。",
        summary_en="The G20 ministers confirmed the quokka principles.",
        url="https://worldjpn.net/",
        date=datetime.date(2019, 6, 9),
        checked_on=datetime.date(2026, 12, 5),
        status="draft",
    )
    record.commitments.add(Commitment.objects.get(slug="hiroshima-ai-process"))
    return record


def test_every_follow_up_and_earlier_commitment_is_indexed_in_each_language():
    for kind, model in ((Kind.FOLLOW_UP, FollowUp), (Kind.EARLIER_COMMITMENT, EarlierCommitment)):
        count = model.objects.count()
        assert count
        for language in ("ja", "en"):
            assert SearchEntry.objects.filter(kind=kind, language=language).count() == count, kind


@pytest.mark.parametrize(
    ("query", "language", "title", "context"),
    [
        # 偽情報対策既存プラクティス集「Existing Practices against Disinformation (EPaD)」の公表.
        # Its date and issuing body, and the commitments it answers (9 and 10, on the IGF in Kyoto).
        ("EPaD", "ja", "偽情報対策既存プラクティス集", "2023年10月8日／総務省／約束9、10"),
        ("偽情報", "ja", "偽情報対策既存プラクティス集", "2023年10月8日／総務省／約束9、10"),
        (
            "EPaD",
            "en",
            "Publication of the collection of Existing Practices against Disinformation (EPaD)",
            "8 October 2023 · Ministry of Internal Affairs and Communications, Japan · Commitments 9, 10",
        ),
    ],
)
def test_a_follow_up_is_found_by_its_words_and_links_to_its_page(query, language, title, context):
    results = search(query, language=language)
    hit = next(hit for hit in results.hits if hit.kind == Kind.FOLLOW_UP)
    assert (hit.slug, hit.url) == (EPAD, f"/{language}/commitments/follow-ups/{EPAD}/")
    assert title in hit.title
    assert hit.context == context
    assert Kind.FOLLOW_UP in [facet.kind for facet in facets(rank(query, language=language))]


@pytest.mark.parametrize(
    ("query", "language", "context"),
    [
        (
            "人間中心",
            "ja",
            "G20貿易・デジタル経済大臣会合閣僚声明／段落I.3; annex (G20 AI Principles)／2019年6月9日",
        ),
        (
            "human-centred",
            "en",
            "G20 Ministerial Statement on Trade and Digital Economy · paragraph I.3; annex (G20 AI Principles)"
            " · 9 June 2019",
        ),
    ],
)
def test_an_earlier_commitment_is_found_and_links_to_its_place_on_its_meetings_page(
    client, query, language, context
):
    hit = next(hit for hit in search(query, language=language).hits if hit.kind == Kind.EARLIER_COMMITMENT)
    anchor = EarlierCommitment.objects.get(slug=HUMAN_CENTRED).anchor
    assert (hit.slug, hit.url) == (HUMAN_CENTRED, f"/{language}/meetings/{TSUKUBA}/#{anchor}")
    assert hit.context == context
    # The page it links to shows it there.
    page = client.get(hit.url.partition("#")[0]).content.decode()
    assert f'id="{anchor}"' in page


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


def test_a_follow_up_is_found_once_published_and_follows_edits_and_deletion(follow_up):
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == []
    # Scheduled: not yet.
    follow_up.status, follow_up.published_at = "published", timezone.now() + datetime.timedelta(days=1)
    follow_up.save()
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == []
    assert slugs("フクロアリクイ", "ja", Kind.FOLLOW_UP) == []
    # Its time has come (a bulk publish sends no signal: publication is read when searching).
    FollowUp.objects.filter(pk=follow_up.pk).update(
        published_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == ["numbat-census"]
    assert slugs("フクロアリクイ", "ja", Kind.FOLLOW_UP) == ["numbat-census"]
    follow_up.refresh_from_db()
    follow_up.title_en = "Publication of the bilby census"
    follow_up.save()
    assert slugs("numbat", "en", Kind.FOLLOW_UP) == []
    assert slugs("bilby", "en", Kind.FOLLOW_UP) == ["numbat-census"]
    pk = follow_up.pk
    follow_up.delete()
    assert not SearchEntry.objects.filter(kind=Kind.FOLLOW_UP, object_id=pk).exists()
    assert slugs("bilby", "en", Kind.FOLLOW_UP) == []


def test_a_follow_up_names_the_public_commitments_it_answers_as_they_are_published(follow_up):
    """Read when searching, as publication is: a draft commitment is not named, and its publication (even a
    bulk one, which sends no signal) names it at once."""
    FollowUp.objects.filter(pk=follow_up.pk).update(**published())
    summit = Commitment.objects.get(slug="digital-competition-summit")
    ministry = "1 December 2023 · Ministry of Internal Affairs and Communications, Japan"
    assert found("numbat", "en", Kind.FOLLOW_UP)[0][2] == f"{ministry} · Commitment {summit.number}"
    draft = Commitment.objects.create(
        slug="numbat-count", number=101, text_ja="フクロアリクイを数える", key_point=summit.key_point,
        committed_by="ministers", act="agree", status="draft",
    )  # fmt: skip
    follow_up.commitments.add(draft)
    assert (
        found("フクロアリクイの調査", "ja", Kind.FOLLOW_UP)[0][2]
        == f"2023年12月1日／総務省／約束{summit.number}"
    )
    Commitment.objects.filter(pk=draft.pk).update(**published())
    assert found("フクロアリクイの調査", "ja", Kind.FOLLOW_UP)[0][2] == (
        f"2023年12月1日／総務省／約束{summit.number}、101"
    )
    follow_up.commitments.clear()
    assert found("numbat", "en", Kind.FOLLOW_UP)[0][2] == ministry


def test_a_follow_up_without_english_is_found_in_japanese_on_the_english_page(follow_up):
    FollowUp.objects.filter(pk=follow_up.pk).update(**published())
    follow_up.refresh_from_db()
    follow_up.title_en = follow_up.summary_en = ""
    follow_up.save()
    assert not SearchEntry.objects.filter(kind=Kind.FOLLOW_UP, object_id=follow_up.pk, language="en").exists()
    hit = next(hit for hit in search("フクロアリクイ", language="en").hits if hit.kind == Kind.FOLLOW_UP)
    assert (hit.lang, hit.url) == ("ja", "/en/commitments/follow-ups/numbat-census/")


def test_an_earlier_commitment_is_found_while_its_meetings_page_shows_it(earlier):
    """Found once it, its meeting and a 2023 commitment that carries it forward are public, as the meeting's
    page shows it: a link to a page without it would lead nowhere."""
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    EarlierCommitment.objects.filter(pk=earlier.pk).update(**published())
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    assert slugs("クオッカ", "ja", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    # Its meeting unpublished: its page is gone, and so is the hit.
    Meeting.objects.filter(slug=TSUKUBA).update(status="draft")
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    Meeting.objects.filter(slug=TSUKUBA).update(status="published")
    # The one 2023 commitment that carries it forward unpublished: the page no longer lists it.
    carrying = Commitment.objects.get(slug="hiroshima-ai-process")
    Commitment.objects.filter(pk=carrying.pk).update(status="draft")
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    Commitment.objects.filter(pk=carrying.pk).update(status="published")
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    # Scheduled again: not until its time.
    EarlierCommitment.objects.filter(pk=earlier.pk).update(
        published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []


def test_an_earlier_commitment_follows_its_links_edits_and_deletion_at_once(earlier):
    EarlierCommitment.objects.filter(pk=earlier.pk).update(**published())
    carrying = Commitment.objects.get(slug="hiroshima-ai-process")
    earlier.commitments.remove(carrying)
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    carrying.earlier_commitments.add(earlier)
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    earlier.refresh_from_db()
    earlier.summary_en = "The G20 ministers confirmed the wallaby principles."
    earlier.save()
    assert slugs("quokka", "en", Kind.EARLIER_COMMITMENT) == []
    assert slugs("wallaby", "en", Kind.EARLIER_COMMITMENT) == [earlier.slug]
    pk = earlier.pk
    earlier.delete()
    assert not SearchEntry.objects.filter(kind=Kind.EARLIER_COMMITMENT, object_id=pk).exists()
    assert slugs("wallaby", "en", Kind.EARLIER_COMMITMENT) == []


def test_the_api_finds_them_by_their_kind_with_their_addresses(api):
    response = api.get("/api/v1/search/?q=EPaD&kind=follow_up&lang=en")
    assert response.status_code == 200, response.content
    (hit,) = response.json()["results"]
    assert hit["kind"] == "follow_up"
    assert hit["web_url"] == f"http://testserver/en/commitments/follow-ups/{EPAD}/"
    assert hit["api_url"] == f"http://testserver/api/v1/follow-ups/{EPAD}/"
    response = api.get("/api/v1/search/?q=human-centred&kind=earlier_commitment&lang=ja")
    assert response.status_code == 200, response.content
    (hit,) = response.json()["results"]
    assert hit["web_url"] == f"http://testserver/ja/meetings/{TSUKUBA}/#earlier-{HUMAN_CENTRED}"
    assert hit["api_url"] == f"http://testserver/api/v1/earlier-commitments/{HUMAN_CENTRED}/"
    assert api.get(hit["api_url"]).status_code == 200


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


def test_building_their_entries_reads_each_kind_in_one_query(django_assert_num_queries, follow_up, earlier):
    """A rebuild reads the records in bulk: one query a kind however many there are."""
    builders = (
        (indexing.follow_up_entries, FollowUp),
        (indexing.earlier_commitment_entries, EarlierCommitment),
    )
    for builder, model in builders:
        count = model.objects.count()
        with django_assert_num_queries(1):
            entries = list(builder())
        # Every record of the fixtures and of the test has its English.
        assert len(entries) == 2 * count


def test_a_rebuild_and_a_migration_index_them():
    kept = sorted(
        SearchEntry.objects.filter(kind=Kind.FOLLOW_UP).values_list("object_id", "language", "title")
    )
    indexing.rebuild()
    assert (
        sorted(SearchEntry.objects.filter(kind=Kind.FOLLOW_UP).values_list("object_id", "language", "title"))
        == kept
    )
    assert (
        SearchEntry.objects.filter(kind=Kind.EARLIER_COMMITMENT).count()
        == 2 * EarlierCommitment.objects.count()
    )
    # A site migrated to the version that indexes them has an index without them: migrate adds them.
    SearchEntry.objects.filter(kind__in=[Kind.FOLLOW_UP, Kind.EARLIER_COMMITMENT]).delete()
    from django.apps import apps

    config = apps.get_app_config("search")
    post_migrate.send(sender=config, app_config=config, using="default", verbosity=0, interactive=False)
    assert slugs("EPaD", "en", Kind.FOLLOW_UP) == [EPAD]
    assert HUMAN_CENTRED in slugs("human-centred", "en", Kind.EARLIER_COMMITMENT)
