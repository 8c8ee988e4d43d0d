"""The home page: the presidency at a glance, its meetings in time and on the map."""

from itertools import groupby

from django.views.generic import TemplateView

from . import japan_map
from .selectors import read_presidency


class HomeView(TemplateView):
    """The presidency at a glance: its meetings in time and on the map, the Takasaki declaration and the
    communiqué's digital items."""

    template_name = "home.html"
    # For the page cache (operations/cache.py): the page reads no query parameter.
    query_parameters = ()

    def get_context_data(self, **kwargs):
        presidency = read_presidency(user=self.request.user)
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
        ((session, meeting) for meeting in meetings for session in meeting.sessions.all()),
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
        for location in meeting.locations.all():
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
