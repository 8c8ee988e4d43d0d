"""How a record reads when a text or a relation is missing: English falls back to Japanese and says so, a
missing relation is null."""

import pytest

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["ja", "en", "all"])
def test_missing_english_and_missing_relations(api, lang):
    meeting = MeetingFactory(title_en="", summary_ja="日本語だけの要約", summary_en="", summit=None)
    record = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": lang}).json()
    assert record["summit"] is None
    assert record["fallback_fields"] == (["title", "summary"] if lang == "en" else [])
    if lang == "all":
        assert record["summary"] == {"ja": "日本語だけの要約", "en": ""}
    else:
        assert record["summary"] == "日本語だけの要約"
