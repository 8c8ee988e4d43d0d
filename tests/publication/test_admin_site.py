"""Signing in to the admin site (publication/admin_site.py): two-factor sign-in for staff, switched on by
DJANGO_ADMIN_REQUIRE_2FA (on in production); repeated failures lock the account out (django-axes, as the
settings configure it), for the address the configured proxies saw. Its translations dashboard lists the
translations that are missing or out of date, and the admin's home links to it."""

from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ThemeFactory
from tests.publication.support import change_url, takasaki

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_device(django_user_model):
    user = django_user_model.objects.create_superuser("staff", password="a-long-staff-password")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user, device


def test_without_2fa_a_password_is_enough(client, staff_with_device, settings):
    settings.ADMIN_REQUIRE_2FA = False
    client.post(reverse("admin:login"), {"username": "staff", "password": "a-long-staff-password"})
    assert client.get(reverse("admin:index")).status_code == 200


def test_with_2fa_a_password_alone_is_refused(client, staff_with_device, settings):
    settings.ADMIN_REQUIRE_2FA = True
    response = client.post(reverse("admin:login"), {"username": "staff", "password": "a-long-staff-password"})
    assert response.status_code == 200
    assert "otp_token" in response.context["form"].fields
    assert client.get(reverse("admin:index")).status_code == 302


def test_with_2fa_a_password_and_a_one_time_password_sign_in(client, staff_with_device, settings):
    settings.ADMIN_REQUIRE_2FA = True
    _, device = staff_with_device
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post(
        reverse("admin:login"),
        {
            "username": "staff",
            "password": "a-long-staff-password",
            "otp_device": device.persistent_id,
            "otp_token": token,
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 200


def test_with_2fa_a_session_signed_in_without_it_no_longer_opens_the_admin(admin_client, settings):
    settings.ADMIN_REQUIRE_2FA = True
    assert admin_client.get(reverse("admin:index")).status_code == 302


def test_add_totp_device_gives_a_key_that_signs_in(client, django_user_model, settings):
    import base64
    import io

    from django.core.management import call_command

    settings.ADMIN_REQUIRE_2FA = True
    django_user_model.objects.create_user("staff2", password="a-long-staff-password", is_staff=True)
    out = io.StringIO()
    call_command("add_totp_device", "staff2", stdout=out)
    secret = next(line.split(": ", 1)[1] for line in out.getvalue().splitlines() if line.startswith("Key"))
    device = TOTPDevice.objects.get(user__username="staff2")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.post(
        reverse("admin:login"),
        {
            "username": "staff2",
            "password": "a-long-staff-password",
            "otp_device": device.persistent_id,
            "otp_token": token,
        },
    )
    assert client.get(reverse("admin:index")).status_code == 200


def test_add_totp_device_refuses_an_unknown_or_non_staff_user(django_user_model):
    from django.core.management import CommandError, call_command

    django_user_model.objects.create_user("visitor", password="a-long-visitor-password")
    with pytest.raises(CommandError):
        call_command("add_totp_device", "nobody")
    with pytest.raises(CommandError):
        call_command("add_totp_device", "visitor")
    assert not TOTPDevice.objects.exists()


def test_a_static_backup_code_signs_in_once(client, django_user_model, settings):
    from django_otp.plugins.otp_static.models import StaticDevice

    settings.ADMIN_REQUIRE_2FA = True
    user = django_user_model.objects.create_user("staff3", password="a-long-staff-password", is_staff=True)
    device = StaticDevice.objects.create(user=user, name="backup")
    device.token_set.create(token="backup123")
    data = {
        "username": "staff3",
        "password": "a-long-staff-password",
        "otp_device": device.persistent_id,
        "otp_token": "backup123",
    }
    client.post(reverse("admin:login"), data)
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    client.post(reverse("admin:login"), data)
    assert client.get(reverse("admin:index")).status_code == 302


def test_production_requires_two_factor_by_default():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "g7site.settings.prod",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_repeated_failed_sign_ins_lock_the_account(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})
    response = client.post(
        reverse("admin:login"), {"username": "editor", "password": "a-long-editor-password"}
    )
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower() or "停止" in response.content.decode()


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_lockout_holds_for_the_address_the_configured_proxies_saw(client, editor, settings, proxies):
    """django-axes counts failures by username and address, the address as the API's throttle takes it:
    the connection's without a proxy, whatever X-Forwarded-For says; behind DJANGO_NUM_PROXIES proxies the
    one they saw, so that one client's failures do not lock the account for everyone behind the proxy."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    login = reverse("admin:login")
    for number in range(settings.AXES_FAILURE_LIMIT):
        # A new address of the client's own each time, before the one the proxy appends.
        forwarded = f"10.0.0.{number}, 203.0.113.7"
        client.post(login, {"username": "editor", "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded)
    password = {"username": "editor", "password": "a-long-editor-password"}
    attacker = client.post(login, password, HTTP_X_FORWARDED_FOR="10.0.0.99, 203.0.113.7")
    assert attacker.status_code == 429
    other = Client().post(login, password, HTTP_X_FORWARDED_FOR="198.51.100.20")
    # Behind a proxy another client signs in; without one, the same connection's address is locked out.
    assert other.status_code == (302 if proxies else 429)


# The translations dashboard


def test_the_dashboard_lists_an_out_of_date_japanese_translation_under_its_language(admin_client):
    theme = takasaki().themes.order_by("number").first()
    theme.title_en = f"{theme.title_en} (corrected)"
    theme.save()
    page = unescape(
        admin_client.get(reverse("admin:translations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    table = page[page.index('<table id="translations">') :]
    row = table[table.index(change_url(theme)) :]
    row = row[: row.index("</tr>")]
    assert "<td>Japanese</td>" in row and "title" in row


def test_the_dashboard_reads_each_parts_document_with_it(admin_client):
    """The language a part translates is its document's: the dashboard reads it in the same query."""
    url = reverse("admin:translations")
    declaration = takasaki()
    with CaptureQueriesContext(connection) as before:
        admin_client.get(url)
    themes = [ThemeFactory(declaration=declaration, number=number) for number in range(90, 95)]
    for theme in themes:
        theme.title_en = "Corrected theme"
        theme.save()
    with CaptureQueriesContext(connection) as after:
        response = admin_client.get(url)
    assert all(change_url(theme) in response.content.decode() for theme in themes)
    assert len(after) == len(before)


def test_the_admins_home_links_to_the_translations_of_either_language(admin_client):
    html = unescape(admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Translations to do: missing and out-of-date translations" in html
