"""Give a staff user an authenticator app's key, for two-factor sign-in to the admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a confirmed TOTP device for a user and print its otpauth:// address and key, to enter in an "
        "authenticator app. With --replace, the user's other TOTP devices are removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="The device's name, shown at sign-in.")
        parser.add_argument("--replace", action="store_true", help="Remove the user's other TOTP devices.")

    @transaction.atomic
    def handle(self, *args, username, name, replace, **options):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff: only staff sign in to the admin.")
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=name[:64], confirmed=True)
        secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        self.stdout.write(f"Device {device.name!r} for {username}.")
        self.stdout.write(f"Key (enter it in the authenticator app): {secret}")
        self.stdout.write(f"Or open this address on the phone: {device.config_url}")
