"""A commitment's target date as precisely as its words give it, its progress, its paragraph's anchor, and
the rules a form or the API holds it to (each shown on its field); the rules of an earlier commitment."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from commitments.models import Commitment, EarlierCommitment
from declarations.models import Footnote
from meetings.models import Meeting
from tests.commitments.support import TSUKUBA

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 1)


def commitment(**fields) -> Commitment:
    record = Commitment.objects.get(slug="digital-competition-summit")
    for name, value in fields.items():
        setattr(record, name, value)
    return record


@pytest.mark.parametrize(
    ("date", "precision", "english", "japanese"),
    [
        (datetime.date(2023, 11, 30), "season", "Autumn 2023", "2023年秋"),
        (datetime.date(2024, 2, 29), "season", "Winter 2023", "2023年冬"),
        (datetime.date(2023, 12, 31), "year_end", "By the end of 2023", "2023年内"),
        (datetime.date(2023, 10, 31), "month", "October 2023", "2023年10月"),
        (datetime.date(2023, 10, 8), "day", "8 October 2023", "2023年10月8日"),
    ],
)
def test_the_target_date_is_shown_as_precisely_as_the_words_give_it(date, precision, english, japanese):
    record = commitment(target_date=date, target_precision=precision)
    with translation.override("en"):
        assert record.target_label() == english
    with translation.override("ja"):
        assert record.target_label().startswith(japanese)


def test_progress():
    record = commitment(target_date=datetime.date(2023, 11, 30))
    assert record.progress("full", TODAY) == "met"
    assert record.progress("partial", TODAY) == "overdue"
    assert record.progress("not_assessed", datetime.date(2023, 11, 30)) == "due"
    assert commitment(target_date=None).progress("none", TODAY) == "open"


def test_the_source_paragraph_is_the_anchor_on_its_documents_page():
    with translation.override("en"):
        assert commitment().source_url() == (
            "/en/declarations/g7-2023-digital-and-tech-ministerial-declaration/#theme-6-point-1"
        )
        footnoted = Commitment.objects.get(slug="disinformation-practices-igf-2023")
        assert footnoted.source_url().endswith("#note-2")
        leaders = Commitment.objects.get(slug="hiroshima-ai-process")
        assert leaders.source_url() == "/en/declarations/g7-2023-hiroshima-leaders-communique/#item-1"


@pytest.mark.parametrize(
    ("date", "precision"),
    [
        (datetime.date(2023, 12, 30), "year_end"),
        (datetime.date(2023, 10, 30), "month"),
        (datetime.date(2023, 10, 31), "season"),
    ],
)
def test_a_target_date_must_be_the_last_day_of_its_precision(date, precision):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        commitment(target_date=date, target_precision=precision).full_clean()
    assert list(error.value.message_dict) == ["target_date"]


def test_two_source_paragraphs_are_refused_on_the_key_point_field():
    record = commitment(footnote=Footnote.objects.first())
    with translation.override("ja"), pytest.raises(ValidationError) as error:
        record.validate_constraints()
    assert error.value.message_dict == {
        "key_point": [
            "言葉の出典である段落を一つだけ選んでください（主なポイント、脚注、附属書、コミュニケの項目のいずれか）。"
        ]
    }


def test_a_target_date_without_its_precision_is_refused_on_the_precision():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        commitment(target_precision="").validate_constraints()
    assert list(error.value.message_dict) == ["target_precision"]


def make(**fields):
    values = {
        "slug": "made",
        "meeting": Meeting.objects.get(slug=TSUKUBA),
        "thread": "ai",
        "document_title_ja": "閣僚声明",
        "summary_ja": "要約",
        "url": "https://www.soumu.go.jp/",
        "date": datetime.date(2019, 6, 9),
        "checked_on": datetime.date(2026, 12, 5),
    }
    return EarlierCommitment(**(values | fields))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary_ja": ""}, "summary"),
        ({"document_title_ja": ""}, "document_title"),
        ({"thread": "space"}, "thread"),
        ({"url": ""}, "url"),
    ],
)
def test_the_rules_of_an_earlier_commitment(fields, field):
    record = make(**fields)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert any(name.startswith(field) for name in error.value.message_dict)
    # The database holds the same rule.
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()
