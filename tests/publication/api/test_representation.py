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


def test_a_part_says_its_japanese_is_the_sources_summary_and_when_its_translation_is_stale(api):
    from declarations.models import Declaration

    theme = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration").themes.get(
        number=1
    )
    # The declaration's authentic text is English: a correction of its English leaves the Japanese behind.
    theme.title_en = "A corrected title"
    theme.save()
    record = api.get(f"/api/v1/declarations/{theme.declaration.slug}/themes/1/", {"lang": "en"}).json()
    assert record["text_status"] == {"title": {"ja": "summary", "en": "editorial", "stale": True}}


def correct(record, note, **values):
    for name, value in values.items():
        setattr(record, name, value)
    record._change_reason = note
    record.save()


def test_a_record_gives_its_public_history_with_its_parts_corrections(api, django_assert_max_num_queries):
    from declarations.models import Declaration

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    theme = declaration.themes.get(number=1)
    old = theme.title_en
    correct(theme, "The official English title.", title_en="Promoting DFFT")
    point = theme.key_points.get()
    correct(point, "誤記の訂正", text_ja=point.text_ja + "（訂正）")
    with django_assert_max_num_queries(10):
        response = api.get(f"/api/v1/declarations/{declaration.slug}/history/", {"lang": "en"})
    assert response.status_code == 200
    newest, oldest = response.json()
    assert newest["kind"] == "declarations.keypoint" and newest["note"] == "誤記の訂正"
    assert oldest["kind"] == "declarations.theme" and oldest["anchor"] == "theme-1"
    assert oldest["changes"] == [
        {
            "field": "title",
            "before": {"ja": theme.title_ja, "en": old},
            "after": {"ja": theme.title_ja, "en": "Promoting DFFT"},
        }
    ]
    own = api.get(f"/api/v1/declarations/{declaration.slug}/themes/1/history/").json()
    assert [entry["note"] for entry in own] == ["The official English title."]
    assert api.get(f"/api/v1/declarations/{declaration.slug}/themes/2/history/").json() == []


def test_the_history_of_a_record_the_public_cannot_see_is_a_404(api):
    from declarations.models import Declaration

    Declaration.objects.filter(slug="g7-2023-digital-and-tech-ministerial-declaration").update(status="draft")
    response = api.get("/api/v1/declarations/g7-2023-digital-and-tech-ministerial-declaration/history/")
    assert response.status_code == 404
    assert api.get("/api/v1/declarations/no-such-document/history/").status_code == 404
    assert (
        api.get("/api/v1/declarations/g7-2023-hiroshima-leaders-communique/themes/7/history/").status_code
        == 404
    )


def test_a_document_and_an_annex_give_their_official_texts(api):
    from declarations.models import Declaration
    from tests.factories import OfficialTextFactory

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    annex_text = OfficialTextFactory(
        declaration=declaration, number=10, annex=declaration.annexes.get(number=1)
    )
    record = api.get(f"/api/v1/declarations/{declaration.slug}/", {"lang": "en"}).json()
    address = record["official_texts_url"]
    assert address.endswith(f"/api/v1/declarations/{declaration.slug}/official-texts/")
    texts = api.get(address, {"lang": "en"}).json()
    assert [text["url"] for text in texts] == [
        "https://www.digital.go.jp/news/efdaf817-4962-442d-8b5d-9fa1215cb56a/",
        "https://digital.go.jp/en/1dd2ad3e-3287-4677-971b-f7e973721367-en",
        annex_text.url,
    ]
    english = texts[1]
    assert english["language"] == "en" and english["format"] == "html" and english["annex"] is None
    assert english["issuer"] == "Digital Agency"
    assert (english["published_on"], english["checked_on"]) == ("2023-04-30", "2026-12-05")
    assert texts[0]["published_on"] is None and texts[0]["issuer"] == "Digital Agency"
    assert texts[2]["annex"] == 1
    annex = api.get(f"/api/v1/declarations/{declaration.slug}/annexes/1/", {"lang": "ja"}).json()
    assert [text["url"] for text in annex["official_texts"]] == [annex_text.url]
    assert annex["official_texts"][0]["issuer"] == "試験省"
    assert api.get("/api/v1/declarations/no-such-document/official-texts/").status_code == 404
