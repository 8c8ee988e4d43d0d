"""What the public pages' templates call (rendering/jinja.py): translated fields with their language, dates, places,
"Cite this", the language switch."""

import datetime
import functools
import json
import unicodedata

from babel import Locale
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import linebreaksbr
from django.urls import NoReverseMatch, reverse, translate_url
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from publication.statements import related
from rendering.i18n import gettext as _
from rendering.markup import escaped, format_html

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

# Each language is named in itself, so a reader finds their own whatever the page's language.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}
_UNTRANSLATED = object()


def active_language() -> str:
    """The language of the page being written. Each function below takes it as `language` too: the
    templates hand it the page's (rendering.jinja), where looking it up costs an asgiref Local behind a lock,
    some two hundred times a page."""
    return (get_language() or SOURCE_LANGUAGE)[:2]


def translated_text(record, field: str, language: str) -> tuple[str, bool]:
    """The field's text in `language` as modeltranslation gives it, and whether it is the Japanese shown
    for want of the language's own (MODELTRANSLATION_FALLBACK_LANGUAGES), so must be marked lang="ja".

    Read from the language's columns: the translated field's descriptor looks the active language up
    again and walks the fallback order on every read. A field that is not translated is read as it is."""
    own = getattr(record, f"{field}_{language}", _UNTRANSLATED)
    if own is _UNTRANSLATED:
        return getattr(record, field, "") or "", False
    if own or language == SOURCE_LANGUAGE:
        return own or "", False
    source = getattr(record, f"{field}_{SOURCE_LANGUAGE}", None)
    return source or "", bool(source)


def tr(record, field, tag="", css="", breaks=False, *, language: str | None = None):
    """Render a translated field of a record in the active language.

    Where the English is empty, modeltranslation falls back to the Japanese; the text is then wrapped in
    an element with lang="ja" (a <span> unless `tag` names another), so screen readers and fonts treat it
    as Japanese. With `tag`, the element is always written, with lang="ja" only when needed.
    `breaks` keeps the line breaks of a multi-line text.
    """
    language = language or active_language()
    value, fallback = translated_text(record, field, language) if record is not None else ("", False)
    text = linebreaksbr(value, autoescape=True) if breaks else escaped(value)
    if not tag and not fallback:
        return text
    element = tag or "span"
    attributes = f' class="{escaped(css)}"' if css else ""
    if fallback:
        attributes = f'{attributes} lang="{SOURCE_LANGUAGE}"'
    return mark_safe(f"<{element}{attributes}>{text}</{element}>")


def _japanese_day(day: datetime.date, *, year=True, month=True) -> str:
    text = f"{day.day}日"
    if month:
        text = f"{day.month}月{text}"
    if year:
        text = f"{day.year}年{text}"
    return text


ENGLISH_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _english_month(day: datetime.date) -> str:
    # A fixed list rather than strftime("%B"), which follows the server's locale.
    return ENGLISH_MONTHS[day.month - 1]


def date_span(start: datetime.date, end: datetime.date | None = None, *, language: str | None = None) -> str:
    """A range of days as people write it: 2023年4月29日〜30日, 29–30 April 2023."""
    end = end or start
    if (language or active_language()) == "ja":
        if start == end:
            return _japanese_day(start)
        later = _japanese_day(
            end, year=end.year != start.year, month=end.month != start.month or end.year != start.year
        )
        return f"{_japanese_day(start)}〜{later}"
    if start == end:
        return f"{start.day} {_english_month(start)} {start.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {_english_month(end)} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_english_month(start)} – {end.day} {_english_month(end)} {end.year}"
    return f"{start.day} {_english_month(start)} {start.year} – {end.day} {_english_month(end)} {end.year}"


def month_name(day: datetime.date, *, language: str | None = None) -> str:
    """A month as a heading: 2023年4月, April 2023."""
    if (language or active_language()) == "ja":
        return f"{day.year}年{day.month}月"
    return f"{_english_month(day)} {day.year}"


def session_dates(session, *, language: str | None = None) -> str:
    """A session's dates at the precision the record has: a month only (2016年4月) or its days."""
    if session.precision == session.Precision.MONTH:
        return month_name(session.start_date, language=language)
    return date_span(session.start_date, session.end_date, language=language)


def long_date(day: datetime.date | None, *, language: str | None = None) -> str:
    return date_span(day, language=language) if day else ""


def language_links(request):
    """The same page in every language; on a page with no match there, that language's home.

    Worked out once a request: the language switch and the alternate links both show them."""
    current = active_language()
    known = getattr(request, "_language_links", {})
    if current not in known:
        known = {**known, current: _language_links(request, current)}
        if request is not None:
            request._language_links = known
    return known[current]


def _language_links(request, current: str) -> list[dict]:
    path = request.get_full_path() if request else "/"
    match = getattr(request, "resolver_match", None)
    links = []
    for code, _name in settings.LANGUAGES:
        if match is not None and match.url_name is not None:
            url = _same_view_in(match, path, code)
        else:
            url = translate_url(path, code)
        if url == path and code != current:
            url = f"/{code}/"
        links.append({"code": code, "name": LANGUAGE_NAMES[code], "url": url, "current": code == current})
    return links


def _same_view_in(match, path: str, code: str) -> str:
    """translate_url() for the request's own address, from the match the request was resolved to rather
    than resolving its path again."""
    with translation.override(code):
        try:
            if match.args:
                address = django_reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            else:
                address = reverse(match.view_name, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    query = path.partition("?")[2]
    return f"{address}?{query}" if query else address


def language_alternates(request) -> list[dict]:
    """<link rel="alternate" hreflang> for each language version of the page, as search engines want."""
    return [
        {**link, "absolute": request.build_absolute_uri(link["url"]) if request else link["url"]}
        for link in language_links(request)
    ]


def absolute_url(request, path, fragment=""):
    """The full address of a path on this site, with an optional #fragment, for "cite this" and meta tags."""
    url = request.build_absolute_uri(path) if request is not None else path
    return f"{url}#{fragment}" if fragment else url


CITATION = (
    '<details class="cite">\n'
    '  <summary>{cite_this}<span class="visually-hidden">: {label}</span></summary>\n'
    '  <p class="cite__text">{part}“{document}”. {archive}. <span class="cite__url">{permalink}</span></p>\n'
    '  <p class="cite__link"><a href="{permalink}">{permanent_link}</a>{anchor}</p>\n'
    "</details>\n"
)


def cite(request, path, anchor="", *, part="", document, label, language: str | None = None):
    """“Cite this” for a record or one of its parts: a citation and the permanent link to `path#anchor`.

    A document's page has one for each part (twenty-two on the Takasaki declaration), so it is written
    here rather than as a template of its own, and what is the same for all of them (the labels, the
    document's title and address) is escaped once a page.
    """
    same = _citation_constants(request, path, document, language or active_language())
    label_text = escaped(label)
    # Most parts are cited under their own name: the text is made once.
    part_text = label_text if part is label else escaped(part)
    fragment = f"#{escaped(anchor)}" if anchor else ""
    return mark_safe(
        CITATION.format(
            **same,
            label=label_text,
            part=f"{part_text}. " if part else "",
            permalink=f"{same['address']}{fragment}",
            anchor=f" <code>{fragment}</code>" if anchor else "",
        )
    )


def _citation_constants(request, path, document, language: str) -> dict:
    key = (language, path, document)
    known = request.__dict__.setdefault("_citations", {}) if request is not None else {}
    if key not in known:
        known[key] = {
            "cite_this": escaped(_("Cite this", language)),
            "document": escaped(document),
            "archive": escaped(_("G7 2023 Archive", language)),
            "permanent_link": escaped(_("Permanent link", language)),
            "address": escaped(absolute_url(request, path)),
        }
    return known[key]


def truncatechars(value, length):
    """Django's |truncatechars. A text no longer than `length` is only normalised (NFC), as Django's
    returns it; a longer one is cut once a process, rather than character by character on every
    request (a page's description, cut for two meta tags)."""
    text = str(value)
    try:
        length = int(length)
    except ValueError:
        pass
    else:
        text = unicodedata.normalize("NFC", text) if length > 0 else ""
        if len(text) > length:
            text = _truncated(text, length)
    return mark_safe(text) if isinstance(value, SafeData) else text


@functools.lru_cache(maxsize=2048)
def _truncated(text: str, length: int) -> str:
    return Truncator(text).chars(length)


def json_ld(data):
    """A <script type="application/ld+json"> block, escaped as django's json_script escapes (no </script>
    or HTML-significant character can break out of the element)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def list_separator(strong=False, *, language: str | None = None):
    """How the active language separates items written in a line: 、 in Japanese, a comma in English, or
    a semicolon (`strong`) between items that hold commas themselves, such as "Toyama, Toyama"."""
    if (language or active_language()) == "ja":
        return "、"
    return "; " if strong else ", "


def place(location, *, language: str | None = None):
    """A place as each language writes it: 群馬県高崎市; Takasaki, Gunma; Düsseldorf, Germany."""
    language = language or active_language()
    # "" where the place has no city in either language.
    city = tr(location, "city", language=language)
    if location.prefecture_id:
        region = tr(location.prefecture, "name", language=language)
    else:
        region = escaped(country_name(location.country, language=language))
    if not city:
        return region
    if language == "ja":
        return mark_safe(f"{region}{city}" if location.prefecture_id else f"{city}（{region}）")
    return mark_safe(f"{city}, {region}")


@functools.lru_cache(maxsize=8)
def _territories(language: str) -> dict:
    """Babel's CLDR names of every country in a language, read once."""
    return Locale.parse(language).territories


def meeting_dates(meeting, *, language: str | None = None):
    """A meeting's sessions' dates, each marked when it was held online; written in Python, not included,
    as lists and the timeline show it for every meeting."""
    language = language or active_language()
    dates = []
    for session in related(meeting, "sessions"):
        online = ""
        if session.mode == session.Mode.ONLINE:
            label = escaped(_("online", language))
            online = f' <span class="badge badge--online">{label}</span>'
        dates.append(
            f'<span class="session-date">{escaped(session_dates(session, language=language))}{online}</span>'
        )
    return mark_safe("; ".join(dates))


def meeting_places(meeting, *, language: str | None = None):
    """A meeting's places in a line: 群馬県高崎市、…; Takasaki, Gunma; …"""
    language = language or active_language()
    separator = list_separator(strong=True, language=language)
    return mark_safe(
        separator.join(
            escaped(place(location, language=language)) for location in related(meeting, "locations")
        )
    )


def meeting_card(meeting, level=2, *, language: str | None = None):
    """A meeting as the meetings list shows it: title, dates, places, forum, kind and portfolio. Written
    here rather than included, as a page of the list shows twenty."""
    language = language or active_language()
    return format_html(
        '<article class="card meeting-card">\n'
        '  <h{level} class="card__title"><a href="{url}">{title}</a></h{level}>\n'
        '  <p class="card__meta">\n'
        '    <span class="meta-item">{dates}</span>\n'
        '    <span class="meta-item">{places}</span>\n'
        "  </p>\n"
        '  <p class="tags"><span class="tag">{forum}</span> <span class="tag">{kind}</span>'
        ' <span class="tag">{portfolio}</span></p>\n'
        "</article>\n",
        level=level,
        url=meeting.get_absolute_url(),
        title=tr(meeting, "title", language=language),
        dates=meeting_dates(meeting, language=language),
        places=meeting_places(meeting, language=language),
        forum=meeting.forum,
        kind=meeting.get_kind_display(),
        portfolio=meeting.get_portfolio_display(),
    )


def colon(*, language: str | None = None):
    """The colon between a label and its text: full-width in Japanese, a colon and a space in English."""
    return "：" if (language or active_language()) == "ja" else ": "


def country_name(code: str, *, language: str | None = None) -> str:
    """A country's name in the active language from its ISO code (JP → 日本, Japan), via Babel's CLDR data."""
    return _territories(language or active_language()).get(code, code)
