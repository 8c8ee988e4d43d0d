"""The register in the API: commitments, follow-ups and assessments, read in one language or both, filtered,
exported as JSON and CSV, drafts kept from the public, writes refused (the admin keeps the register), and a
query count that does not grow with the register."""

import csv
import io
import json

import pytest

from commitments.models import Commitment
from tests.commitments.test_views import grow

pytestmark = pytest.mark.django_db

SUMMIT = "/api/v1/commitments/digital-competition-summit/"


def test_one_commitment_with_lang_all(client):
    response = client.get(SUMMIT + "?lang=all")
    assert response.status_code == 200
    record = response.json()
    assert record["text"] == {
        "ja": "デジタル競争サミットを今秋開催することに合意",
        "en": "Hold a digital competition summit in the autumn of 2023.",
    }
    assert record["source_paragraph"]["kind"] == "key_point"
    assert record["source_paragraph"]["declaration"] == "g7-2023-digital-and-tech-ministerial-declaration"
    assert record["source_paragraph"]["anchor"] == "theme-6-point-1"
    assert record["source_paragraph"]["web_url"]["ja"].endswith(
        "/ja/declarations/g7-2023-digital-and-tech-ministerial-declaration/#theme-6-point-1"
    )
    assert (record["target_date"], record["target_precision"]) == ("2023-11-30", "season")
    assert record["follow_ups"] == ["g7-competition-summit-tokyo-2023"]
    assert record["assessment"]["rating"] == "full"
    assert record["assessment"]["evidence"] == ["g7-competition-summit-tokyo-2023"]
    assert record["text_status"]["text"]["ja"] == "summary"


def test_a_theme_is_named_by_its_id_and_one_that_names_none_selects_nothing(client):
    from declarations.models import Theme

    theme = Theme.objects.get(declaration__slug="g7-2023-digital-and-tech-ministerial-declaration", number=6)
    response = client.get(f"/api/v1/commitments/?theme={theme.pk}")
    assert [record["number"] for record in response.json()["results"]] == [18, 19]
    response = client.get("/api/v1/commitments/?theme=999999")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_one_commitment_in_english(client):
    record = client.get(SUMMIT + "?lang=en").json()
    assert record["text"] == "Hold a digital competition summit in the autumn of 2023."
    assert record["target"] == "Autumn 2023"
    assert record["themes"] == ["g7-2023-digital-and-tech-ministerial-declaration/6"]


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


def test_the_register_as_csv(client):
    response = client.get("/api/v1/commitments/export/?format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 24
    summit = next(row for row in rows if row["slug"] == "digital-competition-summit")
    assert summit["rating"] == "full" and summit["target_date"] == "2023-11-30"
    assert summit["source_paragraph"].endswith("#theme-6-point-1")


def test_the_register_as_json(client):
    response = client.get("/api/v1/commitments/export/?lang=all")
    assert response.status_code == 200
    records = json.loads(b"".join(response.streaming_content))
    assert [record["number"] for record in records] == list(range(1, 25))


def test_follow_ups_and_assessments(client):
    follow_ups = client.get("/api/v1/follow-ups/?commitment=hiroshima-ai-process").json()["results"]
    assert [record["slug"] for record in follow_ups] == ["hiroshima-ai-process-ministers-meeting-2023-09"]
    assert (
        follow_ups[0]["address"]
        == "https://www.soumu.go.jp/main_sosiki/joho_tsusin/eng/pressrelease/2023/9/8_1.html"
    )
    assessment = client.get("/api/v1/assessments/disinformation-practices-igf-2023/?lang=all").json()
    assert assessment["rating"] == "full" and assessment["assessed_by"]["ja"] == "g7site編集部"
    assert assessment["evidence"] == ["epad-published-igf-2023-kyoto"]
    rated = client.get("/api/v1/assessments/?rating=not_assessed").json()
    assert rated["count"] == 19


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
