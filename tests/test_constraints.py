"""Every integrity rule is a named database constraint, and each one is broken here once.

The writes go around model validation on purpose (QuerySet.update, plain inserts), so what stops them is
the database itself, on SQLite as on PostgreSQL.
"""

import datetime
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint, F, UniqueConstraint
from django.utils import translation

from commitments.models import Assessment, Commitment, EarlierCommitment, FollowUp
from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, OfficialText, Theme
from meetings.models import Chair, Location, Meeting, Organization, Person, Prefecture, Session
from publication.models import PendingChange, Source

pytestmark = pytest.mark.django_db

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"


def update(model, **changes) -> Callable[[], None]:
    """Break a rule on the first fixture record of `model` by a bulk update."""
    return lambda: model.objects.filter(pk=model.objects.order_by("pk").values("pk")[:1]).update(**changes)


def duplicate(model, **lookup) -> Callable[[], None]:
    """Insert a copy of an existing record, to break a uniqueness rule."""

    def insert():
        record = model.objects.filter(**lookup).first()
        record.pk = None
        record.id = None
        record._state.adding = True
        model.objects.bulk_create([record])

    return insert


def takasaki_session() -> Session:
    return Session.objects.get(meeting__slug=TAKASAKI)


VIOLATIONS: dict[str, Callable[[], None]] = {
    # core
    "source_title_ja_required": update(Source, title_ja=""),
    "source_publisher_ja_required": update(Source, publisher_ja=None),
    "core_pendingchange_unique_record": lambda: PendingChange.objects.bulk_create(
        [
            PendingChange(
                content_type=ContentType.objects.get_for_model(Meeting), object_id=1, data={}, base_version=1
            )
            for _ in range(2)
        ]
    ),
    # meetings
    "prefecture_code_jis_x_0401": update(Prefecture, code="48"),
    "prefecture_name_ja_required": update(Prefecture, name_ja=""),
    "organization_kind_valid": update(Organization, kind="club"),
    "organization_name_ja_required": update(Organization, name_ja=""),
    "person_name_ja_required": update(Person, name_ja=""),
    "meeting_status_valid": update(Meeting, status="hidden"),
    "meeting_published_has_time": update(Meeting, published_at=None),
    "meeting_forum_valid": update(Meeting, forum="G8"),
    "meeting_kind_valid": update(Meeting, kind="party"),
    "meeting_portfolio_valid": update(Meeting, portfolio="space"),
    "meeting_year_in_range": update(Meeting, year=1900),
    "meeting_only_ministerial_has_summit": lambda: Meeting.objects.filter(kind="summit").update(
        summit=Meeting.objects.get(slug=TAKASAKI)
    ),
    "meeting_not_own_summit": lambda: Meeting.objects.filter(slug=TAKASAKI).update(summit=F("pk")),
    "meeting_title_ja_required": update(Meeting, title_ja=""),
    "meeting_short_title_ja_required": update(Meeting, short_title_ja=None),
    "meeting_session_ends_after_start": lambda: Session.objects.filter(pk=takasaki_session().pk).update(
        end_date=datetime.date(2023, 4, 28)
    ),
    # A month-precision session already meets the first-of-month rule, so only this one can fail.
    "meeting_session_precision_valid": lambda: Session.objects.filter(
        pk=Session.objects.filter(precision="month").order_by("pk").values("pk")[:1]
    ).update(precision="year"),
    "meeting_session_mode_valid": update(Session, mode="hybrid"),
    "meeting_session_month_is_first_of_month": lambda: Session.objects.filter(
        pk=takasaki_session().pk
    ).update(precision="month"),
    "meeting_session_unique_start": duplicate(Session, meeting__slug=TAKASAKI),
    "meeting_location_unique_order": duplicate(Location, meeting__slug=TAKASAKI),
    "meeting_location_prefecture_iff_japan": update(Location, prefecture=None),
    "meeting_location_coordinates_valid": update(Location, latitude=95),
    "meeting_chair_unique_person": lambda: Chair.objects.bulk_create(
        [
            Chair(
                meeting=Meeting.objects.get(slug=TAKASAKI),
                person=Person.objects.get(slug="kono-taro"),
                organization=Organization.objects.get(slug="mic"),
                order=9,
                office_ja="総務大臣",
            )
        ]
    ),
    "meeting_chair_unique_order": lambda: Chair.objects.filter(person__slug="kono-taro").update(order=1),
    "meeting_chair_office_ja_required": update(Chair, office_ja=""),
    # declarations
    "declaration_status_valid": update(Declaration, status="hidden"),
    "declaration_published_has_time": update(Declaration, published_at=None),
    "declaration_kind_valid": update(Declaration, kind="tweet"),
    "declaration_authentic_language_valid": update(Declaration, authentic_language="fr"),
    "declaration_title_ja_required": update(Declaration, title_ja=""),
    "declaration_theme_unique_number": lambda: Theme.objects.filter(
        declaration__slug=DECLARATION, number=2
    ).update(number=1),
    "declaration_theme_number_positive": update(Theme, number=0),
    "declaration_theme_title_ja_required": update(Theme, title_ja=""),
    "declaration_theme_unique_position": lambda: Theme.objects.filter(
        declaration__slug=DECLARATION, position=2
    ).update(position=1),
    "declaration_theme_position_positive": update(Theme, position=0),
    "declaration_keypoint_unique_number": lambda: KeyPoint.objects.filter(theme__number=4, number=2).update(
        number=1
    ),
    "declaration_keypoint_number_positive": update(KeyPoint, number=0),
    "declaration_keypoint_text_ja_required": update(KeyPoint, text_ja=""),
    "declaration_keypoint_unique_position": lambda: KeyPoint.objects.filter(
        theme__number=4, position=2
    ).update(position=1),
    "declaration_keypoint_position_positive": update(KeyPoint, position=0),
    "declaration_footnote_unique_number": lambda: Footnote.objects.filter(number=2).update(number=1),
    "declaration_footnote_number_positive": update(Footnote, number=0),
    "declaration_footnote_text_ja_required": update(Footnote, text_ja=""),
    "declaration_footnote_unique_position": lambda: Footnote.objects.filter(position=2).update(position=1),
    "declaration_footnote_position_positive": update(Footnote, position=0),
    "declaration_annex_unique_number": lambda: Annex.objects.filter(number=2).update(number=1),
    "declaration_annex_number_positive": update(Annex, number=0),
    "declaration_annex_kind_valid": update(Annex, kind="wish_list"),
    "declaration_annex_title_ja_required": update(Annex, title_ja=""),
    "declaration_annex_unique_position": lambda: Annex.objects.filter(position=2).update(position=1),
    "declaration_annex_position_positive": update(Annex, position=0),
    "declaration_communiqueitem_unique_number": lambda: CommuniqueItem.objects.filter(number=2).update(
        number=1
    ),
    "declaration_communiqueitem_number_positive": update(CommuniqueItem, number=0),
    "declaration_communiqueitem_topic_valid": update(CommuniqueItem, topic="sports"),
    "declaration_communiqueitem_title_ja_required": update(CommuniqueItem, title_ja=""),
    "declaration_communiqueitem_text_ja_required": update(CommuniqueItem, text_ja=""),
    "declaration_communiqueitem_unique_position": lambda: CommuniqueItem.objects.filter(position=2).update(
        position=1
    ),
    "declaration_communiqueitem_position_positive": update(CommuniqueItem, position=0),
    # commitments
    "commitment_status_valid": update(Commitment, status="hidden"),
    "commitment_published_has_time": update(Commitment, published_at=None),
    "commitment_unique_number": lambda: Commitment.objects.filter(number=2).update(number=1),
    "commitment_number_positive": update(Commitment, number=0),
    "commitment_one_source_paragraph": update(Commitment, key_point=None),
    "commitment_committed_by_valid": update(Commitment, committed_by="everyone"),
    "commitment_act_valid": update(Commitment, act="hope"),
    "commitment_target_precision_valid": lambda: Commitment.objects.filter(
        slug="digital-competition-summit"
    ).update(target_precision="decade"),
    "commitment_target_has_precision": lambda: Commitment.objects.filter(
        slug="digital-competition-summit"
    ).update(target_precision=""),
    "commitment_text_ja_required": update(Commitment, text_ja=""),
    "commitment_followup_status_valid": update(FollowUp, status="hidden"),
    "commitment_followup_published_has_time": update(FollowUp, published_at=None),
    "commitment_followup_kind_valid": update(FollowUp, kind="rumour"),
    "commitment_followup_url_required": update(FollowUp, url=""),
    "commitment_followup_title_ja_required": update(FollowUp, title_ja=""),
    "commitment_followup_issued_by_ja_required": update(FollowUp, issued_by_ja=""),
    "commitment_earlier_status_valid": update(EarlierCommitment, status="hidden"),
    "commitment_earlier_published_has_time": update(EarlierCommitment, published_at=None),
    "commitment_earlier_thread_valid": update(EarlierCommitment, thread="space"),
    "commitment_earlier_url_required": update(EarlierCommitment, url=""),
    "commitment_earlier_document_title_ja_required": update(EarlierCommitment, document_title_ja=""),
    "commitment_earlier_summary_ja_required": update(EarlierCommitment, summary_ja=""),
    # A rating with its day, so that only the rating's own rule is broken (PostgreSQL names the first broken).
    "commitment_assessment_rating_valid": lambda: Assessment.objects.filter(rating="full").update(
        rating="excellent"
    ),
    "commitment_assessment_rated_on": lambda: Assessment.objects.filter(rating="full").update(
        assessed_on=None
    ),
    "commitment_assessment_assessed_by_ja_required": update(Assessment, assessed_by_ja=""),
    "declaration_officialtext_unique_number": lambda: OfficialText.objects.filter(number=2).update(number=1),
    "declaration_officialtext_number_positive": update(OfficialText, number=0),
    "declaration_officialtext_language_valid": update(OfficialText, language="fr"),
    "declaration_officialtext_format_valid": update(OfficialText, format="docx"),
    "declaration_officialtext_issuer_ja_required": update(OfficialText, issuer_ja=""),
}


def project_constraint_names() -> set[str]:
    return {
        constraint.name
        for app_label in ("core", "meetings", "declarations", "commitments")
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }


def test_every_constraint_of_the_project_is_broken_by_a_test():
    assert set(VIOLATIONS) == project_constraint_names()


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_the_database_refuses_a_write_that_breaks(name):
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        VIOLATIONS[name]()
    message = str(error.value)
    # SQLite and PostgreSQL both name a broken CHECK constraint; SQLite names a UNIQUE one by its columns.
    if "unique" not in name:
        assert name in message


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Meeting, "slug"),
        (Declaration, "slug"),
        (Commitment, "slug"),
        (FollowUp, "slug"),
        (EarlierCommitment, "slug"),
        (Organization, "slug"),
        (Person, "slug"),
        (Prefecture, "code"),
    ],
)
def test_slugs_are_unique(model, field):
    first, second = model.objects.order_by("pk")[:2]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=second.pk).update(**{field: getattr(first, field)})


def test_breaking_nothing_is_accepted():
    """The cases above fail for their own reason: the unchanged records satisfy every rule."""
    for model in (
        Meeting,
        Session,
        Location,
        Chair,
        Declaration,
        Theme,
        KeyPoint,
        Footnote,
        Annex,
        CommuniqueItem,
        Commitment,
        FollowUp,
        EarlierCommitment,
        Assessment,
        OfficialText,
    ):
        for record in model.objects.all():
            record.validate_constraints()


# Each rule explains itself: a form or the API that finds it broken shows an editor's message on a field.

JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
CONSTRAINTS = [
    (model, constraint)
    for app_label in ("core", "meetings", "declarations", "commitments", "search")
    for model in apps.get_app_config(app_label).get_models()
    for constraint in model._meta.constraints
]


@pytest.mark.parametrize(
    ("model", "constraint"), CONSTRAINTS, ids=[constraint.name for _model, constraint in CONSTRAINTS]
)
def test_every_constraint_has_a_message_in_english_and_japanese_on_a_field(model, constraint):
    assert isinstance(constraint, CheckConstraint | UniqueConstraint)
    assert constraint.violation_error_message != constraint.default_violation_error_message
    assert constraint.violation_error_code
    with translation.override("en"):
        english = constraint.get_violation_error_message()
    with translation.override("ja"):
        japanese = constraint.get_violation_error_message()
    assert constraint.name not in english and constraint.name not in japanese
    assert not JAPANESE_SCRIPT.search(english.replace("日本語", "")), english
    assert JAPANESE_SCRIPT.search(japanese) and japanese != english, japanese
    # The field the message is shown on is one the rule is about.
    field = model.constraint_field(constraint)
    assert field in {f.name for f in model._meta.concrete_fields}
    named = constraint.fields if isinstance(constraint, UniqueConstraint) else repr(constraint.condition)
    assert field in named, (field, constraint)


def test_a_broken_rule_is_an_error_on_its_field(django_user_model):
    """Regression: the model's validation named the broken constraint (Constraint
    “meeting_location_coordinates_valid” is violated.) as an error of the whole record."""
    place = Location.objects.filter(meeting__slug=TAKASAKI).first()
    place.latitude = 999
    with translation.override("en"), pytest.raises(ValidationError) as error:
        place.validate_constraints()
    assert error.value.message_dict == {
        "latitude": [
            "Latitude lies between −90 and 90 and longitude between −180 and 180; give both or neither."
        ]
    }
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=2)
    theme.number = 1
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        theme.validate_constraints()
    assert error.value.message_dict == {"number": ["この文書には同じ番号のテーマが既にあります。"]}
    theme.number, theme.position = 2, 0
    with translation.override("en"), pytest.raises(ValidationError) as error:
        theme.validate_constraints()
    assert error.value.message_dict == {"position": ["Positions start at 1."]}
    theme.position = 1
    with translation.override("en"), pytest.raises(ValidationError) as error:
        theme.validate_constraints()
    assert error.value.message_dict == {"position": ["The document already has a theme in this position."]}
