"""Pieces every public record shares: publication state, provenance, natural keys."""

from typing import ClassVar

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, router
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from .links import check_links_before_publishing

slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case ASCII letters, digits and single hyphens, e.g. g7-2023-digital-and-tech-takasaki."),
)


# What a form or the API says of a value that a choices constraint refuses (forms offer only valid ones,
# so an editor meets it only through an import or the API).
CHOICE_MESSAGE = _("Choose one of the values offered for this field.")
NUMBER_POSITIVE_MESSAGE = _("Numbers start at 1.")


def one_of_choices(name: str, field: str, values) -> models.CheckConstraint:
    """The rule that `field` holds one of `values` (a choices class's values): a form offers only those, so
    an editor meets the rule only through an import or the API, and reads CHOICE_MESSAGE on the field."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": values}),
        name=name,
        violation_error_code="invalid_choice",
        violation_error_message=CHOICE_MESSAGE,
    )


def japanese_required(prefix: str, *fields: str) -> list[models.BaseConstraint]:
    """Japanese is the source language: its text of each named translated field may not be empty."""
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}_ja__isnull": False}) & ~models.Q(**{f"{field}_ja": ""}),
            name=f"{prefix}_{field}_ja_required",
            violation_error_code="japanese_required",
            violation_error_message=_("Japanese is the source language: this text is required in Japanese."),
        )
        for field in fields
    ]


def condition_field(condition: models.Q) -> str | None:
    """The first field a constraint's condition names: `kind` of Q(kind__in=…)."""
    for child in condition.children:
        name = condition_field(child) if isinstance(child, models.Q) else child[0].split(LOOKUP_SEP)[0]
        if name:
            return name
    return None


class FieldConstraints(models.Model):
    """A model whose database constraints are shown, when a form or the API finds one broken, as its
    message on the field it concerns rather than as an error of the whole record.

    That field is the one `constraint_fields` names for the constraint; else a unique constraint's last
    field (the `number` of a document's theme) and a check constraint's first (`kind` of a choices rule).
    """

    constraint_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    @classmethod
    def constraint_field(cls, constraint: models.BaseConstraint) -> str:
        if constraint.name in cls.constraint_fields:
            return cls.constraint_fields[constraint.name]
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            return constraint.fields[-1]
        if isinstance(constraint, models.CheckConstraint):
            return condition_field(constraint.condition)
        raise ValueError(f"{constraint.name} concerns no field that {cls.__name__} can name.")

    def validate_constraints(self, exclude=None):
        # As Model.validate_constraints, with each error on its field. A constraint on a field left out of
        # the validation (`exclude`: not in the form, or already in error) is not checked.
        using = router.db_for_write(type(self), instance=self)
        errors: dict[str, list] = {}
        for constraint in self._meta.constraints:
            try:
                constraint.validate(type(self), self, exclude=exclude, using=using)
            except ValidationError as error:
                errors.setdefault(self.constraint_field(constraint), []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


def permanent_slug(max_length: int = 100) -> models.SlugField:
    """A record's address: unique, the same in both languages, never changed once published."""
    return models.SlugField(
        _("slug"),
        max_length=max_length,
        unique=True,
        validators=[slug_validator],
        help_text=_(
            "The record's permanent address, the same in both languages. Never change it once published."
        ),
    )


def published_condition(path: str = "", *, at=None) -> models.Q:
    """The one rule of what the public sees: published, and its publish time has come (by `at`, or now);
    of the record at `path` ("declaration") when given, so that a query can apply it through a join."""
    prefix = f"{path}__" if path else ""
    return models.Q(
        **{
            f"{prefix}status": Publishable.Status.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now() if at is None else at,
        }
    )


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_condition())


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

    def clean(self):
        super().clean()
        check_links_before_publishing(self)

    @property
    def publication_state(self) -> str:
        """Draft, scheduled (published with a publish time still to come) or published."""
        if self.status != self.Status.PUBLISHED:
            return "draft"
        return "published" if self.is_public else "scheduled"

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
            one_of_choices(f"{prefix}_status_valid", "status", cls.Status.values),
            models.CheckConstraint(
                condition=~models.Q(status=cls.Status.PUBLISHED) | models.Q(published_at__isnull=False),
                name=f"{prefix}_published_has_time",
                violation_error_code="published_without_time",
                violation_error_message=_("A published record needs its publish time."),
            ),
        ]

    @classmethod
    def publication_indexes(cls, prefix: str) -> list[models.Index]:
        """The indexes every publishable model carries, named after its table: the visibility rule
        (status, publish time), and the newest change and publication, for the API's Last-Modified
        (publication.selectors)."""
        return [
            models.Index(fields=["status", "published_at"], name=f"{prefix}_published_idx"),
            models.Index(fields=["updated_at"], name=f"{prefix}_updated_idx"),
            models.Index(fields=["published_at"], name=f"{prefix}_published_at_idx"),
        ]

    @classmethod
    def publication_constraint_fields(cls, prefix: str) -> dict[str, str]:
        """The fields the errors of publication_constraints(prefix) are shown on, for constraint_fields."""
        return {f"{prefix}_published_has_time": "published_at"}


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SlugPublishedManager(SlugNaturalKeyManager.from_queryset(PublishedQuerySet)):
    pass


class Provenance(models.Model):
    """Where a record comes from: a source, the place in it, and where any added fact comes from."""

    source = models.ForeignKey(
        "core.Source",
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


class TextStatus(models.TextChoices):
    """How a text in one language stands to the record's other language."""

    AUTHENTIC = "authentic", _("Authentic text")
    PROVISIONAL = "provisional", _("Provisional translation (仮訳)")
    EDITORIAL = "editorial", _("Editorial translation")
    # Neither the authentic text nor a translation of it: the source's own summary of the record in its
    # words (the white paper's Japanese of a declaration's themes, key points and notes).
    SUMMARY = "summary", _("The source's own summary")
    MISSING = "missing", _("Missing")


# The statuses an editor may have said a text has: TextStatus.values makes its list anew on every read, and a
# record's every text is checked against it on every page and API representation that shows it.
TEXT_STATUS_VALUES = frozenset(TextStatus.values)


class ConcurrentEditError(Exception):
    """Someone saved the record after this copy of it was loaded; saving it would undo their work."""

    def __init__(self, record):
        self.record = record
        super().__init__(
            f"{record._meta.label} {record.pk} changed since version {record.version} was loaded."
        )


class EditableRecord(FieldConstraints):
    """A bilingual record that editors keep: optimistic locking, and the status and age of each text.

    `version` goes up by one on every save; a save whose copy carries an older version than the
    database is refused with ConcurrentEditError, so two editors never overwrite each other unseen.
    `text_changed_at` keeps, for each translated column (`title_ja`, `title_en`, …), when its text
    last changed: a translation older than its authentic text (`authentic_language_code`, Japanese unless
    the record or the document it belongs to says otherwise) is out of date. A minor edit (`minor_edit`,
    set before saving) leaves the authentic texts' change times alone, so their translations stay current;
    `confirm_translations` marks the translations current without changing them.
    `translation_status` keeps what editors say of each text (authentic, provisional, editorial, the
    source's own summary);
    a text without a word from them takes the record's default, and an empty one is missing.
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    translation_status = models.JSONField(_("translation status"), default=dict, blank=True, editable=False)
    text_changed_at = models.JSONField(_("texts last changed"), default=dict, blank=True, editable=False)

    # What a text is when editors have said nothing: Japanese is the source, English its translation.
    default_text_status = {"ja": TextStatus.AUTHENTIC, "en": TextStatus.EDITORIAL}
    # Where the language of the authentic text is read, as a lookup path from the record
    # ("authentic_language", "declaration__authentic_language"); None: Japanese, the presidency's language.
    authentic_language_path: str | None = None
    # Set on an instance before saving: the change does not alter the meaning of the authentic texts (a typo,
    # punctuation), so their translations are not flagged out of date. The history keeps it (HistoryNotes).
    minor_edit = False
    # Set by confirm_translations before saving: the columns whose translation a translator confirmed.
    confirmed_translations: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        now = timezone.now().isoformat()
        loaded = getattr(self, "_loaded_columns", None) or {}
        current = self.current_texts()
        authentic = None if self._state.adding or not self.minor_edit else self.authentic_language_code()
        for column, value in current.items():
            if self._state.adding or (loaded.get(column) or "") != value:
                if column.rpartition("_")[2] == authentic and column in self.text_changed_at:
                    continue
                self.text_changed_at = {**self.text_changed_at, column: now}
        if not self._state.adding and self.pk is not None:
            claimed = (
                type(self)
                ._base_manager.filter(pk=self.pk, version=self.version)
                .update(version=models.F("version") + 1)
            )
            if not claimed:
                raise ConcurrentEditError(self)
            self.version += 1
        super().save(*args, **kwargs)
        self._loaded_columns = self.column_values()
        # Both said of this save only: the history has kept them.
        self.minor_edit = False
        self.confirmed_translations = ()

    def _get_FIELD_display(self, field):
        """get_<field>_display() from a table of the field's labels made once, not from its choices made
        hashable on every call (which translated every label of the field each time)."""
        labels = field.__dict__.get("_display_labels")
        if labels is None:
            labels = field._display_labels = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return force_str(labels.get(value, value), strings_only=True)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        # Later Django versions pass more keyword arguments (6.1: fetch_mode), which an override must take.
        record = super().from_db(db, field_names, values, **kwargs)
        # The columns as loaded, from the row itself (a column left out by only() or defer() is not read),
        # which save() and changed_columns() compare with: made in one step, as the rows of a page are many.
        record._loaded_columns = dict(zip(field_names, values, strict=True))
        return record

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using, fields, from_queryset)
        # A deferred column read now, or the whole record read again: what the database holds is loaded.
        reloaded = self.column_values(None if fields is None else set(fields))
        self._loaded_columns = {**(getattr(self, "_loaded_columns", None) or {}), **reloaded}

    def column_values(self, fields: set[str] | None = None) -> dict:
        """The values of the record's columns that it holds (of `fields` only, by name or attname, if given),
        by attname."""
        return {
            field.attname: self.__dict__[field.attname]
            for field in self._meta.concrete_fields
            if field.attname in self.__dict__ and (fields is None or {field.name, field.attname} & fields)
        }

    def changed_columns(self) -> set[str] | None:
        """The columns (attnames) whose values differ from those loaded from the database or last saved;
        None for a record that was neither."""
        loaded = getattr(self, "_loaded_columns", None)
        if loaded is None:
            return None
        current = self.__dict__
        return {
            field.attname
            for field in self._meta.concrete_fields
            if field.attname in current
            and (field.attname not in loaded or loaded[field.attname] != current[field.attname])
        }

    # What a change of texts changes besides them: the record's own bookkeeping.
    TEXT_BOOKKEEPING = frozenset({"version", "translation_status", "text_changed_at", "updated_at"})

    @classmethod
    def own_text_columns(cls) -> frozenset[str]:
        """The columns that only show what the record says: its translated texts (each language's column
        and the field's own) and what a change of them changes besides (TEXT_BOOKKEEPING). No page lists or
        orders other records by them, so a change of them changes only the pages that show this record."""
        if "_own_text_columns" not in cls.__dict__:
            cls._own_text_columns = (
                cls.text_column_set() | set(cls.translated_fields()) | cls.TEXT_BOOKKEEPING
            )
        return cls._own_text_columns

    @classmethod
    def translated_fields(cls) -> tuple[str, ...]:
        from modeltranslation.translator import NotRegistered, translator

        try:
            return tuple(translator.get_options_for_model(cls).fields)
        except NotRegistered:
            return ()

    @classmethod
    def text_columns(cls) -> list[str]:
        return [f"{field}_{language}" for field in cls.translated_fields() for language in ("ja", "en")]

    @classmethod
    def text_column_set(cls) -> frozenset[str]:
        """text_columns() as a set, worked out once a model: from_db asks for it on every row."""
        if "_text_column_set" not in cls.__dict__:
            cls._text_column_set = frozenset(cls.text_columns())
        return cls._text_column_set

    def current_texts(self) -> dict[str, str]:
        """The texts as they are now; a column that was not loaded, and so cannot have changed, is left out."""
        loaded = self.__dict__
        return {column: loaded[column] or "" for column in self.text_columns() if column in loaded}

    def text_status(self, field: str, language: str) -> str:
        if not getattr(self, f"{field}_{language}"):
            return TextStatus.MISSING
        said = self.translation_status.get(f"{field}_{language}")
        return said if said in TEXT_STATUS_VALUES else self.default_status(field, language)

    def default_status(self, field: str, language: str) -> str:
        """What a text is when editors have said nothing of it."""
        return self.default_text_status[language]

    @classmethod
    def authentic_language_related(cls) -> str | None:
        """The select_related() path that authentic_language_code() reads through, if any."""
        if cls.authentic_language_path is None or "__" not in cls.authentic_language_path:
            return None
        return cls.authentic_language_path.rpartition("__")[0]

    def authentic_language_code(self) -> str:
        """ "ja" or "en": the language of the record's authentic text, which the other translates."""
        value = self
        for name in (self.authentic_language_path or "").split("__"):
            if not name:
                break
            value = getattr(value, name, None)
        return value if value in ("ja", "en") else "ja"

    def translation_language_code(self) -> str:
        return "en" if self.authentic_language_code() == "ja" else "ja"

    def is_out_of_date(self, field: str) -> bool:
        """The translation was last changed before its authentic text was."""
        source, translation = self.authentic_language_code(), self.translation_language_code()
        if not getattr(self, f"{field}_{translation}") or not getattr(self, f"{field}_{source}"):
            return False
        translated = self.text_changed_at.get(f"{field}_{translation}")
        authentic = self.text_changed_at.get(f"{field}_{source}")
        return bool(translated and authentic and translated < authentic)

    def confirm_translations(self, fields=None) -> list[str]:
        """Mark the out-of-date translations of `fields` (all by default) as current, without changing them:
        a translator has checked them against the authentic text. Gives the fields confirmed; save() to keep
        it (the history names the columns)."""
        now = timezone.now().isoformat()
        translation = self.translation_language_code()
        confirmed = [field for field in (fields or self.translated_fields()) if self.is_out_of_date(field)]
        self.text_changed_at = {
            **self.text_changed_at,
            **{f"{field}_{translation}": now for field in confirmed},
        }
        self.confirmed_translations = tuple(f"{field}_{translation}" for field in confirmed)
        return confirmed

    def text_statuses(self) -> dict[str, dict]:
        """What each translated text is, per field: {field: {"ja": status, "en": status, "stale": bool}},
        as the public pages mark it and the API gives it (`text_status`)."""
        return {
            field: {
                "ja": self.text_status(field, "ja"),
                "en": self.text_status(field, "en"),
                "stale": self.is_out_of_date(field),
            }
            for field in self.translated_fields()
        }

    def translation_problems(self) -> list[tuple[str, str]]:
        """(field, "missing" | "out_of_date") for each text that needs a translator's attention."""
        source, translation = self.authentic_language_code(), self.translation_language_code()
        problems = []
        for field in self.translated_fields():
            if getattr(self, f"{field}_{source}") and not getattr(self, f"{field}_{translation}"):
                problems.append((field, "missing"))
            elif self.is_out_of_date(field):
                problems.append((field, "out_of_date"))
        return problems


def content_apps() -> list:
    """The apps whose records editors keep (an EditableRecord), in INSTALLED_APPS order: what the public
    site and the API show, so every change to one of their models (parts and history included) is a change
    of content. Read from the models, so that a new domain app is never left out."""
    return [
        config
        for config in apps.get_app_configs()
        if any(issubclass(model, EditableRecord) for model in config.get_models())
    ]


class ReferenceRecord(EditableRecord):
    """Reference data: a record that public records use (a prefecture, an organisation, a person, a source)
    and that has no publication state of its own; the public sees it through them.

    So it follows their rules: an editor's change to one that a published record uses waits for a
    publisher's review (publication.review.needs_review), and none that a published record uses is deleted.
    Each model says which published records use one of its records: `published_users()`, the querysets
    of the published (or scheduled) records that use this one (tests/publication/test_models.py holds
    every reference model to it).
    """

    class Meta:
        abstract = True

    def published_uses(self, limit: int = 3) -> list:
        """Up to `limit` of the published records that use this one, for a message; empty if none does."""
        uses = []
        for queryset in self.published_users():
            uses += list(queryset[: limit - len(uses)])
            if len(uses) >= limit:
                break
        return uses

    def is_used_by_published(self) -> bool:
        return any(queryset.exists() for queryset in self.published_users())


class Source(ReferenceRecord):
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
        permissions = [("publish_source", _("Can publish changes to sources that published records use"))]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def published_users(self) -> list[models.QuerySet]:
        # Every published record that cites its sources (Provenance), whatever app it is in.
        return [
            model._default_manager.filter(source=self, status=Publishable.Status.PUBLISHED)
            for model in apps.get_models()
            if issubclass(model, Provenance) and issubclass(model, Publishable)
        ]


class HistoryNotes(models.Model):
    """What every historical record keeps besides django-simple-history's own columns (publication.history
    registers each model's history with it, and fills it in as a version is saved).

    `restored_from` is the date of the version that a restore brought back: the note that says so is written
    when it is shown, in the reader's language and with the site's dates. `proposed_by` is the editor whose
    change awaiting review a publisher (the version's `history_user`) published. `minor_edit` says the change
    left the translations current (EditableRecord.minor_edit); `confirmed_translations` lists the columns
    whose translation a translator confirmed as current without changing it.
    """

    restored_from = models.DateTimeField(_("restores the version of"), null=True, blank=True)
    minor_edit = models.BooleanField(
        _("minor edit"), default=False, help_text=_("The change left the translations current.")
    )
    confirmed_translations = models.JSONField(
        _("translations confirmed as current"), default=list, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class ConcurrentReviewError(ConcurrentEditError):
    """The change awaiting review of a record is not the one this change was made on: another editor has
    proposed or amended one since (`pending` is it), or the one amended has been published or discarded
    (`pending` is None). Merging would overwrite their change unseen."""

    def __init__(self, record, pending):
        self.pending = pending
        super().__init__(record)


class PendingChange(FieldConstraints):
    """An editor's change to a published record, kept aside until a publisher reviews and publishes it.

    `data` maps field names (`title_en`, …) to their proposed values, as the form cleaned them; the live
    record, and so the public site, stays as it is until the change is published. `parts` lists the
    proposed changes to the record's parts (a document's themes, key points, footnotes…; a meeting's
    sessions, places, chairs), one entry a part (publication.review.part_change). `version` goes up by one
    each time an editor amends it: a change made on an older one is refused (ConcurrentReviewError).
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("kind of record"), on_delete=models.CASCADE
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    data = models.JSONField(_("proposed values"))
    parts = models.JSONField(_("proposed changes to its parts"), default=list, blank=True)
    base_version = models.PositiveIntegerField(_("made on version"))
    version = models.PositiveIntegerField(_("version"), default=1)
    note = models.CharField(_("note on this change"), max_length=300, blank=True)
    restored_from = models.DateTimeField(
        _("restores the version of"),
        null=True,
        blank=True,
        help_text=_("For a restore awaiting review: the date of the version it brings back."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("change awaiting review")
        verbose_name_plural = _("changes awaiting review")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="core_pendingchange_unique_record",
                violation_error_code="unique",
                violation_error_message=_("This record already has a change awaiting review."),
            ),
        ]

    def __str__(self):
        return f"{self.content_type} {self.object_id}"

    @property
    def record(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class Correction(models.Model):
    """A public correction: a change made to a public record, or to a part of one, after it was published,
    as the public sees it (written by publication.corrections when the version is saved).

    Kept for every record whose model names the page that shows it (`public_page`: "" for a record with a
    page of its own, the path of relations to it for a part, e.g. "theme.declaration"), so that a page
    lists the corrections of all its parts, the feed lists every correction and the API each record's,
    each in one query. `changes` holds each changed field's text before and after, both languages of a
    translated one: [{"field": "title", "before": {"ja": …, "en": …}, "after": {"ja": …, "en": …}}, …];
    an untranslated field's before and after are its values as text.
    """

    model = models.CharField(_("kind of record"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record"))
    page_model = models.CharField(_("kind of page"), max_length=100)
    page_id = models.PositiveBigIntegerField(_("page"))
    anchor = models.CharField(_("anchor"), max_length=100, blank=True)
    label_ja = models.CharField(_("record (Japanese)"), max_length=400)
    label_en = models.CharField(_("record (English)"), max_length=400)
    date = models.DateTimeField(_("date"))
    note = models.TextField(_("note"), blank=True)
    restored_from = models.DateTimeField(_("restored the version of"), null=True, blank=True)
    changes = models.JSONField(_("changes"), default=list)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["page_model", "page_id", "-date"], name="correction_page_idx"),
            models.Index(fields=["model", "object_id", "-date"], name="correction_record_idx"),
            models.Index(fields=["-date", "-id"], name="correction_date_idx"),
        ]

    def __str__(self):
        return f"{self.model} {self.object_id} {self.date:%Y-%m-%d}"
