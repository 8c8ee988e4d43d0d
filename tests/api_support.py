"""What the API's tests share, whichever app's endpoints they call: the fixtures' main records, reading a
response (streamed or not, CSV), a new meeting's body, a draft meeting and a throttle count that starts at
none."""

import csv
import io

import pytest
from django.core.cache import cache

from meetings.models import Meeting
from tests.factories import MeetingFactory

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response) -> list[dict]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def new_meeting(**fields) -> dict:
    return {
        "slug": "g7-2023-example",
        "forum": "G7",
        "kind": "ministerial",
        "year": 2023,
        "presidency": "JP",
        "portfolio": "digital",
        "title": {"ja": "例の会合"},
        "short_title": {"ja": "例"},
        **fields,
    }


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [record["slug"] for record in response.json()["results"]]


NEW_MEETING = {
    "slug": "g7-2023-test-ministerial",
    "forum": "G7",
    "kind": "ministerial",
    "year": 2023,
    "presidency": "JP",
    "portfolio": "digital",
    "title": {"ja": "試験大臣会合", "en": "Test Ministers' Meeting"},
    "short_title": {"ja": "試験会合", "en": "Test meeting"},
    "hosts": ["mic"],
    "summit": "g7-2023-hiroshima-summit",
}


def draft_meeting(**fields) -> Meeting:
    return MeetingFactory(status=Meeting.Status.DRAFT, published_at=None, **fields)
