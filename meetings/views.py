from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from operations.records import KeptBodyMixin, KeptListMixin
from publication.citations import Citation, citation_response
from publication.filters import without_help_texts
from publication.review import shown_parts
from publication.views import PublishedMixin, visible
from rendering.templating import list_page_json_ld

from .filters import MeetingFilterSet
from .models import Meeting, Session
from .selectors import read_meeting


class MeetingListView(KeptListMixin, PublishedMixin, ListView):
    """The meetings, filtered by the FilterSet the API shares; a bad filter value is shown as the form's
    error with a 400 and no results, never guessed at."""

    model = Meeting
    paginate_by = 20
    template_name = "meetings/meeting_list.html"
    body_template_name = "meetings/meeting_list_body.html"
    query_parameters = (*MeetingFilterSet.base_filters, "page")

    def get_queryset(self):
        self.filterset = without_help_texts(
            MeetingFilterSet(self.request.GET, queryset=super().get_queryset(), request=self.request)
        )
        if not self.filterset.is_valid():
            return Meeting.objects.none()
        # What each card shows, read for the page's meetings once it is cut.
        return self.filterset.qs.with_parts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filterset=self.filterset, form=self.filterset.form, **kwargs)
        context["json_ld"] = list_page_json_ld(self.request, context, name=_("Meetings"))
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


class MeetingDetailView(KeptBodyMixin, PublishedMixin, DetailView):
    model = Meeting
    template_name = "meetings/meeting_detail.html"
    body_template_name = "meetings/meeting_body.html"

    def find_object(self, queryset=None):
        meeting = read_meeting(self.kwargs["slug"], user=self.request.user)
        if meeting is None:
            raise Http404
        return meeting

    def preview_parts_shown(self, meeting) -> None:
        # A meeting's dates are its sessions' (MeetingQuerySet.refresh_dates): its first and its last day.
        sessions = shown_parts(meeting, "sessions")
        if sessions:
            meeting.start_date = min(session.start_date for session in sessions)
            meeting.end_date = max(session.end_date for session in sessions)

    def record_context(self, meeting) -> dict:
        summit = meeting.visible_summit
        return {
            "page_title": meeting.title,
            "page_description": meeting.summary,
            "summit": summit,
            "track": meeting.track,
            "track_is_whole": meeting.track_is_whole,
            "json_ld": meeting_json_ld(meeting, self.request, summit=summit),
            "citation": meeting_citation(meeting, self.request),
        }


def meeting_citation(meeting, request) -> Citation:
    """A meeting cited as the archive's page of it: issued by its hosts (the presidency's government when
    none is recorded), on the day its first session began."""
    issuers = tuple(str(host.name) for host in shown_parts(meeting, "hosts")) or (
        str(PRESIDENCY_GOVERNMENTS.get(meeting.presidency, meeting.presidency)),
    )
    first = next(iter(meeting.sessions.all()), None)
    return Citation(
        key=meeting.slug,
        kind="webpage",
        title=meeting.title,
        issuers=issuers,
        issued=first.start_date if first else None,
        issued_month_only=first is not None and first.precision == Session.Precision.MONTH,
        updated=meeting.updated_at,
        version=meeting.version,
        url=request.build_absolute_uri(meeting.get_absolute_url()),
        language=get_language(),
    )


def meeting_cite(request, slug, format):
    """The meeting's citation as a file for reference managers: BibTeX or CSL-JSON (`format`)."""
    meetings = visible(Meeting.objects.prefetch_related("hosts", "sessions"), request.user)
    meeting = meetings.filter(slug=slug).first()
    if meeting is None:
        raise Http404
    return citation_response(meeting_citation(meeting, request), format)


meeting_cite.query_parameters = ()


PRESIDENCY_GOVERNMENTS = {
    "JP": _("Government of Japan"),
    "DE": _("Government of Germany"),
    "IT": _("Government of Italy"),
    "GB": _("Government of the United Kingdom"),
    "US": _("Government of the United States"),
    "FR": _("Government of France"),
    "CA": _("Government of Canada"),
}

ATTENDANCE_MODES = {
    frozenset({Session.Mode.IN_PERSON}): "https://schema.org/OfflineEventAttendanceMode",
    frozenset({Session.Mode.ONLINE}): "https://schema.org/OnlineEventAttendanceMode",
}


def schema_date(session, day):
    """A session's day as ISO 8601, or only its year and month when that is all the source gives."""
    return day.strftime("%Y-%m") if session.precision == Session.Precision.MONTH else day.isoformat()


def meeting_json_ld(meeting, request, *, summit=None) -> dict:
    """schema.org Event data for a meeting page; a meeting held in several sessions lists them as
    sub-events, and one held partly online is of mixed attendance."""
    sessions = list(meeting.sessions.all())
    places = [
        {
            "@type": "Place",
            "name": str(location),
            "address": {
                "@type": "PostalAddress",
                "addressLocality": location.city,
                **({"addressRegion": location.prefecture.name} if location.prefecture else {}),
                "addressCountry": location.country,
            },
            **(
                {
                    "geo": {
                        "@type": "GeoCoordinates",
                        "latitude": float(location.latitude),
                        "longitude": float(location.longitude),
                    }
                }
                if location.latitude is not None and location.longitude is not None
                else {}
            ),
        }
        for location in meeting.locations.all()
    ]
    url = request.build_absolute_uri(meeting.get_absolute_url())
    modes = frozenset(session.mode for session in sessions)
    organizers = [
        {"@type": "GovernmentOrganization", "name": host.name} for host in shown_parts(meeting, "hosts")
    ]
    if not organizers:
        organizers = [
            {
                "@type": "GovernmentOrganization",
                "name": str(PRESIDENCY_GOVERNMENTS.get(meeting.presidency, meeting.presidency)),
            }
        ]
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": meeting.title,
        "alternateName": meeting.short_title,
        "description": meeting.summary,
        "inLanguage": get_language(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES.get(modes, "https://schema.org/MixedEventAttendanceMode"),
        "organizer": organizers,
        "location": places
        + ([{"@type": "VirtualLocation", "name": str(_("online"))}] if Session.Mode.ONLINE in modes else []),
    }
    if sessions:
        data["startDate"] = schema_date(sessions[0], sessions[0].start_date)
        last = max(sessions, key=lambda session: session.end_date)
        data["endDate"] = schema_date(last, last.end_date)
    if len(sessions) > 1:
        data["subEvent"] = [
            {
                "@type": "Event",
                "name": meeting.title,
                "startDate": schema_date(session, session.start_date),
                "endDate": schema_date(session, session.end_date),
                "eventAttendanceMode": ATTENDANCE_MODES[frozenset({session.mode})],
                "location": {"@type": "VirtualLocation", "name": str(_("online"))}
                if session.mode == Session.Mode.ONLINE
                else places,
            }
            for session in sessions
        ]
    if summit is not None:
        data["superEvent"] = {
            "@type": "Event",
            "name": summit.title,
            "url": request.build_absolute_uri(summit.get_absolute_url()),
        }
    return data
