"""What the register's pages read (commitments/selectors.py): the dashboard's counts, a commitment's
assessment history, what it builds on and what builds on it, and its lineage oldest first, without drafts."""

import re

import pytest

from commitments.models import Assessment, EarlierCommitment
from tests.commitments.support import DASHBOARD, DUSSELDORF, SUMMIT, TAKAMATSU, TSUKUBA, html_of

pytestmark = pytest.mark.django_db


def test_the_dashboard_counts_each_rating_and_progress(client):
    counts = client.get(DASHBOARD.format(lang="en")).context["counts"]
    assert counts["total"] == 24
    assert counts["rating_full"] == 5 and counts["rating_not_assessed"] == 19
    assert counts["progress_met"] == 5 and counts["progress_open"] == 19


def test_the_assessment_history_shows_each_rating_once_and_a_change_as_a_correction(client):
    assessment = Assessment.objects.get(commitment__slug="digital-competition-summit")
    response = client.get(SUMMIT.format(lang="en"))
    assert [version.rating for version in response.context["history"]] == ["full"]
    assessment.rating = "partial"
    assessment._change_reason = "The summit was held by the competition authorities, not the ministers."
    assessment.save()
    response = client.get(SUMMIT.format(lang="en"))
    assert [version.rating for version in response.context["history"]] == ["partial", "full"]
    page = response.content.decode()
    # The commitment is published: the change of its assessment is a public correction on its page.
    assert "Corrections of its parts" in page
    assert "The summit was held by the competition authorities, not the ministers." in page


def test_lineage_both_ways(client):
    page = html_of(client, "/en/commitments/iap-endorse/")
    assert 'href="/en/commitments/iap-establish/"' in page and "Builds on" in page
    page = html_of(client, "/en/commitments/iap-establish/")
    assert 'href="/en/commitments/iap-endorse/"' in page and "Built on by" in page


def test_a_commitments_page_shows_its_lineage_oldest_first(client):
    page = html_of(client, "/en/commitments/iap-establish/")
    section = page[page.index('id="lineage-heading"') :]
    section = section[: section.index("</section>")]
    years = re.findall(r'<p class="lineage__year">(\d{4})', section)
    assert years == sorted(years) and years[0] == "2019" and years[-1] == "2023"
    # Each earlier commitment with its meeting (linked), its summary, its source and its date.
    assert f'href="/en/meetings/{TSUKUBA}/"' in section and f'href="/en/meetings/{DUSSELDORF}/"' in section
    assert "data free flow with trust (DFFT)" in section
    assert 'href="https://worldjpn.net/documents/texts/G20/20190609.D2E.html"' in section
    assert "paragraph 16" in section and "9 June 2019" in section
    assert "status--editorial" in section
    # Then this commitment, then the leaders' commitment that builds on it.
    assert section.index("This commitment") < section.index('href="/en/commitments/iap-endorse/"')
    assert section.index("2022") < section.index("This commitment")
    # DFFT from 2016: the free flow of information of the Takamatsu meeting, then Tsukuba and Düsseldorf.
    page = html_of(client, "/en/commitments/dfft-vision-priorities/")
    section = page[page.index('id="lineage-heading"') :]
    years = re.findall(r'<p class="lineage__year">(\d{4})', section[: section.index("</section>")])
    assert years[:3] == ["2016", "2019", "2022"]
    assert f'href="/en/meetings/{TAKAMATSU}/"' in section


def test_a_draft_earlier_commitment_is_not_shown(client):
    EarlierCommitment.objects.filter(slug="tsukuba-2019-data-free-flow-with-trust").update(status="draft")
    assert "paragraph 16" not in html_of(client, "/en/commitments/iap-establish/")
    assert "data free flow with trust (DFFT)" not in html_of(client, f"/en/meetings/{TSUKUBA}/")
    assert (
        client.get("/api/v1/earlier-commitments/tsukuba-2019-data-free-flow-with-trust/").status_code == 404
    )
    record = client.get("/api/v1/commitments/iap-establish/").json()
    assert "tsukuba-2019-data-free-flow-with-trust" not in [
        step["slug"] for step in record["earlier_commitments"]
    ]
