"""Reversing the archive's own addresses quickly: every record links to itself and to its neighbours.

Django's `reverse()` matches each value against its route's pattern and quotes the result on every call,
some 40 µs; a document's API record reverses about a hundred addresses, a document's page as many.
`reverse()` here asks Django once for each route, language and set of argument names, with stand-in
values, and afterwards puts the real values in place of the stand-ins. It does so only for values that
the route takes as they are: lower-case ASCII letters, digits and hyphens (every slug of the archive),
digits only where the route takes a number, and never the stand-ins' own digits. Anything else goes to
Django's `reverse()`, which raises NoReverseMatch as before.
"""

import functools
import re
from contextvars import ContextVar
from typing import NamedTuple

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

# Values that slug, str and int converters all take, and that no route's fixed text contains.
STAND_IN = "90210{}90210"
WORD_STAND_IN = "standin"
PLAIN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DIGITS = re.compile(r"[0-9]+")


class Template(NamedTuple):
    address: str
    # For each argument, whether the route takes only digits there.
    numeric: tuple[bool, ...]


@functools.lru_cache(maxsize=512)
def _template(view_name: str, names: tuple[str, ...], language, prefix: str, urlconf) -> Template | None:
    stand_ins = {name: STAND_IN.format(index) for index, name in enumerate(names)}
    address = django_reverse(view_name, urlconf=urlconf, kwargs=stand_ins)
    if any(address.count(stand_in) != 1 for stand_in in stand_ins.values()):
        # The route changes a value on its way (a converter's to_url): Django must build each address.
        return None
    numeric = []
    for name in names:
        try:
            django_reverse(view_name, urlconf=urlconf, kwargs={**stand_ins, name: WORD_STAND_IN})
            numeric.append(False)
        except NoReverseMatch:
            numeric.append(True)
    return Template(address, tuple(numeric))


# The script prefix and URLconf of the request being answered, as its view sees them: Django sets both
# before the view runs and not again until the next request. Each is an asgiref Local behind a lock, some
# 1.5 µs to read, and a document's API record reverses about a hundred addresses. For a request,
# operations.middleware.AddressesMiddleware sets an empty list here before the view runs, which the first
# address of the request fills; outside a request, each call reads them.
request_routing: ContextVar[list | None] = ContextVar("request_routing", default=None)


def routing() -> tuple[str, str] | list:
    """The script prefix and URLconf that Django's reverse() would use now."""
    kept = request_routing.get()
    if kept:
        return kept
    now = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if kept is not None:
        kept.extend(now)
    return now


def reverse(view_name: str, kwargs: dict | None = None) -> str:
    """django.urls.reverse(view_name, kwargs=…): the same address, for the routes of this project.

    An address once made is kept (a process keeps the last 8,192), keyed by everything Django's depends
    on: the route, its values, the language, the script prefix and the URLconf."""
    arguments = tuple(kwargs.items()) if kwargs else ()
    prefix, urlconf = routing()
    try:
        return _address(view_name, arguments, get_language(), prefix, urlconf)
    except TypeError:
        # A value that cannot be a key (unhashable) cannot be remembered either.
        return _reverse(view_name, dict(arguments), prefix, urlconf)


@functools.lru_cache(maxsize=8192)
def _address(view_name: str, arguments: tuple, language, prefix: str, urlconf) -> str:
    return _reverse(view_name, dict(arguments), prefix, urlconf)


def _reverse(view_name: str, kwargs: dict, prefix: str, urlconf) -> str:
    values = [str(value) for value in kwargs.values()]
    if all(PLAIN.fullmatch(value) and "90210" not in value for value in values):
        template = _template(view_name, tuple(kwargs), get_language(), prefix, urlconf)
        if template is not None and all(
            DIGITS.fullmatch(value)
            for value, numeric in zip(values, template.numeric, strict=True)
            if numeric
        ):
            address = template.address
            for index, value in enumerate(values):
                address = address.replace(STAND_IN.format(index), value, 1)
            return address
    return django_reverse(view_name, kwargs=kwargs)


@receiver(setting_changed)
def forget_addresses(*, setting, **kwargs):
    """Routes and their addresses change with these settings (in tests): what was kept is forgotten."""
    if setting in {"ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"}:
        _address.cache_clear()
        _template.cache_clear()


# A path as reverse() gives this site's addresses: ASCII segments, a trailing slash, perhaps a fragment.
PLAIN_PATH = re.compile(r"(?:/[A-Za-z0-9_-]+)*/(?:#[A-Za-z0-9_-]*)?")


def absolute(request, path: str) -> str:
    """request.build_absolute_uri(path): the same address. A plain path (PLAIN_PATH) needs no parsing,
    resolving or quoting, so the request's scheme and host, made once a request, are put before it; the
    API's record of a document holds about a hundred such addresses."""
    if not PLAIN_PATH.fullmatch(path):
        return request.build_absolute_uri(path)
    origin = request.__dict__.get("_absolute_origin")
    if origin is None:
        origin = request._absolute_origin = request.build_absolute_uri("/")[:-1]
    return origin + path
