from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from operations.records import KeptListMixin
from publication.filters import without_help_texts
from publication.views import PublishedMixin
from rendering.templating import item_list_json_ld, list_page_json_ld

from .filters import CommitmentFilterSet
from .models import Commitment, FollowUp, Progress, Rating
from .selectors import (
    assessment_history,
    commitments_seen_by,
    follow_ups_seen_by,
    lineage,
    rating_of,
    read_commitment,
    register_counts,
    register_rows,
)


class CommitmentListView(KeptListMixin, PublishedMixin, ListView):
    """The register's dashboard: every commitment with its assessment and target date, filtered by the
    FilterSet the API shares (a bad value is the form's error: 400), with the counts of each rating and
    each progress of those the filters keep."""

    model = Commitment
    paginate_by = 100
    template_name = "commitments/commitment_list.html"
    body_template_name = "commitments/commitment_list_body.html"
    # Each commitment's progress (due, overdue) is reckoned against today: the body is drawn anew.
    keeps_body = False
    query_parameters = (*CommitmentFilterSet.base_filters, "page")

    def get_queryset(self):
        # The help texts document the API's parameters; the page's labels and choices say the same.
        self.filterset = without_help_texts(
            CommitmentFilterSet(self.request.GET, queryset=super().get_queryset(), request=self.request)
        )
        if not self.filterset.is_valid():
            return Commitment.objects.none()
        return register_rows(self.filterset.qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filterset=self.filterset, form=self.filterset.form, **kwargs)
        today = timezone.localdate()
        context["today"] = today
        context["counts"] = register_counts(self.object_list) if not self.filterset.errors else None
        context["ratings"] = Rating
        context["progresses"] = Progress
        context["rows"] = [register_row(commitment, today) for commitment in context["object_list"]]
        context["json_ld"] = item_list_json_ld(
            self.request, list(context["object_list"]), name=_("Commitments"), title="text"
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.filterset.errors:
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def register_row(commitment, today) -> dict:
    """A commitment with its rating and its progress, each with its label."""
    rating = rating_of(commitment)
    progress = commitment.progress(rating, today)
    return {
        "commitment": commitment,
        "rating": rating,
        "rating_label": Rating(rating).label,
        "progress": progress,
        "progress_label": Progress(progress).label,
    }


class CommitmentDetailView(PublishedMixin, DetailView):
    model = Commitment
    template_name = "commitments/commitment_detail.html"

    def find_object(self, queryset=None):
        commitment = read_commitment(self.kwargs["slug"], self.request.user)
        if commitment is None:
            raise Http404
        return commitment

    def get_context_data(self, **kwargs):
        commitment = self.object
        return super().get_context_data(
            row=register_row(commitment, timezone.localdate()),
            history=assessment_history(commitment),
            lineage=lineage(commitment),
            json_ld=commitment_json_ld(commitment, self.request),
            **kwargs,
        )


def commitment_json_ld(commitment, request) -> dict:
    """schema.org data for a commitment's page: its words as a CreativeWork that is part of the paragraph of
    its document, with the follow-ups that answer it and its assessment as a Rating-like review."""
    url = request.build_absolute_uri(commitment.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": commitment.text,
        "text": commitment.text,
        "inLanguage": get_language(),
        "genre": str(commitment.get_act_display()),
        "isPartOf": {"@type": "CreativeWork", "@id": request.build_absolute_uri(commitment.source_url())},
        "isBasedOn": [
            *(
                request.build_absolute_uri(earlier.get_absolute_url())
                for earlier in commitment.visible_builds_on
            ),
            *(earlier.url for earlier in commitment.earlier_commitments.all()),
        ],
        "subjectOf": [
            {
                "@type": "CreativeWork",
                "name": follow_up.title,
                "url": follow_up.url,
                "dateCreated": follow_up.date.isoformat(),
            }
            for follow_up in commitment.follow_ups.all()
        ],
    }
    if commitment.target_date:
        data["expires"] = commitment.target_date.isoformat()
    assessment = getattr(commitment, "assessment", None)
    if assessment is not None:
        data["review"] = {
            "@type": "Review",
            "reviewAspect": str(_("Compliance")),
            "reviewBody": assessment.rationale,
            "reviewRating": {"@type": "Rating", "ratingExplanation": str(assessment.get_rating_display())},
            "author": {"@type": "Organization", "name": assessment.assessed_by},
        }
        if assessment.assessed_on:
            data["review"]["datePublished"] = assessment.assessed_on.isoformat()
    return data


def answered_seen_by(user) -> Prefetch:
    """The commitments a follow-up answers, of those `user` may see: a published follow-up may answer a
    commitment that is still a draft, which the public must not see named or linked."""
    return Prefetch("commitments", commitments_seen_by(user))


class FollowUpListView(PublishedMixin, ListView):
    """What followed the commitments, in the order it happened: a timeline."""

    model = FollowUp
    template_name = "commitments/followup_list.html"
    paginate_by = 100
    query_parameters = ("page",)

    def get_queryset(self):
        return follow_ups_seen_by(self.request.user).prefetch_related(answered_seen_by(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["json_ld"] = list_page_json_ld(self.request, context, name=_("What followed"))
        return context


class FollowUpDetailView(PublishedMixin, DetailView):
    model = FollowUp
    template_name = "commitments/followup_detail.html"

    def find_object(self, queryset=None):
        follow_up = (
            follow_ups_seen_by(self.request.user)
            .filter(slug=self.kwargs["slug"])
            .prefetch_related(answered_seen_by(self.request.user), "assessments__commitment")
            .first()
        )
        if follow_up is None:
            raise Http404
        return follow_up
