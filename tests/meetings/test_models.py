"""A meeting's records (meetings/models.py) check their rules in clean(), each as an error on the field it
concerns, in the editor's language, before the database's constraint would refuse the save; their choices
are labelled in the reader's language."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from meetings.models import DatePrecision, Location, Meeting, MeetingKind, Session


def errors_of(record) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        record.clean()
    return error.value.message_dict


def test_a_meeting_other_than_a_ministerial_one_belongs_to_no_summit():
    summit = Meeting(pk=1, kind=MeetingKind.SUMMIT)
    ministerial = Meeting(pk=2, kind=MeetingKind.MINISTERIAL, summit=summit)
    ministerial.clean()
    ministerial.kind = MeetingKind.SUMMIT
    with translation.override("en"):
        assert errors_of(ministerial) == {"summit": ["Only a ministerial meeting belongs to a summit."]}


def test_a_meeting_is_not_its_own_summit():
    meeting = Meeting(pk=3, kind=MeetingKind.MINISTERIAL)
    meeting.summit = meeting
    with translation.override("en"):
        assert errors_of(meeting) == {"summit": ["A meeting cannot be its own summit."]}


def test_a_session_ends_on_or_after_the_day_it_starts():
    day = datetime.date(2023, 4, 29)
    Session(start_date=day, end_date=day).clean()
    with translation.override("en"):
        assert errors_of(Session(start_date=day, end_date=day - datetime.timedelta(days=1))) == {
            "end_date": ["A session ends on or after the day it starts."]
        }


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2016, 4, 2), datetime.date(2016, 4, 2)),
        (datetime.date(2016, 4, 1), datetime.date(2016, 4, 30)),
    ],
)
def test_a_session_known_by_its_month_starts_and_ends_on_its_first_day(start, end):
    Session(
        start_date=datetime.date(2016, 4, 1), end_date=datetime.date(2016, 4, 1), precision="month"
    ).clean()
    with translation.override("en"):
        assert errors_of(Session(start_date=start, end_date=end, precision=DatePrecision.MONTH)) == {
            "start_date": ["A session known by its month only starts and ends on the first of that month."]
        }


def test_a_place_in_japan_has_a_prefecture_and_one_abroad_has_none():
    with translation.override("en"):
        assert errors_of(Location(country="JP")) == {"prefecture": ["A place in Japan needs its prefecture."]}
        assert errors_of(Location(country="FR", prefecture_id=10)) == {
            "prefecture": ["Only a place in Japan has a prefecture."]
        }
    Location(country="FR").clean()
    Location(country="JP", prefecture_id=10).clean()


def test_a_places_coordinates_are_checked_each_on_its_own_field():
    with translation.override("en"):
        assert errors_of(Location(prefecture_id=10, latitude=Decimal("91"), longitude=Decimal("0"))) == {
            "latitude": ["Latitude lies between −90 and 90."]
        }
        assert errors_of(Location(prefecture_id=10, latitude=Decimal("0"), longitude=Decimal("-181"))) == {
            "longitude": ["Longitude lies between −180 and 180."]
        }
        assert errors_of(Location(prefecture_id=10, latitude=Decimal("36.3"))) == {
            "longitude": ["Give both latitude and longitude, or neither."]
        }
    with translation.override("ja"):
        assert errors_of(Location(prefecture_id=10, longitude=Decimal("139"))) == {
            "latitude": ["緯度と経度は両方を入力するか、どちらも空欄にしてください。"]
        }
    Location(prefecture_id=10, latitude=Decimal("36.32"), longitude=Decimal("139.00")).clean()


@pytest.mark.django_db
def test_choice_labels_follow_the_language_and_an_unknown_value_shows_as_stored():
    from django.utils import translation

    meeting = Meeting.objects.get(slug="g7-2023-hiroshima-summit")
    with translation.override("en"):
        english = meeting.get_kind_display()
    with translation.override("ja"):
        japanese = meeting.get_kind_display()
    assert (english, japanese) == ("Summit", "サミット")
    meeting.kind = "no-such-kind"
    assert meeting.get_kind_display() == "no-such-kind"
