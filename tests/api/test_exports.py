"""Exports: every list as CSV and as JSON, all pages, streamed, with the list's filters."""

import csv
import io
import json

import pytest

from tests.factories import MeetingFactory

from .conftest import TAKASAKI, body

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


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


def test_a_communique_item_export_names_the_parts_it_takes_up(api):
    rows = read_csv(api.get("/api/v1/communique-items/export/", {"format": "csv"}))
    dfft = next(row for row in rows if row["topic"] == "dfft")
    assert dfft["themes"] == "g7-2023-digital-and-tech-ministerial-declaration/1"
