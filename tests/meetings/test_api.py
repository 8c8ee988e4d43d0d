"""The meetings' endpoints (meetings/api.py): the list and its order, prefectures, organisations and people
found by their keys, the Last-Modified that follows the meeting's documents and the summit rule in the
schema."""

import datetime

import pytest
from django.utils import timezone

from declarations.models import Declaration
from tests.api_support import DECLARATION, TAKASAKI, new_meeting

pytestmark = pytest.mark.django_db


def test_a_changed_document_moves_last_modified_of_its_meeting(api):
    """A meeting lists its documents, so a document's change must make the meeting's copy stale."""
    first = api.get(f"/api/v1/meetings/{TAKASAKI}/")
    Declaration.objects.filter(slug=DECLARATION).update(
        updated_at=timezone.now() + datetime.timedelta(seconds=5)
    )
    again = api.get(f"/api/v1/meetings/{TAKASAKI}/", HTTP_IF_MODIFIED_SINCE=first.headers["Last-Modified"])
    assert again.status_code == 200


def test_the_meetings_list_is_paginated_and_holds_every_published_meeting(api):
    response = api.get("/api/v1/meetings/", {"page_size": 100})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 18
    assert data["next"] is None and data["previous"] is None
    assert {meeting["slug"] for meeting in data["results"]} >= {TAKASAKI, "g7-2023-hiroshima-summit"}
    # The list is ordered by date, as on the website: the 2016 meeting comes first.
    assert data["results"][0]["slug"] == "g7-2016-ict-takamatsu"


def test_a_prefecture_is_found_by_its_jis_code(api):
    prefecture = api.get("/api/v1/prefectures/10/", {"lang": "all"}).json()
    assert prefecture["name"] == {"ja": "群馬県", "en": "Gunma"}
    assert prefecture["web_url"]["en"] == "http://testserver/en/meetings/?prefecture=10"


def test_organizations_and_people_are_found_by_slug(api):
    organization = api.get("/api/v1/organizations/mic/", {"lang": "en"}).json()
    assert organization["name"] == "Ministry of Internal Affairs and Communications"
    assert organization["website"].startswith("https://")
    person = api.get("/api/v1/people/", {"lang": "ja"}).json()["results"]
    assert {p["name"] for p in person} >= {"松本剛明"}


def test_only_a_ministerial_meeting_has_a_summit_as_the_schema_says(publisher_api, client):
    """Regression: the rule was the model's alone; a summit with a summit, which the schema allowed, was a
    400. The schema states it now."""
    kind = "summit"
    import jsonschema

    response = publisher_api.post(
        "/api/v1/meetings/", new_meeting(kind=kind, summit="g7-2023-hiroshima-summit"), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["summit"]
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    rule = {"anyOf": schema["MeetingWriteRequest"]["anyOf"]}
    validator = jsonschema.Draft4Validator(rule)
    assert not validator.is_valid({"kind": kind, "summit": "g7-2023-hiroshima-summit"})
    assert validator.is_valid({"kind": kind, "summit": None})
    assert validator.is_valid({"kind": kind})
    assert validator.is_valid({"kind": "ministerial", "summit": "g7-2023-hiroshima-summit"})


def test_a_publisher_updates_a_prefecture_by_code(publisher_api):
    """(An editor's change to a prefecture that a published meeting is held in waits for review: test_review.)"""
    response = publisher_api.patch(
        "/api/v1/prefectures/10/", {"name": {"en": "Gunma Prefecture"}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "群馬県"
