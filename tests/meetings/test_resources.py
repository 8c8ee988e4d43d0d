"""The meetings' CSV columns (meetings/resources.py): each session with its dates, mode and places."""

import pytest

from tests.api_support import TAKASAKI, read_csv
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_meetings_csv_gives_each_session_with_its_dates_mode_and_places(api):
    rows = read_csv(api.get("/api/v1/meetings/export/", {"format": "csv"}))
    trade = next(row for row in rows if row["slug"] == "g7-2023-trade-osaka-sakai")
    # The first and last day stay, for sorting; the sessions say that they were two, months apart.
    assert (trade["start_date"], trade["end_date"]) == ("2023-04-04", "2023-10-29")
    assert trade["sessions"] == "2023-04-04/2023-04-04 online; 2023-10-28/2023-10-29 in_person Sakai"
    takasaki = next(row for row in rows if row["slug"] == TAKASAKI)
    assert takasaki["sessions"] == "2023-04-29/2023-04-30 in_person Takasaki"
    assert list(rows[0]).index("sessions") == list(rows[0]).index("end_date") + 1


def test_a_session_known_by_its_month_is_written_as_its_month(api):
    meeting = MeetingFactory(year=2016)
    meeting.sessions.all().delete()
    meeting.sessions.create(start_date="2016-04-01", end_date="2016-04-01", precision="month", mode="online")
    rows = read_csv(api.get("/api/v1/meetings/export/", {"format": "csv", "year": 2016}))
    assert next(row for row in rows if row["slug"] == meeting.slug)["sessions"] == "2016-04 online"
