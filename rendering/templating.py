"""The text and data that the public pages' templates ask for (rendering/jinja.py): translated fields, dates,
places' parts, the language versions of a page, JSON-LD. Each writes the active language, which Django's
LocaleMiddleware sets for the request. The HTML is the templates' (jinja2/, and the macros of
jinja2/includes/macros.html and jinja2/meetings/macros.html)."""

import datetime
import functools
import json

from babel import Locale
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language
from markupsafe import Markup

from publication.models import TextStatus

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE

# Each language is named in itself, so a reader finds their own whatever the page's language.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}
_UNTRANSLATED = object()


def active_language() -> str:
    """The language of the page being written."""
    return (get_language() or SOURCE_LANGUAGE)[:2]


def gettext_in(language: str, message) -> str:
    """`message` in `language` whatever the page's, for a part of the page written in the other language (a
    column of a document's side-by-side view): a msgid, translated, or a lazy translation (a choice's
    label)."""
    with translation.override(language):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def address_in(language: str, record) -> str:
    """The address of `record`'s page in `language`, whatever the page's."""
    with translation.override(language):
        return record.get_absolute_url()


def translated_text(record, field: str, language: str | None = None) -> tuple[str, str]:
    """The field's text in `language` (by default the active one) as modeltranslation gives it, and the
    language of the Japanese shown for want of the language's own (MODELTRANSLATION_FALLBACK_LANGUAGES),
    which the page must mark with lang=; "" when the text is in the page's language.

    Read from the language's columns, so that the fallback is known. A field that is not translated is
    read as it is."""
    language = language or active_language()
    own = getattr(record, f"{field}_{language}", _UNTRANSLATED)
    if own is _UNTRANSLATED:
        return getattr(record, field, "") or "", ""
    if own or language == SOURCE_LANGUAGE:
        return own or "", ""
    source = getattr(record, f"{field}_{SOURCE_LANGUAGE}", None)
    return source or "", SOURCE_LANGUAGE if source else ""


def text_marks(record, field: str, language: str | None = None) -> dict:
    """What the text of `field` that a page shows in `language` (by default the active one) is, for the
    marks beside it (jinja2/includes/macros.html, `text_marks`): its status (TextStatus: value and label),
    whether the Japanese stands in for a missing English ("Japanese only"), and whether the text shown is a
    translation older than its authentic text (the record's authentic language: the Takasaki declaration's
    is English, so its Japanese can be out of date). A record that keeps no translation status has no marks."""
    language = language or active_language()
    if not hasattr(record, "text_status"):
        return {}
    _, fallback = translated_text(record, field, language)
    shown = fallback or language
    status = record.text_status(field, shown)
    return {
        "status": status,
        "label": TextStatus(status).label,
        "fallback": fallback,
        "stale": shown == record.translation_language_code() and record.is_out_of_date(field),
    }


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


JAPANESE_WEEKDAYS = "月火水木金土日"
ENGLISH_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def date_span(start: datetime.date, end: datetime.date | None = None, *, weekdays: bool = False) -> str:
    """A range of days as people write it: 2023年4月29日〜30日, 29–30 April 2023. With `weekdays`, each day
    has its weekday, as the source's table prints it: 2023年5月12日（金）〜14日（日）, Fri 12 – Sun 14 May
    2023."""
    end = end or start
    if active_language() == "ja":
        mark = (lambda day: f"（{JAPANESE_WEEKDAYS[day.weekday()]}）") if weekdays else (lambda day: "")
        if start == end:
            return _japanese_day(start) + mark(start)
        later = _japanese_day(
            end, year=end.year != start.year, month=end.month != start.month or end.year != start.year
        )
        return f"{_japanese_day(start)}{mark(start)}〜{later}{mark(end)}"
    first = f"{ENGLISH_WEEKDAYS[start.weekday()]} {start.day}" if weekdays else str(start.day)
    last = f"{ENGLISH_WEEKDAYS[end.weekday()]} {end.day}" if weekdays else str(end.day)
    if start == end:
        return f"{first} {_english_month(start)} {start.year}"
    # Between two days with weekdays, a spaced dash, as between two words (Fri 12 – Sun 14 May 2023).
    dash = " – " if weekdays else "–"
    if (start.year, start.month) == (end.year, end.month):
        return f"{first}{dash}{last} {_english_month(end)} {end.year}"
    if start.year == end.year:
        return f"{first} {_english_month(start)} – {last} {_english_month(end)} {end.year}"
    return f"{first} {_english_month(start)} {start.year} – {last} {_english_month(end)} {end.year}"


def month_name(day: datetime.date) -> str:
    """A month as a heading: 2023年4月, April 2023."""
    if active_language() == "ja":
        return f"{day.year}年{day.month}月"
    return f"{_english_month(day)} {day.year}"


def short_month(day: datetime.date) -> str:
    """A month on an axis, without its year: 4月, Apr."""
    if active_language() == "ja":
        return f"{day.month}月"
    return _english_month(day)[:3]


def session_dates(session) -> str:
    """A session's dates at the precision the record has: a month only (2016年4月) or its days, each with
    its weekday (2023年4月29日（土）〜30日（日）, Sat 29 – Sun 30 April 2023)."""
    if session.precision == session.Precision.MONTH:
        return month_name(session.start_date)
    return date_span(session.start_date, session.end_date, weekdays=True)


def long_date(day: datetime.date | None) -> str:
    return date_span(day) if day else ""


def language_links(request) -> list[dict]:
    """The same page in every language; on a page with no match there, that language's home."""
    current = active_language()
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
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "url": url,
                "current": code == current,
                # The page for a visitor who asks for neither language (hreflang="x-default").
                "international": code == settings.INTERNATIONAL_LANGUAGE,
            }
        )
    return links


def _same_view_in(match, path: str, code: str) -> str:
    """translate_url() for the request's own address, from the match the request was resolved to rather
    than resolving its path again."""
    with translation.override(code):
        try:
            address = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return path
    query = path.partition("?")[2]
    return f"{address}?{query}" if query else address


def absolute_url(request, path, fragment=""):
    """The full address of a path on this site, with an optional #fragment, for "cite this" and meta tags."""
    url = request.build_absolute_uri(path) if request is not None else path
    return f"{url}#{fragment}" if fragment else url


# What could end a <script> element or open markup inside it, written as JSON's own escapes, as Django's
# json_script writes them: the text stays the same JSON.
SCRIPT_ESCAPES = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def script_json(data) -> Markup:
    """`data` as JSON to put inside a <script> element (JSON-LD), which no value can break out of."""
    return Markup(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES))


def list_page_json_ld(request, context, *, name: str) -> dict:
    """schema.org CollectionPage data for a page of a ListView: the records it shows (`object_list`, each
    with its `title` and `get_absolute_url()`) as an ItemList, numbered as they are across pages."""
    page = context.get("page_obj")
    first = page.start_index() if page is not None and page.paginator.count else 1
    return item_list_json_ld(request, list(context["object_list"]), name=name, first_position=first)


def item_list_json_ld(request, records, *, name: str, first_position: int = 1, title: str = "title") -> dict:
    """schema.org CollectionPage data for a page that lists `records`, in their order, as an ItemList; each
    is named by its field `title` (a page that reads only the short title names that)."""
    url = request.build_absolute_uri(request.get_full_path())
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "@id": url,
        "url": url,
        "name": str(name),
        "inLanguage": active_language(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListOrder": "https://schema.org/ItemListOrderAscending",
            "numberOfItems": len(records),
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": request.build_absolute_uri(record.get_absolute_url()),
                    "name": getattr(record, title),
                }
                for position, record in enumerate(records, start=first_position)
            ],
        },
    }


def list_separator(strong=False) -> str:
    """How the active language separates items written in a line: 、 in Japanese, a comma in English, or
    a semicolon (`strong`) between items that hold commas themselves, such as "Toyama, Toyama"."""
    if active_language() == "ja":
        return "、"
    return "; " if strong else ", "


# The marks that join, close and enclose text, as each language writes them: Japanese text never takes
# ASCII punctuation (「G7広島サミット。」, 「松本剛明 総務大臣（総務省）」).
PUNCTUATION = {
    "ja": {
        "separator": "／",
        "full_stop": "。",
        "open_quote": "「",
        "close_quote": "」",
        "open_paren": "（",
        "close_paren": "）",
        "comma": "、",
        "name_and_title": " ",
    },
    "en": {
        "separator": " · ",
        "full_stop": ".",
        "open_quote": "“",
        "close_quote": "”",
        "open_paren": " (",
        "close_paren": ")",
        "comma": ", ",
        "name_and_title": ", ",
    },
}


def punctuation(mark: str) -> str:
    """A mark of PUNCTUATION in the active language: `separator` between items of a line of facts, the
    `full_stop` after a sentence, quotes and brackets (`open_paren` has its space in English), the `comma`
    between clauses and what comes between a person's name and title (`name_and_title`)."""
    return PUNCTUATION["ja" if active_language() == "ja" else "en"][mark]


def colon() -> str:
    """The colon between a label and its text: full-width in Japanese, a colon and a space in English."""
    return "：" if active_language() == "ja" else ": "


@functools.lru_cache(maxsize=8)
def _territories(language: str) -> dict:
    """Babel's CLDR names of every country in a language, read once."""
    return Locale.parse(language).territories


def country_name(code: str) -> str:
    """A country's name in the active language from its ISO code (JP → 日本, Japan), via Babel's CLDR data."""
    return _territories(active_language()).get(code, code)
