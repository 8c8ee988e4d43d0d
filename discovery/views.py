"""robots.txt and the iCalendar file of the presidency's meetings."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings.models import Location, Meeting, Session

from .ical import Calendar, format_date, format_utc

PRODID = "-//g7site//Meetings of Japan's 2023 G7 presidency//EN"


# robots.txt reads nothing from the database, so it opens no transaction.
@transaction.non_atomic_requests
@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("discovery:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Allow: /", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


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


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def add_session(calendar: Calendar, request, meeting: Meeting, session: Session, language: str) -> None:
    """One VEVENT for one session, as an all-day event (the records give dates, not hours)."""
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

    calendar.begin("VEVENT")
    calendar.raw("UID", f"{meeting.slug}-{format_date(session.start_date)}@g7site")
    calendar.raw("DTSTAMP", format_utc(meeting.updated_at))
    calendar.raw("LAST-MODIFIED", format_utc(meeting.updated_at))
    calendar.raw("DTSTART;VALUE=DATE", format_date(session.start_date))
    calendar.raw("DTEND;VALUE=DATE", format_date(end))
    calendar.text("SUMMARY", summary)
    if location:
        calendar.text("LOCATION", location)
    calendar.text("DESCRIPTION", "\n\n".join(notes))
    calendar.raw("URL", url)
    calendar.text("CATEGORIES", meeting.get_portfolio_display())
    calendar.raw("STATUS", "CONFIRMED")
    # A past meeting should not make anyone look busy.
    calendar.raw("TRANSP", "TRANSPARENT")
    calendar.end("VEVENT")


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
        calendar = Calendar()
        calendar.begin("VCALENDAR")
        calendar.raw("VERSION", "2.0")
        calendar.raw("PRODID", PRODID)
        calendar.raw("CALSCALE", "GREGORIAN")
        calendar.raw("METHOD", "PUBLISH")
        calendar.text("X-WR-CALNAME", _("G7 meetings of Japan's 2023 presidency"))
        calendar.raw("X-WR-TIMEZONE", "Asia/Tokyo")
        # The events are all-day dates, which need no zone; the zone of the host country is declared
        # for clients that place the calendar in one. Japan has kept +09:00 without daylight saving
        # since 1951.
        calendar.begin("VTIMEZONE")
        calendar.raw("TZID", "Asia/Tokyo")
        calendar.begin("STANDARD")
        calendar.raw("DTSTART", "19700101T000000")
        calendar.raw("TZOFFSETFROM", "+0900")
        calendar.raw("TZOFFSETTO", "+0900")
        calendar.raw("TZNAME", "JST")
        calendar.end("STANDARD")
        calendar.end("VTIMEZONE")
        for session, meeting in sessions:
            add_session(calendar, request, meeting, session, language)
        calendar.end("VCALENDAR")
        response = HttpResponse(calendar.render(), content_type="text/calendar; charset=utf-8")
        response["Content-Language"] = language
    response["Content-Disposition"] = 'inline; filename="g7-2023-meetings.ics"'
    return response
