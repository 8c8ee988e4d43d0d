"""The headers the production configuration sends, as gunicorn serves them behind the TLS proxy: what the
HTTP Observatory scores, on a public page, the admin and the API docs; static files cached for a year."""

import base64
import hashlib
import re

import pytest

pytestmark = [pytest.mark.deployment, pytest.mark.django_db]

PAGES = ["/ja/", "/admin/login/", "/api/docs/"]
ONE_YEAR = 365 * 24 * 3600


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response.header("Content-Security-Policy").split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_the_security_headers(site_servers, path):
    response = site_servers[0].get(path)
    assert response.status == 200, response.text[:500]
    assert_security_headers(response)


def test_a_cached_page_and_its_304_send_the_security_headers(site_servers):
    """They are stored with the page, which a hit answers without the middleware that made them."""
    server = site_servers[0]
    path = "/en/declarations/"
    first, hit = server.get(path), server.get(path)
    assert hit.header("X-Cache") == "hit"
    not_modified = server.get(path, headers={"If-None-Match": hit.header("ETag")})
    assert not_modified.status == 304
    for response in (first, hit, not_modified):
        assert_security_headers(response)
        assert response.header("Content-Security-Policy") == first.header("Content-Security-Policy")


def assert_security_headers(response):
    hsts = response.header("Strict-Transport-Security")
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= ONE_YEAR
    assert "includeSubDomains" in hsts and "preload" in hsts

    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]

    assert response.header("X-Content-Type-Options") == "nosniff"
    if response.status != 304:
        # A 304 frames nothing: the browser shows the page it holds, with that page's headers.
        assert response.header("X-Frame-Options") == "DENY"
    assert response.header("Referrer-Policy") in {"same-origin", "strict-origin", "no-referrer"}
    assert response.header("Cross-Origin-Opener-Policy") == "same-origin"


def test_the_admins_cookies_are_secure_and_out_of_scripts_reach(site_servers):
    cookie = site_servers[0].get("/admin/login/").cookies["__Host-csrftoken"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # The __Host- prefix, which browsers hold to: Secure, the path /, no Domain.
    assert cookie["path"] == "/" and not cookie["domain"]


def test_the_docs_inline_blocks_are_allowed_one_by_one(site_servers):
    """Swagger UI comes with inline blocks: each is allowed by its hash, for that page only."""
    docs = site_servers[0].get("/api/docs/")
    csp = policy(docs)
    for tag, attributes, body in re.findall(
        r"<(script|style)(\b[^>]*)>(.*?)</\1>", docs.text, flags=re.DOTALL
    ):
        if "src=" in attributes or "application/json" in attributes:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp[f"{tag}-src"], (tag, body[:200])
    assert policy(site_servers[0].get("/ja/"))["style-src"] == ["'self'"]


def test_static_files_are_hashed_compressed_and_cached_for_a_year(site_servers):
    server = site_servers[0]
    page = server.get("/en/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page).group(1)
    response = server.get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.header("Content-Encoding") == "gzip"
    assert "max-age=315360000" in response.header("Cache-Control")
    assert "immutable" in response.header("Cache-Control")


def test_no_debug_page_is_ever_shown(site_servers):
    response = site_servers[0].get("/en/no-such-page/")
    assert response.status == 404
    assert "Traceback" not in response.text and "URLconf" not in response.text
