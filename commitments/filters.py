"""The commitment register's filters, shared by the dashboard and the API.

Every parameter is validated by the FilterSet's form: an unknown theme, act, rating or progress is a form
error that the page shows and the API returns as a 400, never a database error.
"""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from declarations.models import Theme
from meetings.models import Meeting
from publication.filters import PageForm, contains_in_any_language, text_filter

from .models import Act, Commitment, CommittedBy, EarlierCommitment, Progress, Rating, Thread


def themes_with_commitments(request):
    """The themes of published documents that published commitments serve: the theme filter's choices."""
    return (
        Theme.objects.filter(commitments__in=Commitment.objects.published(), declaration__status="published")
        .select_related("declaration")
        .distinct()
        .order_by("declaration__slug", "number")
    )


def meetings_built_on(request):
    """The earlier meetings whose published commitments published 2023 commitments build on: the choices of
    the filter "builds on <meeting>"."""
    return (
        Meeting.objects.published()
        .filter(
            earlier_commitments__in=EarlierCommitment.objects.published().filter(commitments__isnull=False)
        )
        .distinct()
        .order_by("year", "slug")
    )


def progress_condition(progress: str, today) -> Q:
    """Met (rated full), due (a target date still to come), overdue (a target date gone by) or open (no
    target date), as Commitment.progress() says of one commitment."""
    met = Q(assessment__rating=Rating.FULL)
    return {
        Progress.MET: met,
        Progress.DUE: ~met & Q(target_date__gte=today),
        Progress.OVERDUE: ~met & Q(target_date__lt=today),
        Progress.OPEN: ~met & Q(target_date__isnull=True),
    }[progress]


class CommitmentFilterSet(filters.FilterSet):
    q = text_filter(method="filter_q", help_text=_("Words of the commitment, in either language."))
    theme = filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=themes_with_commitments,
        field_name="themes",
        empty_label=_("All themes"),
        help_text=_("The id of a theme the commitment serves."),
    )
    act = filters.ChoiceFilter(
        label=_("Kind of act"),
        choices=Act.choices,
        empty_label=_("All kinds of act"),
        help_text=_("agree, establish, …"),
    )
    committed_by = filters.ChoiceFilter(
        label=_("Committed by"),
        choices=CommittedBy.choices,
        empty_label=_("Ministers and leaders"),
        help_text=_("ministers or leaders."),
    )
    rating = filters.ChoiceFilter(
        label=_("Assessment"),
        choices=Rating.choices,
        field_name="assessment__rating",
        empty_label=_("All assessments"),
        help_text=_("full, partial, none, too_early or not_assessed."),
    )
    progress = filters.ChoiceFilter(
        label=_("Target date"),
        choices=Progress.choices,
        method="filter_progress",
        empty_label=_("All target dates"),
        help_text=_("met, due, overdue, or open (no target date)."),
    )

    earlier_meeting = filters.ModelChoiceFilter(
        label=_("Builds on the meeting"),
        queryset=meetings_built_on,
        to_field_name="slug",
        method="filter_earlier_meeting",
        empty_label=_("Any earlier meeting"),
        help_text=_("The slug of an earlier meeting whose commitments the commitment builds on."),
    )
    thread = filters.ChoiceFilter(
        label=_("Thread"),
        choices=Thread.choices,
        method="filter_thread",
        empty_label=_("All threads"),
        help_text=_(
            "data_flows, ai, internet, infrastructure or governance: the line of earlier commitments it carries forward."
        ),
    )

    class Meta:
        model = Commitment
        form = PageForm
        fields = ["q", "theme", "act", "committed_by", "rating", "progress", "earlier_meeting", "thread"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(contains_in_any_language(value, "text")) if value else queryset

    def filter_progress(self, queryset, name, value):
        return queryset.filter(progress_condition(value, timezone.localdate())) if value else queryset

    # The value is a meeting, named by its slug.
    @extend_schema_field(OpenApiTypes.STR)
    def filter_earlier_meeting(self, queryset, name, value):
        return self.carrying_forward(queryset, meeting=value) if value else queryset

    def filter_thread(self, queryset, name, value):
        return self.carrying_forward(queryset, thread=value) if value else queryset

    @staticmethod
    def carrying_forward(queryset, **condition):
        """The commitments that carry forward a published earlier commitment meeting `condition`."""
        earlier = EarlierCommitment.objects.published().filter(**condition)
        return queryset.filter(pk__in=earlier.values("commitments"))

    @property
    def qs(self):
        # A theme filter joins through the many-to-many table: one row a commitment all the same.
        return super().qs.distinct() if self.form.cleaned_data.get("theme") else super().qs
