"""The home page: the presidency at a glance, its meetings in time and on the map."""

import calendar
import datetime
import functools
import hashlib
import logging

from django.core.cache import caches
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from operations.records import KeptListMixin
from rendering.templating import item_list_json_ld, translated_text

from . import japan_map
from .selectors import read_presidency

logger = logging.getLogger(__name__)

# The labels' layouts in the shared cache (Redis in production), by a digest of what they are laid out
# from. A day at most, so that a release whose layout code changed lays them out anew within it.
LAYOUT_CACHE_SECONDS = 24 * 60 * 60


class HomeView(KeptListMixin, TemplateView):
    """The presidency at a glance: its meetings in time and on the map, the Takasaki declaration and the
    communiqué's digital items."""

    template_name = "home.html"
    body_template_name = "home_body.html"
    # For the page cache (operations/cache.py): the page reads no query parameter.
    query_parameters = ()

    def get_context_data(self, **kwargs):
        presidency = read_presidency(user=self.request.user)
        meetings = presidency["meetings"]
        return super().get_context_data(
            **presidency,
            timeline=time_axis(meetings),
            map=presidency_map(meetings),
            json_ld=home_json_ld(self.request, meetings),
            **kwargs,
        )


def home_json_ld(request, meetings) -> dict:
    """schema.org data for the home page: the site, with its search, and the presidency's meetings as an
    ItemList of events in the timeline's order."""
    home = request.build_absolute_uri(reverse("home"))
    search = request.build_absolute_uri(reverse("search"))
    site = {
        "@type": "WebSite",
        "@id": home,
        "url": home,
        "name": _("G7 2023 Archive"),
        "description": _(
            "The meetings of Japan's 2023 G7 presidency and their outcome documents, in Japanese and English."
        ),
        "inLanguage": get_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }
    # Named by their short title, the one the timeline reads.
    presidency = item_list_json_ld(
        request, meetings, name=_("G7 2023: Japan's presidency"), title="short_title"
    )["mainEntity"]
    for element in presidency["itemListElement"]:
        element["item"] = {"@type": "Event", "@id": element["url"], "name": element.pop("name")}
    return {
        "@context": "https://schema.org",
        "@graph": [site, {**presidency, "name": _("G7 2023: Japan's presidency")}],
    }


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from `first`'s to `last`'s."""
    months = []
    day = first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_position(day: datetime.date, months: list[datetime.date], *, end: bool = False) -> float:
    """Where a day falls on an axis of equal months, in months from the first: its start, or its end."""
    index = (day.year - months[0].year) * 12 + day.month - months[0].month
    days = calendar.monthrange(day.year, day.month)[1]
    return round(index + (day.day - (0 if end else 1)) / days, 4)


# A session drawn shorter than this (in months, about six days) would be too thin to see on a phone.
SHORTEST_MARK = 0.2


def time_axis(meetings) -> dict | None:
    """The presidency's meetings on one axis of months, from the month of the first session to that of
    the last: one row per meeting, in the order of its first session, with a mark per session. A meeting
    that met twice (the trade ministers: online in April, in Sakai in October) is one row with two marks;
    one that met in two places (education: Toyama and Kanazawa) is one row with one mark."""
    rows = []
    for meeting in meetings:
        sessions = sorted(meeting.sessions.all(), key=lambda session: session.start_date)
        if sessions:
            rows.append({"meeting": meeting, "sessions": sessions})
    if not rows:
        return None
    rows.sort(key=lambda row: (row["sessions"][0].start_date, row["meeting"].slug))
    months = month_starts(
        min(row["sessions"][0].start_date for row in rows),
        max(session.end_date for row in rows for session in row["sessions"]),
    )
    for row in rows:
        row["marks"] = []
        for session in row["sessions"]:
            start = month_position(session.start_date, months)
            end = month_position(session.end_date, months, end=True)
            if session.precision == session.Precision.MONTH:
                end = month_position(session.start_date, months) + 1
            width = max(end - start, SHORTEST_MARK)
            start = min(start, len(months) - width)
            row["marks"].append({"session": session, "x": start, "width": round(width, 4)})
    return {"months": months, "rows": rows}


def place_name(location) -> str:
    """A place as its map label gives it, in the page's language: the city, or else the prefecture."""
    city, _fallback = translated_text(location, "city")
    if city:
        return city
    if location.prefecture_id:
        return translated_text(location.prefecture, "name")[0]
    return ""


def presidency_map(meetings):
    """The prefectures of Japan, the hosts' shaded, and for each place in Japan where a meeting met a dot
    and a labelled link, laid out once for narrow screens and once for wide ones (japan_map.LAYOUTS)."""
    places = []
    for meeting in meetings:
        for location in meeting.locations.all():
            if location.latitude is None or location.longitude is None:
                continue
            dot = japan_map.place(float(location.longitude), float(location.latitude))
            if dot is not None:
                places.append(
                    {"meeting": meeting, "location": location, "dot": dot, "name": place_name(location)}
                )
    dots = [entry["dot"] for entry in places]
    layouts = []
    for name, narrowest_px in japan_map.LAYOUTS.items():
        height = japan_map.label_height(narrowest_px)
        widths = [japan_map.label_width(entry["name"], height) for entry in places]
        labels = list(shared_place_labels(tuple(dots), tuple(widths), height))
        layouts.append(
            {
                "name": name,
                "font_size": japan_map.label_font_size(height),
                "labels": [{**entry, "label": label} for entry, label in zip(places, labels, strict=True)],
            }
        )
    hosts = {entry["location"].prefecture.code for entry in places if entry["location"].prefecture_id}
    return {
        "width": japan_map.WIDTH,
        "height": japan_map.HEIGHT,
        "prefectures": [
            {"code": code, "path": path, "host": code in hosts}
            for code, path in japan_map.prefecture_paths().items()
        ],
        "inset": japan_map.inset_box(),
        "places": places,
        "layouts": layouts,
        "dot_radius": japan_map.DOT_RADIUS,
    }


@functools.lru_cache(maxsize=16)
def shared_place_labels(dots: tuple, widths: tuple, height: float) -> tuple:
    """japan_map.place_labels, laid out once for every process: in this process's memory, then in the
    shared cache. A layout takes a second or two of CPU for each language, which every new worker (one is
    replaced every gunicorn `max_requests`, or after a crash) spent on its first home page in that
    language while visitors waited behind it. Without the shared cache, each process lays them out."""
    key = "japan-map-labels:" + hashlib.sha256(repr((dots, widths, height)).encode()).hexdigest()
    cache = caches["default"]
    try:
        labels = cache.get(key)
    except Exception:
        logger.warning("The cache is unreachable; the map's labels are laid out here.", exc_info=True)
        return tuple(japan_map.place_labels(list(dots), list(widths), height))
    if labels is None:
        labels = tuple(japan_map.place_labels(list(dots), list(widths), height))
        try:
            cache.set(key, labels, LAYOUT_CACHE_SECONDS)
        except Exception:
            logger.warning("The map's labels could not be stored in the cache.", exc_info=True)
    return labels
