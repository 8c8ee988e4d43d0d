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


@pytest.mark.parametrize("lang", ["ja", "en", "all"])
def test_every_record_says_what_each_text_is(api, lang):
    meeting = MeetingFactory(
        summary_ja="日本語だけの要約", summary_en="", translation_status={"title_en": "provisional"}
    )
    record = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": lang}).json()
    assert record["text_status"]["title"] == {"ja": "authentic", "en": "provisional", "stale": False}
    assert record["text_status"]["summary"] == {"ja": "authentic", "en": "missing", "stale": False}


def test_a_part_says_its_japanese_is_the_sources_summary_and_its_english_is_stale(api):
    from declarations.models import Declaration

    theme = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration").themes.get(
        number=1
    )
    theme.title_ja = "改めた題名"
    theme.save()
    record = api.get(f"/api/v1/declarations/{theme.declaration.slug}/themes/1/", {"lang": "en"}).json()
    assert record["text_status"] == {"title": {"ja": "summary", "en": "editorial", "stale": True}}
