"""The response language: `?lang=ja|en|all`, else Accept-Language, else Japanese.

The language cookie and the URL prefix that the website uses are ignored: an API response depends on
the request's own parameters and headers only, so caches can key on `Vary: Accept-Language`.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.exceptions import ValidationError

LANGUAGE_PARAM = "lang"
ALL = "all"
LANGUAGES = ("ja", "en")
CHOICES = (*LANGUAGES, ALL)


def preferred_language(request) -> str | None:
    """The first language of Accept-Language that the project has, or None if it asks for none of them."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def accepted_language(request) -> str:
    """The first language of Accept-Language that the project has, else Japanese."""
    return preferred_language(request) or settings.LANGUAGE_CODE


def negotiate_language(request) -> str:
    """`ja`, `en` or `all`; an unknown `?lang=` is a 400 in the Accept-Language language."""
    requested = request.query_params.get(LANGUAGE_PARAM)
    if requested is None:
        return accepted_language(request)
    if requested in CHOICES:
        return requested
    raise ValidationError({LANGUAGE_PARAM: [_("Unknown language: use ja, en or all.")]})


def content_language(language: str) -> str:
    return ", ".join(LANGUAGES) if language == ALL else language


def messages_language(language: str) -> str:
    """The language of the UI strings (error messages, choice labels): Japanese for `all`."""
    return settings.LANGUAGE_CODE if language == ALL else language
