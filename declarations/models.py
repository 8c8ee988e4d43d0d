"""Outcome documents of the meetings: their themes, key points, footnotes, annexes and communiqué items."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting
from publication.models import (
    NUMBER_POSITIVE_MESSAGE,
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

LANGUAGE_CHOICES = [("ja", _("Japanese")), ("en", _("English"))]


def numbered(prefix: str, within: str, taken_message) -> list[models.BaseConstraint]:
    """A part's number: unique `within` its document (or theme), from 1."""
    return [
        models.UniqueConstraint(
            fields=[within, "number"],
            name=f"{prefix}_unique_number",
            violation_error_code="unique",
            violation_error_message=taken_message,
        ),
        models.CheckConstraint(
            condition=Q(number__gte=1),
            name=f"{prefix}_number_positive",
            violation_error_code="min_value",
            violation_error_message=NUMBER_POSITIVE_MESSAGE,
        ),
    ]


def positioned(prefix: str, within: str, taken_message) -> list[models.BaseConstraint]:
    """A part's place in the display order: unique `within` its document (or theme), from 1."""
    return [
        models.UniqueConstraint(
            fields=[within, "position"],
            name=f"{prefix}_unique_position",
            violation_error_code="unique",
            violation_error_message=taken_message,
        ),
        models.CheckConstraint(
            condition=Q(position__gte=1),
            name=f"{prefix}_position_positive",
            violation_error_code="min_value",
            violation_error_message=POSITION_POSITIVE_MESSAGE,
        ),
    ]


POSITION_POSITIVE_MESSAGE = _("Positions start at 1.")


def position_field():
    """Where a part is shown among its document's (or theme's) parts of its kind, kept apart from its
    number, which the public cites: moving a part changes its position only (README, "Order of parts")."""
    return models.PositiveSmallIntegerField(
        _("position"),
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Its place in the order shown; its number, which addresses cite, stays when it moves."),
    )


class PositionedMixin:
    """A part shown in the order of its `position`, which a new part takes from its number when it has
    none (a fixture, the API): its number if no sibling holds that position yet, else the next after the
    last. `position_within` names the foreign key to its document (or theme)."""

    position_within = "declaration"

    def save(self, *args, **kwargs):
        if self.position is None:
            siblings = (
                type(self)
                ._base_manager.filter(
                    **{f"{self.position_within}_id": getattr(self, f"{self.position_within}_id")}
                )
                .exclude(pk=self.pk)
            )
            taken = set(siblings.values_list("position", flat=True))
            self.position = self.number if self.number not in taken else max(taken) + 1
        super().save(*args, **kwargs)


class DeclarationManager(SlugNaturalKeyManager.from_queryset(PublishedQuerySet)):
    pass


class DeclarationKind(models.TextChoices):
    MINISTERIAL_DECLARATION = "ministerial_declaration", _("Ministerial declaration")
    LEADERS_COMMUNIQUE = "leaders_communique", _("Leaders' communiqué")
    CHAIRS_STATEMENT = "chairs_statement", _("Chair's statement")
    OTHER = "other", _("Other document")


class Declaration(EditableRecord, Publishable, Provenance):
    """An outcome document: a ministerial declaration, a leaders' communiqué, a chair's statement."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = ""

    Kind = DeclarationKind

    slug = permanent_slug(max_length=100)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(_("short title"), max_length=120, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("The full text, where the project holds it."))
    official_url = models.URLField(
        _("official text"), blank=True, help_text=_("The publisher's page of the text in this language.")
    )
    authentic_language = models.CharField(
        _("authentic language"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        help_text=_("The language of the authentic text; the other is a translation."),
    )

    objects = DeclarationManager()

    authentic_language_path = "authentic_language"

    constraint_fields = Publishable.publication_constraint_fields("declaration")

    class Meta:
        verbose_name = _("outcome document")
        verbose_name_plural = _("outcome documents")
        permissions = [("publish_declaration", _("Can publish and unpublish outcome documents"))]
        ordering = ["-adopted_on", "slug"]
        constraints = [
            *Publishable.publication_constraints("declaration"),
            one_of_choices("declaration_kind_valid", "kind", DeclarationKind.values),
            one_of_choices("declaration_authentic_language_valid", "authentic_language", ["ja", "en"]),
            *japanese_required("declaration", "title"),
        ]
        indexes = [
            *Publishable.publication_indexes("declaration"),
            # The lists' order (latest first), alone and within a kind: a page is read off the index
            # instead of sorting every document.
            models.Index(fields=["-adopted_on", "slug"], name="declaration_order_idx"),
            models.Index(fields=["kind", "-adopted_on", "slug"], name="declaration_kind_order_idx"),
            # A list of one kind counts its published documents off this index alone, not their rows.
            models.Index(fields=["kind", "status", "published_at"], name="declaration_kind_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("declarations:detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["meetings.meeting"]

    def default_status(self, field: str, language: str) -> str:
        """The full text in the authentic language is authentic; in the other, the Japanese of an
        English-authentic document is a provisional translation (仮訳), as the ministries call theirs."""
        if field == "body" and language == self.authentic_language:
            return TextStatus.AUTHENTIC
        if field == "body" and language == "ja":
            return TextStatus.PROVISIONAL
        return super().default_status(field, language)


class NumberedPartManager(models.Manager):
    def get_by_natural_key(self, declaration_slug, number):
        return self.get(declaration__slug=declaration_slug, number=number)


class NumberedPart(EditableRecord):
    """A numbered part of a document: a theme, an annex, a footnote or a communiqué item."""

    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )

    objects = NumberedPartManager()

    # A part's texts translate as its document's do.
    authentic_language_path = "declaration__authentic_language"

    class Meta:
        abstract = True
        ordering = ["number"]

    def natural_key(self):
        return (*self.declaration.natural_key(), self.number)

    natural_key.dependencies = ["declarations.declaration"]

    def clean_same_declaration(self, **parts):
        """A part may only point at parts of its own document."""
        errors = {
            field: _("Choose one from the same document.")
            for field, part in parts.items()
            if part is not None and self.declaration_id and part.declaration_id != self.declaration_id
        }
        if errors:
            raise ValidationError(errors)


class Theme(PositionedMixin, NumberedPart):
    """A numbered theme of a document (①–⑥), with its key points."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "declaration"

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("document"), on_delete=models.CASCADE, related_name="themes"
    )
    title = models.CharField(_("title"), max_length=300)
    position = position_field()

    class Meta(NumberedPart.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position"]
        constraints = [
            *numbered(
                "declaration_theme", "declaration", _("The document already has a theme with this number.")
            ),
            *positioned(
                "declaration_theme", "declaration", _("The document already has a theme in this position.")
            ),
            *japanese_required("declaration_theme", "title"),
        ]

    def __str__(self):
        return f"{self.marker} {self.title}"

    def get_absolute_url(self):
        return f"{self.declaration.get_absolute_url()}#{self.anchor}"

    @property
    def marker(self) -> str:
        """The circled number the documents use: ① for 1."""
        return chr(0x2460 + self.number - 1) if 1 <= self.number <= 20 else f"({self.number})"

    @property
    def anchor(self) -> str:
        return f"theme-{self.number}"


class KeyPointManager(models.Manager):
    def get_by_natural_key(self, declaration_slug, theme_number, number):
        return self.get(theme__declaration__slug=declaration_slug, theme__number=theme_number, number=number)


class KeyPoint(PositionedMixin, EditableRecord):
    """One key point of a theme, as the source lists them."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "theme.declaration"

    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="key_points"
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    text = models.TextField(_("text"))
    position = position_field()

    objects = KeyPointManager()

    authentic_language_path = "theme__declaration__authentic_language"
    position_within = "theme"

    class Meta:
        verbose_name = _("key point")
        verbose_name_plural = _("key points")
        ordering = ["position"]
        constraints = [
            *numbered(
                "declaration_keypoint", "theme", _("The theme already has a key point with this number.")
            ),
            *positioned(
                "declaration_keypoint", "theme", _("The theme already has a key point in this position.")
            ),
            *japanese_required("declaration_keypoint", "text"),
        ]

    def __str__(self):
        return f"{self.theme.marker}-{self.number}"

    @property
    def anchor(self) -> str:
        return f"theme-{self.theme.number}-point-{self.number}"

    def natural_key(self):
        return (*self.theme.natural_key(), self.number)

    natural_key.dependencies = ["declarations.theme"]


class Footnote(PositionedMixin, NumberedPart):
    """A numbered note (＊1) of a document, attached to the theme it annotates."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "declaration"

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("document"), on_delete=models.CASCADE, related_name="footnotes"
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="footnotes"
    )
    text = models.TextField(_("text"))
    position = position_field()

    class Meta(NumberedPart.Meta):
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        ordering = ["position"]
        constraints = [
            *numbered(
                "declaration_footnote",
                "declaration",
                _("The document already has a footnote with this number."),
            ),
            *positioned(
                "declaration_footnote",
                "declaration",
                _("The document already has a footnote in this position."),
            ),
            *japanese_required("declaration_footnote", "text"),
        ]

    def __str__(self):
        return f"＊{self.number}"

    def save(self, *args, **kwargs):
        # The document follows from the theme, so a footnote can never point at another document's theme.
        self.declaration_id = self.theme.declaration_id
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_same_declaration(theme=self.theme if self.theme_id else None)

    @property
    def anchor(self) -> str:
        return f"note-{self.number}"


class AnnexKind(models.TextChoices):
    VISION = "vision", _("Vision")
    ACTION_PLAN = "action_plan", _("Action plan")
    OTHER = "other", _("Other")


class Annex(PositionedMixin, NumberedPart):
    """A numbered annex of a document, serving one of its themes."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "declaration"

    Kind = AnnexKind

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("document"), on_delete=models.CASCADE, related_name="annexes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    title = models.CharField(_("title"), max_length=300)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.SET_NULL,
        related_name="annexes",
        null=True,
        blank=True,
        help_text=_("The theme of the same document that the annex serves."),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    official_url = models.URLField(_("official text"), blank=True)
    position = position_field()

    class Meta(NumberedPart.Meta):
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        ordering = ["position"]
        constraints = [
            *numbered(
                "declaration_annex", "declaration", _("The document already has an annex with this number.")
            ),
            *positioned(
                "declaration_annex", "declaration", _("The document already has an annex in this position.")
            ),
            one_of_choices("declaration_annex_kind_valid", "kind", AnnexKind.values),
            *japanese_required("declaration_annex", "title"),
        ]
        # The API's `kind` filter.
        indexes = [models.Index(fields=["kind"], name="declaration_annex_kind_idx")]

    def __str__(self):
        # Outside the f-string, so that the message extractor finds it on every Python (3.12's tokenizer
        # reads into f-strings, 3.11's does not).
        annex = _("Annex")
        return f"{annex} {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("declarations:annex", kwargs={"slug": self.declaration.slug, "number": self.number})

    @property
    def anchor(self) -> str:
        return f"annex-{self.number}"

    def clean(self):
        self.clean_same_declaration(theme=self.theme)


class OfficialTextFormat(models.TextChoices):
    HTML = "html", _("Web page")
    PDF = "pdf", _("PDF")


class OfficialText(NumberedPart):
    """Where the issuer publishes a document's text, or one of its annexes', in one language: the address,
    who publishes it and when, and when the project last found it there. Only addresses that public
    records give are entered; a document without any says so on its page."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "declaration"

    Format = OfficialTextFormat

    declaration = models.ForeignKey(
        Declaration, verbose_name=_("document"), on_delete=models.CASCADE, related_name="official_texts"
    )
    annex = models.ForeignKey(
        Annex,
        verbose_name=_("annex"),
        on_delete=models.CASCADE,
        related_name="official_texts",
        null=True,
        blank=True,
        help_text=_("The annex whose text this is; empty for the document itself."),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    format = models.CharField(_("format"), max_length=8, choices=Format)
    url = models.URLField(_("address"), max_length=500)
    title = models.CharField(
        _("title"), max_length=300, help_text=_("The publication's own title, in its language.")
    )
    issuer = models.CharField(_("issuer"), max_length=200)
    published_on = models.DateField(
        _("published on"), null=True, blank=True, help_text=_("As the issuer dates it; empty if it does not.")
    )
    checked_on = models.DateField(_("checked on"), help_text=_("When the address was last found to hold it."))

    # Its title is in its own language, not translated; its issuer's name is.
    authentic_language_path = None

    class Meta(NumberedPart.Meta):
        verbose_name = _("official text")
        verbose_name_plural = _("official texts")
        constraints = [
            *numbered(
                "declaration_officialtext",
                "declaration",
                _("The document already has an official text with this number."),
            ),
            one_of_choices("declaration_officialtext_language_valid", "language", ["ja", "en"]),
            one_of_choices("declaration_officialtext_format_valid", "format", OfficialTextFormat.values),
            *japanese_required("declaration_officialtext", "issuer"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_language_display()}, {self.get_format_display()})"

    @property
    def anchor(self) -> str:
        return f"official-text-{self.number}"

    def clean(self):
        self.clean_same_declaration(annex=self.annex if self.annex_id else None)


class CommuniqueTopic(models.TextChoices):
    AI = "ai", _("Artificial intelligence")
    METAVERSE = "metaverse", _("Metaverse")
    DFFT = "dfft", _("Data Free Flow with Trust")
    DIGITAL_INFRASTRUCTURE = "digital_infrastructure", _("Digital infrastructure and the digital divide")
    OTHER = "other", _("Other")


class CommuniqueItem(PositionedMixin, NumberedPart):
    """An item of a leaders' communiqué, traced to the ministerial themes and annexes it takes up."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "declaration"

    Topic = CommuniqueTopic

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("communiqué"),
        on_delete=models.CASCADE,
        related_name="communique_items",
        limit_choices_to={"kind": Declaration.Kind.LEADERS_COMMUNIQUE},
    )
    topic = models.CharField(_("topic"), max_length=32, choices=Topic)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("ministerial themes"),
        related_name="communique_items",
        blank=True,
        help_text=_("The themes of ministerial documents that this item takes up."),
    )
    annexes = models.ManyToManyField(
        Annex,
        verbose_name=_("annexes"),
        related_name="communique_items",
        blank=True,
        help_text=_("The annexes of ministerial documents that this item takes up."),
    )
    position = position_field()

    class Meta(NumberedPart.Meta):
        verbose_name = _("communiqué item")
        verbose_name_plural = _("communiqué items")
        ordering = ["position"]
        constraints = [
            *numbered(
                "declaration_communiqueitem",
                "declaration",
                _("The communiqué already has an item with this number."),
            ),
            *positioned(
                "declaration_communiqueitem",
                "declaration",
                _("The communiqué already has an item in this position."),
            ),
            one_of_choices("declaration_communiqueitem_topic_valid", "topic", CommuniqueTopic.values),
            *japanese_required("declaration_communiqueitem", "title", "text"),
        ]
        # The API's `topic` filter.
        indexes = [models.Index(fields=["topic"], name="declaration_item_topic_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.declaration.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"item-{self.number}"
