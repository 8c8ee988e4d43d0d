"""The search index: one entry per record and language, and the tokens of each entry.

Publication is deliberately not copied into the index. An entry points at the record that decides
whether it is public (the meeting, the document a part belongs to, or the commitment, follow-up or earlier
commitment itself), and every search joins on that record's state with the same rule as `published()`. So a scheduled record appears when its time
comes, and a bulk publish or unpublish in the admin (a `QuerySet.update`, which sends no signals)
shows at once, without reindexing.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from publication.models import CHOICE_MESSAGE, FieldConstraints


class Kind(models.TextChoices):
    """The kinds of record that search finds, in the order their facets are shown."""

    MEETING = "meeting", _("Meetings")
    DECLARATION = "declaration", _("Documents")
    THEME = "theme", _("Themes")
    KEY_POINT = "key_point", _("Key points")
    FOOTNOTE = "footnote", _("Footnotes")
    ANNEX = "annex", _("Annexes")
    COMMUNIQUE_ITEM = "communique_item", _("Communiqué items")
    COMMITMENT = "commitment", _("Commitments")
    FOLLOW_UP = "follow_up", _("Follow-ups")
    EARLIER_COMMITMENT = "earlier_commitment", _("Earlier commitments")


# What one record of each kind is called, beside a hit of that kind.
KIND_NAMES = {
    Kind.MEETING: _("Meeting"),
    Kind.DECLARATION: _("Document"),
    Kind.THEME: _("Theme"),
    Kind.KEY_POINT: _("Key point"),
    Kind.FOOTNOTE: _("Footnote"),
    Kind.ANNEX: _("Annex"),
    Kind.COMMUNIQUE_ITEM: _("Communiqué item"),
    Kind.COMMITMENT: _("Commitment"),
    Kind.FOLLOW_UP: _("Follow-up"),
    Kind.EARLIER_COMMITMENT: _("Earlier commitment"),
}

# The records that decide whether an entry is found: each entry names exactly one.
GOVERNING_RECORDS = ("meeting", "declaration", "commitment", "follow_up", "earlier_commitment")


def exactly_one_governing_record() -> Q:
    condition = Q()
    for field in GOVERNING_RECORDS:
        others = {f"{other}__isnull": True for other in GOVERNING_RECORDS if other != field}
        condition |= Q(**{f"{field}__isnull": False}, **others)
    return condition


def governing_record(model: str, verbose_name, help_text) -> models.ForeignKey:
    """The record whose publication state decides whether an entry is found: each entry has one of these
    set (the constraint search_entry_one_governing_record), the others empty."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        help_text=help_text,
    )


class SearchEntry(FieldConstraints):
    """A record's searchable text in one language, with what is needed to show and link a hit."""

    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    object_id = models.PositiveBigIntegerField(_("record id"))
    language = models.CharField(_("language"), max_length=2)
    meeting = governing_record(
        "meetings.Meeting",
        _("meeting"),
        _("The meeting whose publication state decides whether the entry is found."),
    )
    declaration = governing_record(
        "declarations.Declaration",
        _("document"),
        _("The document whose publication state decides whether the entry is found."),
    )
    commitment = governing_record(
        "commitments.Commitment",
        _("commitment"),
        _("The commitment, whose own publication state decides whether its entry is found."),
    )
    follow_up = governing_record(
        "commitments.FollowUp",
        _("follow-up"),
        _("The follow-up, whose own publication state decides whether its entry is found."),
    )
    earlier_commitment = governing_record(
        "commitments.EarlierCommitment",
        _("earlier commitment"),
        _(
            "The earlier commitment, found while it, its meeting and a 2023 commitment that carries it "
            "forward are published: as its meeting's page shows it."
        ),
    )
    slug = models.CharField(_("slug"), max_length=100)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    theme_number = models.PositiveSmallIntegerField(_("theme number"), null=True, blank=True)
    title = models.TextField(_("title"))
    text = models.TextField(_("text"), blank=True)
    context = models.TextField(
        _("context"), blank=True, help_text=_("Where a part stands, e.g. the title of its document.")
    )
    # Normalised copies as `search.text.searchable` writes them (words and Japanese runs between single
    # spaces), to check phrases and whole Japanese runs without normalising again per search.
    normalized_title = models.TextField(blank=True)
    normalized_text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"],
                name="search_entry_unique",
                violation_error_code="unique",
                violation_error_message=_("The index already has this record in this language."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values),
                name="search_entry_kind_valid",
                violation_error_code="invalid_choice",
                violation_error_message=CHOICE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(language__in=["ja", "en"]),
                name="search_entry_language_valid",
                violation_error_code="invalid_choice",
                violation_error_message=CHOICE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=exactly_one_governing_record(),
                name="search_entry_one_governing_record",
                violation_error_code="one_governing_record",
                violation_error_message=_(
                    "An entry belongs to one record that decides whether it is found: a meeting, a document, "
                    "a commitment, a follow-up or an earlier commitment."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.language}): {self.title}"


class SearchToken(FieldConstraints):
    """A token (a word, a Japanese bigram or character) of an entry: how often it occurs in the title and
    in the text, and its weight, the rank it gives the entry when it is all that is searched for.

    The index on (token, weight) lets a search read the best entries for a token first and stop there,
    however many entries hold it.
    """

    # The unique constraint's index, which leads with the entry, serves the foreign key.
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="tokens", db_index=False)
    token = models.CharField(max_length=48)
    title_count = models.PositiveSmallIntegerField(default=0)
    text_count = models.PositiveIntegerField(default=0)
    weight = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        indexes = [models.Index(fields=["token", "weight", "entry"], name="search_token_rank_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "token"],
                name="search_token_unique",
                violation_error_code="unique",
                violation_error_message=_("The entry already has this token."),
            ),
            models.CheckConstraint(
                condition=Q(title_count__gt=0) | Q(text_count__gt=0),
                name="search_token_occurs",
                violation_error_code="token_occurs_nowhere",
                violation_error_message=_("A token occurs in the entry's title or text at least once."),
            ),
        ]

    def __str__(self):
        return self.token
