"""The meetings list's filters, shared by the public page and the API.

Every parameter is validated by the FilterSet's form: an unknown or malformed value (year=abc,
month=13, prefecture=99, a 10,000-character or NUL-containing q) is a form error that the page shows
and the API returns as a 400, never a database error.
"""

import django_filters as filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from publication.filters import (
    IntegerFilter,
    PageForm,
    contains_in_any_language,
    month_choices,
    text_filter,
    translated,
)

from .models import Location, Meeting, Prefecture, Session


class MeetingFilterSet(filters.FilterSet):
    forum = filters.ChoiceFilter(
        label=_("Forum"),
        choices=Meeting.Forum.choices,
        empty_label=_("All forums"),
        help_text=_("G7 or G20."),
    )

    kind = filters.ChoiceFilter(
        label=_("Kind"),
        choices=Meeting.Kind.choices,
        empty_label=_("All kinds"),
        help_text=_("summit or ministerial."),
    )

    year = IntegerFilter(
        label=_("Year"),
        field_name="year",
        min_value=1975,
        max_value=2100,
        help_text=_("The year of the meeting (of its presidency), e.g. 2023."),
    )

    month = IntegerFilter(
        label=_("Month"),
        method="filter_month",
        min_value=1,
        max_value=12,
        widget=forms.Select(choices=month_choices),
        help_text=_(
            "1–12: meetings with a session on any day of that month, in any year (combine with year)."
        ),
    )

    prefecture = filters.ModelChoiceFilter(
        label=_("Prefecture"),
        queryset=Prefecture.objects.all(),
        to_field_name="code",
        method="filter_prefecture",
        empty_label=_("All prefectures"),
        help_text=_("A JIS X 0401 code, 01–47: meetings with a location in that prefecture."),
    )

    portfolio = filters.ChoiceFilter(
        label=_("Portfolio"),
        choices=Meeting.Portfolio.choices,
        empty_label=_("All portfolios"),
        help_text=_("The ministerial track, e.g. digital, trade; leaders for a summit."),
    )

    q = text_filter(
        method="filter_text",
        help_text=_("Words in the title, short title or summary, in Japanese or English (case-insensitive)."),
    )

    ordering = filters.ChoiceFilter(
        label=_("Order"),
        choices=[
            ("date", _("Date, earliest first")),
            ("-date", _("Date, latest first")),
            ("title", _("Title, A to Z")),
            ("-title", _("Title, Z to A")),
        ],
        method="order",
        empty_label=None,
        help_text=_("date, -date, title or -title; by date (first session), earliest first, when not given."),
    )

    class Meta:
        model = Meeting
        form = PageForm
        fields = ["forum", "kind", "year", "month", "prefecture", "portfolio", "q", "ordering"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = self.order(queryset, "ordering", "date")
        return queryset

    def filter_month(self, queryset, name, value):
        sessions = Session.objects.filter(meeting=OuterRef("pk")).annotate(
            first_month=ExtractMonth("start_date"),
            last_month=ExtractMonth("end_date"),
            first_year=ExtractYear("start_date"),
            last_year=ExtractYear("end_date"),
        )
        same_year = Q(first_year=F("last_year")) & Q(first_month__lte=value, last_month__gte=value)
        next_year = Q(last_year=F("first_year") + 1) & (Q(first_month__lte=value) | Q(last_month__gte=value))
        longer = Q(last_year__gt=F("first_year") + 1)
        return queryset.filter(Exists(sessions.filter(same_year | next_year | longer)))

    def filter_prefecture(self, queryset, name, value):
        return queryset.filter(Exists(Location.objects.filter(meeting=OuterRef("pk"), prefecture=value)))

    def filter_text(self, queryset, name, value):
        return queryset.filter(contains_in_any_language(value, "title", "short_title", "summary"))

    def order(self, queryset, name, value):
        descending = value.startswith("-")
        if value.lstrip("-") == "title":
            key = translated("title")
            return queryset.order_by(key.desc() if descending else key.asc(), "slug")
        # Latest first is the date order read backwards, ties included, so one index serves both.
        return (
            queryset.order_by("-start_date", "-slug")
            if descending
            else queryset.order_by("start_date", "slug")
        )
