"""How commitments, their follow-ups and their assessments are read, for the dashboard, a commitment's
page, its API record and its export alike: each in a fixed number of queries however many there are."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from declarations.models import Annex, CommuniqueItem, Footnote, KeyPoint, Theme
from publication.views import visible

from .filters import progress_condition
from .models import Assessment, Commitment, EarlierCommitment, FollowUp, Progress, Rating

# The paragraph a commitment comes from, with its document (for the anchor's address).
SOURCE_PATHS = (
    "key_point__theme__declaration",
    "footnote__declaration",
    "annex__declaration",
    "communique_item__declaration",
)


def follow_ups_seen_by(user) -> QuerySet:
    return visible(FollowUp.objects.all(), user).order_by("date", "slug")


def commitments_seen_by(user) -> QuerySet:
    return visible(Commitment.objects.all(), user)


def earlier_commitments_seen_by(user) -> QuerySet:
    """The earlier commitments `user` may see, in the order they were made, with their meetings joined."""
    return visible(EarlierCommitment.objects.all(), user).select_related("meeting").order_by("date", "slug")


def lineage(commitment) -> list[dict]:
    """The commitment's line through the years, oldest first: the earlier meetings' commitments it builds
    on (2016, 2019, 2022), the 2023 commitments it builds on, itself, and the commitments that build on it
    (the leaders' on the ministers'). Each step is a dict with its `kind` (earlier, builds_on, self or
    built_on_by), its `year` and its `record`; read from what read_commitment() prefetched."""
    steps = [
        {"kind": "earlier", "year": earlier.date.year, "record": earlier}
        for earlier in commitment.earlier_commitments.all()
    ]
    steps += [{"kind": "builds_on", "year": 2023, "record": other} for other in commitment.visible_builds_on]
    steps.append({"kind": "self", "year": 2023, "record": commitment})
    steps += [
        {"kind": "built_on_by", "year": 2023, "record": other} for other in commitment.visible_built_on_by
    ]
    return steps


def register_rows(queryset: QuerySet) -> QuerySet:
    """The dashboard's and the API list's rows: each commitment with its paragraph, its document and its
    assessment, joined, and its themes prefetched (two queries)."""
    return queryset.select_related(*SOURCE_PATHS, "assessment").prefetch_related("themes")


def read_commitment(slug: str, user) -> Commitment | None:
    """A commitment as its page shows it: its paragraph, its themes and annexes, the commitments it builds
    on and those built on it (`visible_builds_on`, `visible_built_on_by`), the earlier meetings' commitments
    it carries forward, its follow-ups and its assessment with the evidence, of records `user` may see."""
    commitments = commitments_seen_by(user)
    follow_ups = follow_ups_seen_by(user)
    commitment = (
        commitments.filter(slug=slug)
        .select_related(*SOURCE_PATHS, "assessment", "source")
        .prefetch_related(
            Prefetch("themes", Theme.objects.select_related("declaration")),
            Prefetch("annexes", Annex.objects.select_related("declaration")),
            Prefetch("earlier_commitments", earlier_commitments_seen_by(user)),
            Prefetch("follow_ups", follow_ups),
            Prefetch("assessment__evidence", follow_ups),
        )
        .first()
    )
    if commitment is not None:
        commitment.visible_builds_on, commitment.visible_built_on_by = links_of(commitment, commitments)
    return commitment


def links_of(commitment, commitments: QuerySet) -> tuple[list, list]:
    """The 2023 commitments of `commitments` that `commitment` builds on and those that build on it, each by
    number: both directions of the link read in one query, so that the page keeps within its budget."""
    links = (
        Commitment.builds_on.through.objects.filter(
            Q(from_commitment=commitment, to_commitment__in=commitments)
            | Q(to_commitment=commitment, from_commitment__in=commitments)
        )
        .select_related("from_commitment", "to_commitment")
        .order_by("pk")
    )
    builds_on, built_on_by = [], []
    for link in links:
        if link.from_commitment_id == commitment.pk:
            builds_on.append(link.to_commitment)
        else:
            built_on_by.append(link.from_commitment)
    return sorted(builds_on, key=lambda other: other.number), sorted(
        built_on_by, key=lambda other: other.number
    )


def assessment_history(commitment) -> list:
    """Every version of the commitment's assessment, newest first (one query): its rating, who gave it and
    when; a change after publication is a public correction too."""
    assessment = getattr(commitment, "assessment", None)
    if assessment is None:
        return []
    versions = list(
        Assessment.history.filter(id=assessment.pk)
        .order_by("-history_date", "-history_id")
        .only(
            "history_date",
            "rating",
            "assessed_on",
            "assessed_by_ja",
            "assessed_by_en",
            "history_change_reason",
        )
    )
    # A save of the evidence alone (its many-to-many rows) is a version too: the history shows each rating
    # once, from the version that gave it.
    shown = []
    for version in versions:
        if shown and (shown[-1].rating, shown[-1].assessed_on) == (version.rating, version.assessed_on):
            shown[-1] = version
        else:
            shown.append(version)
    return shown


def rating_of(commitment) -> str:
    assessment = getattr(commitment, "assessment", None)
    return assessment.rating if assessment is not None else Rating.NOT_ASSESSED


def register_counts(queryset: QuerySet) -> dict:
    """How many commitments of `queryset` have each rating and each progress, in one query."""
    today = timezone.localdate()
    aggregates = {
        f"rating_{rating}": Count("pk", distinct=True, filter=Q(assessment__rating=rating))
        for rating in Rating.values
    }
    aggregates |= {
        f"progress_{progress}": Count("pk", distinct=True, filter=progress_condition(progress, today))
        for progress in Progress.values
    }
    aggregates["total"] = Count("pk", distinct=True)
    counts = queryset.order_by().aggregate(**aggregates)
    # A commitment without an assessment row is not assessed.
    counts[f"rating_{Rating.NOT_ASSESSED}"] += counts["total"] - sum(
        counts[f"rating_{rating}"] for rating in Rating.values
    )
    return counts


def commitments_held(parts: list, user) -> dict[tuple[str, int], list]:
    """The commitments `user` may see that each of `parts` (key points, footnotes, annexes, communiqué
    items) holds, with their assessment's rating (`rating`, `rating_label`), in one query: a dict from
    (the part's model label, its primary key) to its commitments, in their order (declarations.annotations)."""
    fields = {
        KeyPoint: "key_point",
        Footnote: "footnote",
        Annex: "annex",
        CommuniqueItem: "communique_item",
    }
    ids: dict[str, list[int]] = {}
    for part in parts:
        field = fields.get(type(part))
        if field is not None:
            ids.setdefault(field, []).append(part.pk)
    if not ids:
        return {}
    condition = Q()
    for field, pks in ids.items():
        condition |= Q(**{f"{field}__in": pks})
    held: dict[tuple[str, int], list] = {}
    commitments = commitments_seen_by(user).filter(condition).select_related("assessment").order_by("number")
    for commitment in commitments:
        commitment.rating = rating_of(commitment)
        commitment.rating_label = Rating(commitment.rating).label
        for model, field in fields.items():
            pk = getattr(commitment, f"{field}_id")
            if pk is not None:
                held.setdefault((model._meta.label_lower, pk), []).append(commitment)
    return held


def with_commitment_record(user) -> QuerySet:
    """Every commitment `user` may see, by number, with what its API record and its CSV row show: its
    paragraph, its assessment and source joined; the themes and annexes it serves; the commitments it builds
    on, the follow-ups that answer it and its assessment's evidence, of those `user` may see."""
    commitments = visible(Commitment.objects.all(), user)
    follow_ups = visible(FollowUp.objects.all(), user)
    return (
        commitments.select_related(*SOURCE_PATHS, "assessment")
        .prefetch_related(
            # Read apart rather than joined: with the join, SQLite sorted every published commitment rather
            # than read the page off the index of the list's order (the register's unique number).
            "source",
            Prefetch("themes", Theme.objects.select_related("declaration")),
            Prefetch("annexes", Annex.objects.select_related("declaration")),
            Prefetch("builds_on", commitments.order_by("number")),
            Prefetch("earlier_commitments", earlier_commitments_seen_by(user)),
            Prefetch("follow_ups", follow_ups.order_by("date", "slug")),
            Prefetch("assessment__evidence", follow_ups.order_by("date", "slug")),
        )
        .order_by("number")
    )


def with_follow_up_record(user) -> QuerySet:
    """Every follow-up `user` may see, by date, with the commitments it answers of those `user` may see."""
    commitments = visible(Commitment.objects.all(), user).order_by("number")
    return (
        visible(FollowUp.objects.all(), user)
        # The source read apart, as a commitment's is (with_commitment_record).
        .prefetch_related("source", Prefetch("commitments", commitments))
        .order_by("date", "slug")
    )


def with_earlier_commitment_record(user) -> QuerySet:
    """Every earlier commitment `user` may see, in the order they were made, with its meeting and source
    joined and the 2023 commitments that build on it, of those `user` may see."""
    commitments = visible(Commitment.objects.all(), user).order_by("number")
    return (
        earlier_commitments_seen_by(user)
        .select_related("source")
        .prefetch_related(Prefetch("commitments", commitments))
    )
