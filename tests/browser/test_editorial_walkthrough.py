"""The editorial work on a published record from end to end, in a browser, as two editors and a publisher do
it: editor A drags a meeting's places into a new order, editor B rewords a key point of the Takasaki
declaration, both as proposals; the publisher finds them on the admin's home, reviews and previews the key
point's in Japanese and in English, and publishes both; a reader then sees the corrected key point and its
correction on the public page in both languages, at desktop and phone widths."""

from declarations.models import Declaration
from meetings.models import Meeting

from .conftest import PHONE, SCREENSHOTS, screenshot, staff_groups
from .test_ordering import places_rows
from .test_pages import page_problems
from .test_part_review import signed_in

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
EDUCATION = "g7-2023-education-toyama-kanazawa"
# The first key point with the framework named in full, as the source names it where the leaders endorse it.
REWORDED = {
    "ja": (
        "DFFT具体化に向けたパートナーシップのためのアレンジメント（IAP：Institutional Arrangement for "
        "Partnership）の設立及び「DFFTの具体化のためのG7ビジョン・プライオリティ」に合意。"
    ),
    "en": (
        "Agreed to establish the Institutional Arrangement for Partnership (IAP), the arrangement for "
        "partnership to operationalise DFFT, and agreed on the G7 Vision for Operationalising DFFT and its "
        "Priorities."
    ),
}
NOTE = "The framework named in full, as the source names it."
PLACES_NOTE = "The order of the places changed."


def public_places(page, site) -> list[str]:
    page.goto(f"{site}/en/meetings/{EDUCATION}/")
    return [item.strip() for item in page.locator("dl.facts dt:text-is('Places') + dd li").all_inner_texts()]


def test_two_editors_propose_a_publisher_reviews_and_publishes_and_a_reader_sees_the_correction(
    site, browser, page, django_user_model
):
    staff_groups()
    desktop = {"width": 1280, "height": 900}
    declaration = Declaration.objects.get(slug=DECLARATION)
    meeting = Meeting.objects.get(slug=EDUCATION)
    theme = declaration.themes.order_by("number").first()
    point = theme.key_points.order_by("number").first()
    assert public_places(page, site) == ["Toyama, Toyama", "Kanazawa, Ishikawa"]

    # 1. Editor A drags the second place of a published meeting above the first: a proposal.
    editor_a = signed_in(browser, site, desktop, "editor-a", "Editors", django_user_model)
    editor_a.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/change/")
    rows = places_rows(editor_a)
    rows.nth(1).locator("td.original p").drag_to(rows.nth(0).locator("td.original p"))
    assert places_rows(editor_a).nth(0).locator("input._reorder_").input_value() == "1"
    editor_a.fill("#id_change_note", PLACES_NOTE)
    screenshot(editor_a, "walkthrough-1-editor-a-drags-places")
    editor_a.click("input[name=_save]")
    held = editor_a.locator(".messagelist .warning")
    held.wait_for()
    assert "公開担当者の確認待ち" in held.inner_text()
    screenshot(editor_a, "walkthrough-1-editor-a-proposal-held")
    editor_a.context.close()
    assert public_places(page, site) == ["Toyama, Toyama", "Kanazawa, Ishikawa"]

    # 2. Editor B rewords a key point of the published declaration in its theme's change form.
    editor_b = signed_in(browser, site, desktop, "editor-b", "Editors", django_user_model)
    editor_b.goto(f"{site}/admin/declarations/theme/{theme.pk}/change/")
    editor_b.fill("#id_key_points-0-text_ja", REWORDED["ja"])
    editor_b.fill("#id_key_points-0-text_en", REWORDED["en"])
    editor_b.fill("#id_change_note", NOTE)
    screenshot(editor_b, "walkthrough-2-editor-b-rewords-a-key-point")
    editor_b.click("input[name=_save]")
    editor_b.locator(".messagelist .warning").wait_for()
    screenshot(editor_b, "walkthrough-2-editor-b-proposal-held")
    editor_b.context.close()
    for language in ("ja", "en"):
        page.goto(f"{site}/{language}/declarations/{DECLARATION}/")
        assert REWORDED[language] not in page.locator("main").inner_text()

    # 3. The publisher finds both proposals on the admin's home, opens the key point's review and
    # previews it in Japanese and in English.
    publisher = signed_in(browser, site, desktop, "publisher", "Publishers", django_user_model)
    publisher.goto(f"{site}/admin/")
    inbox = publisher.locator("#review-inbox")
    assert inbox.locator("li").count() == 2
    entry = inbox.locator("li", has_text=declaration.title_ja)
    assert "editor-b" in entry.inner_text()
    assert "editor-a" in inbox.locator("li", has_text=meeting.title_ja).inner_text()
    screenshot(publisher, "walkthrough-3-publisher-inbox")
    entry.locator(".review-links a").first.click()
    review = publisher.locator(".part-changes")
    review.wait_for()
    assert REWORDED["ja"] in review.inner_text() and point.text_ja in review.inner_text()
    assert "editor-b" in publisher.locator("#content-main").inner_text()
    screenshot(publisher, "walkthrough-3-publisher-review")
    for language, label in (("ja", "日本語"), ("en", "English")):
        with publisher.context.expect_page() as opened:
            publisher.locator("#content-main a", has_text=label).click()
        preview = opened.value
        preview.wait_for_load_state()
        assert preview.locator(".preview-banner").count() == 1
        assert REWORDED[language] in preview.locator(f"#{point.anchor}").inner_text()
        problems = page_problems(preview, language)
        assert not problems, problems
        screenshot(preview, f"walkthrough-3-preview-{language}")
        preview.locator(f"#{theme.anchor}").screenshot(
            path=SCREENSHOTS / f"walkthrough-3-preview-theme-{language}.png"
        )
        preview.close()

    # 4. The publisher publishes it, then editor A's order of the places.
    publisher.click("button[name=action][value=publish]")
    publisher.locator(".messagelist li").first.wait_for()
    assert publisher.locator(".messagelist .error").count() == 0
    assert "公開しました" in publisher.locator(".messagelist").inner_text()
    screenshot(publisher, "walkthrough-4-published")
    publisher.goto(f"{site}/admin/")
    publisher.locator("#review-inbox li", has_text=meeting.title_ja).locator(".review-links a").first.click()
    # The review names both places as moved.
    moved = publisher.locator(".part-changes .part-move")
    assert moved.count() == 2 and "別の位置へ移動" in moved.first.inner_text()
    screenshot(publisher, "walkthrough-4-places-review")
    publisher.click("button[name=action][value=publish]")
    publisher.locator(".messagelist li").first.wait_for()
    assert publisher.locator(".messagelist .error").count() == 0
    publisher.goto(f"{site}/admin/")
    assert publisher.locator("#review-inbox li").count() == 0
    screenshot(publisher, "walkthrough-4-inbox-empty")
    publisher.context.close()

    # 5. A reader, signed in nowhere, sees the corrected key point and its correction in both languages.
    for size_name, size in (("desktop", desktop), ("phone", PHONE)):
        page.set_viewport_size(size)
        for language, heading in (("ja", "部分の訂正"), ("en", "Corrections of its parts")):
            page.goto(f"{site}/{language}/declarations/{DECLARATION}/")
            assert page.locator(".preview-banner").count() == 0
            assert REWORDED[language] in page.locator(f"#{point.anchor}").inner_text()
            corrections = page.locator(".corrections--parts")
            assert heading in corrections.inner_text()
            assert NOTE in corrections.inner_text() and REWORDED["en"] in corrections.inner_text()
            problems = page_problems(page, language)
            assert not problems, problems
            screenshot(page, f"walkthrough-5-reader-{language}-{size_name}")
            page.locator(f"#{theme.anchor}").screenshot(
                path=SCREENSHOTS / f"walkthrough-5-theme-{language}-{size_name}.png"
            )
            corrections.screenshot(path=SCREENSHOTS / f"walkthrough-5-correction-{language}-{size_name}.png")
    page.set_viewport_size(desktop)
    assert public_places(page, site) == ["Kanazawa, Ishikawa", "Toyama, Toyama"]
