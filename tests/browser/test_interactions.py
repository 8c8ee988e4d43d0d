"""What a visitor does with a mouse or a keyboard: switch language, filter, search, follow a note, skip."""

import re

from playwright.sync_api import expect

from .conftest import VIEWPORTS, screenshot

DECLARATION = "/ja/declarations/g7-2023-digital-and-tech-ministerial-declaration/"


def test_language_switch_stays_on_the_same_record(site, page):
    page.goto(site + "/ja/meetings/g7-2023-digital-and-tech-takasaki/")
    assert page.locator("h1").inner_text() == "G7群馬高崎デジタル・技術大臣会合"
    page.locator(".language-switch").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/meetings/g7-2023-digital-and-tech-takasaki/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"
    page.locator(".language-switch").get_by_role("link", name="日本語").click()
    page.wait_for_url("**/ja/meetings/g7-2023-digital-and-tech-takasaki/")
    screenshot(page, "interaction-language-switch")


def test_filtering_meetings_by_prefecture_and_paging_keeps_the_filter(site, page):
    page.goto(site + "/en/meetings/")
    page.get_by_label("Portfolio").select_option("digital")
    page.get_by_label("Order").select_option("-date")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/en/meetings/?*portfolio=digital*")
    titles = page.locator(".meeting-card .card__title").all_inner_texts()
    assert titles[0] == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"
    assert len(titles) == 4
    assert page.get_by_label("Portfolio").input_value() == "digital"
    screenshot(page, "interaction-filter")
    # A bad value typed into the address is the form's error, in the page's language.
    response = page.goto(site + "/ja/meetings/?year=abc")
    assert response.status == 400
    assert "整数を入力してください。" in page.locator(".form-errors").inner_text()
    screenshot(page, "interaction-filter-error")


def test_search_from_the_header_highlights_two_character_japanese_words(site, page):
    page.goto(site + "/ja/")
    page.get_by_label("アーカイブを検索").fill("生成")
    page.get_by_label("アーカイブを検索").press("Enter")
    page.wait_for_url("**/ja/search/?q=*")
    marks = page.locator(".hit mark").all_inner_texts()
    assert marks and all(mark == "生成" for mark in marks)
    assert page.locator(".hit__kind").count() == page.locator(".hit").count() >= 1
    screenshot(page, "interaction-search")
    # The best hit is a commitment on generative AI, whose own page opens.
    first = page.locator(".hit__title").first
    address = first.get_attribute("href")
    assert "/ja/commitments/" in address
    first.click()
    page.wait_for_url(f"**{address}")


def test_a_facet_narrows_the_ranked_list_to_one_kind_keeping_the_query(site, page, viewport):
    page.goto(site + "/ja/search/?q=%E5%BA%83%E5%B3%B6")
    kinds = page.locator(".hit__kind").all_inner_texts()
    # The follow-up on the Hiroshima AI Process, the summit, the communiqué, a commitment.
    assert kinds[:4] == ["その後の動き", "会合", "文書", "約束"]
    facets = page.locator("nav.facets")
    assert facets.get_by_role("link", name="すべての種類").get_attribute("aria-current") == "page"
    # On a phone too, the facets wrap rather than widen the page.
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, f"interaction-search-facets-{viewport}")
    facets.get_by_role("link", name="文書").click()
    page.wait_for_url("**/ja/search/?q=*&kind=declaration")
    assert page.get_by_label("検索語").input_value() == "広島"
    assert set(page.locator(".hit__kind").all_inner_texts()) == {"文書"}
    assert page.locator("nav.facets").get_by_role("link", name="文書").get_attribute("aria-current") == "page"
    screenshot(page, f"interaction-search-facet-documents-{viewport}")


def test_an_earlier_commitment_found_opens_at_its_place_on_its_meetings_page(site, page, viewport):
    page.goto(site + "/ja/search/?q=DFFT")
    facets = page.locator("nav.facets")
    assert facets.get_by_role("link", name="以前の約束").locator(".facet__count").inner_text() == "2"
    facets.get_by_role("link", name="以前の約束").click()
    page.wait_for_url("**/ja/search/?q=DFFT&kind=earlier_commitment")
    assert set(page.locator(".hit__kind").all_inner_texts()) == {"以前の約束"}
    # Each with its document and date, as Japanese writes them.
    contexts = page.locator(".hit__context").all_inner_texts()
    assert "G20貿易・デジタル経済大臣会合閣僚声明／段落16／2019年6月9日" in contexts
    assert len(contexts) == 2 and all(
        re.search(r"／\d{4}年\d{1,2}月\d{1,2}日$", context) for context in contexts
    )
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(page, f"interaction-search-earlier-commitments-{viewport}")
    first = page.locator(".hit__title").first
    address = first.get_attribute("href")
    assert "/ja/meetings/" in address and "#earlier-" in address
    first.click()
    page.wait_for_url(f"**{address}")
    anchor = page.locator(f"[id='{address.partition('#')[2]}']")
    assert anchor.count() == 1
    assert anchor.is_visible() and anchor.evaluate(
        "element => element.getBoundingClientRect().top < innerHeight"
    )
    screenshot(page, f"interaction-search-earlier-commitment-target-{viewport}")


def hit_addresses(page) -> list[str]:
    return page.locator(".hit__title").evaluate_all("links => links.map(link => link.getAttribute('href'))")


def test_search_results_page_through_keeping_the_query(site, page, viewport):
    page.goto(site + "/ja/search/?q=G7")
    first_page = hit_addresses(page)
    assert len(first_page) == 20
    pagination = page.locator("nav.pagination")
    assert "3ページ中1ページ目" in pagination.inner_text()
    # On a phone too, the links fit beside each other without widening the page.
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    pagination.get_by_role("link", name="次のページ").click()
    page.wait_for_url("**/ja/search/?q=G7&page=2")
    assert page.get_by_label("検索語").input_value() == "G7"
    second_page = hit_addresses(page)
    assert 0 < len(second_page) <= 20
    assert not set(second_page) & set(first_page)
    assert page.locator("nav.pagination").get_by_role("link", name="次のページ").count() == 1
    screenshot(page, f"interaction-search-page-2-{viewport}")
    page.locator("nav.pagination").get_by_role("link", name="前のページ").click()
    page.wait_for_url("**/ja/search/?q=G7&page=1")
    assert hit_addresses(page) == first_page


def test_footnote_marker_and_note_link_both_ways(site, page):
    page.goto(site + DECLARATION)
    page.locator("#ref-note-1").click()
    page.wait_for_url("**#note-1")
    assert page.evaluate("location.hash") == "#note-1"
    note = page.locator("#note-1")
    assert note.is_visible()
    assert "サプライヤーの多様化" in note.inner_text()
    screenshot(page, "interaction-footnote-note")
    note.locator(".backref").click()
    assert page.evaluate("location.hash") == "#ref-note-1"
    assert page.locator("#ref-note-1").is_visible()
    # The marker is back in view: near the top of the window.
    assert 0 <= page.locator("#ref-note-1").bounding_box()["y"] < 740


def test_keyboard_tab_reaches_the_skip_link_first_and_enter_moves_to_main(site, page):
    page.goto(site + "/en/meetings/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0  # visible once focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    screenshot(page, "interaction-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab goes to the first control inside main, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_a_document_prints_without_the_sites_chrome(site, page):
    page.goto(site + DECLARATION)
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".toc", "details.cite"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("#theme-1").is_visible()
    assert page.locator("#note-1").is_visible()
    screenshot(page, "interaction-print")


def test_a_japanese_heading_breaks_between_phrases_on_a_phone(site, browser):
    """word-break: auto-phrase: G7群馬高崎デジタル・技術大臣会合 wraps between its words at 360 px, never
    inside one (デジタル, 大臣会合); an English heading wraps as English does."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(site + "/ja/meetings/g7-2023-digital-and-tech-takasaki/")
    style = "element => getComputedStyle(element).wordBreak"
    assert page.locator("h1").evaluate(style) == "auto-phrase"
    assert page.locator("h2").first.evaluate(style) == "auto-phrase"
    screenshot(page, "interaction-japanese-heading-phone")
    page.goto(site + "/en/meetings/g7-2023-digital-and-tech-takasaki/")
    assert page.locator("h1").evaluate(style) == "normal"
    context.close()


def test_cite_this_copies_the_citation_and_works_without_javascript(site, browser):
    """The button copies the record's citation (static/js/cite.js, no inline script under the CSP);
    without JavaScript there is no button, and the citation and its files are all there."""
    for lang, copied in (("ja", "コピーしました。"), ("en", "Copied.")):
        for viewport in ("phone", "desktop"):
            context = browser.new_context(viewport=VIEWPORTS[viewport], locale="ja-JP")
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            page.goto(site + f"/{lang}{DECLARATION.removeprefix('/ja')}")
            section = page.locator(".cite-record")
            expect(section.get_by_role("button")).to_be_visible()
            section.get_by_role("button").click()
            # The clipboard answers asynchronously: wait for the status to say so.
            expect(section.get_by_role("status")).to_have_text(copied)
            citation = section.locator(".citation").inner_text()
            assert page.evaluate("navigator.clipboard.readText()") == citation
            assert citation.endswith(f"/{lang}{DECLARATION.removeprefix('/ja')}")
            section.scroll_into_view_if_needed()
            full = screenshot(page, f"cite-{lang}-{viewport}")
            section.screenshot(path=str(full.with_name(f"cite-{lang}-{viewport}-section.png")))
            context.close()
            assert not errors, errors
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(site + "/en/meetings/g7-2023-trade-osaka-sakai/")
    section = page.locator(".cite-record")
    assert section.get_by_role("button").count() == 0
    assert "Government of Japan, “G7 Trade Ministers' Meeting in Osaka-Sakai”" in section.inner_text()
    assert section.get_by_role("link", name="BibTeX (.bib)").get_attribute("href").endswith("/cite.bib")
    section.screenshot(path=str(screenshot(page, "cite-en-phone-no-javascript")))  # the section alone
    context.close()
