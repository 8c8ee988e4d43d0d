"""The change form's Preview buttons in a browser: each opens the public page with the form's unsaved
values in a new tab, in its language, at phone and desktop widths, as every public page must look."""

import pytest

from declarations.models import Declaration

from .conftest import screenshot
from .test_pages import page_problems

TAKASAKI = "g7-2023-digital-and-tech-ministerial-declaration"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_preview_buttons_open_the_public_page_with_the_unsaved_values(
    site, page, viewport, django_user_model
):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-chief-password")
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-chief-password")
    page.click("input[type=submit]")
    declaration = Declaration.objects.get(slug=TAKASAKI)
    page.goto(f"{site}/admin/declarations/declaration/{declaration.pk}/change/")
    page.fill("#id_title_en", "A title previewed, not saved")
    page.fill("#id_title_ja", "保存していないプレビューの題名")
    for language, value in (("en", "A title previewed, not saved"), ("ja", "保存していないプレビューの題名")):
        with page.context.expect_page() as opened:
            page.click(f"button[name=_preview][value={language}]")
        preview = opened.value
        preview.wait_for_load_state()
        assert value in preview.locator("h1").inner_text()
        assert preview.locator(".preview-banner").count() == 1
        assert preview.url.endswith(f"/admin/declarations/declaration/{declaration.pk}/preview/{language}/")
        problems = page_problems(preview, language)
        assert not problems, problems
        screenshot(preview, f"preview-{language}-{viewport}")
        preview.close()
    declaration.refresh_from_db()
    assert declaration.title_en != "A title previewed, not saved"
