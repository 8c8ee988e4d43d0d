"""The documents list's filters, shared by the public page and the API.

Every parameter is validated by the FilterSet's form: an unknown kind or meeting, a malformed year or an
over-long q is a form error that the page shows and the API returns as a 400, never a database error.
"""

import django_filters as filters
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from publication.filters import IntegerFilter, PageForm, contains_in_any_language, text_filter, translated

from .models import Declaration


def meetings_with_documents(request):
    """The published meetings that have a published document: the choices of the meeting filter."""
    documents = Declaration.objects.published().filter(meeting=OuterRef("pk"))
    return Meeting.objects.published().filter(Exists(documents)).order_by("year", "slug")


# The most meetings the document list offers to choose from: those of the chosen year, else the latest.
MEETING_OPTIONS = 100


def meeting_options(request, form):
    """The meetings the list's filter offers: of the chosen year, or the MEETING_OPTIONS latest, and the
    chosen meeting. Any meeting with documents can still be asked for by its slug."""
    meetings = meetings_with_documents(request)
    cleaned = getattr(form, "cleaned_data", {})
    if cleaned.get("year"):
        meetings = meetings.filter(year=cleaned["year"])
    latest = meetings.order_by("-year", "-slug").values("pk")[:MEETING_OPTIONS]
    chosen = cleaned.get("meeting")
    shown = Q(pk__in=latest) | Q(pk=chosen.pk) if chosen else Q(pk__in=latest)
    return Meeting.objects.filter(shown).order_by("year", "slug")


def undated_last(queryset, descending: bool):
    """The adoption date as an order with undated documents last either way, the same on SQLite and
    PostgreSQL, saying NULLS LAST only where the database would not put them last by itself: SQLite
    puts them last in a descending order, and its index on the date serves that order only as it is."""
    nulls_first_ascending = connections[queryset.db].features.order_by_nulls_first
    if descending:
        return F("adopted_on").desc(nulls_last=None if nulls_first_ascending else True)
    return F("adopted_on").asc(nulls_last=True if nulls_first_ascending else None)


class DeclarationFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(
        label=_("Kind"),
        choices=Declaration.Kind.choices,
        empty_label=_("All kinds"),
        help_text=_("ministerial_declaration, leaders_communique, chairs_statement or other."),
    )

    meeting = filters.ModelChoiceFilter(
        label=_("Meeting"),
        queryset=meetings_with_documents,
        to_field_name="slug",
        empty_label=_("All meetings"),
        help_text=_("The slug of the meeting that adopted the document."),
    )

    year = IntegerFilter(
        label=_("Year"),
        method="filter_year",
        min_value=1975,
        max_value=2100,
        help_text=_("The year of adoption; for a document with no adoption date, the year of its meeting."),
    )

    q = text_filter(
        method="filter_text",
        help_text=_(
            "Words in the title, short title, summary or body, in Japanese or English (case-insensitive)."
        ),
    )

    ordering = filters.ChoiceFilter(
        label=_("Order"),
        choices=[
            ("-date", _("Date, latest first")),
            ("date", _("Date, earliest first")),
            ("title", _("Title, A to Z")),
            ("-title", _("Title, Z to A")),
        ],
        method="order",
        empty_label=None,
        help_text=_("date, -date, title or -title; by date of adoption, latest first, when not given."),
    )

    class Meta:
        model = Declaration
        form = PageForm
        fields = ["kind", "meeting", "year", "q", "ordering"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = self.order(queryset, "ordering", "-date")
        return queryset

    def filter_year(self, queryset, name, value):
        return queryset.filter(Q(adopted_on__year=value) | Q(adopted_on__isnull=True, meeting__year=value))

    def filter_text(self, queryset, name, value):
        return queryset.filter(contains_in_any_language(value, "title", "short_title", "summary", "body"))

    def order(self, queryset, name, value):
        descending = value.startswith("-")
        if value.lstrip("-") == "title":
            key = translated("title")
            key = key.desc() if descending else key.asc()
        else:
            key = undated_last(queryset, descending)
        return queryset.order_by(key, "slug")
