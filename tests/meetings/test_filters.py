"""The meetings' filters (meetings/filters.py), as on the website: prefecture, forum, kind, portfolio, year,
month and order."""

import pytest

from tests.api_support import TAKASAKI, slugs

pytestmark = pytest.mark.django_db


def test_meetings_filter_as_on_the_website(api):
    assert slugs(api.get("/api/v1/meetings/", {"prefecture": "10"})) == [TAKASAKI]
    assert slugs(api.get("/api/v1/meetings/", {"forum": "G20"})) == [
        "g20-2019-trade-and-digital-economy-tsukuba"
    ]
    assert slugs(api.get("/api/v1/meetings/", {"kind": "summit"})) == ["g7-2023-hiroshima-summit"]
    digital_2023 = api.get("/api/v1/meetings/", {"portfolio": "digital", "year": 2023})
    assert slugs(digital_2023) == [TAKASAKI]
    april_2023 = slugs(api.get("/api/v1/meetings/", {"year": 2023, "month": 4, "page_size": 100}))
    assert TAKASAKI in april_2023 and "g7-2023-hiroshima-summit" not in april_2023


def test_the_education_meeting_is_found_by_either_of_its_prefectures(api):
    toyama = slugs(api.get("/api/v1/meetings/", {"prefecture": "16"}))
    ishikawa = slugs(api.get("/api/v1/meetings/", {"prefecture": "17"}))
    assert toyama == ishikawa and len(toyama) == 1


def test_meetings_order_as_asked(api):
    earliest = slugs(api.get("/api/v1/meetings/", {"ordering": "date", "page_size": 100}))
    latest = slugs(api.get("/api/v1/meetings/", {"ordering": "-date", "page_size": 100}))
    assert earliest[0] == "g7-2016-ict-takamatsu"
    assert latest[-1] == "g7-2016-ict-takamatsu"
    assert sorted(latest) == sorted(earliest)
