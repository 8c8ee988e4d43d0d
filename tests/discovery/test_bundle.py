"""The whole archive as one ZIP (discovery/bundle.py, /data/g7-2023-archive.zip): CSV, JSON, manifest and
readme, named by date and version, the rows of the API's exports, no draft, a fixed number of queries."""

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache

from discovery.bundle import RESOURCES
from meetings.models import Meeting
from publication.selectors import archive_last_modified
from tests.api_support import TAKASAKI
from tests.commitments.support import LINEAGE, html_of
from tests.discovery.support import BUNDLE
from tests.factories import (
    AnnexFactory,
    CommuniqueItemFactory,
    DeclarationFactory,
    KeyPointFactory,
    LocationFactory,
    MeetingFactory,
    OrganizationFactory,
    SessionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def bundle_files(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {info.filename.split("/", 1)[1]: archive.read(info) for info in archive.infolist()}


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def as_cell(value) -> str:
    return "" if value is None else str(value)


def api_export_rows(client, resource: str) -> list[list[str]]:
    response = client.get(f"/api/v1/{resource}/export/", {"format": "csv"})
    assert response.status_code == 200
    return csv_rows(b"".join(response.streaming_content))


def test_the_bundle_is_a_zip_of_csv_json_manifest_and_readme(client):
    response = client.get(BUNDLE)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = bundle_files(response)
    assert set(files) == {
        "README.txt",
        "manifest.json",
        "g7-2023-archive.json",
        *(f"csv/{resource.name}.csv" for resource in RESOURCES),
    }
    readme = files["README.txt"].decode()
    assert "Government of Japan Standard Terms of Use (Version 2.0)" in readme
    assert "政府標準利用規約（第2.0版）" in readme
    assert "How to cite" in readme and "引用の仕方" in readme


def test_its_name_carries_the_date_and_the_version(client):
    response = client.get(BUNDLE)
    manifest = json.loads(bundle_files(response)["manifest.json"])
    day = archive_last_modified().astimezone(datetime.UTC).date().isoformat()
    assert re.fullmatch(r"[0-9a-f]{12}", manifest["version"])
    filename = f"g7-2023-archive-{day}-{manifest['version']}.zip"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert manifest["last_modified"].startswith(day)
    assert manifest["licence"]["compatible_with"] == "https://creativecommons.org/licenses/by/4.0/"
    assert response["ETag"] == f'"{manifest["version"]}"'


@pytest.mark.parametrize("resource", [resource.name for resource in RESOURCES])
def test_each_csv_has_the_rows_of_the_apis_export(client, resource):
    files = bundle_files(client.get(BUNDLE))
    bundled = csv_rows(files[f"csv/{resource}.csv"])
    exported = api_export_rows(client, resource)
    assert bundled[0] == exported[0]
    assert sorted(bundled[1:]) == sorted(exported[1:])
    assert len(bundled) > 1


def test_the_json_file_holds_the_rows_of_the_csv_files(client):
    files = bundle_files(client.get(BUNDLE))
    archive = json.loads(files["g7-2023-archive.json"])
    manifest = json.loads(files["manifest.json"])
    assert archive["version"] == manifest["version"]
    for resource in RESOURCES:
        header, *rows = csv_rows(files[f"csv/{resource.name}.csv"])
        # The same values, a count a number rather than its digits.
        assert [
            [as_cell(value) for value in row.values()] for row in archive["resources"][resource.name]
        ] == rows
        assert all(list(row) == header for row in archive["resources"][resource.name])


def test_the_manifest_names_every_file_with_its_hash(client):
    files = bundle_files(client.get(BUNDLE))
    manifest = json.loads(files["manifest.json"])
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == set(files) - {"manifest.json", "README.txt"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[path]).hexdigest(), path
    assert listed["csv/meetings.csv"]["rows"] == Meeting.objects.published().count()


def test_the_same_records_make_the_same_bytes_and_a_change_a_new_version(client):
    first, again = client.get(BUNDLE), client.get(BUNDLE)
    assert first.content == again.content
    meeting = Meeting.objects.get(slug=TAKASAKI)
    meeting.summary_en = "A corrected summary."
    meeting.save()
    changed = client.get(BUNDLE)
    assert changed["ETag"] != first["ETag"]
    assert "A corrected summary." in bundle_files(changed)["csv/meetings.csv"].decode()


def test_drafts_and_their_parts_are_left_out(client):
    draft = DeclarationFactory(status=Meeting.Status.DRAFT, published_at=None, slug="a-draft-document")
    ThemeFactory(declaration=draft, number=1)
    AnnexFactory(declaration=draft, number=1)
    MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, slug="a-draft-meeting")
    files = bundle_files(client.get(BUNDLE))
    for name in ("meetings", "declarations", "themes", "annexes"):
        assert b"a-draft-" not in files[f"csv/{name}.csv"], name


def test_a_browser_that_has_it_gets_a_304_and_may_keep_it_an_hour(client):
    first = client.get(BUNDLE)
    assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]
    assert first["Last-Modified"]
    again = client.get(BUNDLE, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""


def test_the_bundle_reads_a_fixed_number_of_queries_however_many_records(client):
    """Regression guard: each table is read once, never once per record."""

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(BUNDLE).status_code == 200
        return len(context)

    before = queries()
    organization = OrganizationFactory()
    for number in range(5):
        meeting = MeetingFactory(slug=f"more-{number}")
        meeting.hosts.add(organization)
        SessionFactory(meeting=meeting)
        LocationFactory(meeting=meeting)
        document = DeclarationFactory(meeting=meeting, slug=f"more-document-{number}")
        theme = ThemeFactory(declaration=document, number=1)
        KeyPointFactory(theme=theme)
        annex = AnnexFactory(declaration=document, number=1, theme=theme)
        item = CommuniqueItemFactory(declaration=document, number=1)
        item.themes.add(theme)
        item.annexes.add(annex)
    assert queries() == before


def test_with_the_page_cache_on_a_second_download_reads_nothing(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        first = client.get(BUNDLE)
        with django_assert_num_queries(0):
            second = client.get(BUNDLE)
        assert second.content == first.content
        meeting = Meeting.objects.get(slug=TAKASAKI)
        meeting.summary_en = "Changed after the bundle was cached."
        meeting.save()
        assert client.get(BUNDLE)["ETag"] != first["ETag"]
    finally:
        cache.clear()


def test_the_archive_and_the_data_page_carry_the_earlier_commitments(client):
    files = bundle_files(client.get(BUNDLE))
    rows = csv_rows(files["csv/earlier-commitments.csv"])
    assert len(rows) == len(LINEAGE) + 1 and "summary_ja" in rows[0]
    commitments = csv_rows(files["csv/commitments.csv"])
    assert "earlier_commitments" in commitments[0]
    page = html_of(client, "/ja/data/")
    assert 'href="/api/v1/earlier-commitments/export/?format=csv"' in page and "以前の約束" in page
