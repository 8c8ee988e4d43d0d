"""The register's filters (commitments/filters.py), on the dashboard and in the API alike: act, who committed,
rating, progress (due and overdue), words, theme, and the thread or earlier meeting a commitment carries
forward; a bad value is a 400."""

import datetime

import pytest
from django.utils import timezone

from commitments.models import Commitment
from declarations.models import Theme
from tests.api_support import DECLARATION
from tests.commitments.support import DASHBOARD, DUSSELDORF, TAKAMATSU, TSUKUBA, html_of, numbers
from tests.html_forms import dangling_references

pytestmark = pytest.mark.django_db


def test_a_theme_is_named_by_its_id_and_one_that_names_none_selects_nothing(client):
    from declarations.models import Theme

    theme = Theme.objects.get(declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", number=6)
    response = client.get(f"/api/v1/commitments/?theme={theme.pk}")
    assert [record["number"] for record in response.json()["results"]] == [18, 19]
    response = client.get("/api/v1/commitments/?theme=999999")
    assert response.status_code == 200 and response.json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("act=hold", ["generative-ai-forum", "digital-competition-summit"]),
        ("rating=full&committed_by=leaders", ["hiroshima-ai-process"]),
        ("progress=met&q=サミット", ["digital-competition-summit"]),
    ],
)
def test_the_list_filters_as_the_dashboard_does(client, query, expected):
    response = client.get(f"/api/v1/commitments/?{query}")
    assert response.status_code == 200
    assert [record["slug"] for record in response.json()["results"]] == expected


@pytest.mark.parametrize("query", ["act=hope", "rating=excellent", "progress=soon", "theme=x", "format=xml"])
def test_a_bad_filter_is_a_400(client, query):
    response = client.get(f"/api/v1/commitments/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("act=hold", [16, 19]),
        ("committed_by=leaders", [20, 21, 22, 23, 24]),
        ("rating=full", [10, 16, 17, 19, 20]),
        ("progress=met", [10, 16, 17, 19, 20]),
        ("progress=overdue", []),
        ("q=今秋", [19]),
        ("q=submarine", [5, 23]),
    ],
)
def test_the_dashboards_filters(client, query, expected):
    response = client.get(DASHBOARD.format(lang="en") + "?" + query)
    assert response.status_code == 200
    assert numbers(response) == expected


def test_the_theme_filter_lists_each_commitment_once(client):
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=6)
    response = client.get(DASHBOARD.format(lang="en") + f"?theme={theme.pk}")
    assert numbers(response) == [18, 19]
    assert response.context["counts"]["total"] == 2


def test_a_target_gone_by_without_a_full_rating_is_overdue_and_one_to_come_is_due(client):
    Commitment.objects.filter(slug="iap-establish").update(
        target_date=timezone.localdate() - datetime.timedelta(days=30), target_precision="day"
    )
    Commitment.objects.filter(slug="iap-endorse").update(
        target_date=datetime.date(2099, 12, 31), target_precision="year_end"
    )
    assert numbers(client.get(DASHBOARD.format(lang="en") + "?progress=overdue")) == [1]
    assert numbers(client.get(DASHBOARD.format(lang="en") + "?progress=due")) == [22]


@pytest.mark.parametrize(
    "query", ["act=hope", "rating=excellent", "progress=soon", "theme=99999", "theme=x", "q=" + "x" * 300]
)
def test_bad_filter_values_are_a_400_with_the_forms_error(client, query):
    response = client.get(DASHBOARD.format(lang="en") + "?" + query)
    assert response.status_code == 400
    assert response.context["form"].errors


@pytest.mark.parametrize("query", ["", "act=hope&rating=excellent"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_dashboard_filter_refers_only_to_what_the_page_has(client, lang, query):
    """No field names a help text the page does not show (the help texts are the API's); a field with an
    error names its error."""
    html = client.get(DASHBOARD.format(lang=lang) + "?" + query).content.decode()
    assert not dangling_references(html)
    if query:
        assert 'aria-describedby="id_act_error"' in html
        assert '<p class="field__error" id="id_act_error">' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thread=ai", ["ai-governance-action-plan", "hiroshima-ai-process"]),
        ("thread=governance", ["agile-governance"]),
        (
            f"earlier_meeting={TAKAMATSU}",
            ["dfft-vision-priorities", "unfragmented-internet", "ai-governance-action-plan"],
        ),
        (
            f"earlier_meeting={DUSSELDORF}&committed_by=leaders",
            ["iap-endorse", "submarine-cables-resilience"],
        ),
    ],
)
def test_the_dashboard_follows_a_thread_or_an_earlier_meeting(client, query, expected):
    response = client.get(f"/en/commitments/?{query}")
    assert response.status_code == 200
    slugs = {
        commitment.slug: commitment.number for commitment in Commitment.objects.filter(slug__in=expected)
    }
    assert numbers(response) == sorted(slugs.values())
    api = client.get(f"/api/v1/commitments/?{query}").json()["results"]
    assert sorted(record["slug"] for record in api) == sorted(expected)


def test_the_dashboard_offers_the_earlier_meetings_and_threads_in_both_languages(client):
    page = html_of(client, "/en/commitments/")
    assert f'<option value="{TSUKUBA}">' in page and '<option value="data_flows">' in page
    assert "AI governance" in page
    assert "AIガバナンス" in html_of(client, "/ja/commitments/")


@pytest.mark.parametrize("query", ["thread=space", "earlier_meeting=no-such-meeting"])
def test_a_bad_thread_or_meeting_is_a_400_on_the_dashboard(client, query):
    assert client.get(f"/en/commitments/?{query}").status_code == 400
