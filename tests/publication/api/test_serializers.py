"""The shared serializers (publication/api/serializers.py): no raw language column shows, a list gives
summaries where the record and its export give everything, and a write publishes with or without a time."""

import json

import pytest

from meetings.models import Meeting
from tests.api_support import DECLARATION, TAKASAKI, body, new_meeting

pytestmark = pytest.mark.django_db


def test_no_raw_language_columns_show(api):
    text = api.get(f"/api/v1/declarations/{DECLARATION}/").content.decode()
    assert "title_ja" not in text and "title_en" not in text and '_ja"' not in text


PROVENANCE = {"source", "source_locator", "provenance_note"}


@pytest.mark.parametrize(
    ("resource", "slug", "left_out"),
    [
        ("declarations", DECLARATION, {"body", "themes", "annexes", "communique_items", *PROVENANCE}),
        ("meetings", TAKASAKI, {"hosts", "chairs", "summit", "documents", *PROVENANCE}),
    ],
)
def test_a_list_gives_summaries_and_the_record_and_export_give_everything(api, resource, slug, left_out):
    listed = next(
        record
        for record in api.get(f"/api/v1/{resource}/", {"lang": "en"}).json()["results"]
        if record["slug"] == slug
    )
    whole = api.get(listed["api_url"], {"lang": "en"}).json()
    assert not left_out & set(listed)
    assert left_out <= set(whole)
    assert {key: value for key, value in whole.items() if key in listed} == listed
    exported = next(
        record
        for record in json.loads(body(api.get(f"/api/v1/{resource}/export/", {"lang": "en"})))
        if record["slug"] == slug
    )
    assert exported == whole


# Writes: what the schema lets a client send is taken as docs/api.md says.


@pytest.mark.parametrize("publish_time", [{}, {"published_at": None}])
def test_a_record_published_without_a_publish_time_is_published_now(publisher_api, publish_time):
    """Regression: `status: published` alone, which the schema allows, was a 400 (a published record needs
    its publish time); it publishes now, as the admin's "publish now" does."""
    from django.utils import timezone

    before = timezone.now()
    response = publisher_api.post(
        "/api/v1/meetings/?lang=en", new_meeting(status="published", **publish_time), format="json"
    )
    assert response.status_code == 201, response.json()
    published_at = Meeting.objects.get(slug="g7-2023-example").published_at
    assert before <= published_at <= timezone.now()
    assert publisher_api.get("/api/v1/meetings/g7-2023-example/").status_code == 200


def test_a_draft_keeps_no_publish_time_and_a_given_one_is_kept(publisher_api):
    assert publisher_api.post("/api/v1/meetings/", new_meeting(), format="json").status_code == 201
    assert Meeting.objects.get(slug="g7-2023-example").published_at is None
    when = "2030-01-01T09:00:00+09:00"
    response = publisher_api.patch(
        "/api/v1/meetings/g7-2023-example/", {"status": "published", "published_at": when}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["published_at"] == when
