"""The API's routes (g7site/api.py): the router's names under /api/v1/ and every list it serves."""

import pytest
from django.urls import reverse

from tests.api_support import DECLARATION, TAKASAKI

pytestmark = pytest.mark.django_db


def test_the_router_names_resolve_under_api_v1():
    assert reverse("api:meeting-list") == "/api/v1/meetings/"
    assert reverse("api:meeting-detail", kwargs={"slug": TAKASAKI}) == f"/api/v1/meetings/{TAKASAKI}/"
    assert reverse("api:annex-detail", kwargs={"slug": DECLARATION, "number": 1}) == (
        f"/api/v1/declarations/{DECLARATION}/annexes/1/"
    )
    assert reverse("api:prefecture-detail", kwargs={"code": "10"}) == "/api/v1/prefectures/10/"
    assert reverse("api:meeting-export") == "/api/v1/meetings/export/"


@pytest.mark.parametrize(
    ("url", "count"),
    [
        ("/api/v1/themes/", 6),
        ("/api/v1/annexes/", 5),
        ("/api/v1/communique-items/", 4),
        ("/api/v1/declarations/", 2),
        ("/api/v1/prefectures/", 47),
        ("/api/v1/organizations/", 3),
        ("/api/v1/people/", 3),
    ],
)
def test_every_list_counts_the_fixtures_records(api, url, count):
    assert api.get(url, {"page_size": 100}).json()["count"] == count
