"""The documents' filters (declarations/filters.py), as on the website: kind, meeting, year and order."""

import pytest

from tests.api_support import COMMUNIQUE, DECLARATION, TAKASAKI, slugs

pytestmark = pytest.mark.django_db


def test_declarations_filter_as_on_the_website(api):
    assert slugs(api.get("/api/v1/declarations/", {"kind": "leaders_communique"})) == [COMMUNIQUE]
    assert slugs(api.get("/api/v1/declarations/", {"meeting": TAKASAKI})) == [DECLARATION]
    assert slugs(api.get("/api/v1/declarations/", {"year": 2023})) == [COMMUNIQUE, DECLARATION]
    assert slugs(api.get("/api/v1/declarations/", {"ordering": "date"})) == [DECLARATION, COMMUNIQUE]
