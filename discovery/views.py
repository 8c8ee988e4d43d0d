"""robots.txt, /favicon.ico and the iCalendar files of the presidency's meetings."""

import datetime
import re

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.models import Location, Meeting, Session

PRODID = "-//g7site//Meetings of Japan's 2023 G7 presidency//EN"
# RFC 5545 3.1 allows no control character but tab in a content line; the library escapes line breaks
# but passes the others, and a lone CR, through.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# robots.txt reads nothing from the database, so it opens no transaction.
@transaction.non_atomic_requests
@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("discovery:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# The icon's address changes with its content where static files carry a hash in their name: browsers
# that look for /favicon.ico themselves (on pages without <link rel="icon">: the admin's, a file's) are
# sent there, and keep the answer for a day rather than for ever.
FAVICON_REDIRECT_SECONDS = 24 * 60 * 60


@transaction.non_atomic_requests
@require_GET
def favicon(request):
    response = HttpResponseRedirect(static("icons/favicon.ico"))
    patch_cache_control(response, public=True, max_age=FAVICON_REDIRECT_SECONDS)
    return response


def calendar_language(request) -> str:
    """?lang=ja|en when given and known, else the language the middleware chose (Accept-Language),
    which defaults to Japanese."""
    available = {code for code, _name in settings.LANGUAGES}
    requested = request.GET.get("lang", "")
    if requested in available:
        return requested
    current = translation.get_language() or settings.LANGUAGE_CODE
    return current if current in available else settings.LANGUAGE_CODE


def place(location: Location, language: str) -> str:
    prefecture = location.prefecture.name if location.prefecture else ""
    city = location.city
    if language == "ja":
        return f"{prefecture}{city}" or location.country
    return ", ".join(part for part in (city, prefecture) if part) or location.country


def calendar_text(value: str) -> str:
    """An editor's text as iCalendar may hold it: any line break as a newline, other controls dropped."""
    return CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def session_event(request, meeting: Meeting, session: Session, language: str) -> icalendar.Event:
    """One session as an all-day event (the records give dates, not hours)."""
    url = request.build_absolute_uri(meeting.get_absolute_url())
    month_only = session.precision == Session.Precision.MONTH
    end = next_month(session.start_date) if month_only else session.end_date + datetime.timedelta(days=1)
    online = session.mode == Session.Mode.ONLINE
    summary = meeting.title + (_(" (online)") if online else "")
    location = _("Online") if online else " / ".join(place(loc, language) for loc in meeting.locations.all())
    notes = []
    if month_only:
        # Spanning the whole month keeps the meeting in the calendar without inventing a day.
        notes.append(_("The source gives the month only; the event spans the whole month."))
    if meeting.summary:
        notes.append(meeting.summary)
    notes.append(url)

    event = icalendar.Event()
    event.add("uid", f"{meeting.slug}-{session.start_date:%Y%m%d}@g7site")
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    # Dates, not date-times: the library writes them as VALUE=DATE, an all-day event.
    event.add("dtstart", session.start_date)
    event.add("dtend", end)
    event.add("summary", calendar_text(summary))
    if location:
        event.add("location", calendar_text(location))
    event.add("description", calendar_text("\n\n".join(notes)))
    event.add("url", url)
    event.add("categories", [meeting.get_portfolio_display()])
    event.add("status", "CONFIRMED")
    # A past meeting should not make anyone look busy.
    event.add("transp", "TRANSPARENT")
    return event


def japan_standard_time() -> icalendar.Timezone:
    """Asia/Tokyo as one STANDARD rule: Japan has kept UTC+9 without summer time since 1951, so the rule
    holds for every date (the library's zone built from the tz database is marked valid to 2038 only)."""
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", datetime.timedelta(hours=9))
    standard.add("tzoffsetto", datetime.timedelta(hours=9))
    standard.add("tzname", "JST")
    zone = icalendar.Timezone()
    zone.add("tzid", "Asia/Tokyo")
    zone.add_component(standard)
    return zone


@require_GET
def meetings_ics(request):
    """The published meetings as an iCalendar file, one all-day event per session.

    Sessions known only by their month (the earlier digital meetings) span that whole month and
    say so in their description.
    """
    language = calendar_language(request)
    with translation.override(language):
        meetings = (
            Meeting.objects.published()
            .prefetch_related(
                "sessions", Prefetch("locations", Location.objects.select_related("prefecture"))
            )
            .order_by("slug")
        )
        sessions = sorted(
            ((session, meeting) for meeting in meetings for session in meeting.sessions.all()),
            key=lambda pair: (pair[0].start_date, pair[1].slug),
        )
        calendar = icalendar.Calendar()
        calendar.add("version", "2.0")
        calendar.add("prodid", PRODID)
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("G7 meetings of Japan's 2023 presidency"))
        calendar.add("x-wr-timezone", "Asia/Tokyo")
        # The events are all-day dates, which need no zone; the zone of the host country is declared
        # for clients that place the calendar in one.
        calendar.add_component(japan_standard_time())
        for session, meeting in sessions:
            calendar.add_component(session_event(request, meeting, session, language))
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Language"] = language
    response["Content-Disposition"] = 'inline; filename="g7-2023-meetings.ics"'
    return response
