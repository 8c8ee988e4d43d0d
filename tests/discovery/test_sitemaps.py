import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from declarations.models import Annex, Declaration
from meetings.models import Meeting
from tests.factories import AnnexFactory, DeclarationFactory, MeetingFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS).removeprefix("http://testserver"): url
        for url in root.findall("s:url", NS)
    }


def alternates(url):
    return {
        link.get("hreflang"): link.get("href").removeprefix("http://testserver")
        for link in url.findall("x:link", NS)
        if link.get("rel") == "alternate"
    }


def test_lists_every_public_page_in_both_languages(client):
    urls = sitemap(client)
    meetings = Meeting.objects.published().count()
    declarations = Declaration.objects.published().count()
    annexes = Annex.objects.filter(declaration__in=Declaration.objects.published()).count()
    # The home page, the two lists, and about, accessibility, terms and contact.
    assert len(urls) == 2 * (7 + meetings + declarations + annexes)
    for language in ("ja", "en"):
        assert f"/{language}/" in urls
        assert f"/{language}/meetings/" in urls
        assert f"/{language}/declarations/" in urls
        assert f"/{language}/meetings/g7-2023-digital-and-tech-takasaki/" in urls
        assert f"/{language}/declarations/g7-2023-hiroshima-leaders-communique/" in urls
        for number in range(1, 6):
            assert (
                f"/{language}/declarations/g7-2023-digital-and-tech-ministerial-declaration/annexes/{number}/"
                in urls
            )


def test_each_page_names_its_alternates_and_x_default(client):
    """x-default is the English page, which a browser that asks for neither language is given, not the
    address without a language (a redirect)."""
    urls = sitemap(client)
    for loc, url in urls.items():
        links = alternates(url)
        path = loc.split("/", 2)[2]
        assert links == {"ja": f"/ja/{path}", "en": f"/en/{path}", "x-default": f"/en/{path}"}, loc


def test_lastmod_comes_from_the_record(client):
    meeting = Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki")
    url = sitemap(client)["/en/meetings/g7-2023-digital-and-tech-takasaki/"]
    assert (
        url.findtext("s:lastmod", namespaces=NS) == timezone.localtime(meeting.updated_at).date().isoformat()
    )


def test_drafts_scheduled_records_and_their_annexes_are_left_out(client):
    later = timezone.now() + datetime.timedelta(days=2)
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    scheduled = MeetingFactory(published_at=later)
    hidden = DeclarationFactory(status=Declaration.Status.DRAFT, published_at=None)
    AnnexFactory(declaration=hidden, number=1)
    visible = DeclarationFactory()
    AnnexFactory(declaration=visible, number=1)
    urls = sitemap(client)
    assert f"/ja/meetings/{draft.slug}/" not in urls
    assert f"/ja/meetings/{scheduled.slug}/" not in urls
    assert f"/ja/declarations/{hidden.slug}/" not in urls
    assert f"/ja/declarations/{hidden.slug}/annexes/1/" not in urls
    assert f"/en/declarations/{visible.slug}/annexes/1/" in urls


def test_query_count_does_not_grow_with_records(client, django_assert_num_queries):
    # Meetings, documents, annexes; the other two open and close the request's savepoint.
    with django_assert_num_queries(5):
        before = client.get("/sitemap.xml").content.count(b"<url>")
    for _ in range(20):
        AnnexFactory(declaration=DeclarationFactory(meeting=MeetingFactory()))
    with django_assert_num_queries(5):
        response = client.get("/sitemap.xml")
    # Each new meeting, document and annex, in two languages.
    assert response.content.count(b"<url>") == before + 2 * 3 * 20
