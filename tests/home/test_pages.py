"""The pages a public record owes its readers: about, accessibility, terms of reuse, contact for corrections,
in both languages, linked from every page's footer."""

import json
import re

import pytest
from django.test import override_settings
from django.utils import translation

from home.pages import CONTENT_PAGES
from publication.models import TextStatus
from tests.browser.test_conformance import PAGES as CONFORMANCE_PAGES

pytestmark = pytest.mark.django_db

PAGES = ["about", "accessibility", "terms", "contact"]
TITLES = {
    "en": {
        "about": "About the archive",
        "accessibility": "Accessibility statement",
        "terms": "Terms of reuse",
        "contact": "Report an error",
    },
    "ja": {
        "about": "このアーカイブについて",
        "accessibility": "アクセシビリティ方針",
        "terms": "利用条件",
        "contact": "誤りのお知らせ",
    },
}
# The licence paragraph of the data page, which the terms page states in the same words.
ARCHIVE_LICENCE = {
    "en": "The records are based on a publication of the Ministry of Internal Affairs and Communications, "
    "reused under the Government of Japan Standard Terms of Use (Version 2.0), and are offered on the same "
    "terms",
    "ja": "記録は、政府標準利用規約（第2.0版）に従って利用している総務省の刊行物に基づくもので、同じ条件で提供します。",
}


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


def main_of(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_each_page_in_each_language(client, lang, name, django_assert_max_num_queries):
    # No record is read: the queries are at most the session's and the user's.
    with django_assert_max_num_queries(2):
        html = html_of(client, f"/{lang}/{name}/")
    title = TITLES[lang][name]
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert f"<title>{title} | " in html
    assert f'<link rel="canonical" href="http://testserver/{lang}/{name}/">' in html
    # Its body is the page's language's own text: no Japanese paragraph on an English page, no English
    # one on a Japanese page (beyond names, addresses and the code's module names).
    body = main_of(html)[main_of(html).index("</header>") :]
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", body, re.S)
    assert paragraphs
    for paragraph in paragraphs:
        text = re.sub(r"<[^>]+>|\{[^}]*\}", "", paragraph)
        kana = re.search(r"[\u3040-\u30ff]", text)
        if lang == "en":
            assert not kana or 'lang="ja"' in paragraph, paragraph
        else:
            assert kana, paragraph
    data = json_ld(html)
    assert data["@type"] == {"about": "AboutPage", "contact": "ContactPage"}.get(name, "WebPage")
    assert data["name"] == title
    assert data["url"] == data["@id"] == f"http://testserver/{lang}/{name}/"
    assert data["inLanguage"] == lang
    assert data["isPartOf"] == {
        "@type": "WebSite",
        "@id": f"http://testserver/{lang}/",
        "url": f"http://testserver/{lang}/",
        "name": "G7 2023 アーカイブ" if lang == "ja" else "G7 2023 Archive",
    }
    # Each page links the others, itself marked as the current one.
    others = html[html.index('aria-labelledby="content-pages-heading"') :]
    for other in PAGES:
        current = ' aria-current="page"' if other == name else ""
        assert f'<a href="/{lang}/{other}/"{current}>{TITLES[lang][other]}</a>' in others


def test_every_page_template_exists_in_both_languages():
    """A page whose body is missing in one language would be a 500 there."""
    from django.template.loader import get_template

    for name in CONTENT_PAGES:
        for lang in ("ja", "en"):
            assert get_template(f"pages/{lang}/{name}.html")


@pytest.mark.parametrize(
    "url",
    [
        "/ja/",
        "/en/meetings/",
        "/en/meetings/g7-2023-digital-and-tech-takasaki/",
        "/ja/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/",
        "/en/data/",
        "/ja/search/?q=宣言",
        "/en/about/",
    ],
)
def test_every_pages_footer_links_the_four_pages(client, url):
    html = html_of(client, url)
    footer = html[html.index('<footer class="site-footer">') :]
    lang = "ja" if url.startswith("/ja/") else "en"
    for name in PAGES:
        assert f'<a href="/{lang}/{name}/">{TITLES[lang][name]}</a>' in footer, name


def test_the_404_page_links_them_too(client):
    response = client.get("/en/meetings/no-such-meeting/")
    assert response.status_code == 404
    assert '<a href="/en/contact/">Report an error</a>' in response.content.decode()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_about_explains_each_text_status_under_the_label_the_pages_give_it(client, lang):
    html = html_of(client, f"/{lang}/about/")
    with translation.override(lang):
        labels = [str(status.label) for status in TextStatus]
    for label in labels:
        escaped = label.replace("'", "&#39;")
        assert f"<dt>{escaped}</dt><dd>" in html, label
    assert "<code>fixtures/sources/</code>" in html
    assert f'href="/{lang}/feeds/corrections.atom"' in html
    assert f'href="/{lang}/contact/"' in html
    source = "総務省「ICT 国際戦略の推進（総務省におけるICT政策の取組状況）」"
    # On the English page the source's Japanese title is marked as Japanese (WCAG 3.1.2).
    assert source in html if lang == "ja" else '“<span lang="ja">ICT 国際戦略の推進</span>”' in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_accessibility_names_the_standard_and_the_tests_that_check_it(client, lang):
    html = html_of(client, f"/{lang}/accessibility/")
    assert 'href="https://www.w3.org/TR/WCAG22/"' in html
    assert "2.2" in html and "AA" in html
    assert "axe-core" in html and "W3C Nu HTML Checker" in html
    # On a phone the module's path breaks at its slashes, not inside a name.
    assert "<code>tests/<wbr>browser/<wbr>test_conformance.py</code>" in html
    assert f'href="/{lang}/contact/"' in html


# How the accessibility statement names each page that tests/browser/test_conformance.py checks.
TESTED_PAGES = {
    "en": {
        "home": "the home page",
        "meetings": "the list of meetings,",
        "documents": "the list of documents",
        "meetings-bad-filter": "the list of meetings with filters that could not be used",
        "meeting": "a meeting,",
        "document": "a document,",
        "annex": "an annex",
        "bilingual": "the side-by-side view of a document",
        "search": "search, with its facets",
        "data": "the data page",
        "about": "the pages about the archive",
        "accessibility": "this accessibility statement",
        "terms": "the terms of reuse",
        "contact": "the page to report an error",
        "commitments": "the commitment register: its dashboard",
        "commitment": "a commitment’s page",
        "commitment-lineage": "a commitment’s page with its lineage from earlier years",
        "meeting-earlier": "the page of an earlier meeting whose commitments the register’s carry forward",
        "follow-ups": "the list of what followed the commitments",
        "follow-up": "a follow-up’s page",
    },
    "ja": {
        "home": "トップページ",
        "meetings": "会合の一覧、",
        "documents": "文書の一覧",
        "meetings-bad-filter": "使えない値で絞り込んだ会合の一覧",
        "meeting": "<li>会合、",
        "document": "、文書、",
        "annex": "附属書",
        "bilingual": "文書の対訳表示",
        "search": "検索（絞り込みの候補を含む）",
        "data": "オープンデータのページ",
        "about": "「このアーカイブについて」",
        "accessibility": "このアクセシビリティ方針",
        "terms": "利用条件",
        "contact": "誤りのお知らせの各ページ",
        "commitments": "約束の登録簿：その一覧",
        "commitment": "一つの約束のページ",
        "commitment-lineage": "以前の年からの系譜のある約束のページ",
        "meeting-earlier": "登録簿の約束が引き継ぐ以前の会合のページ",
        "follow-ups": "約束のその後の動きの一覧",
        "follow-up": "一つのその後の動きのページ",
    },
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_accessibility_lists_every_page_the_conformance_test_checks(client, lang):
    """The statement's list of tested pages is the conformance test's: a page added to the test is named."""
    assert set(TESTED_PAGES[lang]) == set(CONFORMANCE_PAGES)
    html = html_of(client, f"/{lang}/accessibility/")
    missing = [name for name, words in TESTED_PAGES[lang].items() if words not in html]
    assert not missing


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_terms_cite_the_sources_terms_and_state_the_archives_licence_as_the_data_page_does(client, lang):
    terms = html_of(client, f"/{lang}/terms/")
    data = html_of(client, f"/{lang}/data/")
    assert ARCHIVE_LICENCE[lang] in terms and ARCHIVE_LICENCE[lang] in data
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in terms
    assert "政府標準利用規約（第2.0版）" in terms
    assert 'href="https://en.wikipedia.org/wiki/Government_of_Japan_Standard_Terms_of_Use"' in terms
    assert ("2015年12月24日" if lang == "ja" else "24 December 2015") in terms
    # The licence the archive's files carry (publication.licence), quoted as they give it.
    licence = {
        "ja": "政府標準利用規約（第2.0版）。クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）と互換。",
        "en": "Government of Japan Standard Terms of Use (Version 2.0), compatible with CC BY 4.0.",
    }[lang]
    assert licence in terms


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_contact_says_what_to_include_and_that_no_address_is_given_when_none_is_set(client, lang):
    with override_settings(CONTACT_EMAIL=""):
        html = html_of(client, f"/{lang}/contact/")
    assert "mailto:" not in html
    assert "contact-address--none" in html
    if lang == "en":
        assert "has not published an address for reports yet" in html
        assert "The record’s address" in html and "The passage" in html and "The public source" in html
    else:
        assert "お知らせの宛先をまだ公開していません" in html
        assert "記録のアドレス" in html and "該当する一節" in html and "公開された出典" in html


@pytest.mark.parametrize(
    ("lang", "subject"),
    [("en", "Correction%3A%20G7%202023%20Archive"), ("ja", "%E8%A8%82%E6%AD%A3")],
)
def test_contact_gives_the_address_when_it_is_set(client, lang, subject):
    with override_settings(CONTACT_EMAIL="corrections@g7.example.org"):
        html = html_of(client, f"/{lang}/contact/")
    assert "contact-address--none" not in html
    link = re.search(r'<a href="mailto:corrections@g7\.example\.org\?subject=([^"]+)">([^<]+)</a>', html)
    assert link and link.group(2) == "corrections@g7.example.org"
    assert link.group(1).startswith(subject)


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_are_in_the_sitemap_in_both_languages(client, name):
    xml = client.get("/sitemap.xml").content.decode()
    for lang in ("ja", "en"):
        assert f"<loc>http://testserver/{lang}/{name}/</loc>" in xml


def test_the_pages_are_cached_like_other_pages():
    """The page cache (operations.cache) keeps a page whose view names the query parameters it reads: these
    read none, so any query string is the same page."""
    from django.urls import resolve

    from operations.cache import view_query_parameters

    for name in PAGES:
        assert view_query_parameters(resolve(f"/en/{name}/").func) == ()
