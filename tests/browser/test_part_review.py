"""A change to a part of a published document, in a browser: an editor proposes it in the admin, a publisher
reviews and publishes it, and the public page lists the correction in the reader's language, at phone and
desktop widths."""

import pytest
from django.contrib.auth.models import Group

from declarations.models import Declaration, KeyPoint

from .conftest import SCREENSHOTS, VIEWPORTS, screenshot, staff_groups
from .test_pages import page_problems

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
REWORDED = "Key point reworded as the source words it."
NOTE = "Reworded as in the source."


def signed_in(browser, site, size, username, group, django_user_model):
    user = django_user_model.objects.create_user(
        username, password=f"a-long-{username}-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    context = browser.new_context(viewport=size, locale="ja-JP")
    page = context.new_page()
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", f"a-long-{username}-password")
    page.click("input[type=submit]")
    return page


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_editor_proposes_a_key_point_and_a_publisher_publishes_it(
    site, page, browser, viewport, django_user_model
):
    staff_groups()
    size = VIEWPORTS[viewport]
    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = declaration.themes.order_by("number").first()
    point = theme.key_points.order_by("number").first()
    before = point.text_en

    editor = signed_in(browser, site, size, "editor", "Editors", django_user_model)
    editor.goto(f"{site}/admin/declarations/theme/{theme.pk}/change/")
    editor.fill("#id_key_points-0-text_en", REWORDED)
    editor.fill("#id_change_note", NOTE)
    editor.click("input[name=_save]")
    editor.locator(".messagelist .warning").wait_for()
    editor.context.close()
    assert KeyPoint.objects.get(pk=point.pk).text_en == before
    page.goto(f"{site}/en/declarations/{DECLARATION}/")
    assert REWORDED not in page.content()

    publisher = signed_in(browser, site, size, "publisher", "Publishers", django_user_model)
    publisher.goto(f"{site}/admin/declarations/declaration/{declaration.pk}/review/")
    review = publisher.locator(".part-changes")
    assert REWORDED in review.inner_text() and before in review.inner_text()
    screenshot(publisher, f"part-review-{viewport}")
    publisher.click("button[name=action][value=publish]")
    publisher.locator(".messagelist li").first.wait_for()
    assert publisher.locator(".messagelist .error").count() == 0
    publisher.context.close()
    assert KeyPoint.objects.get(pk=point.pk).text_en == REWORDED

    for language, heading in (("ja", "部分の訂正"), ("en", "Corrections of its parts")):
        page.goto(f"{site}/{language}/declarations/{DECLARATION}/")
        section = page.locator(".corrections--parts")
        assert heading in section.inner_text()
        assert NOTE in section.inner_text() and REWORDED in section.inner_text()
        problems = page_problems(page, language)
        assert not problems, problems
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        section.screenshot(path=SCREENSHOTS / f"part-correction-{language}-{viewport}.png")
