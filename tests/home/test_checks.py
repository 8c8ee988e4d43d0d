"""The home app's system check (home/checks.py): a CONTACT_EMAIL that is no e-mail address stops the site."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "errors"), [("", []), ("corrections@g7.example.org", []), ("not an address", ["g7site.E001"])]
)
def test_a_contact_email_that_is_not_an_address_stops_the_site_at_its_checks(address, errors):
    from django.core import checks

    with override_settings(CONTACT_EMAIL=address):
        found = [message.id for message in checks.run_checks() if message.id.startswith("g7site.E")]
    assert found == errors
