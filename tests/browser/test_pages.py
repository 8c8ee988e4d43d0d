"""Every page type in both languages, at phone and desktop widths: it renders, styled, without overflow.

One test per language walks all pages at both widths, so the records are loaded (and the live database
flushed) twice rather than once per page.
"""

import pytest

from .conftest import SCREENSHOTS, VIEWPORTS, screenshot

PAGES = {
    "home": "/{lang}/",
    "meetings": "/{lang}/meetings/",
    "meeting": "/{lang}/meetings/g7-2023-digital-and-tech-takasaki/",
    "meeting-trade": "/{lang}/meetings/g7-2023-trade-osaka-sakai/",
    "documents": "/{lang}/declarations/",
    "declaration": "/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/",
    "communique": "/{lang}/declarations/g7-2023-hiroshima-leaders-communique/",
    "bilingual": "/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/bilingual/",
    "annex": "/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/",
    "search": "/{lang}/search/?q=%E5%AE%A3%E8%A8%80",
    "search-hiroshima": "/{lang}/search/?q=%E5%BA%83%E5%B3%B6",
    "search-digital": "/{lang}/search/?q=digital",
    "data": "/{lang}/data/",
    "about": "/{lang}/about/",
    "accessibility": "/{lang}/accessibility/",
    "terms": "/{lang}/terms/",
    "contact": "/{lang}/contact/",
    "commitments": "/{lang}/commitments/",
    "commitment": "/{lang}/commitments/digital-competition-summit/",
    "commitment-leaders": "/{lang}/commitments/hiroshima-ai-process/",
    "commitment-lineage": "/{lang}/commitments/dfft-vision-priorities/",
    "meeting-earlier": "/{lang}/meetings/g20-2019-trade-and-digital-economy-tsukuba/",
    "follow-ups": "/{lang}/commitments/follow-ups/",
    "follow-up": "/{lang}/commitments/follow-ups/g7-competition-summit-tokyo-2023/",
    "not-found": "/{lang}/meetings/no-such-meeting/",
}


def check_page(page, url, expected_status, lang):
    """What every page must be: the right status and language, styled, one h1, no sideways scrolling."""
    problems = []
    response = page.goto(url)
    if response.status != expected_status:
        problems.append(f"status {response.status}")
    return problems + page_problems(page, lang)


def page_problems(page, lang):
    """What every page must be, however it was opened: its language, styled, one h1, no sideways scrolling."""
    problems = []
    if page.locator("html").get_attribute("lang") != lang:
        problems.append("html lang")
    # Styled: the stylesheet loaded, so the skip link sits off-screen until it is focused.
    if page.locator(".skip-link").bounding_box()["y"] >= 0:
        problems.append("unstyled (skip link visible)")
    if page.locator("h1").count() != 1:
        problems.append(f"{page.locator('h1').count()} h1 elements")
    for landmark in ("header.site-header", "main#main", "footer.site-footer", "nav.language-switch"):
        if page.locator(landmark).count() != 1:
            problems.append(f"landmark {landmark}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems.append(f"{overflow}px of horizontal overflow")
    # Space above the footer: main is also a .container, whose own padding must not take it away.
    if page.evaluate("parseFloat(getComputedStyle(document.querySelector('main')).paddingBottom)") < 32:
        problems.append("no space between the content and the footer")
    return problems


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_type_renders_at_phone_and_desktop_width(site, browser, lang):
    problems = {}
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        for name, path in PAGES.items():
            found = check_page(page, site + path.format(lang=lang), 404 if name == "not-found" else 200, lang)
            if found:
                problems[f"{name} {viewport}"] = found
            screenshot(page, f"{name}-{lang}-{viewport}")
        context.close()
        assert not errors, errors
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_documents_page_with_its_parts_corrections_and_text_marks(site, browser, lang):
    """The corrections of a document's parts (before and after, both languages) and the marks beside
    each text fit a phone's width as well as a desktop's."""
    from declarations.models import KeyPoint, Theme

    theme = Theme.objects.get(declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", number=1)
    theme.title_en = "Promoting cross-border data flows and Data Free Flow with Trust (DFFT), corrected"
    theme._change_reason = "The official English title."
    theme.save()
    point = KeyPoint.objects.filter(theme=theme).get()
    point.text_en += " (corrected)"
    point._change_reason = "誤記の訂正"
    point.save()
    problems = {}
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size)
        page = context.new_page()
        path = f"/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/"
        found = check_page(page, site + path, 200, lang)
        if page.locator(".corrections--parts .corrections__list > li").count() != 2:
            found.append("the parts' corrections")
        # The declaration's authentic text is English: the key point's corrected English leaves its
        # Japanese out of date, which the Japanese page marks.
        if lang == "ja" and page.locator(".status--stale").count() != 1:
            found.append("the out-of-date mark")
        if found:
            problems[viewport] = found
        screenshot(page, f"declaration-part-corrections-{lang}-{viewport}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section = SCREENSHOTS / f"declaration-part-corrections-section-{lang}-{viewport}.png"
        page.locator(".corrections--parts").screenshot(path=str(section))
        page.goto(site + path + "bilingual/")
        screenshot(page, f"bilingual-marks-{lang}-{viewport}")
        context.close()
    assert not problems, problems


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_side_by_side_view_shows_each_paragraphs_commitments_in_both_columns(site, browser, lang):
    """Beside key point 5-2, each column shows its commitment in the column's language, and the blocks fit a
    phone's width as well as a desktop's."""
    problems = {}
    headings = {"ja": "この段落の約束", "en": "Commitments in this paragraph"}
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size)
        page = context.new_page()
        path = f"/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/bilingual/"
        found = check_page(page, site + path, 200, lang)
        row = page.locator("#theme-5")
        for side in ("ja", "en"):
            column = row.locator(f".bilingual__side[lang='{side}']")
            block = column.locator(f".key-points > li:nth-child(2) > .commitments-held[lang='{side}']")
            if block.count() != 1:
                found.append(f"{block.count()} commitment blocks in the {side} column")
                continue
            if headings[side] not in block.inner_text():
                found.append(f"the {side} column's heading")
            link = block.locator(f"a[href='/{side}/commitments/generative-ai-forum/']")
            if not link.is_visible():
                found.append(f"the {side} column's commitment")
        if found:
            problems[viewport] = found
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        row.screenshot(path=str(SCREENSHOTS / f"bilingual-commitments-{lang}-{viewport}.png"))
        screenshot(page, f"bilingual-commitments-page-{lang}-{viewport}")
        context.close()
    assert not problems, problems
