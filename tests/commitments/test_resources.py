"""The register's CSV and JSON exports (commitments/resources.py): a commitment's rating, target and source
paragraph, and the lineage of earlier commitments."""

import csv
import io
import json

import pytest

from tests.commitments.support import DUSSELDORF, TAKAMATSU, TSUKUBA

pytestmark = pytest.mark.django_db


def test_the_register_as_csv(client):
    response = client.get("/api/v1/commitments/export/?format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 24
    summit = next(row for row in rows if row["slug"] == "digital-competition-summit")
    assert summit["rating"] == "full" and summit["target_date"] == "2023-11-30"
    assert summit["source_paragraph"].endswith("#theme-6-point-1")


def test_the_export_of_commitments_carries_the_lineage(client):
    response = client.get("/api/v1/commitments/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(row for row in rows if row["slug"] == "hiroshima-ai-process")
    assert row["earlier_commitments"] == "tsukuba-2019-human-centred-ai"
    records = json.loads(b"".join(client.get("/api/v1/commitments/export/").streaming_content))
    record = next(record for record in records if record["slug"] == "agile-governance")
    assert [step["slug"] for step in record["earlier_commitments"]] == ["tsukuba-2019-governance-innovation"]
    earlier = client.get("/api/v1/earlier-commitments/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(earlier.streaming_content).decode("utf-8-sig"))))
    assert {row["meeting"] for row in rows} == {TAKAMATSU, TSUKUBA, DUSSELDORF}
