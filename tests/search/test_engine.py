import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from commitments.models import Commitment, EarlierCommitment, FollowUp
from declarations.models import Declaration, Footnote, KeyPoint
from meetings.models import Meeting
from search.engine import (
    KINDS,
    MAX_QUERY_LENGTH,
    QueryTooLong,
    UnknownKind,
    facets,
    rank,
    results_page,
    search,
)
from search.models import Kind, SearchEntry
from tests.factories import (
    AnnexFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    KeyPointFactory,
    LocationFactory,
    MeetingFactory,
    ThemeFactory,
)
from tests.search.support import (
    COMPETITION_SUMMIT,
    EPAD,
    HUMAN_CENTRED,
    TSUKUBA,
    commitment_hits,
    found_of_kind,
    published,
    slugs,
)

pytestmark = pytest.mark.django_db

TAKASAKI = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"
SUMMIT = "g7-2023-hiroshima-summit"
# The register's follow-up that names the Hiroshima AI Process in its title and five times in its summary:
# it ranks just above the summit (one more occurrence), as any record would.
AI_PROCESS_MEETING = ("follow_up", "hiroshima-ai-process-ministers-meeting-2023-09", None)


def found(results):
    """The hits as (kind, slug, number), for comparisons that do not depend on primary keys."""
    return [(hit.kind, hit.slug, hit.number) for hit in results.hits]


# Two-character Japanese words, which neither full-text search nor a trigram index finds.


def test_senggen_finds_the_takasaki_declaration():
    results = search("宣言", language="ja")
    assert ("declaration", TAKASAKI, None) in found(results)
    declaration = next(hit for hit in results.hits if hit.kind == "declaration")
    assert declaration.lang == "ja"
    assert declaration.title == "G7群馬高崎デジタル・技術閣僚宣言"


def test_hiroshima_in_japanese_finds_the_summit_first_of_the_meetings_and_the_communique():
    results = search("広島", language="ja")
    assert found(results)[:2] == [AI_PROCESS_MEETING, ("meeting", SUMMIT, None)]
    assert ("declaration", COMMUNIQUE, None) in found(results)
    # Every ministerial meeting's summary names the summit it belongs to.
    assert results.total >= 15


def test_seisei_finds_the_generative_ai_key_point_footnote_and_item():
    results = search("生成", language="ja")
    assert set(found(results)) == {
        ("key_point", TAKASAKI, 2),
        ("footnote", TAKASAKI, 3),
        ("communique_item", COMMUNIQUE, 1),
        # The commitments of the register made in their words.
        ("commitment", "generative-ai-forum", 16),
        ("commitment", "generative-ai-g7-forum", 17),
        ("commitment", "hiroshima-ai-process", 20),
    }
    for hit in results.hits:
        assert "<mark>生成</mark>" in hit.snippet


def test_a_single_japanese_character_is_found():
    assert ("declaration", TAKASAKI, None) in found(search("宣", language="ja"))


def test_a_longer_japanese_phrase_must_occur_as_written():
    """Bigrams of デジタル庁 also occur in デジタル; only the record naming the agency is found."""
    results = search("デジタル庁", language="ja")
    assert found(results) == [("meeting", "g7-2023-digital-and-tech-takasaki", None)]
    assert "<mark>デジタル庁</mark>" in results.hits[0].snippet


# English words.


def test_metaverse_finds_the_communique_item_and_the_key_point():
    hits = found(search("metaverse", language="en"))
    assert ("communique_item", COMMUNIQUE, 2) in hits
    assert ("key_point", TAKASAKI, 2) in hits


def test_dfft_finds_annex_1_theme_1_and_the_communique_item():
    hits = found(search("DFFT", language="en"))
    assert {("annex", TAKASAKI, 1), ("theme", TAKASAKI, 1), ("communique_item", COMMUNIQUE, 3)} <= set(hits)
    assert ("annex", TAKASAKI, 2) not in hits


def test_hiroshima_in_english_finds_the_summit():
    results = search("Hiroshima", language="en")
    assert found(results)[:2] == [AI_PROCESS_MEETING, ("meeting", SUMMIT, None)]
    assert results.hits[1].lang == "en"
    assert results.hits[1].title == "G7 Hiroshima Summit"


def test_a_word_prefix_finds_the_whole_word_but_ranks_below_it():
    prefix = search("hiroshi", language="en")
    whole = search("hiroshima", language="en")
    # The two best of each, the summit and the follow-up, which only the count of the whole word orders.
    assert set(found(prefix)[:2]) == set(found(whole)[:2]) == {AI_PROCESS_MEETING, ("meeting", SUMMIT, None)}
    for first in prefix.hits[:2]:
        same = next(hit for hit in whole.hits if (hit.kind, hit.slug) == (first.kind, first.slug))
        assert first.score < same.score
        assert "<mark>Hiroshima</mark>" in first.snippet


def test_words_in_any_order_and_japanese_beside_english():
    assert ("communique_item", COMMUNIQUE, 1) in found(search("process hiroshima ai", language="en"))
    assert found(search("生成AI", language="ja"))[0] in {
        ("commitment", "generative-ai-forum", 16),
        ("communique_item", COMMUNIQUE, 1),
        ("footnote", TAKASAKI, 3),
        ("key_point", TAKASAKI, 2),
    }


@pytest.mark.parametrize("variant", ["ＤＦＦＴ", "dfft", "Dfft", "  DFFT  "])
def test_full_width_and_case_variants_match_alike(variant):
    assert found(search(variant, language="en")) == found(search("DFFT", language="en"))


def test_half_width_katakana_matches_full_width():
    assert found(search("ﾒﾀﾊﾞｰｽ", language="ja")) == found(search("メタバース", language="ja"))
    assert ("communique_item", COMMUNIQUE, 2) in found(search("ﾒﾀﾊﾞｰｽ", language="ja"))


# Languages.


def test_a_japanese_query_on_the_english_page_shows_the_japanese_that_matched():
    hit = next(hit for hit in search("広島", language="en").hits if hit.slug == SUMMIT)
    assert hit.lang == "ja"
    assert hit.url == "/en/meetings/g7-2023-hiroshima-summit/"
    assert "<mark>広島</mark>" in hit.snippet


def test_an_english_query_on_the_japanese_page_shows_the_english_that_matched():
    hits = search("Hiroshima", language="ja").hits
    assert [(hit.lang, hit.url) for hit in hits[:2]] == [
        ("en", "/ja/commitments/follow-ups/hiroshima-ai-process-ministers-meeting-2023-09/"),
        ("en", "/ja/meetings/g7-2023-hiroshima-summit/"),
    ]


def test_a_record_found_in_both_languages_is_shown_in_the_page_language():
    """DFFT is written alike in both languages: each page shows its own."""
    for language in ("ja", "en"):
        hit = next(hit for hit in search("DFFT", language=language).hits if hit.kind == "annex")
        assert hit.lang == language


def test_a_record_without_english_falls_back_to_japanese_on_the_english_page():
    KeyPointFactory(text_ja="英語のない要点ゾゾ", text_en="")
    hit = search("ゾゾ", language="en").hits[0]
    assert (hit.lang, hit.title.split(" ", 1)[1]) == ("ja", "試験テーマ")


# Ranking and highlighting.


def test_a_title_match_ranks_above_a_body_match():
    in_body = DeclarationFactory(title_en="Plain document", summary_en="It mentions quoxite once.")
    in_title = DeclarationFactory(title_en="Quoxite Declaration", summary_en="Nothing more.")
    slugs = [hit.slug for hit in search("quoxite", language="en").hits]
    assert slugs == [in_title.slug, in_body.slug]


def test_several_words_find_only_the_records_holding_all_of_them():
    in_title = DeclarationFactory(title_en="Zanthic plumbous accord")
    apart = DeclarationFactory(title_en="Zanthic accord", summary_en="A plumbous note.")
    DeclarationFactory(title_en="Zanthic accord")
    DeclarationFactory(title_en="Plumbous accord")
    slugs = [hit.slug for hit in search("zanthic plumbous", language="en").hits]
    assert slugs == [in_title.slug, apart.slug]
    # Word order does not matter, and a prefix of a word still finds it.
    assert [hit.slug for hit in search("plumbous zanth", language="en").hits] == slugs


def test_several_japanese_words_find_only_the_records_holding_all_of_them():
    """Japanese words apart (a space, full-width or not) are each required; a run is required as written."""
    both = {(hit.kind, hit.slug, hit.number) for hit in search("生成　ガバナンス", language="ja").hits}
    assert both == {
        ("communique_item", COMMUNIQUE, 1),
        ("footnote", TAKASAKI, 3),
        ("commitment", "generative-ai-g7-forum", 17),
    }
    assert both < {(hit.kind, hit.slug, hit.number) for hit in search("生成", language="ja").hits}
    assert found(search("広島 デジタル庁", language="ja")) == [
        ("meeting", "g7-2023-digital-and-tech-takasaki", None)
    ]


def test_a_record_must_hold_every_word_in_one_language():
    """The Japanese entry holds 広島, the English one communiqué: neither holds both."""
    assert ("declaration", COMMUNIQUE, None) not in found(search("広島 communiqué", language="en"))
    assert ("declaration", COMMUNIQUE, None) in found(search("hiroshima communiqué", language="en"))


def test_an_exact_phrase_ranks_above_the_same_words_apart():
    phrase = DeclarationFactory(summary_en="On the vorpal snicker-snack today.", title_en="A")
    apart = DeclarationFactory(summary_en="The snicker came, then a vorpal moment.", title_en="B")
    slugs = [hit.slug for hit in search("vorpal snicker", language="en").hits]
    assert slugs == [phrase.slug, apart.slug]


def test_the_snippet_escapes_html_and_marks_the_match():
    KeyPointFactory(text_en='<script>alert("x")</script> & the grumbleweed clause')
    hit = search("grumbleweed", language="en").hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the <mark>grumbleweed</mark> clause" in (
        hit.snippet
    )


def test_the_snippet_is_cut_around_the_first_match():
    padding = "前置きの文章です。" * 40
    KeyPointFactory(text_ja=f"{padding}ここに鵺鵼がある。{padding}")
    snippet = search("鵺鵼", language="ja").hits[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>鵺鵼</mark>" in snippet
    assert len(snippet) < 200


# Publication.


def test_drafts_and_scheduled_records_are_not_found():
    DeclarationFactory(title_en="Gloamwort draft", status=Declaration.Status.DRAFT, published_at=None)
    future = timezone.now() + datetime.timedelta(days=3)
    DeclarationFactory(title_en="Gloamwort scheduled", published_at=future)
    assert search("gloamwort", language="en").total == 0


def test_a_scheduled_record_appears_when_its_time_comes_without_reindexing():
    future = timezone.now() + datetime.timedelta(hours=1)
    declaration = DeclarationFactory(title_en="Brindlequist charter", published_at=future)
    ThemeFactory(declaration=declaration, title_en="Brindlequist theme")
    assert search("brindlequist", language="en").total == 0
    # An update sends no signal: the index is untouched, only the time has passed.
    Declaration.objects.filter(pk=declaration.pk).update(published_at=timezone.now() - datetime.timedelta(1))
    assert {hit.kind for hit in search("brindlequist", language="en").hits} == {"declaration", "theme"}


def test_parts_follow_their_document_and_bulk_unpublishing_hides_them_at_once():
    declaration = DeclarationFactory(title_en="Snarkwell paper")
    AnnexFactory(declaration=declaration, title_en="Snarkwell annex")
    assert search("snarkwell", language="en").total == 2
    Declaration.objects.filter(pk=declaration.pk).update(status=Declaration.Status.DRAFT)
    assert search("snarkwell", language="en").total == 0


def test_a_draft_meeting_is_not_found():
    MeetingFactory(title_en="Wobblecrest meeting", status=Meeting.Status.DRAFT, published_at=None)
    assert not search("wobblecrest", language="en")


# Keeping the index current.


def test_editing_a_title_updates_the_index():
    meeting = Meeting.objects.get(slug=SUMMIT)
    meeting.title_en = "G7 Flumpington Summit"
    meeting.save()
    hits = found(search("flumpington", language="en"))
    # The summit first; then its ministerial meetings, whose entries hold its title.
    ministerial = set(Meeting.objects.filter(summit=meeting).values_list("slug", flat=True))
    assert hits[0] == ("meeting", SUMMIT, None)
    assert {slug for _kind, slug, _number in hits[1:]} == ministerial
    summit = next(hit for hit in search("広島", language="en").hits if hit.slug == SUMMIT)
    assert summit.title == "G7 Flumpington Summit" or summit.lang == "ja"
    assert search("flumpington", language="en").hits[0].title == "G7 Flumpington Summit"


def test_renaming_a_theme_updates_its_key_points_titles():
    point = KeyPoint.objects.get(theme__declaration__slug=TAKASAKI, theme__number=5, number=2)
    theme = point.theme
    theme.title_en = "Responsible snollygoster"
    theme.save()
    hit = next(hit for hit in search("generative", language="en").hits if hit.kind == "key_point")
    assert hit.title == "⑤-2 Responsible snollygoster"
    assert found(search("snollygoster", language="en")) == [("theme", TAKASAKI, 5)]


def test_deleting_records_removes_them_from_the_index():
    declaration = DeclarationFactory(title_en="Quibblemarsh")
    ThemeFactory(declaration=declaration, title_en="Quibblemarsh theme")
    meeting = MeetingFactory(title_en="Quibblemarsh meeting")
    meeting.locations.create(order=1, prefecture_id=None, country="DE", city_en="Quibblemarsh")
    assert search("quibblemarsh", language="en").total == 3
    declaration.delete()
    meeting.delete()
    assert search("quibblemarsh", language="en").total == 0


def test_a_new_location_is_found_with_its_meeting():
    meeting = MeetingFactory(title_en="Some meeting")
    meeting.locations.create(order=1, country="FR", city_ja="ヴェルサイユ", city_en="Versailles")
    assert found(search("versailles", language="en")) == [("meeting", meeting.slug, None)]
    assert found(search("ヴェルサイユ", language="ja")) == [("meeting", meeting.slug, None)]


def test_adding_a_host_reindexes_the_meeting(django_user_model):
    from tests.factories import OrganizationFactory

    meeting = MeetingFactory()
    meeting.hosts.add(OrganizationFactory(name_en="Ministry of Quillets"))
    assert found(search("quillets", language="en")) == [("meeting", meeting.slug, None)]
    meeting.hosts.clear()
    assert not search("quillets", language="en")


def test_deleting_a_footnote_removes_only_its_entry():
    note = Footnote.objects.get(declaration__slug=TAKASAKI, number=3)
    # A commitment cites the note, and protects it from deletion while it does.
    Commitment.objects.filter(footnote=note).delete()
    note.delete()
    hits = found(search("生成", language="ja"))
    assert ("footnote", TAKASAKI, 3) not in hits
    assert ("key_point", TAKASAKI, 2) in hits


# The interface.


def test_hits_link_to_the_public_address_of_each_kind_in_the_page_language():
    takasaki_en = reverse("declarations:detail", kwargs={"slug": TAKASAKI}).replace("/ja/", "/en/")
    with translation.override("en"):
        assert reverse("declarations:detail", kwargs={"slug": TAKASAKI}) == takasaki_en
    urls = {(hit.kind, hit.number): hit.url for hit in search("DFFT", language="en").hits}
    assert urls[("theme", 1)] == f"{takasaki_en}#theme-1"
    assert urls[("key_point", 1)] == f"{takasaki_en}#theme-1-point-1"
    assert urls[("annex", 1)] == f"{takasaki_en}annexes/1/"
    assert urls[("communique_item", 3)] == "/en/declarations/g7-2023-hiroshima-leaders-communique/#item-3"
    note = search("生成", language="ja", kinds=["footnote"]).hits[0]
    assert note.url == f"/ja/declarations/{TAKASAKI}/#note-3"


def test_anchors_match_the_models():
    point = KeyPoint.objects.get(theme__declaration__slug=TAKASAKI, theme__number=1, number=1)
    hit = next(hit for hit in search("DFFT", language="ja").hits if hit.kind == "key_point")
    assert hit.url.endswith(f"#{point.anchor}")


@pytest.mark.parametrize(("query", "language"), [("広島", "ja"), ("Hiroshima", "en")])
def test_hits_are_one_ranked_list_whatever_their_kind(query, language):
    """Regression: hits grouped by kind put the fourteen ministerial meetings, which only name the summit
    in passing, before the communiqué, which bears its name. Ranked as one list, it comes second."""
    results = search(query, language=language)
    assert found(results)[:3] == [
        AI_PROCESS_MEETING,
        ("meeting", SUMMIT, None),
        ("declaration", COMMUNIQUE, None),
    ]
    kinds = [hit.kind for hit in results.hits]
    # A follow-up, a meeting, a document, a commitment (the Hiroshima AI Process), then meetings again: not
    # grouped by kind.
    assert kinds[:5] == ["follow_up", "meeting", "declaration", "commitment", "meeting"]
    scores = [hit.score for hit in results.hits]
    assert scores == sorted(scores, reverse=True)


def test_facets_count_each_kind_of_the_ranking_in_the_order_of_kinds():
    ranking = rank("DFFT", language="en")
    counted = facets(ranking)
    kinds = [facet.kind for facet in counted]
    assert kinds == [kind for kind in KINDS if kind in kinds] and len(kinds) >= 4
    assert {facet.kind: facet.count for facet in counted} == {
        kind: sum(record.kind == kind for record in ranking.records) for kind in kinds
    }
    with translation.override("en"):
        assert {str(facet.label) for facet in counted} >= {"Themes", "Annexes"}
    with translation.override("ja"):
        assert {str(facet.label) for facet in counted} >= {"テーマ", "附属書"}
    assert facets(rank("zzyzx", language="en")) == []


def test_hits_are_ranked_by_score():
    scores = [hit.score for hit in search("digital infrastructure", language="en").hits]
    assert scores == sorted(scores, reverse=True)
    assert len(scores) > 2


def test_kinds_and_limit():
    everything = search("DFFT", language="en")
    annexes = search("DFFT", language="en", kinds=["annex"])
    assert {hit.kind for hit in annexes.hits} == {"annex"}
    limited = search("DFFT", language="en", limit=2)
    assert limited.total == everything.total > 2
    assert found(limited) == found(everything)[:2]
    with pytest.raises(UnknownKind):
        search("DFFT", language="en", kinds=["person"])


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\x00", "・、。", None])
def test_an_empty_query_finds_nothing_without_a_query(query, django_assert_num_queries):
    with django_assert_num_queries(0):
        results = search(query, language="ja")
    assert (results.total, results.hits) == (0, [])


def test_a_query_over_200_characters_is_rejected():
    search("a" * MAX_QUERY_LENGTH, language="en")
    with pytest.raises(QueryTooLong):
        search("a" * (MAX_QUERY_LENGTH + 1), language="en")
    assert issubclass(QueryTooLong, ValueError)


def test_nul_bytes_and_control_characters_are_stripped():
    """PostgreSQL refuses NUL in a string; the query must never carry one to it."""
    results = search("広\x00島\x1b", language="ja")
    assert results.query == "広島"
    assert found(results) == found(search("広島", language="ja"))


def test_an_unknown_language_falls_back_to_japanese():
    assert search("広島", language="xx").hits[0].url.startswith("/ja/")


def test_query_count_does_not_grow_with_records_or_hits(django_assert_num_queries):
    def add_records(count):
        for _ in range(count):
            declaration = DeclarationFactory(title_en="Gumbleflax charter", summary_en="On gumbleflax.")
            ThemeFactory(declaration=declaration, title_en="Gumbleflax theme")

    add_records(1)
    with django_assert_num_queries(2):
        few = search("gumbleflax", language="en")
    add_records(50)
    with django_assert_num_queries(2):
        many = search("gumbleflax", language="en")
    assert (few.total, many.total) == (2, 102)


def test_the_refusal_is_in_the_active_language():
    with translation.override("ja"), pytest.raises(QueryTooLong) as refused:
        search("語" * (MAX_QUERY_LENGTH + 1), language="ja")
    assert "200" in str(refused.value)
    with translation.override("en"), pytest.raises(QueryTooLong) as refused:
        search("a" * (MAX_QUERY_LENGTH + 1), language="en")
    assert str(refused.value) == "The search may be at most 200 characters long."


def test_highlighting_maps_normalised_matches_back_to_the_original_text():
    KeyPointFactory(text_ja="半角のﾇﾐﾍﾞｰﾙと全角のＱＵＯＸ", text_en="The Straße of the quox")
    hit = search("ヌミベール", language="ja").hits[0]
    assert hit.snippet == "半角の<mark>ﾇﾐﾍﾞｰﾙ</mark>と全角のＱＵＯＸ"
    assert search("quox", language="ja").hits[0].snippet == "半角のﾇﾐﾍﾞｰﾙと全角の<mark>ＱＵＯＸ</mark>"
    english = search("strasse", language="en").hits[0]
    assert english.snippet == "The <mark>Straße</mark> of the quox"


def test_the_quick_offsets_agree_with_the_character_by_character_ones():
    """Text that normalises one character to one takes a short cut; it must give what the long way gives,
    on every text of the archive and on text that needs the long way."""
    from search import text

    texts = [
        *Meeting.objects.values_list("summary_ja", flat=True),
        *Declaration.objects.values_list("summary_ja", flat=True),
        *KeyPoint.objects.values_list("text_ja", flat=True),
        "半角のﾇﾐﾍﾞｰﾙと全角のＱＵＯＸ",
        "The Straße of the quox",
        "㍿と①とＧ７",
        "cafe\u0301 and 한국어 and \u1100\u1161",
    ]
    assert len(texts) > 20
    for value in texts:
        assert text._normalized_with_offsets(value) == text._normalized_by_piece(value), value


def test_a_prefix_next_to_the_surrogates_never_reaches_the_database_unencodable():
    """Regression guard: the range bound after U+D7FF must skip the surrogates, which no encoder takes."""
    from search.text import prefix_upper_bound

    assert prefix_upper_bound("ab\ud7ff") == "ab\ue000"
    assert prefix_upper_bound("hiro") == "hirp"
    assert search("\U00016f00\U00016f00\U00016f00", language="en").total == 0


def test_renaming_a_person_organisation_or_prefecture_reindexes_their_meetings():
    from meetings.models import Organization, Person, Prefecture

    takasaki = ("meeting", "g7-2023-digital-and-tech-takasaki", None)
    person = Person.objects.get(chairs__meeting__slug=takasaki[1], chairs__order=1)
    person.name_en = "Zorbling Takeaki"
    person.save()
    assert found(search("zorbling", language="en")) == [takasaki]
    agency = Organization.objects.get(slug="digital-agency")
    agency.name_en = "Agency of Plimsolls"
    agency.save()
    assert takasaki in found(search("plimsolls", language="en"))
    gunma = Prefecture.objects.get(code="10")
    gunma.name_en = "Gunmaquark"
    gunma.save()
    assert found(search("gunmaquark", language="en")) == [takasaki]


def test_a_token_in_more_entries_than_a_search_reads_gives_a_lower_bound(monkeypatch, client):
    """The work of a search is bounded by the entries it reads a token, not by the archive's size."""
    from search import engine

    for number in range(4):
        DeclarationFactory(title_en=f"Frabjous charter {number}")
    assert (search("frabjous", language="en").total, search("frabjous", language="en").more) == (4, False)
    monkeypatch.setattr(engine, "CANDIDATES_PER_TERM", 2)
    capped = search("frabjous", language="en")
    assert capped.more and 2 <= capped.total < 4
    assert "More than" in client.get("/en/search/", {"q": "frabjous"}).content.decode()


def test_a_rarer_word_beside_a_common_one_gives_an_exact_count(monkeypatch):
    """Every hit holds every word, so the entries of the rarest word, read to their end, hold them all."""
    from search import engine

    for number in range(4):
        DeclarationFactory(title_en=f"Frabjous charter {number}")
    for number in range(2):
        DeclarationFactory(title_en=f"Frabjous galumphing day {number}")
    monkeypatch.setattr(engine, "CANDIDATES_PER_TERM", 3)
    assert search("frabjous", language="en").more
    both = search("frabjous galumphing", language="en")
    assert (both.total, both.more) == (2, False)
    # Each of a Japanese run's bigrams is in every hit: one read to its end is enough.
    for number in range(4):
        DeclarationFactory(title_ja=f"鵺の会合{number}")
    DeclarationFactory(title_ja="鵺鵼の会合")
    assert search("の会", language="ja").more
    assert (search("鵼の会", language="ja").total, search("鵼の会", language="ja").more) == (1, False)
    # All common: the count is a lower bound.
    assert search("frabjous charter", language="en").more


def test_only_the_hits_of_the_page_are_built(django_assert_num_queries):
    everything = search("DFFT", language="en")
    with django_assert_num_queries(2):
        page = search("DFFT", language="en", offset=2, limit=2)
    assert page.total == everything.total
    assert found(page) == found(everything)[2:4]


def test_a_page_of_results_builds_only_its_records_in_ranking_order(django_assert_num_queries):
    everything = search("DFFT", language="en")
    ranking = rank("DFFT", language="en")
    with django_assert_num_queries(1):
        page = results_page(ranking, ranking.records[1:4])
    assert (page.query, page.total, page.more) == ("DFFT", everything.total, False)
    assert found(page) == found(everything)[1:4]
    assert [(hit.kind, hit.object_id) for hit in page.hits] == [
        (record.kind, record.object_id) for record in ranking.records[1:4]
    ]
    with django_assert_num_queries(0):
        assert not results_page(ranking, [])


# Phrases.

DUSSELDORF = "g7-2022-digital-dusseldorf"


@pytest.fixture
def trade_records():
    phrase = DeclarationFactory(title_en="Rules for digital trade")
    apart = DeclarationFactory(title_en="Trade rules in a digital age")
    plural = DeclarationFactory(title_en="Digital trades and crafts")
    across = KeyPointFactory(text_en="Markets went digital. Trade followed.")
    return phrase, apart, plural, across


def test_quoted_words_match_only_as_a_phrase(trade_records):
    phrase, apart, plural, across = trade_records
    quoted = search('"digital trade"', language="en")
    # Whole words side by side: not apart, not as the start of a longer word. Punctuation between them, as
    # in the index's tokens, does not part them.
    assert {(hit.kind, hit.object_id) for hit in quoted.hits} == {
        ("declaration", phrase.pk),
        ("key_point", across.pk),
    }
    assert "<mark>digital trade</mark>" in quoted.hits[0].title_html
    loose = {(hit.kind, hit.object_id) for hit in search("digital trade", language="en").hits}
    assert {("declaration", phrase.pk), ("declaration", apart.pk), ("declaration", plural.pk)} <= loose


@pytest.mark.parametrize(
    "query", ["“digital trade”", "＂digital trade＂", '"Digital  TRADE"', '"digital trade']
)
def test_curly_full_width_and_unclosed_quotes_make_a_phrase_too(trade_records, query):
    assert found(search(query, language="en")) == found(search('"digital trade"', language="en"))


def test_the_fixtures_hold_the_words_but_not_the_phrase():
    assert found(search('"digital trade"', language="en")) == []
    assert ("meeting", "g20-2019-trade-and-digital-economy-tsukuba", None) in found(
        search("digital trade", language="en")
    )
    # The meeting, and its three commitments that 2023's carry forward, whose document's title says so.
    assert sorted(found(search('"trade and digital economy"', language="en"))) == [
        ("earlier_commitment", "tsukuba-2019-data-free-flow-with-trust", None),
        ("earlier_commitment", "tsukuba-2019-governance-innovation", None),
        ("earlier_commitment", "tsukuba-2019-human-centred-ai", None),
        ("meeting", "g20-2019-trade-and-digital-economy-tsukuba", None),
    ]


def test_a_quoted_word_matches_only_itself_not_longer_words():
    assert found(search("hiroshi", language="en"))[0] == ("meeting", SUMMIT, None)
    assert found(search('"hiroshi"', language="en")) == []


def test_a_phrase_beside_other_words_needs_them_all():
    phrase = DeclarationFactory(title_en="Rules for digital trade", summary_en="Agreed in Osaka.")
    DeclarationFactory(title_en="Rules for digital trade")
    DeclarationFactory(title_en="Digital rules for trade", summary_en="Agreed in Osaka.")
    assert [hit.slug for hit in search('"digital trade" osaka', language="en").hits] == [phrase.slug]


def test_a_japanese_phrase_with_latin_words_in_quotes():
    assert set(found(search('"生成AI"', language="ja"))) == {
        ("communique_item", COMMUNIQUE, 1),
        ("footnote", TAKASAKI, 3),
        ("key_point", TAKASAKI, 2),
        ("commitment", "generative-ai-forum", 16),
        ("commitment", "generative-ai-g7-forum", 17),
        ("commitment", "hiroshima-ai-process", 20),
    }
    # The same characters with another word between them are not the phrase.
    KeyPointFactory(text_ja="生成された内容とAIの関係")
    assert ("key_point", TAKASAKI, 2) in found(search("生成 AI", language="ja"))
    assert len(found(search("生成 AI", language="ja"))) == 7
    assert len(found(search('"生成AI"', language="ja"))) == 6


# Accents, width and case fold alike when indexing and searching.


@pytest.mark.parametrize(
    "query", ["Dusseldorf", "Düsseldorf", "DÜSSELDORF", "Du\u0308sseldorf", "ｄｕｓｓｅｌｄｏｒｆ"]
)
def test_accents_fold_so_dusseldorf_finds_dusseldorf(query):
    results = search(query, language="en")
    assert found(results) == [("meeting", DUSSELDORF, None)]
    # The page shows the text as written, the accent kept, with the match marked.
    assert "<mark>Düsseldorf</mark>" in results.hits[0].title_html


def test_an_accent_written_apart_in_a_record_is_folded_too():
    meeting = MeetingFactory(title_en="Meeting in Mu\u0308nchen")
    for query in ("Munchen", "München", "MÜNCHEN"):
        assert found(search(query, language="en")) == [("meeting", meeting.slug, None)]
    assert search("munchen", language="en").hits[0].title_html == "Meeting in <mark>Mu\u0308nchen</mark>"


def test_japanese_voiced_marks_are_letters_not_accents():
    """ガ is not カ with an accent: folding accents must leave the kana's voiced marks alone."""
    assert ("communique_item", COMMUNIQUE, 1) in found(search("ガバナンス", language="ja"))
    assert found(search("カバナンス", language="ja")) == []
    assert found(search("ｶﾞﾊﾞﾅﾝｽ", language="ja")) == found(search("ガバナンス", language="ja"))


# Snippets.


def visible(snippet: str) -> str:
    """The text a snippet shows, without its marks, escapes and ellipses."""
    import html

    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", "")).strip("…")


def test_an_english_snippet_starts_and_ends_with_whole_words():
    words = [f"w{index}x{'y' * (index % 7)}" for index in range(200)]
    for position in (3, 60, 120, 197):
        text = " ".join([*words[:position], "snarkhunt", *words[position:]])
        point = KeyPointFactory(text_en=text)
        hit = next(hit for hit in search("snarkhunt", language="en").hits if hit.object_id == point.pk)
        shown = visible(hit.snippet)
        assert "<mark>snarkhunt</mark>" in hit.snippet
        assert shown in text and len(shown) <= 160
        start = text.index(shown)
        assert start == 0 or text[start - 1] == " ", (position, shown)
        assert start + len(shown) == len(text) or text[start + len(shown)] == " ", (position, shown)
        assert hit.snippet.startswith("…") == (start > 0)
        assert hit.snippet.endswith("…") == (start + len(shown) < len(text))
        point.delete()


def test_a_snippet_shows_the_field_of_the_match_not_the_index_text():
    """A meeting's entry joins its summary, places and hosts for the index; a snippet shows the line that
    matched, as written, and never the normalised text that the index compares."""
    meeting = MeetingFactory(summary_en="The ministers met in Düsseldorf to agree on tea.")
    LocationFactory(
        meeting=meeting, prefecture=None, country="DE", city_ja="テュービンゲン", city_en="Tübingen"
    )
    hit = search("dusseldorf tea", language="en").hits[0]
    assert hit.snippet == "The ministers met in <mark>Düsseldorf</mark> to agree on <mark>tea</mark>."
    hit = next(hit for hit in search("tubingen", language="en").hits if hit.slug == meeting.slug)
    assert hit.snippet == "<mark>Tübingen</mark>"


def test_a_japanese_snippet_may_cut_between_characters_but_not_inside_one():
    padding = "これは長い前置きの文章です。" * 12
    text = f"{padding}ｶﾞｲﾄﾞの鵺鵼について。{padding}"
    KeyPointFactory(text_ja=text)
    snippet = search("鵺鵼", language="ja").hits[0].snippet
    shown = visible(snippet)
    assert shown in text and "<mark>鵺鵼</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert not shown.startswith(("ﾞ", "ﾟ"))


def test_a_snippet_is_valid_text_with_nothing_but_marks(client):
    CommuniqueItemFactory(text_en='Flags 🇯🇵 and <b>bold</b> & "quoted" words about the bandersnatch.')
    hit = search("bandersnatch", language="en").hits[0]
    assert hit.snippet.encode("utf-8")
    assert hit.snippet == (
        "Flags 🇯🇵 and &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; words about the <mark>bandersnatch</mark>."
    )


# The commitment register: its commitments, follow-ups and earlier commitments.


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
    assert (COMPETITION_SUMMIT, f"/{language}/commitments/{COMPETITION_SUMMIT}/") in [
        (slug, url) for slug, url, _ in found
    ]
    assert context in next(hit_context for slug, _, hit_context in found if slug == COMPETITION_SUMMIT)
    assert Kind.COMMITMENT in [facet.kind for facet in facets(rank(query, language=language))]


def test_the_commitments_facet_finds_commitments_only():
    found, results = commitment_hits("デジタル", "ja", kinds=[Kind.COMMITMENT])
    assert found
    assert {hit.kind for hit in results.hits} == {Kind.COMMITMENT}


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


def test_a_follow_up_names_the_public_commitments_it_answers_as_they_are_published(follow_up):
    """Read when searching, as publication is: a draft commitment is not named, and its publication (even a
    bulk one, which sends no signal) names it at once."""
    FollowUp.objects.filter(pk=follow_up.pk).update(**published())
    summit = Commitment.objects.get(slug="digital-competition-summit")
    ministry = "1 December 2023 · Ministry of Internal Affairs and Communications, Japan"
    assert found_of_kind("numbat", "en", Kind.FOLLOW_UP)[0][2] == f"{ministry} · Commitment {summit.number}"
    draft = Commitment.objects.create(
        slug="numbat-count", number=101, text_ja="フクロアリクイを数える", key_point=summit.key_point,
        committed_by="ministers", act="agree", status="draft",
    )  # fmt: skip
    follow_up.commitments.add(draft)
    assert (
        found_of_kind("フクロアリクイの調査", "ja", Kind.FOLLOW_UP)[0][2]
        == f"2023年12月1日／総務省／約束{summit.number}"
    )
    Commitment.objects.filter(pk=draft.pk).update(**published())
    assert found_of_kind("フクロアリクイの調査", "ja", Kind.FOLLOW_UP)[0][2] == (
        f"2023年12月1日／総務省／約束{summit.number}、101"
    )
    follow_up.commitments.clear()
    assert found_of_kind("numbat", "en", Kind.FOLLOW_UP)[0][2] == ministry


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
