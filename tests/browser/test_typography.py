"""The site's type in Chromium: English text is set in the vendored Noto Sans (static/fonts/), not in
whatever the system has (DejaVu Sans on Debian); Japanese text still in a Japanese font."""

import pytest

from .conftest import DESKTOP, screenshot


def used_fonts(page, selector: str) -> dict[str, dict]:
    """The fonts Chromium drew an element's text with, by family name, as its DevTools report them
    (CSS.getPlatformFontsForNode: the family, whether it is a web font, how many glyphs)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return {font["familyName"]: font for font in fonts}


def vendored(fonts: dict[str, dict]) -> list[str]:
    """The web font's faces among them (named by weight inside the files: Noto Sans, Noto Sans SemiBold…)."""
    return [
        name
        for name, font in fonts.items()
        if font["isCustomFont"] and font["postScriptName"].startswith("NotoSans-")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/about/",
        "/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/",
    ],
)
def test_english_text_is_set_in_the_vendored_noto_sans(site, browser, path):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site + path)
    page.evaluate("document.fonts.ready.then(() => true)")
    for selector in ("h1", "main p", ".site-footer a"):
        fonts = used_fonts(page, selector)
        assert vendored(fonts), (selector, fonts)
        assert not any("DejaVu" in name for name in fonts), (selector, fonts)
    loaded = page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight)"
    )
    assert '"Noto Sans" 400' in loaded or "Noto Sans 400" in loaded, loaded
    context.close()


def test_japanese_text_stays_in_a_japanese_font(site, browser):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site + "/ja/about/")
    page.evaluate("document.fonts.ready.then(() => true)")
    fonts = used_fonts(page, "h1")
    assert any("CJK JP" in name or "Noto Sans JP" in name for name in fonts), fonts
    assert not vendored(fonts), fonts
    # Latin text on an English page that quotes Japanese: each script in its own face.
    page.goto(site + "/en/terms/")
    page.evaluate("document.fonts.ready.then(() => true)")
    fonts = used_fonts(page, "main p span[lang='ja']")
    assert any("CJK JP" in name or "Noto Sans JP" in name for name in fonts), fonts
    screenshot(page, "terms-en-desktop-fonts")
    context.close()
