"""Views the whole public site shares: what a visitor may see, the home page, the language redirect."""

from itertools import groupby

from django.db import transaction
from django.utils import timezone
from django.views.generic import TemplateView
from django.views.generic.base import ContextMixin

from core import japan_map
from core.selectors import read_presidency
from core.statements import related
from declarations.models import Declaration
from meetings.models import Meeting


def read_only(view):
    """A public page only reads: it needs no transaction (ATOMIC_REQUESTS would open one, two queries more)."""
    return transaction.non_atomic_requests(view)


def may_preview(user, model) -> bool:
    """Staff who may change a kind of record see its drafts too, as they will appear."""
    opts = model._meta
    return bool(
        user and user.is_authenticated and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def visible(queryset, user):
    """The records of a queryset that this user may see: published ones, or all of them for editors."""
    return queryset if may_preview(user, queryset.model) else queryset.published()


class PublishedMixin(ContextMixin):
    """Visitors see published records only; staff who may change a record preview it as it will appear."""

    model = None

    def get_queryset(self):
        return visible(self.model._default_manager.all(), self.request.user)

    def visible(self, queryset):
        return visible(queryset, self.request.user)

    def get_object(self, queryset=None):
        """With ?preview=pending, staff see the record with the change awaiting review applied."""
        record = self.find_object(queryset)
        if self.request.GET.get("preview") == "pending" and may_preview(self.request.user, type(record)):
            from core.review import apply_values, pending_change_for

            pending = pending_change_for(record)
            if pending is not None:
                apply_values(record, pending.data)
                record.previewing_pending_change = True
        return record

    def find_object(self, queryset=None):
        """The record the address names, as the visitor may see it (404 if none): DetailView's."""
        return super().get_object(queryset)


class HomeView(TemplateView):
    """The presidency at a glance: its meetings in time and on the map, the Takasaki declaration and the
    communiqué's digital items."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        presidency = read_presidency(
            moment=timezone.now(),
            meeting_preview=may_preview(user, Meeting),
            document_preview=may_preview(user, Declaration),
        )
        meetings = presidency["meetings"]
        for number, meeting in enumerate(meetings, start=1):
            meeting.number = number
        return super().get_context_data(
            **presidency, timeline=timeline(meetings), map=presidency_map(meetings), **kwargs
        )


def timeline(meetings):
    """The meetings' sessions in date order, grouped by month: a meeting that met twice (the trade
    ministers: online in April, in Sakai in October) appears in both months."""
    entries = sorted(
        ((session, meeting) for meeting in meetings for session in related(meeting, "sessions")),
        key=lambda entry: (entry[0].start_date, entry[1].slug),
    )
    return [
        {"month": month_start, "entries": list(group)}
        for month_start, group in groupby(entries, key=lambda entry: entry[0].start_date.replace(day=1))
    ]


def presidency_map(meetings):
    """The outline of Japan and one numbered marker per place in Japan where a meeting met."""
    markers = []
    for meeting in meetings:
        for location in related(meeting, "locations"):
            if location.latitude is None or location.longitude is None:
                continue
            longitude, latitude = float(location.longitude), float(location.latitude)
            if not japan_map.in_main_box(longitude, latitude):
                continue
            point = japan_map.project(longitude, latitude)
            markers.append({"meeting": meeting, "location": location, "x": point.x, "y": point.y})
    for marker, shown in zip(
        markers, japan_map.spread([japan_map.Point(m["x"], m["y"]) for m in markers]), strict=True
    ):
        marker["marker_x"], marker["marker_y"] = shown.x, shown.y
        marker["moved"] = (shown.x, shown.y) != (marker["x"], marker["y"])
    return {
        "width": japan_map.WIDTH,
        "height": japan_map.HEIGHT,
        "paths": japan_map.outline_paths(),
        "inset": japan_map.inset_box(),
        "markers": markers,
        "radius": japan_map.MARKER_RADIUS,
    }
