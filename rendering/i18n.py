"""The public pages' UI strings, translated once a process and language.

Django's gettext() looks up the thread's active translation (an asgiref Local) and then each of its
catalogues in turn, for every string of every page: a document's page asks for some hundred and fifty.
The catalogues change only when the process restarts (or a test changes LANGUAGES, LANGUAGE_CODE or
LOCALE_PATHS, which empties this memory as it empties Django's), so each string's translation is kept
here after its first use.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation

# The settings whose change makes Django read its catalogues again.
CATALOGUE_SETTINGS = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}

_translated: dict[str, dict[str, str]] = {}


def gettext(message: str, language: str | None = None) -> str:
    """django.utils.translation.gettext(message), in `language` (by default the active language)."""
    language = language or translation.get_language()
    known = _translated.get(language)
    if known is None:
        known = _translated[language] = {}
    text = known.get(message)
    if text is None:
        with translation.override(language):
            text = known[message] = translation.gettext(message)
    return text


@receiver(setting_changed)
def forget_translations(*, setting, **kwargs):
    if setting in CATALOGUE_SETTINGS:
        _translated.clear()
