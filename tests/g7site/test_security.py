"""What docs/security.md (the OWASP ASVS 5.0 self-assessment) says of passwords, their storage, cookies and
logs, where no other test shows it."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from .test_settings import ROOT


@pytest.mark.parametrize(
    "password",
    [
        # Any composition (V6.2.5): digits only, a passphrase of words, Japanese, symbols.
        "4817209366501184",
        "correct horse battery staple",
        "ながい合言葉をおぼえておく",
        "x" * 7 + "!",
        # Long ones (V6.2.9): 64 characters and more.
        "a passphrase of sixty-four characters or more is accepted as it is" + "." * 10,
    ],
)
def test_a_password_of_eight_characters_or_more_of_any_kind_is_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("7chars!", "password_too_short"),  # V6.2.1: 8 characters at least
        ("password1", "password_too_common"),  # V6.2.4: not one of the common passwords
        ("qwertyuiop", "password_too_common"),
    ],
)
def test_a_short_or_common_password_is_refused(password, code):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert code in [error.code for error in refused.value.error_list]


def production_settings(*names: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="g7site.settings.prod",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="g7.example",
        DATABASE_URL="postgres://u:p@h/db",
    )
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "from django.contrib.auth.hashers import get_hasher; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}} | "
        "{'iterations': get_hasher().iterations, 'algorithm': get_hasher().algorithm}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_production_stores_passwords_with_pbkdf2_at_owasps_iterations_and_names_cookies_for_its_host():
    """V11.4.2: PBKDF2-HMAC-SHA256 with at least the 600,000 iterations OWASP's Password Storage Cheat Sheet
    asks for (Django 5.2: 1,000,000). V3.3.1, V3.3.3: the session's, the CSRF token's and the language's
    cookies are __Host- cookies, Secure and HttpOnly."""
    found = production_settings(
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN",
        "LANGUAGE_COOKIE_NAME",
        "LANGUAGE_COOKIE_SECURE",
        "LANGUAGE_COOKIE_HTTPONLY",
        "LANGUAGE_COOKIE_DOMAIN",
        "LANGUAGE_COOKIE_PATH",
    )
    assert found["algorithm"] == "pbkdf2_sha256"
    assert found["iterations"] >= 600_000
    assert found["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert found["CSRF_COOKIE_NAME"].startswith("__Host-")
    assert found["SESSION_COOKIE_SECURE"] is found["CSRF_COOKIE_SECURE"] is True
    assert found["SESSION_COOKIE_HTTPONLY"] is found["CSRF_COOKIE_HTTPONLY"] is True
    assert found["SESSION_COOKIE_DOMAIN"] is found["CSRF_COOKIE_DOMAIN"] is None
    # The language a visitor chose (/i18n/setlang/): a __Host- cookie too.
    assert found["LANGUAGE_COOKIE_NAME"].startswith("__Host-")
    assert found["LANGUAGE_COOKIE_SECURE"] is found["LANGUAGE_COOKIE_HTTPONLY"] is True
    assert found["LANGUAGE_COOKIE_DOMAIN"] is None and found["LANGUAGE_COOKIE_PATH"] == "/"


@pytest.mark.django_db
def test_no_password_or_token_is_written_to_the_logs(client, api, django_user_model, caplog):
    """V16.2.5: a failed sign-in, a locked-out one and an API request with a token log neither the password
    nor the token."""
    django_user_model.objects.create_user("staff", password="a-long-staff-password", is_staff=True)
    password = "not-the-password-of-staff"
    token = "0123456789abcdef0123456789abcdef01234567"
    with caplog.at_level(logging.DEBUG):
        for _ in range(6):
            client.post(reverse("admin:login"), {"username": "staff", "password": password})
        api.get("/api/v1/meetings/", HTTP_AUTHORIZATION=f"Token {token}")
    logged = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    # The failures and the lockout are logged, the username and address masked by django-axes.
    assert "Repeated login failure" in logged and "Locking out" in logged
    assert password not in logged
    assert token not in logged


@pytest.mark.django_db
def test_an_admin_message_sets_no_cookie_of_its_own(client, django_user_model):
    """The messages ("… was changed successfully") are kept in the session: the only cookies are the
    session's and the CSRF token's, which production names __Host-."""
    client.force_login(django_user_model.objects.create_superuser("admin", password="a-long-admin-password"))
    response = client.post(reverse("admin:auth_group_add"), {"name": "Readers"}, follow=False)
    assert response.status_code == 302
    assert "messages" not in response.cookies
    page = client.get(response["Location"])
    assert "Readers" in page.content.decode()


@pytest.mark.django_db
def test_the_policy_allows_no_base_no_plugins_and_no_framing(client):
    """V3.4.3: object-src 'none' and base-uri 'none', scripts by origin and nonce only; V3.4.6: no framing."""
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in client.get("/en/")["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_and_signing_out_ends_it(client, django_user_model):
    """V7.2.4: a new session key at sign-in; V7.4.1: after signing out the old key opens nothing."""
    django_user_model.objects.create_superuser("admin", password="a-long-admin-password")
    client.get(reverse("admin:login"))
    client.session["visited"] = True
    before = client.cookies.get("sessionid")
    client.post(reverse("admin:login"), {"username": "admin", "password": "a-long-admin-password"})
    signed_in = client.cookies["sessionid"].value
    assert before is None or before.value != signed_in
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("admin:logout"))
    client.cookies["sessionid"] = signed_in
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_a_deactivated_user_is_signed_out_everywhere(client, django_user_model):
    """V7.4.2: a user made inactive (someone who has left) can no longer use any session."""
    user = django_user_model.objects.create_superuser("admin", password="a-long-admin-password")
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_changing_the_password_needs_the_current_one(client, django_user_model):
    """V6.2.2, V6.2.3: the admin's password change asks for the current password and the new one twice."""
    client.force_login(
        django_user_model.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    )
    url = reverse("admin:password_change")
    new = {"new_password1": "another long passphrase", "new_password2": "another long passphrase"}
    refused = client.post(url, {"old_password": "not-the-current-one", **new})
    assert refused.status_code == 200 and "old_password" in refused.context["form"].errors
    accepted = client.post(url, {"old_password": "a-long-editor-password", **new})
    assert accepted.status_code == 302
    assert django_user_model.objects.get(username="editor").check_password("another long passphrase")


@pytest.mark.django_db
def test_the_admin_is_never_kept_in_a_browsers_cache(client, django_user_model):
    """V14.3.2: the admin's pages say Cache-Control: no-store."""
    client.force_login(django_user_model.objects.create_superuser("admin", password="a-long-admin-password"))
    assert "no-store" in client.get(reverse("admin:index"))["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/.git/config", "/.git/HEAD", "/static/", "/static/css/", "/.env"])
def test_no_source_control_file_secret_or_directory_listing_is_served(client, path):
    """V13.4.1, V13.4.3: nothing of the repository but the static files is reachable, and no folder is listed."""
    assert client.get(path).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/api/v1/meetings/", "/admin/login/"])
def test_trace_is_refused(client, path):
    """V13.4.4: TRACE is answered by no view."""
    assert client.generic("TRACE", path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/en/", "text/html; charset=utf-8"),
        ("/ja/meetings/", "text/html; charset=utf-8"),
        ("/api/v1/meetings/", "application/json"),
        ("/api/v1/meetings/?format=csv", "text/csv; charset=utf-8"),
        ("/meetings.ics", "text/calendar; charset=utf-8"),
        ("/en/feeds/corrections.atom", "application/atom+xml; charset=utf-8"),
    ],
)
def test_every_answer_names_its_type_and_charset(client, path, content_type):
    """V4.1.1: the Content-Type of each kind of answer, with its charset where the type has one."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


@pytest.mark.django_db
def test_plain_http_to_the_api_is_refused_and_pages_are_redirected(client, settings):
    """V4.1.2: where plain HTTP is redirected to HTTPS (production), the API answers it with a 403 in the
    client's language instead, so that a script sending its token in the clear finds out; pages are still
    redirected."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production_settings("SECURE_REDIRECT_EXEMPT")["SECURE_REDIRECT_EXEMPT"]
    english = client.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="en")
    japanese = client.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE="ja")
    assert english.status_code == japanese.status_code == 403
    assert english.json() == {"detail": "The API answers over HTTPS only: use https://."}
    assert japanese.json() == {"detail": "APIはHTTPSでのみ利用できます。https://をお使いください。"}
    page = client.get("/en/meetings/")
    assert page.status_code == 301 and page["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/meetings/", secure=True).status_code == 200
