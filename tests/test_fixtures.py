"""The fixtures held to the source document: a wrong date, place or title in them fails here."""

import datetime
import re
from pathlib import Path

import pytest
from modeltranslation.translator import translator

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Meeting, Prefecture

SOURCE = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "000_9fd1af93d34566f1.txt"
WEEKDAYS = "月火水木金土日"
TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"

pytestmark = pytest.mark.django_db


def normalise(text: str) -> str:
    """The source breaks lines and spaces words at random; compare texts without any whitespace."""
    return "".join(text.split())


def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


def findable(text: str) -> bool:
    without_markers = re.sub(r"＊\d", "", source_text())
    return normalise(text) in normalise(without_markers)


def figure_1() -> list[dict]:
    """Figure 1 of the source, parsed: place, name and sessions (with printed weekdays) of each meeting."""
    text = source_text()
    block = text[text.index("図表1") : text.index("2　G7群馬高崎")]
    lines = [line.strip() for line in block.splitlines()[1:] if line.strip()]
    session_pattern = re.compile(r"(\d+)/(\d+)（(.)）(?:～(?:(\d+)/)?(\d+)（(.)）)?")
    meetings = []
    for place, name, dates in zip(lines[0::3], lines[1::3], lines[2::3], strict=True):
        prefectures = re.findall(r"(北海道|[^・（]+?[都府県])", place)
        city = re.sub(r"^(北海道|.+?[都府県])", "", place) if "・" not in place else ""
        sessions = []
        for match in session_pattern.finditer(dates):
            month, day, weekday, end_month, end_day, end_weekday = match.groups()
            start = datetime.date(2023, int(month), int(day))
            end = datetime.date(2023, int(end_month or month), int(end_day or day))
            sessions.append((start, weekday, end, end_weekday or weekday))
        meetings.append(
            {"place": place, "prefectures": prefectures, "city": city, "name": name, "sessions": sessions}
        )
    return meetings


def test_figure_1_is_parsed_whole():
    """Guards the parser itself: all 15 meetings, and the two that need care, come out of the source."""
    figure = figure_1()
    assert len(figure) == 15
    education = next(row for row in figure if row["name"] == "教育大臣会合")
    assert education["prefectures"] == ["富山県", "石川県"] and education["city"] == ""
    trade = next(row for row in figure if row["name"] == "貿易大臣会合")
    assert len(trade["sessions"]) == 2


def test_every_weekday_printed_in_figure_1_matches_2023():
    for row in figure_1():
        for start, weekday, end, end_weekday in row["sessions"]:
            assert WEEKDAYS[start.weekday()] == weekday, (row["name"], start)
            assert WEEKDAYS[end.weekday()] == end_weekday, (row["name"], end)


@pytest.mark.parametrize("row", figure_1(), ids=lambda row: row["name"])
def test_meeting_matches_figure_1(row):
    meeting = Meeting.objects.get(year=2023, short_title_ja=row["name"])
    locations = list(meeting.locations.select_related("prefecture"))
    assert sorted(location.prefecture.name_ja for location in locations) == sorted(row["prefectures"])
    if row["city"]:
        assert [location.city_ja for location in locations] == [row["city"]]
    sessions = [(session.start_date, session.end_date) for session in meeting.sessions.order_by("start_date")]
    assert sessions == [(start, end) for start, _, end, _ in row["sessions"]]
    assert all(session.precision == "day" for session in meeting.sessions.all())
    assert meeting.source.slug == "mic-ict-international-strategy"
    assert "図表1" in meeting.source_locator


def test_fifteen_meetings_of_the_presidency():
    meetings = Meeting.objects.filter(year=2023)
    assert meetings.count() == 15
    assert meetings.filter(kind="summit").count() == 1
    summit = meetings.get(kind="summit")
    assert summit.slug == "g7-2023-hiroshima-summit" and findable(summit.title_ja)
    assert set(meetings.filter(kind="ministerial").values_list("summit__slug", flat=True)) == {summit.slug}


def test_education_meeting_is_co_hosted_by_two_prefectures():
    meeting = Meeting.objects.get(slug="g7-2023-education-toyama-kanazawa")
    places = [(location.prefecture.code, location.city_en) for location in meeting.locations.all()]
    assert places == [("16", "Toyama"), ("17", "Kanazawa")]
    assert "public records" in meeting.provenance_note_en


def test_trade_meeting_has_an_online_and_an_in_person_session():
    meeting = Meeting.objects.get(slug="g7-2023-trade-osaka-sakai")
    sessions = [(s.start_date, s.end_date, s.mode) for s in meeting.sessions.all()]
    assert sessions == [
        (datetime.date(2023, 4, 4), datetime.date(2023, 4, 4), "online"),
        (datetime.date(2023, 10, 28), datetime.date(2023, 10, 29), "in_person"),
    ]


@pytest.mark.parametrize(
    ("slug", "forum", "year", "month", "printed"),
    [
        ("g7-2016-ict-takamatsu", "G7", 2016, 4, "2016年（平成28年）4月のG7香川・高松情報通信大臣会合"),
        (
            "g20-2019-trade-and-digital-economy-tsukuba",
            "G20",
            2019,
            6,
            "2019年（令和元年）6月にG20茨城つくば貿易・デジタル経済大臣会合",
        ),
        (
            "g7-2022-digital-dusseldorf",
            "G7",
            2022,
            5,
            "2022年（令和4年）5月には、G7デジタル大臣会合（ドイツ）",
        ),
    ],
)
def test_earlier_digital_meetings_keep_the_month_the_source_gives(slug, forum, year, month, printed):
    assert findable(printed)
    meeting = Meeting.objects.get(slug=slug)
    assert (meeting.forum, meeting.year, meeting.portfolio) == (forum, year, "digital")
    assert findable(meeting.title_ja)
    [session] = meeting.sessions.all()
    assert session.precision == "month"
    assert (session.start_date, session.end_date) == (datetime.date(year, month, 1),) * 2
    # The days come from elsewhere, so the record must say where.
    assert meeting.provenance_note_ja and "public record" in meeting.provenance_note_en


def test_takasaki_hosts_and_co_chairs():
    meeting = Meeting.objects.get(slug=TAKASAKI)
    assert findable(meeting.title_ja)
    hosts = sorted(meeting.hosts.values_list("name_ja", flat=True))
    assert hosts == sorted(["総務省", "デジタル庁", "経済産業省"])
    assert findable("、".join(["総務省", "デジタル庁", "経済産業省"]) + "が、群馬県高崎市において")
    chairs = meeting.chairs.select_related("person", "organization")
    printed = "、".join(f"{chair.person.name_ja[:2]}{chair.office_ja}" for chair in chairs)
    assert findable(f"{printed}の共同議長の下")
    assert [chair.organization.slug for chair in chairs] == ["mic", "digital-agency", "meti"]


def test_declaration_and_its_parts_are_counted_as_in_the_source():
    declaration = Declaration.objects.get(slug=DECLARATION)
    assert declaration.meeting.slug == TAKASAKI
    assert findable(f"「{declaration.title_ja}」")
    assert declaration.authentic_language == "en"
    assert declaration.themes.count() == 6
    assert declaration.footnotes.count() == 3
    assert declaration.annexes.count() == 5
    communique = Declaration.objects.get(slug=COMMUNIQUE)
    assert communique.kind == "leaders_communique" and communique.adopted_on == datetime.date(2023, 5, 20)
    assert findable(
        f"{communique.adopted_on.year}年{communique.adopted_on.month}月{communique.adopted_on.day}日に発出された「{communique.title_ja}」"
    )
    assert communique.communique_items.count() == 4
    assert Prefecture.objects.count() == 47


def test_theme_titles_are_the_numbered_headings_of_the_source():
    for theme in Theme.objects.filter(declaration__slug=DECLARATION):
        assert findable(f"{theme.marker}{theme.title_ja}"), theme


def test_every_japanese_text_of_the_documents_is_in_the_source():
    texts = [
        *KeyPoint.objects.values_list("text_ja", flat=True),
        *Footnote.objects.values_list("text_ja", flat=True),
        *Annex.objects.values_list("title_ja", flat=True),
        *CommuniqueItem.objects.values_list("title_ja", flat=True),
        *CommuniqueItem.objects.values_list("text_ja", flat=True),
    ]
    assert len(texts) == 8 + 3 + 5 + 4 + 4
    missing = [text for text in texts if not findable(text)]
    assert missing == []


def test_footnotes_sit_on_the_themes_they_annotate():
    """＊1 follows theme ②, ＊2 theme ③, ＊3 theme ⑤ in the source."""
    text = normalise(source_text())
    placed = {}
    for number in (1, 2, 3):
        position = text.index(f"＊{number}")
        headings = [
            (text.rindex(f"{chr(0x2460 + n - 1)}", 0, position), n)
            for n in range(1, 7)
            if chr(0x2460 + n - 1) in text[:position]
        ]
        placed[number] = max(headings)[1]
    footnotes = dict(
        Footnote.objects.filter(declaration__slug=DECLARATION).values_list("number", "theme__number")
    )
    assert footnotes == placed == {1: 2, 2: 3, 3: 5}


def test_annexes_carry_the_official_english_titles_in_order():
    titles = list(
        Annex.objects.filter(declaration__slug=DECLARATION)
        .order_by("number")
        .values_list("title_en", flat=True)
    )
    assert titles == [
        "G7 Vision for Operationalising DFFT and its Priorities",
        "G7 Vision for Future Networks in the Beyond 5G/6G Era",
        "G7 Action Plan for Building a Secure and Resilient Digital Infrastructure",
        "G7 Action Plan for Open, Free, Global, Interoperable, Reliable, and Secure Internet",
        "G7 Action Plan for Promoting Global Interoperability between Tools for Trustworthy AI",
    ]
    kinds = list(
        Annex.objects.filter(declaration__slug=DECLARATION)
        .order_by("number")
        .values_list("kind", "theme__number")
    )
    assert kinds == [("vision", 1), ("vision", 2), ("action_plan", 2), ("action_plan", 3), ("action_plan", 5)]


def test_communique_items_trace_back_to_ministerial_themes_and_annexes():
    items = CommuniqueItem.objects.filter(declaration__slug=COMMUNIQUE).prefetch_related("themes", "annexes")
    trace = {
        item.topic: (
            sorted(t.number for t in item.themes.all()),
            sorted(a.number for a in item.annexes.all()),
        )
        for item in items
    }
    assert trace == {
        "ai": ([5], [5]),
        "metaverse": ([4], []),
        "dfft": ([1], [1]),
        "digital_infrastructure": ([2], [2, 3]),
    }
    assert findable("「広島AIプロセス」を立ち上げる")


def test_no_english_text_is_missing_where_the_japanese_has_one():
    empty = []
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for record in model.objects.all():
            for field in fields:
                if getattr(record, f"{field}_ja") and not getattr(record, f"{field}_en"):
                    empty.append(f"{model._meta.label} {record.pk} {field}_en")
    assert empty == []


def test_every_record_is_published_in_the_past():
    assert Meeting.objects.published().count() == Meeting.objects.count() == 18
    assert Declaration.objects.published().count() == Declaration.objects.count() == 2
