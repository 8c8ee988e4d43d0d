"""The public site's template engine: Jinja2, with the project's template functions and Django's catalogues.

The public pages (jinja2/) are Jinja2 templates; the admin's and the error pages that stand alone
(templates/) stay Django templates. Django's engine resolves each variable, runs each tag and pushes each
context in Python on every request; Jinja2 compiles a template to Python code once. The engine alone
took a sixth off a document's page (some seven hundred nodes); what is left is mostly the functions
below, which both engines called alike (docs/performance.md).

UI strings are `_("…", name=value)` and `ngettext("…", "…", n, name=value)`: the translation is taken as
markup (as Jinja2's newstyle gettext takes it) and the values are escaped into it. A literal percent sign
is written %%. Babel's Jinja2 extractor reads them (rendering/catalogues.py).
"""

import functools
from types import SimpleNamespace

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static as django_static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment, pass_context
from markupsafe import Markup

from publication.corrections import corrections
from publication.corrections import preview_state as record_preview_state
from publication.statements import related
from rendering import i18n, templating

# A string without values, as markup, for each language: most of a page's strings are such.
_plain: dict[tuple[str, str], Markup] = {}


@receiver(setting_changed)
def forget_plain_strings(*, setting, **kwargs):
    if setting in i18n.CATALOGUE_SETTINGS:
        _plain.clear()


@pass_context
def gettext(context, message: str, /, **values) -> Markup:
    return gettext_in(page_language(context), message, **values)


def gettext_in(language: str, message: str, /, **values) -> Markup:
    if values:
        return Markup(i18n.gettext(message, language)) % values
    key = (language, message)
    text = _plain.get(key)
    if text is None:
        text = _plain[key] = Markup(i18n.gettext(message, language)) % {}
    return text


def ngettext(singular: str, plural: str, number: int, **values) -> Markup:
    return Markup(translation.ngettext(singular, plural, number)) % values


@functools.cache
def static(path: str) -> str:
    """{% static %}: a static file's address, worked out once a process (with the manifest's hashed
    names, some 40 µs a call); a file's name and address do not change while a process runs."""
    return django_static(path)


@receiver(setting_changed)
def forget_static_addresses(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES", "FORCE_SCRIPT_NAME"}:
        static.cache_clear()


def url(view_name: str, **kwargs) -> str:
    """{% url %}: an address of the site, by its name and its arguments."""
    return reverse(view_name, kwargs=kwargs)


@pass_context
def querystring(context, **changes) -> str:
    """Django's {% querystring %}: the request's query with `changes` made (None removes a parameter)."""
    return django_querystring(SimpleNamespace(request=context["request"]), **changes)


@pass_context
def absolute_url(context, path: str, fragment: str = "") -> str:
    return templating.absolute_url(context.get("request"), path, fragment)


@pass_context
def cite(context, path: str, anchor: str = "", **parts) -> str:
    return templating.cite(context.get("request"), path, anchor, language=page_language(context), **parts)


@pass_context
def preview_state(context) -> str:
    """What an editor previews on this page ("pending", "draft", "scheduled"), or "" for a public page."""
    return record_preview_state(context.get("object"))


def in_page_language(function):
    """`function` called with the page's language (the context processor's LANGUAGE_CODE) rather than
    looking the active language up itself, as the page's hundred-odd translated fields and dates did."""

    @pass_context
    def call(context, *args, **kwargs):
        return function(*args, language=page_language(context), **kwargs)

    return call


def page_language(context) -> str:
    # A template rendered without a request has no LANGUAGE_CODE: the active language then.
    return (context.get("LANGUAGE_CODE") or templating.active_language())[:2]


# The functions a page calls most, each as the page's language writes: taken from the context (see
# page_functions) rather than from the environment's globals, which find the language in the context on
# every call. Jinja2 hands a function marked pass_context a context of its own for each call made in a
# loop (a copy of every name the page has), and a document's page makes some two hundred such calls.
IN_PAGE_LANGUAGE = {
    "tr": templating.tr,
    "colon": templating.colon,
    "list_separator": templating.list_separator,
    "place": templating.place,
    "meeting_dates": templating.meeting_dates,
    "meeting_places": templating.meeting_places,
    "meeting_card": templating.meeting_card,
}


@functools.cache
def functions_in(language: str) -> dict:
    """The page functions bound to `language`, made once a process for each language."""
    functions = {
        name: functools.partial(function, language=language) for name, function in IN_PAGE_LANGUAGE.items()
    }
    functions["_"] = functions["gettext"] = functools.partial(gettext_in, language)
    return functions


def page_functions(request) -> dict:
    """Context processor: the page's functions in its language (as django.template.context_processors.i18n
    gives LANGUAGE_CODE, the active language), and `cite` with the request. A template rendered without a
    request has the environment's globals, which find the language in the context."""
    language = templating.active_language()
    return {**functions_in(language), "cite": functools.partial(templating.cite, request, language=language)}


def localtime_iso(moment) -> str:
    """A moment in the site's time zone, ISO 8601, as Django's |date:'c' writes it."""
    return timezone.localtime(moment).isoformat()


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals.update(
        _=gettext,
        gettext=gettext,
        ngettext=ngettext,
        url=url,
        static=static,
        querystring=querystring,
        absolute_url=absolute_url,
        cite=cite,
        **{name: in_page_language(function) for name, function in IN_PAGE_LANGUAGE.items()},
        json_ld_script=templating.json_ld,
        language_links=templating.language_links,
        alternates=templating.language_alternates,
        corrections_of=corrections,
        related=related,
        preview_state=preview_state,
    )
    env.filters.update(
        long_date=in_page_language(templating.long_date),
        session_dates=in_page_language(templating.session_dates),
        month_name=in_page_language(templating.month_name),
        country_name=in_page_language(templating.country_name),
        # Django's filters where Jinja2 has one of the same name that writes differently.
        truncatechars=templating.truncatechars,
        striptags=defaultfilters.striptags,
        linebreaks=lambda value: defaultfilters.linebreaks_filter(value, autoescape=True),
        localtime_iso=localtime_iso,
    )
    return env
