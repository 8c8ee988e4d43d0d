"""The register in the API (commitments/serializers.py): a commitment in one language or both with its source
paragraph, target, follow-ups, assessment and lineage; follow-ups and assessments."""

import pytest

from tests.commitments.support import SUMMIT_API as SUMMIT
from tests.commitments.support import TSUKUBA

pytestmark = pytest.mark.django_db


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


def test_one_commitment_in_english(client):
    record = client.get(SUMMIT + "?lang=en").json()
    assert record["text"] == "Hold a digital competition summit in the autumn of 2023."
    assert record["target"] == "Autumn 2023"
    assert record["themes"] == ["g7-2023-digital-and-tech-ministerial-declaration/6"]


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


def test_the_api_gives_a_commitments_lineage_in_both_languages(client):
    record = client.get("/api/v1/commitments/iap-endorse/?lang=all").json()
    steps = record["earlier_commitments"]
    # Oldest first: the 2019 statement, then the 2022 action plan.
    assert [step["slug"] for step in steps] == [
        "tsukuba-2019-data-free-flow-with-trust",
        "dusseldorf-2022-action-plan-dfft",
    ]
    dfft = next(step for step in steps if step["slug"] == "tsukuba-2019-data-free-flow-with-trust")
    assert dfft["meeting"] == TSUKUBA and dfft["paragraph"] == "16" and dfft["date"] == "2019-06-09"
    assert dfft["document_title"] == {
        "ja": "G20貿易・デジタル経済大臣会合閣僚声明",
        "en": "G20 Ministerial Statement on Trade and Digital Economy",
    }
    assert (
        dfft["summary"]["ja"].startswith("G20の大臣は")
        and dfft["text_status"]["summary"]["en"] == "editorial"
    )
    english = client.get("/api/v1/commitments/iap-endorse/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["earlier_commitments"][0]["summary"].startswith("The G20 ministers")
