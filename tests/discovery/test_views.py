import datetime

import icalendar
import pytest
from django.utils import timezone

from meetings.models import Meeting, Session
from tests.factories import LocationFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db

# RFC 5545 3.1: a content line SHOULD NOT be longer than 75 octets, excluding the line break.
MAX_LINE_OCTETS = 75


def calendar(client, url="/meetings.ics", **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def events(response):
    parsed = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


def test_the_calendar_is_a_valid_vcalendar(client):
    parsed = icalendar.Calendar.from_ical(calendar(client).content)
    assert parsed.name == "VCALENDAR"
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"])
    assert [str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_the_zone_is_japans_standard_time_with_no_end(client):
    """Regression: the zone built from the tz database said it held only from 1970 to 2038; Japan keeps
    UTC+9 without summer time, so one STANDARD rule with no end describes it."""
    (zone,) = icalendar.Calendar.from_ical(calendar(client).content).walk("VTIMEZONE")
    assert "COMMENT" not in zone
    (rule,) = zone.subcomponents
    assert rule.name == "STANDARD"
    assert rule["TZOFFSETFROM"].td == rule["TZOFFSETTO"].td == datetime.timedelta(hours=9)


def test_every_session_is_an_all_day_event_with_uid_and_dtstamp(client):
    found = events(calendar(client, accept_language="ja"))
    sessions = Session.objects.filter(meeting__in=Meeting.objects.published())
    assert len(found) == sessions.count()
    for uid, event in found.items():
        assert uid.endswith("@g7site")
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
        for name in ("DTSTART", "DTEND"):
            assert event[name].params["VALUE"] == "DATE", uid
            assert type(event[name].dt) is datetime.date, uid
        assert event["DTEND"].dt > event["DTSTART"].dt
        assert str(event["SUMMARY"]) and str(event["URL"]).startswith("http://testserver/ja/meetings/")


def test_the_presidency_has_its_fifteen_meetings_of_2023(client):
    found = events(calendar(client))
    slugs_2023 = {uid.rsplit("-", 1)[0] for uid, event in found.items() if event["DTSTART"].dt.year == 2023}
    assert len(slugs_2023) == 15
    # The Trade meeting met twice, online in April and in Sakai in October.
    assert "g7-2023-trade-osaka-sakai-20230404@g7site" in found
    assert "g7-2023-trade-osaka-sakai-20231028@g7site" in found


def test_the_end_date_is_exclusive_and_the_uid_stable(client):
    first = events(calendar(client, "/meetings.ics?lang=ja"))
    takasaki = first["g7-2023-digital-and-tech-takasaki-20230429@g7site"]
    assert takasaki["DTSTART"].dt == datetime.date(2023, 4, 29)
    assert takasaki["DTEND"].dt == datetime.date(2023, 5, 1)
    assert str(takasaki["SUMMARY"]) == "G7群馬高崎デジタル・技術大臣会合"
    assert "群馬県高崎市" in str(takasaki["LOCATION"])
    assert str(takasaki["URL"]) == "http://testserver/ja/meetings/g7-2023-digital-and-tech-takasaki/"
    meeting = Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki")
    assert takasaki["DTSTAMP"].dt == meeting.updated_at.replace(microsecond=0)
    assert set(events(calendar(client, "/meetings.ics?lang=en"))) == set(first)


def test_an_online_session_says_so(client):
    found = events(calendar(client, "/meetings.ics?lang=en"))
    online = found["g7-2023-trade-osaka-sakai-20230404@g7site"]
    assert str(online["LOCATION"]) == "Online"
    assert str(online["SUMMARY"]).endswith("(online)")
    assert "Sakai" in str(found["g7-2023-trade-osaka-sakai-20231028@g7site"]["LOCATION"])


def test_a_month_precision_session_spans_its_month_with_a_note(client):
    found = events(calendar(client, "/meetings.ics?lang=en"))
    takamatsu = found["g7-2016-ict-takamatsu-20160401@g7site"]
    assert takamatsu["DTSTART"].dt == datetime.date(2016, 4, 1)
    assert takamatsu["DTEND"].dt == datetime.date(2016, 5, 1)
    assert "month only" in str(takamatsu["DESCRIPTION"])
    december = MeetingFactory(slug="december-meeting")
    SessionFactory(
        meeting=december,
        start_date=datetime.date(2023, 12, 1),
        end_date=datetime.date(2023, 12, 1),
        precision=Session.Precision.MONTH,
    )
    event = events(calendar(client))["december-meeting-20231201@g7site"]
    assert event["DTEND"].dt == datetime.date(2024, 1, 1)


def test_the_language_comes_from_lang_then_accept_language_then_english(client):
    """A calendar client that asks for neither language, or for none, gets English, as a browser does."""
    uid = "g7-2023-hiroshima-summit-20230519@g7site"
    japanese = events(calendar(client, "/meetings.ics?lang=ja"))[uid]
    assert str(japanese["SUMMARY"]) == "G7広島サミット"
    by_japanese_header = events(calendar(client, accept_language="ja-JP,ja;q=0.9"))[uid]
    assert str(by_japanese_header["SUMMARY"]) == "G7広島サミット"
    english = events(calendar(client, "/meetings.ics?lang=en"))[uid]
    assert str(english["SUMMARY"]) == "G7 Hiroshima Summit"
    assert str(english["URL"]) == "http://testserver/en/meetings/g7-2023-hiroshima-summit/"
    by_header = calendar(client, accept_language="en-GB,en;q=0.9")
    assert str(events(by_header)[uid]["SUMMARY"]) == "G7 Hiroshima Summit"
    assert by_header["Content-Language"] == "en"
    unknown = events(calendar(client, "/meetings.ics?lang=xx"))[uid]
    assert str(unknown["SUMMARY"]) == "G7 Hiroshima Summit"
    french = calendar(client, accept_language="fr-FR")
    assert str(events(french)[uid]["SUMMARY"]) == "G7 Hiroshima Summit"
    assert french["Content-Language"] == "en"


def test_drafts_and_scheduled_meetings_are_left_out(client):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    SessionFactory(meeting=draft)
    scheduled = MeetingFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    SessionFactory(meeting=scheduled)
    uids = set(events(calendar(client)))
    assert not any(uid.startswith((draft.slug, scheduled.slug)) for uid in uids)


def test_text_is_escaped_and_lines_are_crlf_and_folded_at_75_octets(client):
    meeting = MeetingFactory(
        title_ja="試験, 会合; バック\\スラッシュ" + "長い題名" * 20,
        summary_ja="一行目\n二行目",
    )
    SessionFactory(meeting=meeting)
    LocationFactory(meeting=meeting)
    body = calendar(client, "/meetings.ics?lang=ja").content
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    physical = body.split(b"\r\n")[:-1]
    for line in physical:
        assert len(line) <= MAX_LINE_OCTETS
        line.decode("utf-8")  # a fold never splits a character
    assert any(line.startswith(b" ") for line in physical)
    event = events(calendar(client, "/meetings.ics?lang=ja"))[f"{meeting.slug}-20230429@g7site"]
    assert str(event["SUMMARY"]) == meeting.title_ja
    assert str(event["DESCRIPTION"]).startswith("一行目\n二行目")
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:試験\\, 会合\\; バック\\\\スラッシュ" in unfolded


def test_text_with_commas_semicolons_and_newlines_reads_back_as_written_in_both_languages(client):
    meeting = MeetingFactory(
        title_ja="会合, 題名; 一",
        title_en="Meeting, title; one\\two",
        summary_ja="一行目,\r\n二行目;",
        summary_en="First line,\nsecond; line",
    )
    SessionFactory(meeting=meeting)
    uid = f"{meeting.slug}-20230429@g7site"
    japanese = events(calendar(client, "/meetings.ics?lang=ja"))[uid]
    assert str(japanese["SUMMARY"]) == "会合, 題名; 一"
    assert str(japanese["DESCRIPTION"]).startswith("一行目,\n二行目;\n\n")
    english = events(calendar(client, "/meetings.ics?lang=en"))[uid]
    assert str(english["SUMMARY"]) == "Meeting, title; one\\two"
    assert str(english["DESCRIPTION"]).startswith("First line,\nsecond; line\n\n")


def test_a_lone_carriage_return_is_a_newline_and_other_control_characters_are_dropped(client):
    """Regression: RFC 5545 allows no control character but tab in a line; a lone CR would end one."""
    # An escape rather than a NUL, which PostgreSQL's text columns refuse.
    meeting = MeetingFactory(title_en="Bell\x07 and\ttab", summary_en="one\rtwo\x1b")
    SessionFactory(meeting=meeting)
    body = calendar(client, "/meetings.ics?lang=en").content
    assert b"\x07" not in body and b"\x1b" not in body
    assert b"\r" not in body.replace(b"\r\n", b"")
    event = events(calendar(client, "/meetings.ics?lang=en"))[f"{meeting.slug}-20230429@g7site"]
    assert str(event["SUMMARY"]) == "Bell and\ttab"
    assert str(event["DESCRIPTION"]).startswith("one\ntwo\n\n")


def test_query_count_does_not_grow_with_meetings(client, django_assert_num_queries):
    # Meetings, their sessions, their places; the other two open and close the request's savepoint.
    with django_assert_num_queries(5):
        client.get("/meetings.ics")
    for _ in range(20):
        meeting = MeetingFactory()
        SessionFactory(meeting=meeting)
        LocationFactory(meeting=meeting)
    with django_assert_num_queries(5):
        response = client.get("/meetings.ics")
    assert (
        response.content.count(b"BEGIN:VEVENT")
        == Session.objects.filter(meeting__in=Meeting.objects.published()).count()
    )


def test_caches_keep_the_languages_apart(client):
    response = calendar(client, accept_language="ja")
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "ja"


# One meeting's calendar: "add to calendar" on its page


def test_a_meetings_calendar_holds_one_event_per_session(client):
    response = calendar(client, "/meetings/g7-2023-trade-osaka-sakai.ics?lang=en")
    assert response["Content-Disposition"] == 'inline; filename="g7-2023-trade-osaka-sakai.ics"'
    parsed = icalendar.Calendar.from_ical(response.content)
    assert str(parsed["X-WR-CALNAME"]) == "G7 Trade Ministers' Meeting in Osaka-Sakai"
    found = events(response)
    assert set(found) == {
        "g7-2023-trade-osaka-sakai-20230404@g7site",
        "g7-2023-trade-osaka-sakai-20231028@g7site",
    }
    # The same events as the calendar of every meeting.
    everything = events(calendar(client, "/meetings.ics?lang=en"))
    for uid, event in found.items():
        assert event.to_ical() == everything[uid].to_ical()


def test_a_meetings_calendar_is_in_the_language_asked_for(client):
    uid = "g7-2023-digital-and-tech-takasaki-20230429@g7site"
    japanese = calendar(client, "/meetings/g7-2023-digital-and-tech-takasaki.ics?lang=ja")
    assert str(events(japanese)[uid]["SUMMARY"]) == "G7群馬高崎デジタル・技術大臣会合"
    assert (
        str(icalendar.Calendar.from_ical(japanese.content)["X-WR-CALNAME"])
        == "G7群馬高崎デジタル・技術大臣会合"
    )
    english = calendar(client, "/meetings/g7-2023-digital-and-tech-takasaki.ics", accept_language="en")
    assert str(events(english)[uid]["SUMMARY"]) == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"


@pytest.mark.parametrize("slug", ["no-such-meeting", "draft-meeting", "scheduled-meeting"])
def test_a_meeting_the_public_cannot_see_has_no_calendar(client, slug):
    MeetingFactory(slug="draft-meeting", status=Meeting.Status.DRAFT, published_at=None)
    MeetingFactory(slug="scheduled-meeting", published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(f"/meetings/{slug}.ics").status_code == 404


def test_a_meetings_calendar_reads_three_queries(client, django_assert_num_queries):
    # The meeting, its sessions, its places; the other two open and close the request's savepoint.
    with django_assert_num_queries(5):
        calendar(client, "/meetings/g7-2023-digital-and-tech-takasaki.ics?lang=en")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_meeting_page_offers_its_calendar_in_its_language(client, lang):
    html = client.get(f"/{lang}/meetings/g7-2023-digital-and-tech-takasaki/").content.decode()
    link = (
        f'href="/meetings/g7-2023-digital-and-tech-takasaki.ics?lang={lang}" type="text/calendar" download>'
    )
    assert link in html
    assert ("カレンダーに追加" if lang == "ja" else "Add to calendar") in html


def test_a_draft_previewed_by_an_editor_offers_no_calendar(editor_client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    SessionFactory(meeting=meeting)
    html = editor_client.get(f"/en/meetings/{meeting.slug}/").content.decode()
    assert ".ics" not in html[html.index("<main") : html.index("</main>")]
