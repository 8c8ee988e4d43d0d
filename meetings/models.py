"""Meetings of the presidency: where and when they met, who hosted and chaired them."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from publication.models import (
    EditableRecord,
    FieldConstraints,
    Provenance,
    Publishable,
    PublishedQuerySet,
    ReferenceRecord,
    SlugNaturalKeyManager,
    japanese_required,
    one_of_choices,
    permanent_slug,
    slug_validator,
)

country_validator = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166-1 code, e.g. JP."))


class PrefectureManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Prefecture(ReferenceRecord):
    """One of Japan's 47 prefectures, identified by its JIS X 0401 code."""

    code = models.CharField(
        _("JIS X 0401 code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^(0[1-9]|[1-3][0-9]|4[0-7])$", _("A code from 01 to 47."))],
    )
    name = models.CharField(_("name"), max_length=20, help_text=_("With its suffix: 群馬県, Gunma."))

    objects = PrefectureManager()

    class Meta:
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__gte="01", code__lte="47") & Q(code__regex=r"^[0-9][0-9]$"),
                name="prefecture_code_jis_x_0401",
                violation_error_code="invalid",
                violation_error_message=_("A prefecture's JIS X 0401 code runs from 01 to 47."),
            ),
            *japanese_required("prefecture", "name"),
        ]
        permissions = [
            ("publish_prefecture", _("Can publish changes to prefectures that published records use"))
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def published_users(self) -> list[models.QuerySet]:
        return [
            Meeting.objects.filter(locations__prefecture=self, status=Publishable.Status.PUBLISHED).distinct()
        ]


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    AGENCY = "agency", _("Agency")
    GOVERNMENT = "government", _("Government")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class Organization(ReferenceRecord):
    """A ministry, agency, government or international organisation."""

    Kind = OrganizationKind

    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[slug_validator])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[country_validator],
        help_text=_("Blank for international organisations."),
    )
    url = models.URLField(_("website"), blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["slug"]
        constraints = [
            one_of_choices("organization_kind_valid", "kind", OrganizationKind.values),
            *japanese_required("organization", "name"),
        ]
        permissions = [
            ("publish_organization", _("Can publish changes to organisations that published records use"))
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def published_users(self) -> list[models.QuerySet]:
        # A meeting it hosts, or one that a person chaired for it.
        used = Q(hosts=self) | Q(chairs__organization=self)
        return [Meeting.objects.filter(used, status=Publishable.Status.PUBLISHED).distinct()]


class Person(ReferenceRecord):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, validators=[slug_validator])
    name = models.CharField(
        _("name"), max_length=120, help_text=_("As written in each language: 松本剛明, Matsumoto Takeaki.")
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["slug"]
        constraints = japanese_required("person", "name")
        permissions = [("publish_person", _("Can publish changes to people that published records use"))]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def published_users(self) -> list[models.QuerySet]:
        return [Meeting.objects.filter(chairs__person=self, status=Publishable.Status.PUBLISHED).distinct()]


def meeting_parts() -> tuple:
    """The lookups of what every list and page shows of a meeting: its sessions, and its places with their
    prefectures; for prefetch_related() or prefetch_related_objects()."""
    return ("sessions", models.Prefetch("locations", Location.objects.select_related("prefecture")))


class MeetingQuerySet(PublishedQuerySet):
    def with_parts(self):
        """With each meeting's sessions and places (meeting_parts)."""
        return self.prefetch_related(*meeting_parts())

    def with_people(self):
        """With each meeting's chairs (their people and organisations) and host organisations."""
        return self.prefetch_related(
            models.Prefetch("chairs", Chair.objects.select_related("person", "organization")), "hosts"
        )

    def refresh_dates(self) -> int:
        """Set each meeting's start_date and end_date from its sessions, in one UPDATE.

        Called whenever a session is saved or deleted (meetings/signals.py) and after sessions are
        written in bulk. An update, not a save: the dates follow from the sessions, so they make no
        history entry and no new version of the meeting.
        """
        sessions = Session.objects.filter(meeting=models.OuterRef("pk")).order_by().values("meeting")
        return self.update(
            start_date=models.Subquery(sessions.annotate(day=models.Min("start_date")).values("day")),
            end_date=models.Subquery(sessions.annotate(day=models.Max("end_date")).values("day")),
        )


class MeetingManager(SlugNaturalKeyManager.from_queryset(MeetingQuerySet)):
    pass


class Forum(models.TextChoices):
    G7 = "G7", "G7"
    G20 = "G20", "G20"


class MeetingKind(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    MINISTERIAL = "ministerial", _("Ministerial meeting")


class Portfolio(models.TextChoices):
    LEADERS = "leaders", _("Leaders")
    DIGITAL = "digital", _("Digital and tech")
    TRADE = "trade", _("Trade")
    SCIENCE = "science", _("Science and technology")
    GENDER = "gender", _("Gender equality and women's empowerment")
    INTERIOR = "interior", _("Interior and security")
    FINANCE = "finance", _("Finance and central banks")
    EDUCATION = "education", _("Education")
    LABOUR = "labour", _("Labour and employment")
    AGRICULTURE = "agriculture", _("Agriculture")
    CLIMATE = "climate", _("Climate, energy and environment")
    TRANSPORT = "transport", _("Transport")
    URBAN = "urban", _("Sustainable urban development")
    HEALTH = "health", _("Health")
    FOREIGN = "foreign", _("Foreign affairs")


ONLY_MINISTERIAL_HAS_SUMMIT = _("Only a ministerial meeting belongs to a summit.")
NOT_OWN_SUMMIT = _("A meeting cannot be its own summit.")


class Meeting(EditableRecord, Publishable, Provenance):
    """A G7 or G20 meeting: a summit or a ministerial meeting, held in one or more sessions."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = ""

    Forum = Forum

    Kind = MeetingKind

    Portfolio = Portfolio

    slug = permanent_slug(max_length=80)
    forum = models.CharField(_("forum"), max_length=4, choices=Forum)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1975), MaxValueValidator(2100)], db_index=True
    )
    presidency = models.CharField(
        _("presidency"),
        max_length=2,
        validators=[country_validator],
        help_text=_("The host country's ISO code, e.g. JP."),
    )
    portfolio = models.CharField(_("portfolio"), max_length=16, choices=Portfolio, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(
        _("short title"), max_length=120, help_text=_("As in lists: 科学技術大臣会合.")
    )
    summary = models.TextField(_("summary"), blank=True)
    participants = models.TextField(_("participants"), blank=True)
    hosts = models.ManyToManyField(
        Organization, verbose_name=_("host organisations"), related_name="hosted_meetings", blank=True
    )
    summit = models.ForeignKey(
        "self",
        verbose_name=_("summit"),
        on_delete=models.PROTECT,
        related_name="ministerial_meetings",
        null=True,
        blank=True,
        limit_choices_to={"kind": Kind.SUMMIT},
        help_text=_("The summit a ministerial meeting belongs to."),
    )
    # The first day of the first session and the last day of the last, kept by the sessions
    # (MeetingQuerySet.refresh_dates), so that lists are ordered by date through an index.
    start_date = models.DateField(_("first day"), null=True, blank=True, editable=False)
    end_date = models.DateField(_("last day"), null=True, blank=True, editable=False)

    objects = MeetingManager()

    constraint_fields = {
        **Publishable.publication_constraint_fields("meeting"),
        "meeting_only_ministerial_has_summit": "summit",
    }

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [("publish_meeting", _("Can publish and unpublish meetings"))]
        ordering = ["year", "slug"]
        constraints = [
            *Publishable.publication_constraints("meeting"),
            one_of_choices("meeting_forum_valid", "forum", Forum.values),
            one_of_choices("meeting_kind_valid", "kind", MeetingKind.values),
            one_of_choices("meeting_portfolio_valid", "portfolio", Portfolio.values),
            models.CheckConstraint(
                condition=Q(year__gte=1975, year__lte=2100),
                name="meeting_year_in_range",
                violation_error_code="out_of_range",
                violation_error_message=_("The year lies between 1975 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(kind="ministerial") | Q(summit__isnull=True),
                name="meeting_only_ministerial_has_summit",
                violation_error_code="summit_of_summit",
                violation_error_message=ONLY_MINISTERIAL_HAS_SUMMIT,
            ),
            models.CheckConstraint(
                condition=~Q(summit=models.F("pk")),
                name="meeting_not_own_summit",
                violation_error_code="own_summit",
                violation_error_message=NOT_OWN_SUMMIT,
            ),
            *japanese_required("meeting", "title", "short_title"),
        ]
        indexes = [
            *Publishable.publication_indexes("meeting"),
            # The list's filters (year and portfolio have their own column index).
            models.Index(fields=["forum"], name="meeting_forum_idx"),
            models.Index(fields=["kind"], name="meeting_kind_idx"),
            # The lists' order by date (and its reverse).
            models.Index(fields=["start_date", "slug"], name="meeting_date_idx"),
            # A meeting's track: its portfolio's meetings nearest in time, read from either side of its year
            # in order (meetings.selectors.related_ids).
            models.Index(fields=["portfolio", "year", "id"], name="meeting_track_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        # The database enforces these too (see Meta.constraints); here they become field errors in forms.
        if self.summit_id and self.kind != MeetingKind.MINISTERIAL:
            raise ValidationError({"summit": ONLY_MINISTERIAL_HAS_SUMMIT})
        if self.summit_id and self.pk and self.summit_id == self.pk:
            raise ValidationError({"summit": NOT_OWN_SUMMIT})

    def natural_key(self):
        return (self.slug,)


class SessionManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, start_date):
        return self.get(meeting__slug=meeting_slug, start_date=start_date)


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


SESSION_ENDS_AFTER_START = _("A session ends on or after the day it starts.")
SESSION_OF_A_MONTH = _("A session known by its month only starts and ends on the first of that month.")


class Session(FieldConstraints):
    """One sitting of a meeting; a meeting known only by its month has a session of month precision."""

    Precision = DatePrecision

    Mode = SessionMode

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"), db_index=True)
    precision = models.CharField(
        _("date precision"),
        max_length=5,
        choices=Precision,
        default=Precision.DAY,
        help_text=_("Month: the source gives the month only; the dates are then the first of that month."),
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode, default=Mode.IN_PERSON)

    objects = SessionManager()

    constraint_fields = {"meeting_session_month_is_first_of_month": "start_date"}

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="meeting_session_ends_after_start",
                violation_error_code="ends_before_start",
                violation_error_message=SESSION_ENDS_AFTER_START,
            ),
            one_of_choices("meeting_session_precision_valid", "precision", DatePrecision.values),
            one_of_choices("meeting_session_mode_valid", "mode", SessionMode.values),
            models.CheckConstraint(
                condition=Q(precision="day") | (Q(start_date__day=1) & Q(end_date=models.F("start_date"))),
                name="meeting_session_month_is_first_of_month",
                violation_error_code="month_not_first",
                violation_error_message=SESSION_OF_A_MONTH,
            ),
            models.UniqueConstraint(
                fields=["meeting", "start_date"],
                name="meeting_session_unique_start",
                violation_error_code="unique",
                violation_error_message=_("The meeting already has a session that starts on this day."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} {self.start_date:%Y-%m-%d}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": SESSION_ENDS_AFTER_START})
        month_only = self.precision == DatePrecision.MONTH and self.start_date
        if month_only and (self.start_date.day != 1 or self.end_date != self.start_date):
            raise ValidationError({"start_date": SESSION_OF_A_MONTH})

    def natural_key(self):
        return (*self.meeting.natural_key(), self.start_date.isoformat())

    natural_key.dependencies = ["meetings.meeting"]


class LocationManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, order):
        return self.get(meeting__slug=meeting_slug, order=order)


class Location(EditableRecord):
    """A place where a meeting met: a city in a prefecture, or a place abroad."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "meeting"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="locations"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    country = models.CharField(_("country"), max_length=2, default="JP", validators=[country_validator])
    prefecture = models.ForeignKey(
        Prefecture,
        verbose_name=_("prefecture"),
        on_delete=models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
    )
    city = models.CharField(
        _("city"), max_length=80, blank=True, help_text=_("Blank when the source names no city.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    objects = LocationManager()

    constraint_fields = {"meeting_location_prefecture_iff_japan": "prefecture"}

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="meeting_location_unique_order",
                violation_error_code="unique",
                violation_error_message=_("The meeting already has a place in this order."),
            ),
            models.CheckConstraint(
                condition=(Q(country="JP") & Q(prefecture__isnull=False))
                | (~Q(country="JP") & Q(prefecture__isnull=True)),
                name="meeting_location_prefecture_iff_japan",
                violation_error_code="prefecture_iff_japan",
                violation_error_message=_(
                    "A place in Japan needs its prefecture, and only a place in Japan has one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="meeting_location_coordinates_valid",
                violation_error_code="out_of_range",
                violation_error_message=_(
                    "Latitude lies between −90 and 90 and longitude between −180 and 180; give both or neither."
                ),
            ),
        ]

    def __str__(self):
        return " ".join(str(part) for part in (self.prefecture or self.country, self.city) if part)

    def clean(self):
        errors = {}
        if self.country == "JP" and not self.prefecture_id:
            errors["prefecture"] = _("A place in Japan needs its prefecture.")
        if self.country != "JP" and self.prefecture_id:
            errors["prefecture"] = _("Only a place in Japan has a prefecture.")
        # The coordinates rule (meeting_location_coordinates_valid), each part on its own field.
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("Latitude lies between −90 and 90.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("Longitude lies between −180 and 180.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (*self.meeting.natural_key(), self.order)

    natural_key.dependencies = ["meetings.meeting"]


class ChairManager(models.Manager):
    def get_by_natural_key(self, meeting_slug, person_slug):
        return self.get(meeting__slug=meeting_slug, person__slug=person_slug)


class Chair(EditableRecord):
    """A person who chaired a meeting, in the office they held then."""

    # The page that lists its public corrections (publication.models.Correction).
    public_page = "meeting"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="chairs"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="chairs"
    )
    office = models.CharField(_("office"), max_length=120, help_text=_("As held at the meeting: 総務大臣."))
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="chairs"
    )

    objects = ChairManager()

    class Meta:
        verbose_name = _("chair")
        verbose_name_plural = _("chairs")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="meeting_chair_unique_person",
                violation_error_code="unique",
                violation_error_message=_("This person already chairs the meeting."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="meeting_chair_unique_order",
                violation_error_code="unique",
                violation_error_message=_("The meeting already has a chair in this order."),
            ),
            *japanese_required("meeting_chair", "office"),
        ]

    def __str__(self):
        return f"{self.person} ({self.office})"

    def natural_key(self):
        return (*self.meeting.natural_key(), *self.person.natural_key())

    natural_key.dependencies = ["meetings.meeting", "meetings.person"]
