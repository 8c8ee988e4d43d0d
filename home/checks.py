"""The home app's settings, checked when the site starts (manage.py check, runserver, migrate)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


@checks.register()
def check_contact_email(app_configs, **kwargs):
    """CONTACT_EMAIL, when set, is an address the contact page can link to (mailto:)."""
    if not settings.CONTACT_EMAIL:
        return []
    try:
        validate_email(settings.CONTACT_EMAIL)
    except ValidationError:
        return [
            checks.Error(
                f"CONTACT_EMAIL is not an e-mail address: {settings.CONTACT_EMAIL!r}.",
                hint="Set it to the address that takes readers' reports of errors, or leave it empty.",
                id="g7site.E001",
            )
        ]
    return []
