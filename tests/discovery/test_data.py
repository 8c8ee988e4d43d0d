"""The data page (/{lang}/data/), the whole archive as one ZIP (/data/g7-2023-archive.zip), and the feed,
calendar and data links every page carries."""

import csv
import datetime
import hashlib
import io
import json
import re
import zipfile

import pytest
from django.core.cache import cache
from django.utils import timezone

from discovery.bundle import RESOURCES
from meetings.models import Meeting
from publication.selectors import archive_last_modified
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

BUNDLE = "/data/g7-2023-archive.zip"
TAKASAKI = "g7-2023-digital-and-tech-takasaki"
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


# The whole archive as one file


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
