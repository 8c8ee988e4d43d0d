from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from core.views import PublishedMixin

from .models import Chair, Location, Meeting


class MeetingListView(PublishedMixin, ListView):
    model = Meeting
    paginate_by = 20

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_dates()
            .prefetch_related("locations__prefecture")
            .order_by("start_date", "slug")
        )


class MeetingDetailView(PublishedMixin, DetailView):
    model = Meeting

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_dates()
            .prefetch_related(
                "sessions",
                Prefetch("locations", Location.objects.select_related("prefecture")),
                Prefetch("chairs", Chair.objects.select_related("person", "organization")),
                "hosts",
            )
        )
