"""Checking that the addresses a record links to answer, before it is published."""

import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .signals import is_loading_records


def link_problem(url: str) -> str | None:
    """None if `url` answers with a success or a redirect to one; otherwise what went wrong, for an editor.

    The link check's only call to the network: a test that publishes without asking other sites replaces
    this function (tests/publication/api/test_schema.py does)."""
    timeout = getattr(settings, "LINK_CHECK_TIMEOUT", 5)
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "g7site link check"})
        try:
            # Only http(s) addresses reach here: URLField accepts no other scheme.
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as error:
            # Some servers refuse HEAD; ask once more with GET before calling the link broken.
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return _("The address answers with an error (HTTP %(code)s).") % {"code": error.code}
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            return _("The address cannot be reached (%(reason)s).") % {
                "reason": getattr(error, "reason", error)
            }
    return _("The address does not answer with a page.")


def check_links_before_publishing(record) -> None:
    """Refuse a record that is published (or is being published) while an address it links to does not
    answer: a ValidationError by field. The record's clean() calls it, so that the admin's form, the API and
    an import check the same; off with the setting LINK_CHECK_BEFORE_PUBLISHING = False.

    Not while `load_records` loads the fixtures: they load the same with no network (`make run` offline),
    and their addresses were checked when they were written (each with its source, by its fixtures' test)."""
    if getattr(record, "status", None) != "published" or is_loading_records():
        return
    if not getattr(settings, "LINK_CHECK_BEFORE_PUBLISHING", True):
        return
    fields = record._meta.concrete_fields
    names = {field.name for field in fields}
    errors = {}
    for field in fields:
        # A translated field's own column mirrors one language's address; its per-language columns are checked.
        if not isinstance(field, models.URLField) or f"{field.name}_ja" in names:
            continue
        address = getattr(record, field.attname)
        problem = address and link_problem(address)
        if problem:
            errors[field.name] = problem
    if errors:
        raise ValidationError(errors)
