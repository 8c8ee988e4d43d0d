"""A meeting's places put in order in the admin, by dragging a row or by typing its order, as a publisher;
the public page lists them in the new order."""

import pytest
from django.contrib.auth.models import Group, Permission

from meetings.models import Meeting

from .conftest import SCREENSHOTS, screenshot

EDUCATION = "g7-2023-education-toyama-kanazawa"


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
