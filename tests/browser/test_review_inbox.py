"""The review inbox on the admin's home as a publisher sees it, at phone and desktop widths."""

import pytest
from django.contrib.auth.models import Group, Permission

from declarations.models import Declaration
from meetings.models import Meeting
from publication.review import submit_pending_change

from .conftest import screenshot

CONTENT_APPS = ["core", "meetings", "declarations"]


def group(name, *, publish):
    """A role's group as the migrations make it (a transactional test's database was flushed, groups too)."""
    permissions = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    if not publish:
        permissions = permissions.exclude(codename__startswith="publish_")
    role, _ = Group.objects.get_or_create(name=name)
    role.permissions.set(permissions)
    return role


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_publisher_finds_each_change_to_review_on_the_admins_home(site, page, viewport, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    editor.groups.add(group("Editors", publish=False))
    publisher = django_user_model.objects.create_user(
        "chief-publisher", password="a-long-publisher-password", is_staff=True
    )
    publisher.groups.add(group("Publishers", publish=True))
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
