"""The commitment register: what the G7 committed to in 2023, what followed, and how it is assessed.

A commitment is a part of an outcome document's paragraph (a key point, a footnote, an annex or a communiqué
item) in that paragraph's own words; a follow-up is a later meeting, statement, publication or event with its
public source; an assessment rates a commitment on the scale of the G7 Research Group (full, partial, none),
with "too early" and "not assessed", on the evidence of the follow-ups.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from declarations.models import Annex, CommuniqueItem, Footnote, KeyPoint, Theme
from meetings.models import Meeting
from publication.models import (
    EditableRecord,
    Provenance,
    Publishable,
    PublishedQuerySet,
    SlugNaturalKeyManager,
    TextStatus,
    japanese_required,
    one_of_choices,
    permanent_slug,
)


class CommitmentManager(SlugNaturalKeyManager.from_queryset(PublishedQuerySet)):
    pass


class CommittedBy(models.TextChoices):
    MINISTERS = "ministers", _("Ministers")
    LEADERS = "leaders", _("Leaders")


class Act(models.TextChoices):
    """The kind of act a commitment's words name."""

    AGREE = "agree", _("Agree")
    ESTABLISH = "establish", _("Establish")
    DEVELOP = "develop", _("Develop")
    LAUNCH = "launch", _("Launch")
    HOLD = "hold", _("Hold")
    INSTRUCT = "instruct", _("Instruct")
    ENDORSE = "endorse", _("Endorse")
    COMMIT = "commit", _("Commit")
    REAFFIRM = "reaffirm", _("Reaffirm")
    CONFIRM = "confirm", _("Confirm")
    CONSIDER = "consider", _("Consider")
    DISCUSS = "discuss", _("Discuss")
    # The source names an aim without a verb (a key point that lists its topics).
    OTHER = "other", _("No act named")


class Precision(models.TextChoices):
    """How precisely the words give the target date; the date is the last day they allow."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    SEASON = "season", _("Season")
    YEAR_END = "year_end", _("By the end of the year")


class Rating(models.TextChoices):
    """The scale of the G7 Research Group's compliance reports, and two states before a rating."""

    FULL = "full", _("Full")
    PARTIAL = "partial", _("Partial")
    NONE = "none", _("None")
    TOO_EARLY = "too_early", _("Too early")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class Progress(models.TextChoices):
    """Where a commitment stands against its target date (the dashboard's filter)."""

    MET = "met", _("Met")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    OPEN = "open", _("No target date")


# The season a month's last day closes (the northern hemisphere's, as the source's 「今秋」 means).
SEASON_OF_MONTH = {2: "winter", 5: "spring", 8: "summer", 11: "autumn"}
SEASON_LABELS = {
    "spring": gettext_noop("Spring %(year)s"),
    "summer": gettext_noop("Summer %(year)s"),
    "autumn": gettext_noop("Autumn %(year)s"),
    "winter": gettext_noop("Winter %(year)s"),
}
SOURCE_PARTS = ("key_point", "footnote", "annex", "communique_item")


def exactly_one(prefix: str, fields: tuple[str, ...]) -> models.CheckConstraint:
    condition = Q()
    for field in fields:
        others = Q(**{f"{other}__isnull": True for other in fields if other != field})
        condition |= Q(**{f"{field}__isnull": False}) & others
    return models.CheckConstraint(
        condition=condition,
        name=f"{prefix}_one_source_paragraph",
        violation_error_code="one_source_paragraph",
        violation_error_message=_(
            "Choose the one paragraph the words come from: a key point, a footnote, an annex or a communiqué item."
        ),
    )


class Commitment(EditableRecord, Publishable, Provenance):
    """One commitment, in the words of the paragraph it comes from."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = ""

    CommittedBy = CommittedBy
    Act = Act
    Precision = Precision

    slug = permanent_slug(max_length=100)
    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1), MaxValueValidator(999)],
        help_text=_("The commitment's place in the register, in the order of the documents."),
    )
    text = models.TextField(
        _("words"), help_text=_("The commitment's words, as the paragraph it comes from gives them.")
    )
    key_point = models.ForeignKey(
        KeyPoint,
        verbose_name=_("key point"),
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
    )
    footnote = models.ForeignKey(
        Footnote,
        verbose_name=_("footnote"),
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
    )
    annex = models.ForeignKey(
        Annex,
        verbose_name=_("annex"),
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
    )
    communique_item = models.ForeignKey(
        CommuniqueItem,
        verbose_name=_("communiqué item"),
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
    )
    committed_by = models.CharField(_("committed by"), max_length=16, choices=CommittedBy)
    act = models.CharField(_("kind of act"), max_length=16, choices=Act)
    target_date = models.DateField(
        _("target date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "The last day the words allow: 30 November 2023 for 「今秋」, 31 December 2023 for 「年内」."
        ),
    )
    target_precision = models.CharField(
        _("precision of the target date"), max_length=16, choices=Precision, blank=True
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), related_name="commitments", blank=True)
    annexes = models.ManyToManyField(
        Annex,
        verbose_name=_("annexes served"),
        related_name="served_by_commitments",
        blank=True,
    )
    builds_on = models.ManyToManyField(
        "self",
        verbose_name=_("builds on"),
        symmetrical=False,
        related_name="built_on_by",
        blank=True,
        help_text=_("Earlier commitments this one builds on, where the source says so."),
    )

    objects = CommitmentManager()

    constraint_fields = {
        **Publishable.publication_constraint_fields("commitment"),
        "commitment_one_source_paragraph": "key_point",
        "commitment_target_has_precision": "target_precision",
    }

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        permissions = [("publish_commitment", _("Can publish and unpublish commitments"))]
        ordering = ["number"]
        constraints = [
            *Publishable.publication_constraints("commitment"),
            models.UniqueConstraint(
                fields=["number"],
                name="commitment_unique_number",
                violation_error_code="unique",
                violation_error_message=_("Another commitment has this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="commitment_number_positive",
                violation_error_code="min_value",
                violation_error_message=_("Numbers start at 1."),
            ),
            exactly_one("commitment", SOURCE_PARTS),
            one_of_choices("commitment_committed_by_valid", "committed_by", CommittedBy.values),
            one_of_choices("commitment_act_valid", "act", Act.values),
            one_of_choices("commitment_target_precision_valid", "target_precision", ["", *Precision.values]),
            models.CheckConstraint(
                condition=(Q(target_date__isnull=True) & Q(target_precision=""))
                | (Q(target_date__isnull=False) & ~Q(target_precision="")),
                name="commitment_target_has_precision",
                violation_error_code="target_precision",
                violation_error_message=_(
                    "A target date needs its precision (day, month, season, end of the year), and a precision its date."
                ),
            ),
            *japanese_required("commitment", "text"),
        ]
        indexes = Publishable.publication_indexes("commitment")

    def __str__(self):
        return f"{self.number}. {self.text}"

    def get_absolute_url(self):
        return reverse("commitments:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["declarations.keypoint", "declarations.communiqueitem"]

    @property
    def source_part(self):
        """The paragraph the words come from."""
        for name in SOURCE_PARTS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def source_declaration(self):
        part = self.source_part
        if part is None:
            return None
        return part.theme.declaration if isinstance(part, KeyPoint) else part.declaration

    @property
    def source_anchor(self) -> str:
        part = self.source_part
        return part.anchor if part is not None else ""

    def source_url(self) -> str:
        """The paragraph's citable anchor on its document's page."""
        declaration = self.source_declaration
        return f"{declaration.get_absolute_url()}#{self.source_anchor}" if declaration else ""

    def target_season(self) -> str:
        """spring, summer, autumn or winter, for a target given as a season."""
        return SEASON_OF_MONTH.get(self.target_date.month, "") if self.target_date else ""

    def target_label(self) -> str:
        """The target date as precisely as the words give it, in the active language: 30 November 2023,
        November 2023, autumn 2023, by the end of 2023."""
        from rendering.templating import long_date, month_name

        if self.target_date is None:
            return ""
        year = self.target_date.year
        if self.target_precision == Precision.YEAR_END:
            return gettext("By the end of %(year)s") % {"year": year}
        if self.target_precision == Precision.SEASON:
            season = self.target_season()
            if season in SEASON_LABELS:
                # A winter ends in the February after the year it is named by.
                return gettext(SEASON_LABELS[season]) % {"year": year - 1 if season == "winter" else year}
        if self.target_precision == Precision.MONTH:
            return month_name(self.target_date)
        return long_date(self.target_date)

    def progress(self, rating: str, today: datetime.date) -> str:
        """Met (assessed as fully met), due, overdue or open (no target date), as of `today`."""
        if rating == Rating.FULL:
            return Progress.MET
        if self.target_date is None:
            return Progress.OPEN
        return Progress.OVERDUE if self.target_date < today else Progress.DUE

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.target_date
            and self.target_precision == Precision.YEAR_END
            and (self.target_date.month, self.target_date.day) != (12, 31)
        ):
            errors["target_date"] = _("A target by the end of the year is its 31 December.")
        if self.target_date and self.target_precision == Precision.MONTH:
            last = calendar.monthrange(self.target_date.year, self.target_date.month)[1]
            if self.target_date.day != last:
                errors["target_date"] = _("A target month is given as its last day.")
        if self.target_date and self.target_precision == Precision.SEASON and not self.target_season():
            errors["target_date"] = _(
                "A target season is given as its last day: the end of February, May, August or November."
            )
        if errors:
            raise ValidationError(errors)


class FollowUpManager(SlugNaturalKeyManager.from_queryset(PublishedQuerySet)):
    pass


class FollowUpKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    STATEMENT = "statement", _("Statement")
    PUBLICATION = "publication", pgettext_lazy("kind of follow-up", "Publication")
    EVENT = "event", _("Event")


class FollowUp(EditableRecord, Publishable, Provenance):
    """What followed a commitment: a later meeting, statement, publication or event, with its public source."""

    public_page = ""

    Kind = FollowUpKind

    slug = permanent_slug(max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"), db_index=True)
    issued_by = models.CharField(_("issuing body"), max_length=200)
    url = models.URLField(_("address"), help_text=_("The public page that records it."))
    summary = models.TextField(_("summary"), blank=True)
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("commitments"),
        related_name="follow_ups",
        blank=True,
        help_text=_("The commitments it fulfils or advances."),
    )

    objects = FollowUpManager()

    constraint_fields = Publishable.publication_constraint_fields("commitment_followup")

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        permissions = [("publish_followup", _("Can publish and unpublish follow-ups"))]
        ordering = ["date", "slug"]
        constraints = [
            *Publishable.publication_constraints("commitment_followup"),
            one_of_choices("commitment_followup_kind_valid", "kind", FollowUpKind.values),
            models.CheckConstraint(
                condition=~Q(url=""),
                name="commitment_followup_url_required",
                violation_error_code="required",
                violation_error_message=_("A follow-up needs the address of its public source."),
            ),
            *japanese_required("commitment_followup", "title", "issued_by"),
        ]
        indexes = [
            *Publishable.publication_indexes("followup"),
            # The lists' order (what followed, in the order it happened): a page is read off the index
            # instead of sorting every follow-up.
            models.Index(fields=["date", "slug"], name="followup_order_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("commitments:follow-up", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["commitments.commitment"]


class EarlierCommitmentManager(SlugNaturalKeyManager.from_queryset(PublishedQuerySet)):
    pass


class Thread(models.TextChoices):
    """The line of work an earlier commitment and the 2023 commitments that carry it forward belong to."""

    DATA_FLOWS = "data_flows", _("Data free flow with trust")
    AI = "ai", _("AI governance")
    INTERNET = "internet", _("Open internet")
    INFRASTRUCTURE = "infrastructure", _("Secure digital infrastructure")
    GOVERNANCE = "governance", _("Agile governance")


class EarlierCommitment(EditableRecord, Publishable, Provenance):
    """A commitment of a meeting before the 2023 presidency (the 2016 Takamatsu, the 2019 Tsukuba and the
    2022 Düsseldorf meetings) that 2023 commitments build on. Its document is not held on the site, so it
    is not a Commitment (which cites a paragraph the site holds): it cites its document's title, the
    paragraph and the public address, and gives the words as the editors' short summary in both languages."""

    public_page = ""

    Thread = Thread

    # Neither text is the document's: the summaries are the editors', in both languages.
    default_text_status = {"ja": TextStatus.EDITORIAL, "en": TextStatus.EDITORIAL}

    slug = permanent_slug(max_length=100)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="earlier_commitments",
        help_text=_("The earlier meeting whose outcome document holds it."),
    )
    thread = models.CharField(_("thread"), max_length=16, choices=Thread)
    document_title = models.CharField(
        _("document"), max_length=300, help_text=_("The title of the outcome document that holds it.")
    )
    paragraph = models.CharField(
        _("paragraph"),
        max_length=100,
        blank=True,
        help_text=_("Its paragraph or section in the document; empty where no number could be checked."),
    )
    summary = models.TextField(_("summary"), help_text=_("Its words in short, the editors' summary."))
    url = models.URLField(_("address"), help_text=_("The public page of the document or of its adoption."))
    date = models.DateField(_("date"), db_index=True, help_text=_("The day the document was adopted."))
    checked_on = models.DateField(_("checked on"), help_text=_("The day the address was last checked."))
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("carried forward by"),
        related_name="earlier_commitments",
        blank=True,
        help_text=_("The 2023 commitments that build on it."),
    )

    objects = EarlierCommitmentManager()

    constraint_fields = Publishable.publication_constraint_fields("commitment_earlier")

    class Meta:
        verbose_name = _("earlier commitment")
        verbose_name_plural = _("earlier commitments")
        permissions = [("publish_earliercommitment", _("Can publish and unpublish earlier commitments"))]
        ordering = ["date", "slug"]
        constraints = [
            *Publishable.publication_constraints("commitment_earlier"),
            one_of_choices("commitment_earlier_thread_valid", "thread", Thread.values),
            models.CheckConstraint(
                condition=~Q(url=""),
                name="commitment_earlier_url_required",
                violation_error_code="required",
                violation_error_message=_("An earlier commitment needs the address of its public source."),
            ),
            *japanese_required("commitment_earlier", "document_title", "summary"),
        ]
        indexes = Publishable.publication_indexes("earlier")

    def __str__(self):
        return f"{self.date.year}: {self.summary}"

    def get_absolute_url(self):
        return f"{self.meeting.get_absolute_url()}#earlier-{self.slug}"

    @property
    def anchor(self) -> str:
        return f"earlier-{self.slug}"

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["meetings.meeting", "commitments.commitment"]


class AssessmentManager(models.Manager):
    def get_by_natural_key(self, commitment_slug):
        return self.get(commitment__slug=commitment_slug)


class Assessment(EditableRecord):
    """A commitment's assessment: its rating, who gave it and when, and the follow-ups it rests on. One per
    commitment; a change made after the commitment's publication is a public correction on its page, and
    the history keeps every earlier rating."""

    # The page that lists its public corrections: its commitment's.
    public_page = "commitment"

    Rating = Rating

    commitment = models.OneToOneField(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="assessment"
    )
    rating = models.CharField(_("rating"), max_length=16, choices=Rating, default=Rating.NOT_ASSESSED)
    assessed_by = models.CharField(_("assessed by"), max_length=200)
    assessed_on = models.DateField(
        _("assessed on"),
        null=True,
        blank=True,
        help_text=_("The day of the rating; none while not assessed."),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    evidence = models.ManyToManyField(
        FollowUp,
        verbose_name=_("evidence"),
        related_name="assessments",
        blank=True,
        help_text=_("The follow-ups the rating rests on."),
    )

    objects = AssessmentManager()

    constraint_fields = {"commitment_assessment_rated_on": "assessed_on"}

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["commitment__number"]
        constraints = [
            one_of_choices("commitment_assessment_rating_valid", "rating", Rating.values),
            models.CheckConstraint(
                condition=Q(rating=Rating.NOT_ASSESSED) | Q(assessed_on__isnull=False),
                name="commitment_assessment_rated_on",
                violation_error_code="assessed_on",
                violation_error_message=_("A rating needs the day it was given."),
            ),
            *japanese_required("commitment_assessment", "assessed_by"),
        ]
        indexes = [models.Index(fields=["rating"], name="assessment_rating_idx")]

    def __str__(self):
        return f"{self.commitment.number}: {self.get_rating_display()}"

    def get_absolute_url(self):
        return f"{self.commitment.get_absolute_url()}#assessment"

    @property
    def anchor(self) -> str:
        return "assessment"

    def natural_key(self):
        return (self.commitment.slug,)

    natural_key.dependencies = ["commitments.followup"]
