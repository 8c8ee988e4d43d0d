"""The public site's template engine: Jinja2, with Jinja's i18n extension on Django's translations.

The public pages (jinja2/) are Jinja2 templates; the admin's and the error pages that stand alone
(templates/) stay Django templates. The HTML is written in the templates and their macros
(jinja2/includes/macros.html, jinja2/meetings/macros.html); what they call here gives text and data in the
active language, which Django's LocaleMiddleware sets for the request.

UI strings are Jinja's newstyle gettext, `_("…", name=value)` and `ngettext("…", "…", n, name=value)`,
translated by Django's gettext from the message catalogues (locale/*/LC_MESSAGES/django.po): the
translation is taken as markup and the values are escaped into it, so a literal percent sign is written %%.
Babel's Jinja2 extractor reads them (rendering/catalogues.py).
"""

from types import SimpleNamespace

from django.template import defaultfilters
from django.template.defaulttags import querystring as django_querystring
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment, pass_context

from publication.corrections import corrections, part_corrections
from publication.corrections import preview_state as record_preview_state
from publication.review import shown_parts
from rendering import templating


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
def preview_state(context) -> str:
    """What an editor previews on this page ("pending", "draft", "scheduled"), or "" for a public page."""
    return record_preview_state(context.get("object"))


def local_date(moment):
    """The day of a moment in the site's time zone."""
    return timezone.localtime(moment).date()


def localtime_iso(moment) -> str:
    """A moment in the site's time zone, ISO 8601 to the second: HTML's `datetime` attribute allows at most
    three digits of a fraction of a second, and a page dates nothing more finely than a day."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(
        gettext=translation.gettext,
        ngettext=translation.ngettext,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
        newstyle=True,
    )
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        absolute_url=absolute_url,
        current_language=templating.active_language,
        translated_text=templating.translated_text,
        gettext_in=templating.gettext_in,
        address_in=templating.address_in,
        text_marks_of=templating.text_marks,
        colon=templating.colon,
        list_separator=templating.list_separator,
        punctuation=templating.punctuation,
        language_links=templating.language_links,
        corrections_of=corrections,
        part_corrections_of=part_corrections,
        preview_state=preview_state,
        # A record's parts as its page shows them: as read, or as a preview proposes them.
        parts_of=shown_parts,
    )
    env.filters.update(
        long_date=templating.long_date,
        session_dates=templating.session_dates,
        month_name=templating.month_name,
        short_month=templating.short_month,
        country_name=templating.country_name,
        script_json=templating.script_json,
        localtime_iso=localtime_iso,
        local_date=local_date,
        # Django's filters, which the admin's templates use too (Jinja2's own striptags writes differently).
        truncatechars=defaultfilters.truncatechars,
        striptags=defaultfilters.striptags,
        linebreaks=lambda value: defaultfilters.linebreaks_filter(value, autoescape=True),
        linebreaksbr=lambda value: defaultfilters.linebreaksbr(value, autoescape=True),
    )
    return env
