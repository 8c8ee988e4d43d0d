"""The review inbox on the admin's home as a publisher sees it, at phone and desktop widths."""

import pytest
from django.contrib.auth.models import Group

from declarations.models import Declaration
from meetings.models import Meeting
from publication.review import submit_pending_change

from .conftest import screenshot, staff_groups


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_publisher_finds_each_change_to_review_on_the_admins_home(site, page, viewport, django_user_model):
    staff_groups()
    editor = django_user_model.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    publisher = django_user_model.objects.create_user(
        "chief-publisher", password="a-long-publisher-password", is_staff=True
    )
    publisher.groups.add(Group.objects.get(name="Publishers"))
    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    meeting = Meeting.objects.get(slug="g7-2023-education-toyama-kanazawa")
    submit_pending_change(record=declaration, data={"title_en": "A proposed title"}, user=editor)
    submit_pending_change(record=meeting, data={"title_en": "A proposed title"}, user=editor)

    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "chief-publisher")
    page.fill("#id_password", "a-long-publisher-password")
    page.click("input[type=submit]")
    page.goto(f"{site}/admin/")
    entries = page.locator("#review-inbox li")
    assert entries.count() == 2
    text = page.locator("#review-inbox").inner_text()
    assert declaration.title_ja in text and meeting.title_ja in text and "editor" in text
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{overflow}px of horizontal overflow"
    screenshot(page, f"admin-review-inbox-{viewport}")
    # Its first link is the review page, which compares the change with the live record.
    entries.nth(0).locator(".review-links a").first.click()
    assert "/review/" in page.url
    assert "A proposed title" in page.content()
