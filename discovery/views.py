"""robots.txt, /favicon.ico, the iCalendar files of the presidency's meetings, the data page and the whole
archive as one file."""

import datetime
import logging
import re

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from declarations.models import Declaration
from declarations.selectors import read_document
from meetings.models import Location, Meeting, Session
from operations import cache as page_cache
from operations.cache import archive_last_modified
from publication.licence import CC_BY, LICENCE, SOURCE

from .akomantoso import CONTENT_TYPE, akoma_ntoso
from .bundle import RESOURCES, Bundle, build_bundle, export_url_name

logger = logging.getLogger(__name__)

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
    """?lang=ja|en when given and known, else the language the middleware chose (Accept-Language), which
    is English for a client that asks for neither (operations.languages)."""
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


def published_meetings():
    return (
        Meeting.objects.published()
        .prefetch_related("sessions", Prefetch("locations", Location.objects.select_related("prefecture")))
        .order_by("slug")
    )


def calendar_response(request, meetings, *, name: str, filename: str) -> HttpResponse:
    """An iCalendar file of `meetings` (evaluated in the language of the request's calendar), one all-day
    event per session, in date order.

    Sessions known only by their month (the earlier digital meetings) span that whole month and say so in
    their description.
    """
    language = calendar_language(request)
    with translation.override(language):
        sessions = sorted(
            ((session, meeting) for meeting in meetings for session in meeting.sessions.all()),
            key=lambda pair: (pair[0].start_date, pair[1].slug),
        )
        calendar = icalendar.Calendar()
        calendar.add("version", "2.0")
        calendar.add("prodid", PRODID)
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", calendar_text(str(name)))
        calendar.add("x-wr-timezone", "Asia/Tokyo")
        # The events are all-day dates, which need no zone; the zone of the host country is declared
        # for clients that place the calendar in one.
        calendar.add_component(japan_standard_time())
        for session, meeting in sessions:
            calendar.add_component(session_event(request, meeting, session, language))
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Language"] = language
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def meetings_ics(request):
    """The published meetings as an iCalendar file, one all-day event per session."""
    with translation.override(calendar_language(request)):
        name = _("G7 meetings of Japan's 2023 presidency")
    return calendar_response(request, published_meetings(), name=name, filename="g7-2023-meetings.ics")


@require_GET
def meeting_ics(request, slug):
    """One published meeting as an iCalendar file ("add to calendar" on its page): the events of its
    sessions, as meetings.ics gives them."""
    meeting = published_meetings().filter(slug=slug).first()
    if meeting is None:
        raise Http404
    with translation.override(calendar_language(request)):
        return calendar_response(request, [meeting], name=meeting.title, filename=f"{meeting.slug}.ics")


# The bundle is built at most once per content generation and host (operations.cache); a browser or proxy
# may keep it this long, then asks again with its ETag.
BUNDLE_MAX_AGE = 60 * 60
BUNDLE_KEY = "data-bundle"


def cached_bundle(request) -> Bundle:
    """The bundle from the cache, or built and kept there for as long as a page would be."""
    if settings.PAGE_CACHE_SECONDS <= 0:
        return build_bundle(request)
    cache = page_cache.page_cache()
    key, timeout = None, 0
    try:
        generation = page_cache.current_generation()
        timeout = page_cache.page_timeout(generation)
        key = f"{BUNDLE_KEY}:{generation}:{request.scheme}://{request.get_host()}"
        if timeout > 0 and (stored := cache.get(key)) is not None:
            return stored
    except Exception:
        logger.warning("The cache is unreachable; building the data bundle without it.", exc_info=True)
        timeout = 0
    bundle = build_bundle(request)
    if timeout > 0:
        try:
            cache.set(key, bundle, timeout)
        except Exception:
            logger.warning("The data bundle could not be stored in the cache.", exc_info=True)
    return bundle


# It reads every table in turn: in ATOMIC_REQUESTS' transaction, SQLite would hold its write lock meanwhile.
@transaction.non_atomic_requests
@require_GET
def archive_bundle(request):
    """The whole public archive as one ZIP (discovery.bundle), named by its date and version, which is also
    its ETag."""
    bundle = cached_bundle(request)
    response = HttpResponse(bundle.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    response["ETag"] = quote_etag(bundle.version)
    last_modified = int(bundle.last_modified.timestamp()) if bundle.last_modified else None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=BUNDLE_MAX_AGE)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


def declaration_akoma_ntoso(request, slug):
    """The document's expression in the page's language as Akoma Ntoso 3.0 XML (discovery.akomantoso), read
    as its page is: a draft only by staff, in a fixed number of queries."""
    document = read_document(slug, user=request.user)
    if document is None:
        raise Http404
    xml = akoma_ntoso(
        document,
        translation.get_language(),
        archive_url=request.build_absolute_uri(reverse("home")),
        meeting_url=request.build_absolute_uri(document.meeting.get_absolute_url()),
    )
    return HttpResponse(xml, content_type=f"{CONTENT_TYPE}; charset=utf-8")


declaration_akoma_ntoso.query_parameters = ()

# How many documents the data page lists with their Akoma Ntoso, latest first; each document's page links
# its own, however many there are.
AKN_LISTED = 20


class DataView(TemplateView):
    """Every download in one place: the whole archive, each resource as CSV and JSON, the feed, the
    calendar and the API, with the licence and how to cite the data."""

    template_name = "data/data.html"
    # It reads no query parameter (operations.cache keys pages by those a view reads).
    query_parameters = ()

    def get_context_data(self, **kwargs):
        last_modified = archive_last_modified()
        language = translation.get_language()
        resources = [
            {
                "name": resource.name,
                "label": DATA_LABELS[resource.name],
                "csv": f"{reverse(export_url_name(resource.name))}?format=csv",
                "json": f"{reverse(export_url_name(resource.name))}?lang={language}",
            }
            for resource in RESOURCES
        ]
        documents = Declaration.objects.published().only("slug", "title_ja", "title_en", "adopted_on")
        return super().get_context_data(
            last_modified=last_modified,
            resources=resources,
            akn_documents=list(documents.order_by("-adopted_on", "slug")[:AKN_LISTED]),
            cc_by=CC_BY,
            json_ld=data_json_ld(self.request, last_modified, resources),
            **kwargs,
        )


DATA_LABELS = {
    "meetings": gettext_lazy("Meetings"),
    "declarations": gettext_lazy("Documents"),
    "themes": gettext_lazy("Themes"),
    "annexes": gettext_lazy("Annexes"),
    "communique-items": gettext_lazy("Communiqué items"),
    "organizations": gettext_lazy("Organisations"),
    "people": gettext_lazy("People"),
    "prefectures": gettext_lazy("Prefectures"),
    "commitments": gettext_lazy("Commitments"),
    "follow-ups": gettext_lazy("What followed"),
    "earlier-commitments": gettext_lazy("Earlier commitments"),
}


def data_json_ld(request, last_modified, resources) -> dict:
    """schema.org Dataset data for the data page, with each download as a distribution."""
    absolute = request.build_absolute_uri
    language = translation.get_language()
    distributions = [
        {
            "@type": "DataDownload",
            "name": _("The whole archive (ZIP: CSV and JSON)"),
            "encodingFormat": "application/zip",
            "contentUrl": absolute(reverse("discovery:archive")),
        },
        *(
            {
                "@type": "DataDownload",
                "name": f"{resource['label']} (CSV)",
                "encodingFormat": "text/csv",
                "contentUrl": absolute(resource["csv"]),
            }
            for resource in resources
        ),
        {
            "@type": "DataDownload",
            "name": _("Atom feed of new and changed documents"),
            "encodingFormat": "application/atom+xml",
            "contentUrl": absolute(reverse("feeds:documents")),
        },
        {
            "@type": "DataDownload",
            "name": _("Calendar of the meetings (iCalendar)"),
            "encodingFormat": "text/calendar",
            "contentUrl": absolute(f"{reverse('discovery:meetings-ics')}?lang={language}"),
        },
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": absolute(request.path),
        "url": absolute(request.path),
        "name": _("G7 2023 Archive: open data"),
        "description": _(
            "The meetings of Japan's 2023 G7 presidency and their outcome documents, in Japanese and "
            "English, as CSV, JSON, an Atom feed, iCalendar and a REST API."
        ),
        "inLanguage": ["ja", "en"],
        "license": {"@type": "CreativeWork", "name": LICENCE[language]},
        "creator": {"@type": "Organization", "name": _("G7 2023 archive editors")},
        "isBasedOn": {
            "@type": "CreativeWork",
            "name": SOURCE[language],
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": _("Ministry of Internal Affairs and Communications"),
            },
        },
        "distribution": distributions,
    }
    if last_modified is not None:
        data["dateModified"] = last_modified.isoformat()
    return data
