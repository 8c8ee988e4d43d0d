"""The register's pages (commitments/views.py): the dashboard (every commitment with its assessment and
target date), a commitment's page (its words in both languages, its paragraph, what followed and its
assessment) and the follow-ups, in both languages and in a fixed number of queries."""

import json
import re

import pytest
from django.test import Client

from commitments.models import Commitment
from declarations.models import Theme
from tests.commitments.support import DASHBOARD, SUMMIT, TSUKUBA, grow, html_of, numbers

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


def test_the_dashboard_lists_every_commitment_with_its_status_and_target(client):
    response = client.get(DASHBOARD.format(lang="en"))
    assert response.status_code == 200
    assert numbers(response) == list(range(1, 25))
    page = response.content.decode()
    summit = next(
        row for row in response.context["rows"] if row["commitment"].slug == "digital-competition-summit"
    )
    assert (summit["rating"], summit["progress"]) == ("full", "met")
    assert "Target: Autumn 2023" in page
    assert "Target: By the end of 2023" in page
    assert page.count('class="status rating rating--not_assessed"') >= 19


def test_the_dashboard_in_japanese(client):
    page = html_of(client, DASHBOARD.format(lang="ja"))
    assert "<h1>約束</h1>" in page
    assert "目標：2023年秋" in page and "目標：2023年内" in page
    assert "未評価" in page


def test_a_commitments_page_shows_its_words_in_both_languages_with_their_status(client):
    page = html_of(client, SUMMIT.format(lang="en"))
    assert '<blockquote lang="ja"' in page and "デジタル競争サミットを今秋開催することに合意" in page
    assert "Hold a digital competition summit in the autumn of 2023." in page
    assert "The source&#39;s own summary" in page and "Editorial translation" in page


def test_a_commitments_page_links_its_paragraph_to_the_anchor_on_the_document_page(client):
    page = html_of(client, SUMMIT.format(lang="en"))
    anchor = f"/en/declarations/{DECLARATION}/#theme-6-point-1"
    assert f'href="{anchor}"' in page
    document = html_of(client, f"/en/declarations/{DECLARATION}/")
    assert 'id="theme-6-point-1"' in document


def test_a_commitments_page_shows_what_followed_and_the_assessment_with_its_evidence(client):
    page = html_of(client, SUMMIT.format(lang="en"))
    assert "G7 Joint Competition Enforcers and Policymakers Summit, Tokyo" in page
    assert 'href="https://www.jftc.go.jp/en/pressreleases/yearly-2023/November/231108.html"' in page
    assert '<time datetime="2023-11-08">8 November 2023</time>' in page
    assert 'id="assessment"' in page and "Evidence" in page


def test_a_commitments_json_ld(client):
    page = html_of(client, SUMMIT.format(lang="en"))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert data["@type"] == "CreativeWork"
    assert data["isPartOf"]["@id"].endswith(f"/en/declarations/{DECLARATION}/#theme-6-point-1")
    assert data["expires"] == "2023-11-30"
    assert data["review"]["reviewRating"]["ratingExplanation"] == "Full"
    assert data["subjectOf"][0]["url"].startswith("https://www.jftc.go.jp/")


def test_a_commitments_page_in_japanese(client):
    page = html_of(client, SUMMIT.format(lang="ja"))
    assert "<h1>約束19</h1>" in page
    assert "2023年秋" in page and "公正取引委員会" in page


def test_a_draft_commitment_is_neither_listed_nor_shown(client):
    Commitment.objects.filter(slug="iap-establish").update(status="draft")
    assert 1 not in numbers(client.get(DASHBOARD.format(lang="en")))
    assert client.get("/en/commitments/iap-establish/").status_code == 404
    # Nor named on the page of a commitment that builds on it.
    assert "/en/commitments/iap-establish/" not in html_of(client, "/en/commitments/iap-endorse/")


def test_a_draft_commitment_is_not_named_by_the_follow_ups_that_answer_it(client, editor):
    """A published follow-up may answer a commitment still in draft: neither its page nor the timeline names
    it to the public; staff, who may preview drafts, see it."""
    draft = "/en/commitments/disinformation-practices-igf-2023/"
    epad = "/en/commitments/follow-ups/epad-published-igf-2023-kyoto/"
    assert draft in html_of(client, epad)
    Commitment.objects.filter(slug="disinformation-practices-igf-2023").update(status="draft")
    for address in (epad, "/en/commitments/follow-ups/"):
        page = html_of(client, address)
        assert draft not in page
        # The other commitment it answers is still named.
        assert "/en/commitments/igf-2023-kyoto-cooperation/" in page
    staff = Client()
    staff.force_login(editor)
    assert draft in html_of(staff, epad)


def test_an_unknown_commitment_or_follow_up_is_a_404(client):
    assert client.get("/en/commitments/nothing-like-it/").status_code == 404
    assert client.get("/en/commitments/follow-ups/nothing-like-it/").status_code == 404


def test_the_follow_ups_timeline_and_a_follow_ups_page(client):
    response = client.get("/en/commitments/follow-ups/")
    assert [follow_up.date.isoformat() for follow_up in response.context["object_list"]] == [
        "2023-09-07",
        "2023-10-08",
        "2023-11-08",
    ]
    page = html_of(client, "/ja/commitments/follow-ups/epad-published-igf-2023-kyoto/")
    assert "https://www.soumu.go.jp/menu_news/s-news/01ryutsu02_02000373.html" in page
    assert 'href="/ja/commitments/disinformation-practices-igf-2023/"' in page


def test_the_navigation_and_the_home_page_link_the_dashboard(client):
    for url in ("/en/", "/ja/declarations/"):
        assert 'href="/' + url.split("/")[1] + '/commitments/"' in html_of(client, url)
    assert "The commitment register" in html_of(client, "/en/")


@pytest.mark.parametrize(
    "url",
    [
        "/en/commitments/",
        "/ja/commitments/?rating=full&progress=met",
        "/en/commitments/?theme={theme}",
        "/en/commitments/iap-establish/",
        "/ja/commitments/digital-competition-summit/",
        "/en/commitments/follow-ups/",
        "/en/commitments/follow-ups/g7-competition-summit-tokyo-2023/",
        "/en/commitments/?thread=ai",
        "/ja/commitments/?earlier_meeting=g20-2019-trade-and-digital-economy-tsukuba",
        "/en/meetings/g20-2019-trade-and-digital-economy-tsukuba/",
        "/ja/meetings/g7-2016-ict-takamatsu/",
    ],
)
def test_query_counts_stay_within_the_budget_and_do_not_grow_with_the_register(count_queries, url):
    url = url.format(theme=Theme.objects.get(declaration__slug=DECLARATION, number=1).pk)
    before = count_queries(url)
    grow()
    assert count_queries(url) == before
    assert before <= 10


def test_the_dashboard_links_the_whole_register_as_csv_and_json(client):
    page = html_of(client, DASHBOARD.format(lang="en"))
    assert 'href="/api/v1/commitments/export/?format=csv&amp;lang=en"' in page
    assert 'href="/api/v1/commitments/export/?lang=all"' in page
    response = client.get("/api/v1/commitments/export/?format=csv&lang=en")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_a_commitments_lineage_in_japanese(client):
    page = html_of(client, "/ja/commitments/hiroshima-ai-process/")
    section = page[page.index('id="lineage-heading"') :]
    assert "「G20 AI原則」" in section and "2019年6月9日" in section
    assert f'href="/ja/meetings/{TSUKUBA}/"' in section
