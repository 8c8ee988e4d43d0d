"""The API's register resources, read only (editors keep them in the admin): commitments, follow-ups and
assessments, with filters, `?lang=all`, and JSON and CSV exports.

An assessment has no slug of its own: it is found by its commitment's, at /api/v1/assessments/{slug}/.
"""

import django_filters as filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from meetings.models import Meeting
from publication.api import exports
from publication.api.schema import read_only_records
from publication.api.views import RecordViewSet
from publication.filters import IntegerFilter, contains_in_any_language, text_filter
from publication.views import visible

from .filters import CommitmentFilterSet
from .models import Assessment, Commitment, EarlierCommitment, FollowUp, Rating, Thread
from .resources import AssessmentResource, CommitmentResource, EarlierCommitmentResource, FollowUpResource
from .selectors import with_commitment_record, with_earlier_commitment_record, with_follow_up_record
from .serializers import (
    AssessmentSerializer,
    CommitmentSerializer,
    EarlierCommitmentSerializer,
    FollowUpSerializer,
)

READ_ONLY = ["get", "head", "options"]


class ReadOnlyRecordViewSet(RecordViewSet):
    """A resource the API reads and exports; its records are written in the admin, under its rules."""

    http_method_names = READ_ONLY


class CommitmentApiFilterSet(CommitmentFilterSet):
    """The dashboard's filters; a theme is named by its id, and an id that names no theme selects nothing
    (the page offers the themes to choose from instead)."""

    theme = IntegerFilter(
        field_name="themes",
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The id of a theme the commitment serves."),
    )


@read_only_records(
    name="commitment",
    plural="commitments (the commitment register)",
    lookup="slug",
    read=CommitmentSerializer,
)
class CommitmentViewSet(ReadOnlyRecordViewSet):
    """Every commitment of the outcome documents in its paragraph's words, with its target date, the
    themes and annexes it serves, its lineage, the follow-ups that answer it and its assessment."""

    model = Commitment
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentApiFilterSet
    export_name = "commitments"
    csv_columns = exports.resource_columns(CommitmentResource)

    def base_queryset(self):
        return with_commitment_record(self.request.user)


class FollowUpFilterSet(filters.FilterSet):
    kind = filters.ChoiceFilter(
        choices=FollowUp.Kind.choices, help_text=_("meeting, statement, publication or event.")
    )
    # A slug that names no published commitment is a 404, as every filter by a record's slug is
    # (publication.api.filters.FilterBackend).
    commitment = filters.ModelChoiceFilter(
        field_name="commitments",
        queryset=lambda request: Commitment.objects.published(),
        to_field_name="slug",
        help_text=_("The slug of a commitment it answers."),
    )
    q = text_filter(method="filter_q", help_text=_("Words of its title or summary, in either language."))

    class Meta:
        model = FollowUp
        fields = ["kind", "commitment", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(contains_in_any_language(value, "title", "summary")) if value else queryset

    @property
    def qs(self):
        return super().qs.distinct() if self.form.cleaned_data.get("commitment") else super().qs


@read_only_records(name="follow-up", plural="follow-ups", lookup="slug", read=FollowUpSerializer)
class FollowUpViewSet(ReadOnlyRecordViewSet):
    """What followed the commitments: later meetings, statements, publications and events, each with its
    date, issuing body and public address, and the commitments it answers."""

    model = FollowUp
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    export_name = "follow-ups"
    csv_columns = exports.resource_columns(FollowUpResource)

    def base_queryset(self):
        return with_follow_up_record(self.request.user)


class EarlierCommitmentFilterSet(filters.FilterSet):
    thread = filters.ChoiceFilter(
        choices=Thread.choices, help_text=_("data_flows, ai, internet, infrastructure or governance.")
    )
    # A slug that names no published meeting is a 404, as every filter by a record's slug is.
    meeting = filters.ModelChoiceFilter(
        queryset=lambda request: Meeting.objects.published(),
        to_field_name="slug",
        help_text=_("The slug of the earlier meeting."),
    )
    commitment = filters.ModelChoiceFilter(
        field_name="commitments",
        queryset=lambda request: Commitment.objects.published(),
        to_field_name="slug",
        help_text=_("The slug of a 2023 commitment that builds on it."),
    )

    class Meta:
        model = EarlierCommitment
        fields = ["thread", "meeting", "commitment"]

    @property
    def qs(self):
        return super().qs.distinct() if self.form.cleaned_data.get("commitment") else super().qs


@read_only_records(
    name="earlier commitment", plural="earlier commitments", lookup="slug", read=EarlierCommitmentSerializer
)
class EarlierCommitmentViewSet(ReadOnlyRecordViewSet):
    """The commitments of the meetings before 2023 (Takamatsu 2016, Tsukuba 2019, Düsseldorf 2022) that 2023
    commitments build on: each with its meeting, document, paragraph, public address and date, the editors'
    summary of its words, and the 2023 commitments that carry it forward."""

    model = EarlierCommitment
    serializer_class = EarlierCommitmentSerializer
    filterset_class = EarlierCommitmentFilterSet
    export_name = "earlier-commitments"
    csv_columns = exports.resource_columns(EarlierCommitmentResource)

    def base_queryset(self):
        return with_earlier_commitment_record(self.request.user)


class AssessmentFilterSet(filters.FilterSet):
    rating = filters.ChoiceFilter(
        choices=Rating.choices, help_text=_("full, partial, none, too_early or not_assessed.")
    )

    class Meta:
        model = Assessment
        fields = ["rating"]


COMMITMENT_SLUG = [
    OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The commitment's slug.")
]


@read_only_records(
    name="assessment",
    plural="assessments",
    lookup="its commitment's slug",
    read=AssessmentSerializer,
    detail_parameters=COMMITMENT_SLUG,
)
class AssessmentViewSet(ReadOnlyRecordViewSet):
    """Each commitment's assessment: its rating, who gave it and when, and the follow-ups it rests on.
    Visible when its commitment is; its history is its commitment's public corrections."""

    model = Assessment
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    publication = "commitment"
    publication_model = Commitment
    export_name = "assessments"
    csv_columns = exports.resource_columns(AssessmentResource)

    def lookup_filter(self):
        return {f"commitment__{key}": value for key, value in super().lookup_filter().items()}

    def base_queryset(self):
        follow_ups = visible(FollowUp.objects.all(), self.request.user).order_by("date", "slug")
        return (
            Assessment.objects.select_related("commitment")
            .prefetch_related(Prefetch("evidence", follow_ups))
            .order_by("commitment__number")
        )
