"""The meetings list (filters, order, pages, bad input) and the meeting page, with an earlier meeting's
commitments that 2023 commitments carry forward."""

import datetime
import json
import re

import pytest

from meetings.models import Meeting
from tests.commitments.support import DUSSELDORF, TSUKUBA, html_of
from tests.factories import ChairFactory, LocationFactory, MeetingFactory, SessionFactory
from tests.html_forms import dangling_references

pytestmark = pytest.mark.django_db

TAKASAKI = "g7-2023-digital-and-tech-takasaki"


def slugs(response):
    return [meeting.slug for meeting in response.context["meeting_list"]]


def test_list_shows_every_published_meeting_in_date_order(client):
    response = client.get("/en/meetings/")
    assert response.status_code == 200
    listed = slugs(response)
    assert len(listed) == 18
    assert listed[:3] == [
        "g7-2016-ict-takamatsu",
        "g20-2019-trade-and-digital-economy-tsukuba",
        "g7-2022-digital-dusseldorf",
    ]
    assert listed[-1] == "g7-2023-interior-and-security-mito"
    assert "18 meetings" in response.content.decode()


def test_drafts_are_not_listed_and_their_page_is_a_404(client):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert draft.slug not in slugs(client.get("/en/meetings/"))
    assert client.get(f"/en/meetings/{draft.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("forum=G20", {"g20-2019-trade-and-digital-economy-tsukuba"}),
        ("kind=summit", {"g7-2023-hiroshima-summit"}),
        ("year=2022", {"g7-2022-digital-dusseldorf"}),
        ("prefecture=10", {TAKASAKI}),
        ("prefecture=16", {"g7-2023-education-toyama-kanazawa"}),
        ("prefecture=17", {"g7-2023-education-toyama-kanazawa"}),
        ("month=10", {"g7-2023-trade-osaka-sakai"}),
        ("month=12&year=2023", {"g7-2023-interior-and-security-mito"}),
        (
            "portfolio=digital",
            {
                "g7-2016-ict-takamatsu",
                "g20-2019-trade-and-digital-economy-tsukuba",
                "g7-2022-digital-dusseldorf",
                TAKASAKI,
            },
        ),
        ("q=高崎", {TAKASAKI}),
        ("q=takasaki", {TAKASAKI}),
        ("q=TSUKUBA", {"g20-2019-trade-and-digital-economy-tsukuba"}),
        ("q=nothing-matches-this", set()),
    ],
)
def test_each_filter(client, query, expected):
    response = client.get(f"/en/meetings/?{query}")
    assert response.status_code == 200
    assert set(slugs(response)) == expected


def test_a_meeting_matches_every_month_that_one_of_its_sessions_touches(client):
    meeting = MeetingFactory()
    SessionFactory(meeting=meeting, start_date=datetime.date(2023, 6, 28), end_date=datetime.date(2023, 8, 2))
    for month in (6, 7, 8):
        assert meeting.slug in slugs(client.get(f"/en/meetings/?month={month}&year=2023")), month
    assert meeting.slug not in slugs(client.get("/en/meetings/?month=9&year=2023"))


@pytest.mark.parametrize(
    ("ordering", "first"),
    [
        ("date", "g7-2016-ict-takamatsu"),
        ("-date", "g7-2023-interior-and-security-mito"),
        ("title", "g20-2019-trade-and-digital-economy-tsukuba"),
    ],
)
def test_ordering(client, ordering, first):
    assert slugs(client.get(f"/en/meetings/?ordering={ordering}"))[0] == first


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "整数を入力してください。"),
        ("month=13", "この値は 12 以下でなければなりません。"),
        ("prefecture=99", "正しく選択してください"),
        ("forum=G8", "正しく選択してください"),
        ("ordering=bogus", "正しく選択してください"),
        ("q=" + "あ" * 10_000, "200 文字以下でなければなりません"),
        ("q=a%00b", "NUL文字は使用できません。"),
    ],
)
def test_bad_filter_values_are_form_errors_in_the_users_language(client, query, message):
    response = client.get(f"/ja/meetings/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "使用できない条件があります" in html
    assert slugs(response) == []


def test_bad_filter_values_in_english(client):
    response = client.get("/en/meetings/?year=abc")
    assert response.status_code == 400
    assert "Enter a whole number." in response.content.decode()


@pytest.mark.parametrize("path", ["/en/meetings/", "/en/declarations/"])
def test_a_refused_year_comes_back_as_it_was_typed(client, path):
    """A text box for digits, which holds what was typed; a number box's value must be a number."""
    html = client.get(f"{path}?year=abc").content.decode()
    assert re.search(
        r'<input type="text" name="year" value="abc" inputmode="numeric"[^>]* id="id_year">', html
    )
    assert '<input type="text" name="year" inputmode="numeric"' in client.get(path).content.decode()


@pytest.mark.parametrize("query", ["", "year=abc", "year=abc&month=13&ordering=bogus"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_filter_refers_only_to_what_the_page_has(client, lang, query):
    """No field names a help text the page does not show; a field with an error names its error."""
    response = client.get(f"/{lang}/meetings/?{query}")
    html = response.content.decode()
    assert not dangling_references(html)
    if query:
        assert 'aria-describedby="id_year_error"' in html
        assert '<p class="field__error" id="id_year_error">' in html


@pytest.mark.parametrize("page", ["999999", "abc", "0", "-1", "9" * 40])
def test_a_page_that_does_not_exist_is_a_404(client, page):
    response = client.get(f"/ja/meetings/?page={page}")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_pages_keep_the_filters_in_their_links(client):
    for _ in range(25):
        SessionFactory(meeting=MeetingFactory(portfolio=Meeting.Portfolio.HEALTH))
    response = client.get("/en/meetings/?portfolio=health&ordering=-date")
    assert len(slugs(response)) == 20
    html = response.content.decode()
    assert 'href="?portfolio=health&amp;ordering=-date&amp;page=2"' in html
    second = client.get("/en/meetings/?portfolio=health&ordering=-date&page=2")
    assert len(slugs(second)) == 6
    assert 'href="?portfolio=health&amp;ordering=-date&amp;page=1"' in second.content.decode()


def test_the_form_shows_the_chosen_filters(client):
    html = client.get("/en/meetings/?portfolio=digital&prefecture=10").content.decode()
    assert '<option value="digital" selected>' in html
    assert '<option value="10" selected>' in html


def test_detail_shows_sessions_places_hosts_chairs_documents_and_provenance(client):
    html = client.get(f"/ja/meetings/{TAKASAKI}/").content.decode()
    assert "2023年4月29日（土）〜30日（日）" in html
    assert "群馬県高崎市" in html
    for text in ("総務省", "デジタル庁", "経済産業省", "松本剛明", "総務大臣"):
        assert text in html
    assert 'href="/ja/declarations/g7-2023-digital-and-tech-ministerial-declaration/"' in html
    assert 'href="/ja/meetings/g7-2023-hiroshima-summit/"' in html
    assert "図表1" in html


def test_detail_shows_month_precision_as_a_month_only(client):
    japanese = client.get("/ja/meetings/g7-2016-ict-takamatsu/").content.decode()
    assert "2016年4月" in japanese
    assert "2016年4月1日" not in japanese
    english = client.get("/en/meetings/g7-2016-ict-takamatsu/").content.decode()
    assert "April 2016" in english
    assert "1 April 2016" not in english


def test_detail_marks_an_online_session(client):
    html = client.get("/en/meetings/g7-2023-trade-osaka-sakai/").content.decode()
    assert re.search(r"Tue 4 April 2023 <span class=\"badge badge--online\">online</span>", html)
    assert "Sat 28 – Sun 29 October 2023" in html


def test_detail_shows_the_history_of_the_digital_track_in_order(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    track = html[html.index('id="track-heading"') :]
    positions = [
        track.index(text)
        for text in (
            "Takamatsu, Kagawa",
            "Tsukuba, Ibaraki",
            "Düsseldorf, Germany",
            '<strong aria-current="page">',
        )
    ]
    assert positions == sorted(positions)


def test_a_summit_lists_its_ministerial_meetings(client):
    html = client.get("/en/meetings/g7-2023-hiroshima-summit/").content.decode()
    ministerial = html[html.index('id="ministerial-heading"') :]
    ministerial = ministerial[: ministerial.index("</section>")]
    assert ministerial.count("<li>") == 14


def test_detail_has_event_json_ld(client):
    html = client.get("/en/meetings/g7-2023-trade-osaka-sakai/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2023-04-04"
    assert data["endDate"] == "2023-10-29"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {"@type": "VirtualLocation", "name": "online"} in data["location"]
    assert data["location"][0]["address"]["addressLocality"] == "Sakai"
    assert data["organizer"][0]["name"] == "Government of Japan"
    assert [event["eventAttendanceMode"] for event in data["subEvent"]] == [
        "https://schema.org/OnlineEventAttendanceMode",
        "https://schema.org/OfflineEventAttendanceMode",
    ]
    assert data["superEvent"]["url"] == "http://testserver/en/meetings/g7-2023-hiroshima-summit/"


def test_month_precision_json_ld_keeps_the_month(client):
    html = client.get("/en/meetings/g7-2016-ict-takamatsu/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert (data["startDate"], data["endDate"]) == ("2016-04", "2016-04")


def test_json_ld_cannot_be_broken_out_of(client):
    meeting = MeetingFactory(title_en="</script><script>alert(1)</script>")
    SessionFactory(meeting=meeting)
    html = client.get(f"/en/meetings/{meeting.slug}/").content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script
    assert json.loads(script)["name"] == "</script><script>alert(1)</script>"


def test_detail_has_open_graph_tags(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://testserver/en/meetings/{TAKASAKI}/">' in html
    assert '<meta property="og:locale" content="en_GB">' in html
    assert "og:title" in html


def add_meetings(count=30):
    for number in range(count):
        meeting = MeetingFactory(year=2023)
        SessionFactory(
            meeting=meeting,
            start_date=datetime.date(2023, 5, 1 + number % 28),
            end_date=datetime.date(2023, 5, 1 + number % 28),
        )
        LocationFactory(meeting=meeting)
        ChairFactory(meeting=meeting)


@pytest.mark.parametrize(
    "url",
    ["/en/meetings/", "/ja/meetings/?portfolio=digital&prefecture=10&month=4&q=g7", "/en/meetings/?page=2"],
)
def test_list_query_count_does_not_grow_with_meetings(count_queries, django_assert_max_num_queries, url):
    add_meetings(5)
    before = count_queries(url)
    add_meetings(30)
    with django_assert_max_num_queries(before):
        count_queries(url)
    assert before <= 10


def test_detail_query_count_does_not_grow_with_sessions_places_and_chairs(count_queries):
    url = f"/en/meetings/{TAKASAKI}/"
    before = count_queries(url)
    meeting = Meeting.objects.get(slug=TAKASAKI)
    for number in range(30):
        SessionFactory(
            meeting=meeting,
            start_date=datetime.date(2023, 6, 1) + datetime.timedelta(days=number),
            end_date=datetime.date(2023, 6, 1) + datetime.timedelta(days=number),
        )
        LocationFactory(meeting=meeting, order=10 + number)
        ChairFactory(meeting=meeting, order=10 + number)
        SessionFactory(meeting=MeetingFactory(portfolio=Meeting.Portfolio.DIGITAL))
    assert count_queries(url) == before
    assert before <= 15


def test_a_long_track_shows_the_twelve_nearest_meetings_and_links_to_the_rest(client):
    """However large the archive, a meeting's page lists a bounded part of its track."""
    for year in range(1990, 2020):
        MeetingFactory(portfolio="digital", year=year, slug=f"digital-{year}")
    html = client.get("/en/meetings/g7-2023-digital-and-tech-takasaki/").content.decode()
    track = html[html.index('<ol class="track">') :]
    track = track[: track.index("</ol>")]
    assert track.count("<li") == 12
    assert 'aria-current="page"' in track
    assert "digital-2019" in track and "digital-1990" not in track
    assert 'href="/en/meetings/?portfolio=digital"' in html
    whole = client.get("/en/meetings/g7-2023-health-nagasaki/").content.decode()
    assert "?portfolio=health" not in whole


def test_a_meeting_is_in_its_own_track_when_more_of_its_year_come_before_it(client):
    """Fourteen meetings of the same portfolio and year with lower keys: the nearest thirteen by key would
    leave the page's own meeting out; it is shown, as the current one, with its sessions and places."""
    others = [MeetingFactory(portfolio="health", year=2031, slug=f"health-2031-{n:02}") for n in range(14)]
    meeting = MeetingFactory(portfolio="health", year=2031, slug="health-2031-last")
    assert all(other.pk < meeting.pk for other in others)
    SessionFactory(meeting=meeting, start_date=datetime.date(2031, 5, 2), end_date=datetime.date(2031, 5, 3))
    LocationFactory(meeting=meeting, city_en="Hakodate")

    html = client.get(f"/en/meetings/{meeting.slug}/").content.decode()

    track = html[html.index('<ol class="track">') :]
    track = track[: track.index("</ol>")]
    assert track.count("<li") == 12
    assert '<li class="track__current"><strong aria-current="page">' in track
    assert "Fri 2 – Sat 3 May 2031" in html and "Hakodate" in html


def test_the_list_describes_its_page_of_meetings(client):
    html = client.get("/en/meetings/?page=1").content.decode()
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    data = json.loads(found)
    assert data["@type"] == "CollectionPage"
    assert data["url"] == "http://testserver/en/meetings/?page=1"
    assert data["inLanguage"] == "en"
    elements = data["mainEntity"]["itemListElement"]
    assert data["mainEntity"]["numberOfItems"] == len(elements) == Meeting.objects.published().count()
    assert elements[0]["position"] == 1
    assert all(element["url"].startswith("http://testserver/en/meetings/") for element in elements)


def test_a_later_page_numbers_its_meetings_from_where_it_starts(client):
    for number in range(25):
        SessionFactory(meeting=MeetingFactory(slug=f"extra-{number:02}"))
    html = client.get("/en/meetings/?page=2").content.decode()
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.DOTALL)
    elements = json.loads(found)["mainEntity"]["itemListElement"]
    assert elements[0]["position"] == 21


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_a_japanese_page_writes_japanese_punctuation(client):
    """No ASCII separators, brackets, quotes or full stops join the Japanese page's own words."""
    japanese = main_of(client.get(f"/ja/meetings/{TAKASAKI}/").content.decode())
    assert "<strong>松本剛明</strong> 総務大臣（総務省）" in japanese
    assert "<dd>日本／2023</dd>" in japanese
    assert ">G7広島サミット</a>。</p>" in japanese
    assert "総務省「ICT 国際戦略の推進（総務省におけるICT政策の取組状況）」。" in japanese
    assert "2016年4月</span>／香川県高松市" in japanese
    for mark in ("·", ";", "“", "”", "(", ")"):
        assert mark not in japanese, mark
    month_only = main_of(client.get("/ja/meetings/g7-2016-ict-takamatsu/").content.decode())
    assert '<span class="note">（出典は月のみを記載）</span>' in month_only


def test_an_english_page_keeps_english_punctuation(client):
    english = main_of(client.get(f"/en/meetings/{TAKASAKI}/").content.decode())
    assert (
        "<strong>Matsumoto Takeaki</strong>, Minister for Internal Affairs and Communications "
        "(Ministry of Internal Affairs and Communications)"
    ) in english
    assert "<dd>Japan · 2023</dd>" in english
    assert ">G7 Hiroshima Summit</a>.</p>" in english
    assert "Japan, “Promoting the International ICT Strategy" in english


def source_line(html) -> str | None:
    found = re.search(r'<p class="lead source-line">(.*?)</p>', html, re.S)
    return found.group(1) if found else None


def test_a_meeting_the_source_gives_one_line_about_says_so_instead_of_a_stock_summary(client):
    japanese = client.get("/ja/meetings/g7-2023-science-and-technology-sendai/").content.decode()
    line = source_line(japanese)
    assert line.startswith("出典がこの会合について記すのはこの一行のみ（図表1）：")
    assert (
        "G7仙台科学技術大臣会合" in line
        and "2023年5月12日（金）〜14日（日）" in line
        and "宮城県仙台市" in line
    )
    assert "関係閣僚会合の一つ。" not in japanese.split('<p class="lead source-line">')[0]
    english = client.get("/en/meetings/g7-2023-science-and-technology-sendai/").content.decode()
    line = source_line(english)
    assert line.startswith("The source gives only this line about the meeting (図表1): ")
    assert "Sendai, Miyagi" in line
    # No two meetings of the presidency carry the same summary.
    summaries = [
        summary for summary in Meeting.objects.exclude(summary_en="").values_list("summary_en", flat=True)
    ]
    assert len(summaries) == len(set(summaries))


def test_a_meeting_with_a_summary_shows_it_and_no_one_line_note(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert source_line(html) is None
    assert "Ministers discussed six themes" in html


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [TAKASAKI, "g7-2023-hiroshima-summit", "g7-2016-ict-takamatsu"])
def test_a_meeting_page_stays_within_ten_queries_on_every_request(
    client, django_assert_max_num_queries, slug
):
    """The first page a process serves and the pages after it: the meeting with its track, its documents and
    the commitments of an earlier meeting that 2023 commitments carry forward, within the budget of ten."""
    for _ in range(2):
        with django_assert_max_num_queries(10):
            assert client.get(f"/en/meetings/{slug}/").status_code == 200


def test_an_earlier_meetings_page_lists_its_commitments_and_those_that_carry_them_forward(client):
    page = html_of(client, f"/en/meetings/{TSUKUBA}/")
    section = page[page.index('id="earlier-commitments-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count('class="lineage__step"') == 3
    for slug in (
        "iap-establish",
        "iap-endorse",
        "ai-governance-action-plan",
        "hiroshima-ai-process",
        "agile-governance",
    ):
        assert f'href="/en/commitments/{slug}/"' in section
    assert f'href="/en/commitments/?earlier_meeting={TSUKUBA}"' in section
    assert 'id="earlier-tsukuba-2019-human-centred-ai"' in section
    japanese = html_of(client, f"/ja/meetings/{TSUKUBA}/")
    assert "2023年に引き継がれた約束" in japanese


def test_an_earlier_meetings_page_says_where_each_summary_comes_from(client):
    page = html_of(client, f"/en/meetings/{DUSSELDORF}/")
    section = page[page.index('id="earlier-commitments-heading"') :]
    assert section.count("Where this summary comes from") == 3
    assert "No paragraph of the annex could be checked" in section
    assert "この要約の出典" in html_of(client, f"/ja/meetings/{DUSSELDORF}/")


def test_a_meeting_without_earlier_commitments_has_no_such_section(client):
    assert 'id="earlier-commitments-heading"' not in html_of(
        client, "/en/meetings/g7-2023-digital-and-tech-takasaki/"
    )
