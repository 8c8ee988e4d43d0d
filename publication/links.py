"""Checking that the addresses a record links to answer, before it is published.

The check asks only addresses on the internet: a name that resolves to a loopback, private, link-local
(a cloud's metadata service) or other address that is not globally routable is refused before any
connection, and so is every redirect to one, so that staff cannot make the server ask inside its own
network (server-side request forgery)."""

import ipaddress
import socket
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .signals import is_loading_records


def resolve(host: str) -> list[str]:
    """Every IP address (IPv4 and IPv6) that `host`, a name or an address, resolves to.

    The link check's only name resolution: the tests replace it to give a name the addresses they need."""
    return [info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


class InternalAddress(Exception):
    """An address the link check refuses to ask: it points inside the server's network."""


def is_global_address(address: str) -> bool:
    """Whether an IP address is routable on the internet (not loopback, private, link-local, reserved …)."""
    ip = ipaddress.ip_address(address)
    # An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it reaches.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def check_destination(url: str) -> None:
    """Raise InternalAddress unless `url` is an http(s) address whose host resolves only to globally
    routable addresses; OSError if the name does not resolve. With the setting
    LINK_CHECK_ALLOW_PRIVATE = True (the test suite's local servers only) any address is allowed."""
    if getattr(settings, "LINK_CHECK_ALLOW_PRIVATE", False):
        return
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InternalAddress(url)
    addresses = resolve(parts.hostname)
    if not addresses or not all(is_global_address(address) for address in addresses):
        raise InternalAddress(url)


class CheckedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows a redirect (as urllib does, at most 10 in a row) only to an address that check_destination
    allows: the target is resolved and judged before any connection to it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_destination(newurl)
        except BaseException:
            fp.close()
            raise
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def link_problem(url: str) -> str | None:
    """None if `url` answers with a success or a redirect to one; otherwise what went wrong, for an editor.

    The link check's only call to the network (besides `resolve`): a test that publishes without asking
    other sites replaces this function (tests/publication/api/test_schema.py does)."""
    timeout = getattr(settings, "LINK_CHECK_TIMEOUT", 5)
    opener = urllib.request.build_opener(CheckedRedirectHandler)
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": "g7site link check"})
        try:
            # Only http(s) addresses reach here: URLField accepts no other scheme.
            check_destination(url)
            with opener.open(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
        except InternalAddress:
            return _("The address points inside the server's network; the link check does not follow it.")
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
