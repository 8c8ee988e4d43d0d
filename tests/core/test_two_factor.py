"""Two-factor sign-in for staff, switched on by DJANGO_ADMIN_REQUIRE_2FA (on in production)."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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
