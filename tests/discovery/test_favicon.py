"""The site's icon: linked from every public page, and at /favicon.ico for pages that link none."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/ja/", "/en/meetings/", "/en/no-such-page/"])
def test_every_page_links_an_svg_icon_and_its_fallbacks(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/icons/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html


def test_favicon_ico_sends_browsers_to_the_icon_for_a_day(client, django_assert_num_queries):
    """A page with no icon link (the admin's) makes the browser ask for /favicon.ico: never a 404."""
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "signature"),
    [
        ("icons/favicon.svg", b"<svg "),
        ("icons/favicon.ico", b"\x00\x00\x01\x00"),
        ("icons/favicon-32.png", b"\x89PNG"),
        ("icons/apple-touch-icon.png", b"\x89PNG"),
    ],
)
def test_the_icons_are_the_projects_own_static_files(name, signature):
    found = finders.find(name)
    assert found and Path(found).is_relative_to(settings.BASE_DIR / "static")
    content = Path(found).read_bytes()
    assert signature in content[:200]
    if name.endswith(".svg"):
        # Drawn as paths, so that no font and no other file is needed.
        assert not re.search(rb"<text|href=", content)
