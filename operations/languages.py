"""The language of a public page whose address has none: the visitor's language cookie, else the first
language of Accept-Language that the site has, else INTERNATIONAL_LANGUAGE.

Django would fall back on LANGUAGE_CODE, Japanese, the archive's source language; a visitor whose browser
asks for neither of the site's languages (French, say, or nothing at all) is better served in English,
the language of an international audience."""

from django.conf import settings
from django.utils import translation

from publication.api.languages import preferred_language


def cookie_language(request) -> str | None:
    """The language the visitor chose on the site (the language cookie), if the site has it."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def site_language(request) -> str:
    """The address's language, else the cookie's, else the browser's, else INTERNATIONAL_LANGUAGE."""
    return (
        translation.get_language_from_path(request.path_info)
        or cookie_language(request)
        or preferred_language(request)
        or settings.INTERNATIONAL_LANGUAGE
    )
