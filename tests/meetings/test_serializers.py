"""How the API reads and writes a meeting and its reference data (meetings/serializers.py): its parts inline,
an organisation without a public page, the list's summary, the summit rule on a write."""

import pytest

from tests.api_support import DECLARATION, NEW_MEETING, TAKASAKI, body
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_meeting_has_its_sessions_places_hosts_chairs_and_documents_inline(api):
    meeting = api.get(f"/api/v1/meetings/{TAKASAKI}/", {"lang": "en"}).json()
    assert meeting["title"] == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"
    assert meeting["start_date"] == "2023-04-29" and meeting["end_date"] == "2023-04-30"
    assert meeting["sessions"] == [
        {"start_date": "2023-04-29", "end_date": "2023-04-30", "precision": "day", "mode": "in_person"}
    ]
    [location] = meeting["locations"]
    assert location["prefecture"]["code"] == "10"
    assert location["prefecture"]["name"] == "Gunma"
    assert location["city"] == "Takasaki"
    assert isinstance(location["latitude"], float)
    assert {host["slug"] for host in meeting["hosts"]} == {"mic", "digital-agency", "meti"}
    assert meeting["chairs"][0]["person"]["name"].startswith("Matsumoto")
    assert [document["slug"] for document in meeting["documents"]] == [DECLARATION]
    assert meeting["documents"][0]["web_url"] == f"http://testserver/en/declarations/{DECLARATION}/"
    assert meeting["summit"]["slug"] == "g7-2023-hiroshima-summit"
    assert meeting["web_url"] == f"http://testserver/en/meetings/{TAKASAKI}/"
    assert meeting["api_url"] == f"http://testserver/api/v1/meetings/{TAKASAKI}/"


def test_an_organization_has_no_public_page(api):
    OrganizationFactory(slug="plain-organization")
    organization = api.get("/api/v1/organizations/plain-organization/").json()
    assert organization["web_url"] is None
    assert organization["api_url"] == "http://testserver/api/v1/organizations/plain-organization/"


def test_the_meetings_list_keeps_sessions_and_places_and_as_csv_gives_whole_meetings(api):
    listed = next(
        meeting
        for meeting in api.get("/api/v1/meetings/", {"lang": "en"}).json()["results"]
        if meeting["slug"] == TAKASAKI
    )
    assert listed["sessions"] and listed["locations"][0]["city"] == "Takasaki"
    csv_text = body(api.get("/api/v1/meetings/", {"format": "csv"})).decode()
    assert "g7-2023-digital-and-tech-takasaki" in csv_text and "summit" in csv_text.splitlines()[0]


def test_a_summit_may_not_belong_to_a_summit(editor_api):
    """Guards the named constraint meeting_only_ministerial_has_summit: a 400 on `summit`, not a 500."""
    response = editor_api.post("/api/v1/meetings/", {**NEW_MEETING, "kind": "summit"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["summit"]
