"""What discovery/views.py serves: the calendars (meetings.ics and a meeting's .ics), robots.txt, the site's
icon (linked from every public page, and at /favicon.ico for pages that link none), and the data page
(/{lang}/data/) with the feed, calendar and data links every page carries; the archive it offers is tested
in test_bundle.py."""

import datetime
import json
import re
from pathlib import Path

import icalendar
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from discovery.bundle import RESOURCES
from meetings.models import Meeting, Session
from publication.selectors import archive_last_modified
from tests.api_support import TAKASAKI
from tests.discovery.support import BUNDLE
from tests.factories import LocationFactory, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


# The calendars

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


# robots.txt


def test_robots_allows_all_but_the_admin_and_names_the_sitemap(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_robots_names_the_sitemap_on_the_requested_host(client):
    response = client.get("/robots.txt", headers={"host": "localhost"}, secure=True)
    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode().splitlines()


# The site's icon


@pytest.mark.parametrize("path", ["/ja/", "/en/meetings/", "/en/no-such-page/"])
def test_every_page_links_an_svg_icon_and_its_fallbacks(client, path):
    html = client.get(path).content.decode()
    assert '<link rel="icon" href="/static/icons/favicon.ico" sizes="32x32">' in html
    assert '<link rel="icon" href="/static/icons/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in html


def test_favicon_ico_sends_browsers_to_the_icon_for_a_day(client, django_assert_num_queries):
    """A page with no icon link (the admin's) makes the browser ask for /favicon.ico: never a 404."""
    with django_assert_num_queries(0):
        response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/icons/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "signature"),
    [
        ("icons/favicon.svg", b"<svg "),
        ("icons/favicon.ico", b"\x00\x00\x01\x00"),
        ("icons/favicon-32.png", b"\x89PNG"),
        ("icons/apple-touch-icon.png", b"\x89PNG"),
    ],
)
def test_the_icons_are_the_projects_own_static_files(name, signature):
    found = finders.find(name)
    assert found and Path(found).is_relative_to(settings.BASE_DIR / "static")
    content = Path(found).read_bytes()
    assert signature in content[:200]
    if name.endswith(".svg"):
        # Drawn as paths, so that no font and no other file is needed.
        assert not re.search(rb"<text|href=", content)


# The pages every one of which carries the feed, calendar and data links (What every page carries, below).
PAGES = [
    "/{lang}/",
    "/{lang}/meetings/",
    f"/{{lang}}/meetings/{TAKASAKI}/",
    "/{lang}/declarations/",
    "/{lang}/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/1/",
    "/{lang}/search/?q=G7",
    "/{lang}/data/",
    "/{lang}/no-such-page/",
]


def json_ld(html: str) -> dict:
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    return json.loads(found)


# The data page


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_data_page_lists_every_download(client, lang, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(f"/{lang}/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'href="{BUNDLE}" download' in html
    for resource in RESOURCES:
        api = f"/api/v1/{resource.name}/export/"
        assert f'href="{api}?format=csv"' in html, resource.name
        assert f'href="{api}?lang={lang}"' in html, resource.name
    assert f'href="/{lang}/feeds/documents.atom"' in html
    assert f'href="/meetings.ics?lang={lang}"' in html
    assert 'href="/sitemap.xml"' in html
    assert 'href="/api/v1/"' in html and 'href="/api/docs/"' in html and 'href="/api/schema/"' in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    date = timezone.localtime(archive_last_modified()).date()
    moment = timezone.localtime(archive_last_modified()).isoformat(timespec="seconds")
    assert f'<time datetime="{moment}">' in html
    if lang == "ja":
        assert "オープンデータ" in html and "政府標準利用規約" in html and "データの引用の仕方" in html
        assert f"{date.year}年{date.month}月{date.day}日" in html
    else:
        assert "Open data" in html and "Government of Japan Standard Terms of Use" in html
        assert "How to cite the data" in html
        assert "http://testserver/en/data/" in html


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_data_page_describes_a_dataset_and_its_downloads(client, lang):
    data = json_ld(client.get(f"/{lang}/data/").content.decode())
    assert data["@type"] == "Dataset"
    assert data["url"] == f"http://testserver/{lang}/data/"
    assert data["inLanguage"] == ["ja", "en"]
    assert "Standard Terms of Use" in data["license"]["name"] or "政府標準利用規約" in data["license"]["name"]
    assert data["dateModified"]
    formats = [download["encodingFormat"] for download in data["distribution"]]
    assert formats.count("text/csv") == len(RESOURCES)
    assert {"application/zip", "application/atom+xml", "text/calendar"} <= set(formats)
    assert f"http://testserver{BUNDLE}" in [download["contentUrl"] for download in data["distribution"]]


def test_the_data_page_without_a_language_sends_a_browser_to_its_own(client):
    response = client.get("/data/", headers={"accept-language": "ja"})
    assert response.status_code == 302
    assert response["Location"] == "/ja/data/"


# What every page carries


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_advertises_the_feed_and_calendar_in_its_language(client, lang, path):
    html = client.get(path.format(lang=lang)).content.decode()
    head = html[: html.index("</head>")]
    feed = re.findall(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head
    )
    assert feed == [
        f"http://testserver/{lang}/feeds/documents.atom",
        f"http://testserver/{lang}/feeds/corrections.atom",
    ]
    calendar = re.findall(r'<link rel="alternate" type="text/calendar" title="[^"]+" href="([^"]+)">', head)
    assert calendar == [f"http://testserver/meetings.ics?lang={lang}"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_header_and_footer_link_the_data_page(client, lang):
    html = client.get(f"/{lang}/meetings/").content.decode()
    nav = html[html.index('class="site-nav"') : html.index("</nav>", html.index('class="site-nav"'))]
    assert f'href="/{lang}/data/"' in nav
    footer = html[html.index('<footer class="site-footer">') :]
    for address in (
        f"/{lang}/data/",
        f"/{lang}/feeds/documents.atom",
        f"/meetings.ics?lang={lang}",
        "/api/docs/",
    ):
        assert f'href="{address}"' in footer, address
    data_page = client.get(f"/{lang}/data/").content.decode()
    assert f'<a href="/{lang}/data/" aria-current="page">' in data_page
