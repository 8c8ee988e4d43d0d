"""Pieces every public record shares: publication state, provenance, natural keys."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case ASCII letters, digits and single hyphens, e.g. g7-2023-digital-and-tech-takasaki."),
)


def japanese_required(prefix: str, *fields: str) -> list[models.BaseConstraint]:
    """Japanese is the source language: its text of each named translated field may not be empty."""
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}_ja__isnull": False}) & ~models.Q(**{f"{field}_ja": ""}),
            name=f"{prefix}_{field}_ja_required",
        )
        for field in fields
    ]


class PublishedQuerySet(models.QuerySet):
    def published(self):
        """The one rule of what the public sees: published, and its publish time has come."""
        return self.filter(status=Publishable.Status.PUBLISHED, published_at__lte=timezone.now())


class Publishable(models.Model):
    """A record the public sees only once an editor has published it.

    A record published with a future publish time is scheduled: it becomes visible when that
    time comes, with no job to run.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    status = models.CharField(
        _("publication state"),
        max_length=16,
        choices=Status,
        default=Status.DRAFT,
        help_text=_("Visitors and the public API see published records only."),
    )
    published_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("When the record becomes public. A time in the future schedules it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @classmethod
    def publication_constraints(cls, prefix: str) -> list[models.BaseConstraint]:
        """The database rules every publishable model carries, named after its table."""
        return [
            models.CheckConstraint(
                condition=models.Q(status__in=cls.Status.values),
                name=f"{prefix}_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=cls.Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name=f"{prefix}_published_has_time",
            ),
        ]


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugPublishedManager(SlugNaturalKeyManager.from_queryset(PublishedQuerySet)):
    pass


class Source(models.Model):
    """A publication that records are taken from, with its licence, so every fact can be traced."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[slug_validator])
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(_("address"), blank=True)
    licence = models.CharField(
        _("licence"),
        max_length=300,
        blank=True,
        help_text=_("The terms under which the source may be reused."),
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["slug"]
        constraints = japanese_required("source", "title", "publisher")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class Provenance(models.Model):
    """Where a record comes from: a source, the place in it, and where any added fact comes from."""

    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    source_locator = models.CharField(
        _("place in the source"),
        max_length=100,
        blank=True,
        help_text=_("Where in the source the record stands, e.g. 図表1 or section 2 (2)."),
    )
    provenance_note = models.TextField(
        _("note on other sources"),
        blank=True,
        help_text=_("Which facts come from elsewhere than the source, and from where."),
    )

    class Meta:
        abstract = True
