"""The register's endpoints (commitments/api.py): drafts kept from the public, writes refused (the admin keeps
the register), the JSON export, follow-ups and earlier commitments filtered by the record they name, the
schema, and a query count that does not grow with the register."""

import json

import pytest

from commitments.models import Commitment
from tests.commitments.support import DUSSELDORF, LINEAGE, TSUKUBA, grow
from tests.commitments.support import SUMMIT_API as SUMMIT

pytestmark = pytest.mark.django_db


def test_the_register_as_json(client):
    response = client.get("/api/v1/commitments/export/?lang=all")
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert [record["number"] for record in records] == list(range(1, 25))


def test_a_draft_is_not_in_the_public_api(client, editor):
    Commitment.objects.filter(slug="iap-establish").update(status="draft")
    assert client.get("/api/v1/commitments/iap-establish/").status_code == 404
    assert client.get("/api/v1/assessments/iap-establish/").status_code == 404
    assert "iap-establish" not in client.get("/api/v1/commitments/iap-endorse/").json()["builds_on"]
    client.force_login(editor)
    assert client.get("/api/v1/commitments/iap-establish/").status_code == 200


def test_the_api_does_not_write_the_register(editor_client):
    assert editor_client.post("/api/v1/commitments/", {}, content_type="application/json").status_code == 405
    assert editor_client.patch(SUMMIT, {"act": "agree"}, content_type="application/json").status_code == 405
    assert Commitment.objects.get(slug="digital-competition-summit").act == "hold"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/commitments/?lang=all",
        SUMMIT,
        "/api/v1/follow-ups/",
        "/api/v1/assessments/",
        "/api/v1/assessments/digital-competition-summit/",
        "/api/v1/commitments/iap-establish/?lang=all",
        "/api/v1/earlier-commitments/?lang=all",
        "/api/v1/earlier-commitments/?thread=ai&meeting=g20-2019-trade-and-digital-economy-tsukuba",
        "/api/v1/earlier-commitments/tsukuba-2019-data-free-flow-with-trust/",
    ],
)
def test_query_counts_stay_within_the_budget_and_do_not_grow(count_queries, url):
    before = count_queries(url)
    grow()
    assert count_queries(url) == before
    assert before <= 10


def test_follow_ups_of_a_commitment_that_does_not_exist_are_a_404_naming_it(client):
    """As every filter by a record's slug: a commitment that does not exist is not an empty list."""
    response = client.get("/api/v1/follow-ups/?commitment=no-such-commitment", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "no-such-commitment" in response.json()["detail"]
    found = client.get("/api/v1/follow-ups/?commitment=hiroshima-ai-process").json()["results"]
    assert len(found) == 1


def test_the_earlier_commitments_endpoint(client):
    records = client.get("/api/v1/earlier-commitments/").json()["results"]
    assert [record["date"] for record in records] == sorted(record["date"] for record in records)
    assert len(records) == len(LINEAGE)
    record = client.get("/api/v1/earlier-commitments/tsukuba-2019-human-centred-ai/?lang=all").json()
    assert record["commitments"] == ["ai-governance-action-plan", "hiroshima-ai-process"]
    assert record["web_url"]["en"].endswith(f"/en/meetings/{TSUKUBA}/#earlier-tsukuba-2019-human-centred-ai")
    filtered = client.get(f"/api/v1/earlier-commitments/?thread=data_flows&meeting={DUSSELDORF}").json()
    assert [record["slug"] for record in filtered["results"]] == ["dusseldorf-2022-action-plan-dfft"]
    carried = client.get("/api/v1/earlier-commitments/?commitment=agile-governance").json()
    assert [record["slug"] for record in carried["results"]] == ["tsukuba-2019-governance-innovation"]


@pytest.mark.parametrize(
    ("query", "status"),
    [("thread=space", 400), ("meeting=no-such-meeting", 404), ("commitment=no-such-commitment", 404)],
)
def test_a_bad_filter_of_earlier_commitments_is_a_4xx(client, query, status):
    response = client.get(f"/api/v1/earlier-commitments/?{query}")
    assert response.status_code == status


def test_the_api_does_not_write_earlier_commitments(editor_client):
    url = "/api/v1/earlier-commitments/tsukuba-2019-human-centred-ai/"
    assert (
        editor_client.post("/api/v1/earlier-commitments/", {}, content_type="application/json").status_code
        == 405
    )
    assert (
        editor_client.patch(url, {"thread": "internet"}, content_type="application/json").status_code == 405
    )


def test_the_schema_documents_the_earlier_commitments_and_the_lineage(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/earlier-commitments/" in schema["paths"]
    assert "/api/v1/earlier-commitments/{slug}/" in schema["paths"]
    commitment = schema["components"]["schemas"]["Commitment"]["properties"]
    assert "earlier_commitments" in commitment
    parameters = {
        parameter["name"] for parameter in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]
    }
    assert parameters >= {"thread", "earlier_meeting"}
