"""The commitment register's filters, shared by the dashboard and the API.

Every parameter is validated by the FilterSet's form: an unknown theme, act, rating or progress is a form
error that the page shows and the API returns as a 400, never a database error.
"""

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declarations.models import Theme
from publication.filters import PageForm, contains_in_any_language, text_filter

from .models import Act, Commitment, CommittedBy, Progress, Rating


def themes_with_commitments(request):
    """The themes of published documents that published commitments serve: the theme filter's choices."""
    return (
        Theme.objects.filter(commitments__in=Commitment.objects.published(), declaration__status="published")
        .select_related("declaration")
        .distinct()
        .order_by("declaration__slug", "number")
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

    class Meta:
        model = Commitment
        form = PageForm
        fields = ["q", "theme", "act", "committed_by", "rating", "progress"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(contains_in_any_language(value, "text")) if value else queryset

    def filter_progress(self, queryset, name, value):
        return queryset.filter(progress_condition(value, timezone.localdate())) if value else queryset

    @property
    def qs(self):
        # A theme filter joins through the many-to-many table: one row a commitment all the same.
        return super().qs.distinct() if self.form.cleaned_data.get("theme") else super().qs
