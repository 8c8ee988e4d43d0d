"""A meeting's places and a document's key points and themes put in order in the admin, by dragging a row
or by typing its order, as a publisher; the public page lists them in the new order, a document's parts
under the numbers and anchors they had."""

import pytest
from django.contrib.auth.models import Group, Permission

from declarations.models import Theme
from meetings.models import Meeting

from .conftest import SCREENSHOTS, screenshot

EDUCATION = "g7-2023-education-toyama-kanazawa"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


@pytest.fixture
def signed_in_publisher(site, page, django_user_model):
    user = django_user_model.objects.create_user("chief-publisher", password="a-long-publisher-password")
    user.is_staff = True
    user.save()
    # A transactional test's database was flushed, groups with it (the permissions come back): the group as
    # the migrations make it, every permission of the content apps.
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["core", "meetings", "declarations"])
    )
    user.groups.add(publishers)
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "chief-publisher")
    page.fill("#id_password", "a-long-publisher-password")
    page.click("input[type=submit]")
    return page


def public_places(page, site) -> list[str]:
    page.goto(f"{site}/en/meetings/{EDUCATION}/")
    return [item.strip() for item in page.locator("dl.facts dt:text-is('Places') + dd li").all_inner_texts()]


def places_rows(page):
    return page.locator("#locations-group tbody tr.has_original")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_publisher_drags_a_place_to_the_top_and_the_public_page_follows(
    site, signed_in_publisher, viewport
):
    page = signed_in_publisher
    meeting = Meeting.objects.get(slug=EDUCATION)
    assert public_places(page, site) == ["Toyama, Toyama", "Kanazawa, Ishikawa"]
    page.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/change/")
    rows = places_rows(page)
    assert rows.count() == 2
    screenshot(page, f"admin-places-before-drag-{viewport}")
    # The second place, dragged by its handle above the first.
    rows.nth(1).locator("td.original p").drag_to(rows.nth(0).locator("td.original p"))
    # The script writes the new order into each row's order field, which the editor sees.
    assert places_rows(page).nth(0).locator("input._reorder_").input_value() == "1"
    orders = {
        rows.nth(index).locator("td.field-city_en input").input_value(): rows.nth(index)
        .locator("input._reorder_")
        .input_value()
        for index in range(2)
    }
    assert orders == {"Kanazawa": "1", "Toyama": "2"}
    screenshot(page, f"admin-places-after-drag-{viewport}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#locations-group").screenshot(path=str(SCREENSHOTS / f"admin-places-inline-{viewport}.png"))
    page.click("input[name=_save]")
    # Saved, back on the list of meetings with Django's message.
    page.locator(".messagelist .success").wait_for()
    assert public_places(page, site) == ["Kanazawa, Ishikawa", "Toyama, Toyama"]


def test_a_publisher_types_the_order_with_the_keyboard(site, signed_in_publisher):
    page = signed_in_publisher
    meeting = Meeting.objects.get(slug=EDUCATION)
    page.goto(f"{site}/admin/meetings/meeting/{meeting.pk}/change/")
    rows = places_rows(page)
    first, second = (rows.nth(index).locator("input._reorder_") for index in range(2))
    # Reached with the Tab key like every field, and typed into.
    first.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "locations-0-order"
    second.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.click("input[name=_save]")
    # Saved, back on the list of meetings with Django's message.
    page.locator(".messagelist .success").wait_for()
    assert public_places(page, site) == ["Kanazawa, Ishikawa", "Toyama, Toyama"]


def public_anchors(page, site, selector: str) -> list[str]:
    page.goto(f"{site}/en/declarations/{DECLARATION}/")
    return page.locator(selector).evaluate_all("elements => elements.map(element => element.id)")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_publisher_drags_a_key_point_above_another_and_its_number_stays(
    site, signed_in_publisher, viewport
):
    page = signed_in_publisher
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=4)
    points = "#theme-4 ol.key-points > li"
    assert public_anchors(page, site, points) == ["theme-4-point-1", "theme-4-point-2"]
    page.goto(f"{site}/admin/declarations/theme/{theme.pk}/change/")
    rows = page.locator("#key_points-group div.inline-related.has_original")
    assert rows.count() == 2
    screenshot(page, f"admin-key-points-before-drag-{viewport}")
    # Each part's heading, the band it is dragged by, holds its label, buttons and delete box, on a phone too:
    # nothing runs out of it into the fields below.
    overflows = rows.locator("h3").evaluate_all("hs => hs.map(h => h.scrollHeight > h.clientHeight)")
    assert overflows == [False, False]
    # The second key point, dragged by its heading above the first.
    # Both key points in the window: a drag beyond its edge scrolls the page (as a hand would let it), which
    # the test's mouse does not follow. The window is put back for the screenshots.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": page.evaluate("document.body.scrollHeight")})
    rows.nth(1).locator("h3").drag_to(rows.nth(0).locator("h3"))
    page.set_viewport_size(size)
    rows = page.locator("#key_points-group div.inline-related.has_original")
    # The script writes the new order into each row's position, never into its number.
    moved = {
        rows.nth(index).locator("input[name$='-number']").input_value(): rows.nth(index)
        .locator("input._reorder_")
        .input_value()
        for index in range(2)
    }
    assert moved == {"2": "1", "1": "2"}
    screenshot(page, f"admin-key-points-after-drag-{viewport}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#key_points-group").screenshot(
        path=str(SCREENSHOTS / f"admin-key-points-inline-{viewport}.png")
    )
    page.fill("#id_change_note", "Shown in the order of the authentic text.")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    assert public_anchors(page, site, points) == ["theme-4-point-2", "theme-4-point-1"]
    # The list shows each point's own number, which its anchor cites.
    assert page.locator(points).evaluate_all("items => items.map(item => item.value)") == [2, 1]
    page.locator("#theme-4").screenshot(
        path=str(SCREENSHOTS / f"public-key-points-after-drag-{viewport}.png")
    )


def test_a_publisher_types_the_themes_positions_with_the_keyboard(site, signed_in_publisher):
    page = signed_in_publisher
    declaration = Theme.objects.get(declaration__slug=DECLARATION, number=1).declaration
    page.goto(f"{site}/admin/declarations/declaration/{declaration.pk}/change/")
    first, second = (page.locator(f"input[name=themes-{index}-position]") for index in range(2))
    # The position is a field like any other, reached with the Tab key, beside the number.
    first.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "themes-0-position"
    second.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    assert page.locator("input[name=themes-0-number]").input_value() == "1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#themes-group").screenshot(path=str(SCREENSHOTS / "admin-themes-typed-positions.png"))
    page.locator("#id_renumber_parts").locator("xpath=ancestor::fieldset[1]").screenshot(
        path=str(SCREENSHOTS / "admin-renumber-option.png")
    )
    page.fill("#id_change_note", "Shown in the order of the authentic text.")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    themes = public_anchors(page, site, "section.theme")
    assert themes == ["theme-2", "theme-1", "theme-3", "theme-4", "theme-5", "theme-6"]
