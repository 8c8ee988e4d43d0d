"""The documents list, a document's page (themes, notes, annexes, the trace to the communiqué), the
side-by-side view and the annex page."""

import datetime
import json
import re

import pytest

from declarations.models import Declaration
from tests.factories import (
    AnnexFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    FootnoteFactory,
    KeyPointFactory,
    MeetingFactory,
    OfficialTextFactory,
    ThemeFactory,
)
from tests.html_forms import dangling_references

pytestmark = pytest.mark.django_db

TAKASAKI = "/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/"
COMMUNIQUE = "/{lang}/declarations/g7-2023-hiroshima-leaders-communique/"


def slugs(response):
    return [declaration.slug for declaration in response.context["declaration_list"]]


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["g7-2023-hiroshima-leaders-communique", "g7-2023-digital-and-tech-ministerial-declaration"]),
        ("kind=leaders_communique", ["g7-2023-hiroshima-leaders-communique"]),
        ("meeting=g7-2023-digital-and-tech-takasaki", ["g7-2023-digital-and-tech-ministerial-declaration"]),
        ("year=2023&q=宣言", ["g7-2023-digital-and-tech-ministerial-declaration"]),
        ("q=communiqué", ["g7-2023-hiroshima-leaders-communique"]),
        ("year=2016", []),
        (
            "ordering=date",
            ["g7-2023-digital-and-tech-ministerial-declaration", "g7-2023-hiroshima-leaders-communique"],
        ),
    ],
)
def test_list_filters(client, query, expected):
    response = client.get(f"/en/declarations/?{query}")
    assert response.status_code == 200
    assert slugs(response) == expected


@pytest.mark.parametrize(
    "query", ["kind=law", "meeting=no-such-meeting", "year=twenty", "q=" + "x" * 10_000, "q=%00"]
)
def test_list_bad_values_are_form_errors(client, query):
    response = client.get(f"/ja/declarations/?{query}")
    assert response.status_code == 400
    assert "使用できない条件があります" in response.content.decode()


@pytest.mark.parametrize("query", ["", "year=abc", "year=abc&kind=bogus"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_filter_refers_only_to_what_the_page_has(client, lang, query):
    """No field names a help text the page does not show; a field with an error names its error."""
    html = client.get(f"/{lang}/declarations/?{query}").content.decode()
    assert not dangling_references(html)
    if query:
        assert 'aria-describedby="id_year_error"' in html


def test_themes_key_points_and_anchors(client):
    html = html_of(client, TAKASAKI.format(lang="ja"))
    for number in range(1, 7):
        assert f'id="theme-{number}"' in html
    assert html.count('id="theme-5-point-') == 2
    assert "① 越境データ流通と信頼性のある自由なデータ流通（DFFT）の推進" in html
    assert "生成AIについて、早急に議論の場を持つことに合意。" in html


def test_footnote_markers_and_notes_link_both_ways(client):
    html = html_of(client, TAKASAKI.format(lang="ja"))
    for number in (1, 2, 3):
        assert f'<a id="ref-note-{number}" href="#note-{number}"' in html
        assert f'<li id="note-{number}">' in html
        assert f'class="backref" href="#ref-note-{number}"' in html
    # ＊1 stands after theme ②'s key point, as in the source.
    theme_two = html[html.index('id="theme-2"') : html.index('id="theme-3"')]
    assert 'href="#note-1"' in theme_two


def test_each_theme_lists_the_communique_items_that_take_it_up(client):
    html = html_of(client, TAKASAKI.format(lang="en"))
    theme_one = html[html.index('id="theme-1"') : html.index('id="theme-2"')]
    assert 'href="/en/declarations/g7-2023-hiroshima-leaders-communique/#item-3"' in theme_one
    theme_six = html[html.index('id="theme-6"') : html.index('id="annexes-heading"')]
    assert "#item-" not in theme_six


def test_annexes_are_listed_with_anchors_and_pages(client):
    html = html_of(client, TAKASAKI.format(lang="en"))
    for number in range(1, 6):
        assert f'<li id="annex-{number}">' in html
        assert (
            f'href="/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/{number}/"'
            in html
        )
    assert "G7 Vision for Operationalising DFFT and its Priorities" in html


def test_every_anchor_has_a_cite_this_with_its_permalink(client):
    html = html_of(client, TAKASAKI.format(lang="en"))
    base = "http://testserver/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/"
    for anchor in ("theme-1", "theme-5-point-2", "note-3", "annex-4"):
        assert f'<a href="{base}#{anchor}">Permanent link</a>' in html
    assert html.count('<details class="cite">') == 6 + 8 + 3 + 5


def test_communique_page_traces_each_item_to_its_themes_and_annexes(client):
    html = html_of(client, COMMUNIQUE.format(lang="en"))
    item_three = html[html.index('id="item-3"') : html.index('id="item-4"')]
    assert 'href="/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/#theme-1"' in item_three
    assert 'href="/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/"' in item_three
    item_four = html[html.index('id="item-4"') :]
    assert "/annexes/2/" in item_four
    assert "/annexes/3/" in item_four
    assert 'id="item-1"' in html


def test_a_draft_document_is_neither_listed_nor_traced(client):
    draft = DeclarationFactory(
        status=Declaration.Status.DRAFT, published_at=None, kind=Declaration.Kind.LEADERS_COMMUNIQUE
    )
    theme = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration").themes.get(
        number=6
    )
    item = CommuniqueItemFactory(declaration=draft, title_en="Secret item")
    item.themes.add(theme)
    assert draft.slug not in slugs(client.get("/en/declarations/"))
    assert client.get(f"/en/declarations/{draft.slug}/").status_code == 404
    assert "Secret item" not in html_of(client, TAKASAKI.format(lang="en"))


def test_document_json_ld_and_open_graph(client):
    html = html_of(client, TAKASAKI.format(lang="en"))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "CreativeWork"
    assert data["dateCreated"] == "2023-04-30"
    assert data["recordedAt"]["url"] == "http://testserver/en/meetings/g7-2023-digital-and-tech-takasaki/"
    assert [part["position"] for part in data["hasPart"]] == [1, 2, 3, 4, 5]
    assert '<meta property="og:type" content="article">' in html


def test_side_by_side_marks_each_text_with_its_status(client):
    """The white paper's Japanese of a theme is its own summary, not a provisional translation (仮訳) of
    the authentic English; the English is the archive's editorial translation."""
    html = html_of(client, TAKASAKI.format(lang="en") + "bilingual/")
    row = html[html.index('id="theme-1"') : html.index('id="theme-2"')]
    japanese, english = row.split('<div class="bilingual__side" lang="en">')
    assert "status--summary" in japanese
    assert "status--provisional" not in japanese
    assert "越境データ流通と信頼性のある自由なデータ流通（DFFT）の推進" in japanese
    assert "status--editorial" in english
    assert "status--summary" not in english
    assert "Promoting cross-border data flows" in english
    # An annex's official Japanese title is the ministries' provisional translation of its English one.
    annex = html[html.index('id="annex-1"') : html.index('id="annex-2"')]
    japanese, english = annex.split('<div class="bilingual__side" lang="en">')
    assert "status--provisional" in japanese
    assert "status--authentic" in english


def test_side_by_side_marks_what_editors_say_of_one_text(client):
    """Each text carries the status its record keeps for it, not one label for its whole side."""
    declaration = DeclarationFactory(authentic_language="en")
    theme = ThemeFactory(declaration=declaration, number=1, translation_status={"title_en": "provisional"})
    KeyPointFactory(theme=theme, number=1)
    html = html_of(client, f"/en/declarations/{declaration.slug}/bilingual/")
    english = html[html.index('id="theme-1"') :].split('<div class="bilingual__side" lang="en">')[1]
    title, points = english.split('<ol class="key-points">', 1)
    assert "status--provisional" in title
    assert "status--editorial" in points.split("</ol>")[0]


def test_stale_english_is_marked_out_of_date(client):
    # Japanese is the authentic text here, so a change of it leaves the English out of date.
    declaration = DeclarationFactory(authentic_language="ja")
    theme = ThemeFactory(declaration=declaration, number=1)
    point = KeyPointFactory(theme=theme, number=1, text_ja="元の要点。", text_en="The first point.")
    fresh = html_of(client, f"/en/declarations/{declaration.slug}/")
    assert "status--stale" not in fresh
    point.text_ja = "改めた要点。"
    point.save()
    page = html_of(client, f"/en/declarations/{declaration.slug}/")
    item = page[page.index(f'id="{point.anchor}"') :].split("</li>")[0]
    assert "The first point." in item
    assert "status--stale" in item and "Out of date" in item
    side_by_side = html_of(client, f"/en/declarations/{declaration.slug}/bilingual/")
    english = side_by_side[side_by_side.index('id="theme-1"') :].split(
        '<div class="bilingual__side" lang="en">'
    )[1]
    assert "status--stale" in english.split("</ol>")[0]
    japanese = html_of(client, f"/ja/declarations/{declaration.slug}/bilingual/")
    assert "更新待ち" in japanese


def test_stale_japanese_of_an_english_authentic_document_is_marked_out_of_date(client):
    # The Takasaki declaration's authentic text is English: a correction of it leaves the Japanese (仮訳)
    # out of date, and the English as it was.
    declaration = DeclarationFactory(authentic_language="en")
    theme = ThemeFactory(declaration=declaration, number=1)
    point = KeyPointFactory(theme=theme, number=1, text_ja="元の要点。", text_en="The first point.")
    point.text_en = "The corrected point."
    point.save()
    japanese = html_of(client, f"/ja/declarations/{declaration.slug}/")
    item = japanese[japanese.index(f'id="{point.anchor}"') :].split("</li>")[0]
    assert "元の要点。" in item and "status--stale" in item
    english = html_of(client, f"/en/declarations/{declaration.slug}/")
    item = english[english.index(f'id="{point.anchor}"') :].split("</li>")[0]
    assert "The corrected point." in item and "status--stale" not in item


def test_japanese_shown_for_missing_english_is_marked_japanese_only(client):
    declaration = DeclarationFactory()
    theme = ThemeFactory(declaration=declaration, number=1)
    point = KeyPointFactory(theme=theme, number=1, text_ja="日本語だけの要点。", text_en="")
    page = html_of(client, f"/en/declarations/{declaration.slug}/")
    item = page[page.index(f'id="{point.anchor}"') :].split("</li>")[0]
    assert '<span lang="ja">日本語だけの要点。</span>' in item
    assert "Japanese only" in item
    # The marks are in the page's language, outside the Japanese text.
    assert (
        '<span class="text-marks" lang="en"><span class="status status--fallback">Japanese only</span>'
        in item
    )
    japanese = html_of(client, f"/ja/declarations/{declaration.slug}/")
    assert "日本語のみ" not in japanese


def test_side_by_side_in_japanese_labels_statuses_in_japanese(client):
    html = html_of(client, TAKASAKI.format(lang="ja") + "bilingual/")
    assert "仮訳" in html
    assert "編集部訳" in html


def test_side_by_side_shows_missing_english_and_an_authentic_body(client):
    declaration = DeclarationFactory(
        authentic_language="en", body_ja="日本語の本文。", body_en="The English text."
    )
    theme = ThemeFactory(declaration=declaration, number=1, title_en="")
    KeyPointFactory(theme=theme, number=1, text_en="")
    html = html_of(client, f"/en/declarations/{declaration.slug}/bilingual/")
    row = html[html.index('id="theme-1"') : html.index('id="text"')]
    english = row.split('<div class="bilingual__side" lang="en">')[1]
    assert english.count("status--missing") == 2  # the title, the key point
    body = html[html.index('id="text"') :]
    japanese_body, english_body = body.split('<div class="bilingual__side" lang="en">')
    assert "status--provisional" in japanese_body
    assert "status--authentic" in english_body


def test_annex_page(client):
    html = html_of(client, TAKASAKI.format(lang="en") + "annexes/1/")
    assert "<h1>G7 Vision for Operationalising DFFT and its Priorities</h1>" in html
    assert "① Promoting cross-border data flows" in html
    assert "Vision" in html
    assert 'href="/en/declarations/g7-2023-hiroshima-leaders-communique/#item-3"' in html
    assert (
        "http://testserver/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/"
        in html
    )


@pytest.mark.parametrize("number", ["0", "6", "100", "9" * 30])
def test_an_annex_that_does_not_exist_is_a_404(client, number):
    assert client.get(TAKASAKI.format(lang="en") + f"annexes/{number}/").status_code == 404


def grow(declaration, count=30):
    """Add many parts to a document, each traced to a communiqué item."""
    item = CommuniqueItemFactory(number=50)
    for number in range(10, 10 + count):
        theme = ThemeFactory(declaration=declaration, number=number)
        KeyPointFactory(theme=theme, number=1)
        KeyPointFactory(theme=theme, number=2)
        FootnoteFactory(theme=theme, number=number)
        annex = AnnexFactory(declaration=declaration, number=number, theme=theme)
        OfficialTextFactory(declaration=declaration, number=number)
        OfficialTextFactory(declaration=declaration, number=number + count, annex=annex)
        item.themes.add(theme)
        item.annexes.add(annex)


@pytest.mark.parametrize("suffix", ["", "bilingual/"])
def test_document_query_count_does_not_grow_with_its_parts(count_queries, suffix):
    url = TAKASAKI.format(lang="en") + suffix
    before = count_queries(url)
    grow(Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration"))
    assert count_queries(url) == before
    assert before <= 20


def test_communique_query_count_does_not_grow_with_its_items(count_queries):
    url = COMMUNIQUE.format(lang="en")
    before = count_queries(url)
    communique = Declaration.objects.get(slug="g7-2023-hiroshima-leaders-communique")
    theme = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration").themes.get(
        number=1
    )
    for number in range(10, 40):
        item = CommuniqueItemFactory(declaration=communique, number=number)
        item.themes.add(theme)
    assert count_queries(url) == before


def test_list_and_annex_query_counts_do_not_grow(count_queries):
    list_before = count_queries("/en/declarations/")
    annex_url = TAKASAKI.format(lang="en") + "annexes/1/"
    annex_before = count_queries(annex_url)
    for _ in range(30):
        DeclarationFactory()
    communique = Declaration.objects.get(slug="g7-2023-hiroshima-leaders-communique")
    annex = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration").annexes.get(
        number=1
    )
    for number in range(10, 40):
        CommuniqueItemFactory(declaration=communique, number=number).annexes.add(annex)
    assert count_queries("/en/declarations/") == list_before
    assert count_queries(annex_url) == annex_before


def meeting_options(response) -> list[str]:
    select = re.search(r'<select name="meeting"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(
        1
    )
    return [value for value in re.findall(r'<option value="([^"]*)"', select) if value]


def test_the_meeting_filter_offers_a_bounded_choice_and_still_takes_any_meeting(client, monkeypatch):
    monkeypatch.setattr("declarations.filters.MEETING_OPTIONS", 2)
    older = DeclarationFactory(meeting=MeetingFactory(year=2001, slug="a-meeting-of-2001"))
    options = meeting_options(client.get("/en/declarations/"))
    assert len(options) == 2 and "a-meeting-of-2001" not in options
    # A meeting beyond the latest few is still a valid filter, and shown as chosen.
    response = client.get("/en/declarations/", {"meeting": "a-meeting-of-2001"})
    assert response.status_code == 200
    assert older.slug in response.content.decode()
    assert "a-meeting-of-2001" in meeting_options(response)
    # A year narrows the choice to that year's meetings.
    assert meeting_options(client.get("/en/declarations/", {"year": 2001})) == ["a-meeting-of-2001"]


def test_a_document_page_sets_its_parts_links_from_what_it_read_and_reads_one_that_leaves_it(client):
    """The page links notes and annexes to their themes from the themes it read; a link to another
    document's theme, which only the models' validation forbids, is still shown, read as before."""
    other_theme = ThemeFactory(title_en="A theme elsewhere")
    declaration = DeclarationFactory()
    theme = ThemeFactory(declaration=declaration, number=1, title_en="The theme here")
    FootnoteFactory(theme=theme, number=1, text_en="A note on the theme here.")
    AnnexFactory(declaration=declaration, number=1, theme=theme, title_en="The annex here")
    stray = AnnexFactory(declaration=declaration, number=2, title_en="An annex pointing away")
    type(stray).objects.filter(pk=stray.pk).update(theme=other_theme)
    html = client.get(f"/en/declarations/{declaration.slug}/").content.decode()
    assert "A note on the theme here." in html and "The annex here" in html
    assert "An annex pointing away" in html and "A theme elsewhere" in html
    assert f'href="/en/declarations/{declaration.slug}/annexes/1/"' in html


def page_json_ld(html: str) -> dict:
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    return json.loads(found)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_documents_list_describes_its_page(client, lang):
    data = page_json_ld(client.get(f"/{lang}/declarations/").content.decode())
    assert data["@type"] == "CollectionPage" and data["inLanguage"] == lang
    urls = [element["url"] for element in data["mainEntity"]["itemListElement"]]
    assert f"http://testserver/{lang}/declarations/g7-2023-hiroshima-leaders-communique/" in urls
    assert len(urls) == Declaration.objects.published().count()


def test_an_annex_is_a_part_of_its_document(client):
    declaration = "g7-2023-digital-and-tech-ministerial-declaration"
    data = page_json_ld(client.get(f"/en/declarations/{declaration}/annexes/1/").content.decode())
    assert data["@type"] == "CreativeWork"
    assert data["name"] == "G7 Vision for Operationalising DFFT and its Priorities"
    assert data["url"] == f"http://testserver/en/declarations/{declaration}/annexes/1/"
    assert data["position"] == 1
    assert data["isPartOf"]["@id"] == f"http://testserver/en/declarations/{declaration}/"
    assert data["dateCreated"] == "2023-04-30"
    assert data["inLanguage"] == "en"


@pytest.mark.parametrize(("lang", "shown"), [("en", "1 June 2024"), ("ja", "2024年6月1日")])
def test_annex_page_says_when_it_was_last_updated(client, lang, shown):
    """An annex has no change time of its own: its page gives its document's, as the sitemap does, in the
    facts and in its JSON-LD."""
    changed = datetime.datetime(2024, 6, 1, 9, 30, tzinfo=datetime.UTC)
    Declaration.objects.filter(slug="g7-2023-digital-and-tech-ministerial-declaration").update(
        updated_at=changed
    )
    html = html_of(client, TAKASAKI.format(lang=lang) + "annexes/2/")
    facts = html[html.index('<dl class="facts">') : html.index("</dl>", html.index('<dl class="facts">'))]
    label = "Last updated" if lang == "en" else "最終更新"
    assert f'<dt>{label}</dt><dd><time datetime="2024-06-01">{shown}</time></dd>' in facts
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["dateModified"] == changed.isoformat()


# Official texts: each address as public records give it, with its language, format, issuer and dates.

DIGITAL_AGENCY_EN = "https://digital.go.jp/en/1dd2ad3e-3287-4677-971b-f7e973721367-en"


def official_texts_section(html) -> str:
    return re.search(r'<section class="official-texts".*?</section>', html, re.S).group(0)


def test_a_document_page_links_its_official_texts_with_their_language_issuer_and_dates(client):
    english = official_texts_section(html_of(client, TAKASAKI.format(lang="en")))
    assert f'<a href="{DIGITAL_AGENCY_EN}" hreflang="en" lang="en">' in english
    assert 'hreflang="ja" lang="ja">G7群馬高崎デジタル・技術大臣会合の開催結果</a>' in english
    assert "Digital Agency" in english and "Published 30 April 2023" in english
    assert "Address checked 5 December 2026" in english
    japanese = official_texts_section(html_of(client, TAKASAKI.format(lang="ja")))
    assert "公式テキスト" in japanese and "デジタル庁" in japanese
    assert "2023年4月30日公表" in japanese and "2026年12月5日にアドレスを確認" in japanese
    assert "ウェブページ" in japanese and "英語" in japanese


def test_a_document_without_a_verified_address_says_so(client):
    DeclarationFactory(slug="no-texts-yet")
    english = official_texts_section(html_of(client, "/en/declarations/no-texts-yet/"))
    assert "No official text address has been verified for this document." in english
    assert "<a " not in english
    japanese = official_texts_section(html_of(client, "/ja/declarations/no-texts-yet/"))
    assert "この文書の公式テキストのアドレスは確認されていません。" in japanese


def test_an_annex_page_shows_its_own_official_texts_or_says_none_is_verified(client):
    url = TAKASAKI.format(lang="en") + "annexes/1/"
    assert "No official text address has been verified for this annex." in official_texts_section(
        html_of(client, url)
    )
    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    text = OfficialTextFactory(declaration=declaration, number=10, annex=declaration.annexes.get(number=1))
    section = official_texts_section(html_of(client, url))
    assert f'<a href="{text.url}" hreflang="en" lang="en">Test official text</a>' in section
    assert "PDF" in section and "Test Ministry" in section
    # The annex's text is its own, not the document's.
    assert text.url not in official_texts_section(html_of(client, TAKASAKI.format(lang="en")))
    japanese = official_texts_section(html_of(client, TAKASAKI.format(lang="ja") + "annexes/2/"))
    assert "この附属書の公式テキストのアドレスは確認されていません。" in japanese
