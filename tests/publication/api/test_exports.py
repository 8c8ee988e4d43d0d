"""Exports: every list as CSV and as JSON, all pages, streamed, with the list's filters."""

import csv
import io
import json
import re

import pytest

from declarations.resources import AnnexResource, CommuniqueItemResource, DeclarationResource, ThemeResource
from meetings.resources import MeetingResource, OrganizationResource, PersonResource, PrefectureResource
from tests.api_support import TAKASAKI, body, read_csv
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_format_csv_exports_every_page_with_a_column_per_language(api):
    MeetingFactory.create_batch(25, year=2023)
    response = api.get("/api/v1/meetings/", {"format": "csv", "page_size": 5})
    assert response.status_code == 200
    assert response.streaming
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="meetings.csv"'
    rows = read_csv(response)
    assert len(rows) == 18 + 25
    takasaki = next(row for row in rows if row["slug"] == TAKASAKI)
    assert takasaki["title_ja"] == "G7群馬高崎デジタル・技術大臣会合"
    assert takasaki["title_en"] == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"
    assert takasaki["prefecture_codes"] == "10"
    assert takasaki["start_date"] == "2023-04-29"
    assert takasaki["summit"] == "g7-2023-hiroshima-summit"
    assert set(takasaki["hosts"].split("|")) == {"mic", "digital-agency", "meti"}
    assert takasaki["source"] == "mic-ict-international-strategy"
    assert takasaki["provenance_note_en"].startswith("Overview from section 1")
    # In UTC and ISO 8601, as in the JSON API: the fixture's 2024-04-01T00:00:00+09:00.
    assert takasaki["published_at"] == "2024-03-31T15:00:00Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", takasaki["updated_at"])
    assert "title" not in rows[0]


def test_the_export_applies_the_filters(api):
    rows = read_csv(api.get("/api/v1/meetings/export/", {"format": "csv", "portfolio": "digital"}))
    assert {row["slug"] for row in rows} == {
        "g7-2016-ict-takamatsu",
        "g20-2019-trade-and-digital-economy-tsukuba",
        "g7-2022-digital-dusseldorf",
        TAKASAKI,
    }


def test_the_json_export_is_an_array_of_every_record_as_in_the_list(api):
    MeetingFactory.create_batch(3)
    response = api.get("/api/v1/meetings/export/", {"lang": "en"})
    assert response.streaming
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="meetings.json"'
    records = json.loads(body(response))
    assert isinstance(records, list) and len(records) == 21
    listed = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json()
    assert next(record for record in records if record["slug"] == TAKASAKI) == listed


def test_the_json_export_is_valid_when_nothing_matches(api):
    response = api.get("/api/v1/meetings/export/", {"year": 1975})
    assert json.loads(body(response)) == []


def test_the_export_hides_drafts_from_anonymous_clients(api):
    draft = MeetingFactory(status="draft", published_at=None)
    rows = read_csv(api.get("/api/v1/meetings/export/", {"format": "csv"}))
    assert draft.slug not in {row["slug"] for row in rows}


@pytest.mark.parametrize(
    ("url", "filename", "count", "column"),
    [
        ("/api/v1/declarations/export/", "declarations.csv", 2, "title_en"),
        ("/api/v1/themes/export/", "themes.csv", 6, "key_points_en"),
        ("/api/v1/annexes/export/", "annexes.csv", 5, "title_en"),
        ("/api/v1/communique-items/export/", "communique-items.csv", 4, "text_en"),
        ("/api/v1/organizations/export/", "organizations.csv", 3, "name_en"),
        ("/api/v1/people/export/", "people.csv", 3, "name_en"),
        ("/api/v1/prefectures/export/", "prefectures.csv", 47, "name_en"),
    ],
)
def test_every_resource_exports_as_csv(api, url, filename, count, column):
    response = api.get(url, {"format": "csv"})
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    rows = read_csv(response)
    assert len(rows) == count
    assert all(row[column] for row in rows)


@pytest.mark.parametrize(
    ("url", "resource"),
    [
        ("/api/v1/meetings/export/", MeetingResource),
        ("/api/v1/organizations/export/", OrganizationResource),
        ("/api/v1/people/export/", PersonResource),
        ("/api/v1/prefectures/export/", PrefectureResource),
        ("/api/v1/declarations/export/", DeclarationResource),
        ("/api/v1/themes/export/", ThemeResource),
        ("/api/v1/annexes/export/", AnnexResource),
        ("/api/v1/communique-items/export/", CommuniqueItemResource),
    ],
)
def test_the_csv_columns_are_those_the_admin_imports_and_exports(api, url, resource):
    """Regression: the API and the admin each defined a CSV's columns, and the two had drifted apart."""
    text = body(api.get(url, {"format": "csv"})).decode("utf-8").removeprefix("\ufeff")
    assert next(csv.reader(io.StringIO(text))) == resource().get_export_headers()


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped(api):
    """Regression: a text beginning with =, +, -, @, a tab or a CR ran as a formula when the file was opened
    in a spreadsheet (CSV injection); OWASP's remedy is a single quote before it."""
    escaped = {
        '=HYPERLINK("http://example.com")': '\'=HYPERLINK("http://example.com")',
        "+81 3": "'+81 3",
        "-1+1": "'-1+1",
        "-A1": "'-A1",
        "@SUM(A1)": "'@SUM(A1)",
        "\tTab": "'\tTab",
        "\rReturn": "'\rReturn",
        # One more quote where one is already there, so that an import can take exactly one off.
        "'=1+1": "''=1+1",
        "'quoted": "'quoted",
        "a = b - c": "a = b - c",
        # A number stays a number: a negative or signed value runs nothing, and a quote would make it text.
        "-1": "-1",
        "-12.5": "-12.5",
        "+81": "+81",
        # A quote already there before a number still gains one, so that the import gives it back.
        "'-1": "''-1",
    }
    slugs = {f"formula-{number}": title for number, title in enumerate(escaped)}
    for slug, title in slugs.items():
        MeetingFactory(slug=slug, title_en=title)
    rows = read_csv(api.get("/api/v1/meetings/export/", {"format": "csv"}))
    exported = {row["slug"]: row["title_en"] for row in rows if row["slug"] in slugs}
    assert exported == {slug: escaped[title] for slug, title in slugs.items()}
