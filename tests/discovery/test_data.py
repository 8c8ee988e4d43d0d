"""The data page (/{lang}/data/) and the feed, calendar and data links every page carries; the archive it
offers is tested in test_bundle.py."""

import json
import re

import pytest
from django.utils import timezone

from discovery.bundle import RESOURCES
from publication.selectors import archive_last_modified
from tests.api_support import TAKASAKI
from tests.discovery.support import BUNDLE

pytestmark = pytest.mark.django_db

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
