"""Nothing from outside: every request a main page makes, its assets, scripts, icon and what its scripts
fetch, goes to the site itself and finds something there."""

from urllib.parse import urlsplit

import pytest

from .conftest import VIEWPORTS, screenshot

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
MAIN_PAGES = [
    "/{lang}/",
    "/{lang}/meetings/",
    "/{lang}/meetings/g7-2023-digital-and-tech-takasaki/",
    "/{lang}/declarations/",
    f"/{{lang}}/declarations/{DECLARATION}/",
    f"/{{lang}}/declarations/{DECLARATION}/bilingual/",
    f"/{{lang}}/declarations/{DECLARATION}/annexes/1/",
    "/{lang}/search/?q=G7",
    "/{lang}/data/",
    "/{lang}/about/",
    "/{lang}/accessibility/",
    "/{lang}/terms/",
    "/{lang}/contact/",
    "/api/docs/",
    # Where Redoc was, which asked its makers' CDN for a logo: now the docs above.
    "/api/docs/redoc/",
]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_page_asks_anything_of_another_site_nor_gets_a_404(site, browser, lang):
    origin = urlsplit(site).netloc
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    requests, failures, console_errors = [], [], []
    page.on("request", lambda request: requests.append((page.url, request.url)))
    page.on("requestfailed", lambda request: failures.append((request.url, request.failure)))
    page.on(
        "response",
        lambda response: response.status >= 400 and failures.append((response.url, response.status)),
    )
    page.on(
        "console", lambda message: message.type == "error" and console_errors.append((page.url, message.text))
    )
    for path in MAIN_PAGES:
        page.goto(site + path.format(lang=lang))
        page.wait_for_load_state("networkidle")
    context.close()
    elsewhere = [(where, url) for where, url in requests if urlsplit(url).netloc not in ("", origin)]
    assert not elsewhere, elsewhere
    assert not failures, failures
    # Swagger UI styles some elements inline at run time, which the policy refuses (and it logs): on its
    # page only a failed load counts here.
    own_errors = [
        (where, text)
        for where, text in console_errors
        if "/api/docs/" not in where or "Failed to load" in text or "404" in text
    ]
    assert not own_errors, own_errors
    # The pages did load their assets and the docs their schema: the recording saw them.
    assert any("/static/css/site" in url for _where, url in requests)
    assert any("/static/icons/" in url for _where, url in requests)
    # The web font, from the site's own static files.
    assert any("/static/fonts/noto-sans-latin-400-normal" in url for _where, url in requests)
    assert any("/api/schema/" in url for _where, url in requests)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_data_page_and_its_links_at_phone_and_desktop_width(site, browser, lang):
    for viewport, size in VIEWPORTS.items():
        context = browser.new_context(viewport=size, accept_downloads=True)
        page = context.new_page()
        page.goto(f"{site}/{lang}/data/")
        assert (
            page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
        )
        feeds = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
        assert [feeds.nth(n).get_attribute("href") for n in range(feeds.count())] == [
            f"{site}/{lang}/feeds/documents.atom",
            f"{site}/{lang}/feeds/corrections.atom",
        ]
        feed, corrections_feed = feeds.nth(0), feeds.nth(1)
        calendar = page.locator('head link[rel="alternate"][type="text/calendar"]')
        assert calendar.get_attribute("href") == f"{site}/meetings.ics?lang={lang}"
        screenshot(page, f"data-{lang}-{viewport}")
        with page.expect_download() as download:
            page.locator(".data-page .button").click()
        assert download.value.suggested_filename.startswith("g7-2023-archive-")
        assert download.value.suggested_filename.endswith(".zip")
        feed_response = page.request.get(feed.get_attribute("href"))
        assert feed_response.ok and "<feed" in feed_response.text()
        corrections_response = page.request.get(corrections_feed.get_attribute("href"))
        assert corrections_response.ok and "<feed" in corrections_response.text()
        page.goto(f"{site}/{lang}/meetings/g7-2023-digital-and-tech-takasaki/")
        add = page.locator(".add-to-calendar a")
        assert add.get_attribute("type") == "text/calendar"
        calendar_response = page.request.get(site + add.get_attribute("href"))
        assert calendar_response.ok and "BEGIN:VEVENT" in calendar_response.text()
        add.scroll_into_view_if_needed()
        screenshot(page, f"meeting-calendar-link-{lang}-{viewport}")
        page.locator("footer.site-footer").scroll_into_view_if_needed()
        footer = page.locator("footer.site-footer")
        assert footer.get_by_role("link", name="Atom" if lang == "en" else "Atomフィード").count() >= 1
        screenshot(page, f"footer-{lang}-{viewport}")
        context.close()
