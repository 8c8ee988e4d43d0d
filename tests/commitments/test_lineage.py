"""A commitment's lineage across the years: the earlier meetings' commitments (2016 Takamatsu, 2019 Tsukuba,
2022 Düsseldorf) that 2023 commitments build on, held to their meetings and their 2023 commitments; their
rules; a commitment's page, an earlier meeting's page and the dashboard's filters; the API and the export."""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from commitments.models import Commitment, EarlierCommitment
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

TAKAMATSU = "g7-2016-ict-takamatsu"
TSUKUBA = "g20-2019-trade-and-digital-economy-tsukuba"
DUSSELDORF = "g7-2022-digital-dusseldorf"

# Each earlier commitment: its meeting, its thread, the paragraph checked (empty where none could be), and
# the 2023 commitments that carry it forward.
LINEAGE = {
    "takamatsu-2016-free-flow-of-information": (
        TAKAMATSU,
        "data_flows",
        "",
        ["dfft-vision-priorities", "unfragmented-internet"],
    ),
    "takamatsu-2016-ai-development-principles": (TAKAMATSU, "ai", "1 (1)", ["ai-governance-action-plan"]),
    "tsukuba-2019-data-free-flow-with-trust": (
        TSUKUBA,
        "data_flows",
        "16",
        ["dfft-vision-priorities", "iap-endorse", "iap-establish"],
    ),
    "tsukuba-2019-human-centred-ai": (
        TSUKUBA,
        "ai",
        "I.3; annex (G20 AI Principles)",
        ["ai-governance-action-plan", "hiroshima-ai-process"],
    ),
    "tsukuba-2019-governance-innovation": (
        TSUKUBA,
        "governance",
        "I.4 (Governance Innovation); 24",
        ["agile-governance"],
    ),
    "dusseldorf-2022-action-plan-dfft": (
        DUSSELDORF,
        "data_flows",
        "",
        ["dfft-vision-priorities", "iap-endorse", "iap-establish"],
    ),
    "dusseldorf-2022-cyber-resilience": (
        DUSSELDORF,
        "infrastructure",
        "",
        ["digital-infrastructure-action-plan", "submarine-cables-resilience"],
    ),
    "dusseldorf-2022-open-internet": (
        DUSSELDORF,
        "internet",
        "",
        ["internet-action-plan", "unfragmented-internet"],
    ),
}
# The days the documents were adopted, as their public sources give them.
DATES = {
    TAKAMATSU: datetime.date(2016, 4, 30),
    TSUKUBA: datetime.date(2019, 6, 9),
    DUSSELDORF: datetime.date(2022, 5, 11),
}
OFFICIAL_HOSTS = ("www.soumu.go.jp", "worldjpn.net")


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_earlier_commitment_is_held_to_its_meeting_and_its_2023_commitments():
    found = {
        earlier.slug: (
            earlier.meeting.slug,
            earlier.thread,
            earlier.paragraph,
            sorted(earlier.commitments.values_list("slug", flat=True)),
        )
        for earlier in EarlierCommitment.objects.published().select_related("meeting")
    }
    assert found == LINEAGE


def test_each_earlier_commitment_has_its_date_source_and_both_languages():
    for earlier in EarlierCommitment.objects.select_related("meeting"):
        assert earlier.date == DATES[earlier.meeting.slug], earlier.slug
        assert earlier.date.year == earlier.meeting.year
        assert re.match(r"https?://([^/]+)/", earlier.url)[1] in OFFICIAL_HOSTS, earlier.slug
        assert earlier.checked_on >= earlier.date
        assert (
            earlier.summary_ja
            and earlier.summary_en
            and earlier.document_title_ja
            and earlier.document_title_en
        )
        # The words are the editors' summary in both languages, and the note says where each fact is from.
        assert earlier.text_status("summary", "ja") == earlier.text_status("summary", "en") == "editorial"
        assert "編集部" in earlier.provenance_note_ja and "editors'" in earlier.provenance_note_en
        # Japanese text in Japanese punctuation: no ASCII comma or full stop after Japanese.
        assert not re.search(r"[ぁ-んァ-ン一-龥][,.]", earlier.summary_ja + earlier.provenance_note_ja)
        # Where no paragraph number could be checked, the note says so.
        if not earlier.paragraph:
            assert "could be checked" in earlier.provenance_note_en.replace("could not be", "could be"), (
                earlier.slug
            )
            assert "確認できなかった" in earlier.provenance_note_ja, earlier.slug


def test_the_ai_and_dfft_threads_run_from_2016_to_the_leaders_of_2023():
    for thread, leaders in (("ai", "hiroshima-ai-process"), ("data_flows", "iap-endorse")):
        years = sorted({earlier.date.year for earlier in EarlierCommitment.objects.filter(thread=thread)})
        assert years[0] == 2016 and 2019 in years
        assert EarlierCommitment.objects.filter(thread=thread, commitments__slug=leaders).exists()


def make(**fields):
    values = {
        "slug": "made",
        "meeting": Meeting.objects.get(slug=TSUKUBA),
        "thread": "ai",
        "document_title_ja": "閣僚声明",
        "summary_ja": "要約",
        "url": "https://www.soumu.go.jp/",
        "date": datetime.date(2019, 6, 9),
        "checked_on": datetime.date(2026, 12, 5),
    }
    return EarlierCommitment(**(values | fields))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"summary_ja": ""}, "summary"),
        ({"document_title_ja": ""}, "document_title"),
        ({"thread": "space"}, "thread"),
        ({"url": ""}, "url"),
    ],
)
def test_the_rules_of_an_earlier_commitment(fields, field):
    record = make(**fields)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert any(name.startswith(field) for name in error.value.message_dict)
    # The database holds the same rule.
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_a_commitments_page_shows_its_lineage_oldest_first(client):
    page = html_of(client, "/en/commitments/iap-establish/")
    section = page[page.index('id="lineage-heading"') :]
    section = section[: section.index("</section>")]
    years = re.findall(r'<p class="lineage__year">(\d{4})', section)
    assert years == sorted(years) and years[0] == "2019" and years[-1] == "2023"
    # Each earlier commitment with its meeting (linked), its summary, its source and its date.
    assert f'href="/en/meetings/{TSUKUBA}/"' in section and f'href="/en/meetings/{DUSSELDORF}/"' in section
    assert "data free flow with trust (DFFT)" in section
    assert 'href="https://worldjpn.net/documents/texts/G20/20190609.D2E.html"' in section
    assert "paragraph 16" in section and "9 June 2019" in section
    assert "status--editorial" in section
    # Then this commitment, then the leaders' commitment that builds on it.
    assert section.index("This commitment") < section.index('href="/en/commitments/iap-endorse/"')
    assert section.index("2022") < section.index("This commitment")
    # DFFT from 2016: the free flow of information of the Takamatsu meeting, then Tsukuba and Düsseldorf.
    page = html_of(client, "/en/commitments/dfft-vision-priorities/")
    section = page[page.index('id="lineage-heading"') :]
    years = re.findall(r'<p class="lineage__year">(\d{4})', section[: section.index("</section>")])
    assert years[:3] == ["2016", "2019", "2022"]
    assert f'href="/en/meetings/{TAKAMATSU}/"' in section


def test_a_commitments_lineage_in_japanese(client):
    page = html_of(client, "/ja/commitments/hiroshima-ai-process/")
    section = page[page.index('id="lineage-heading"') :]
    assert "「G20 AI原則」" in section and "2019年6月9日" in section
    assert f'href="/ja/meetings/{TSUKUBA}/"' in section


def test_a_draft_earlier_commitment_is_not_shown(client):
    EarlierCommitment.objects.filter(slug="tsukuba-2019-data-free-flow-with-trust").update(status="draft")
    assert "paragraph 16" not in html_of(client, "/en/commitments/iap-establish/")
    assert "data free flow with trust (DFFT)" not in html_of(client, f"/en/meetings/{TSUKUBA}/")
    assert (
        client.get("/api/v1/earlier-commitments/tsukuba-2019-data-free-flow-with-trust/").status_code == 404
    )
    record = client.get("/api/v1/commitments/iap-establish/").json()
    assert "tsukuba-2019-data-free-flow-with-trust" not in [
        step["slug"] for step in record["earlier_commitments"]
    ]


def test_an_earlier_meetings_page_lists_its_commitments_and_those_that_carry_them_forward(client):
    page = html_of(client, f"/en/meetings/{TSUKUBA}/")
    section = page[page.index('id="earlier-commitments-heading"') :]
    section = section[: section.index("</section>")]
    assert section.count('class="lineage__step"') == 3
    for slug in (
        "iap-establish",
        "iap-endorse",
        "ai-governance-action-plan",
        "hiroshima-ai-process",
        "agile-governance",
    ):
        assert f'href="/en/commitments/{slug}/"' in section
    assert f'href="/en/commitments/?earlier_meeting={TSUKUBA}"' in section
    assert 'id="earlier-tsukuba-2019-human-centred-ai"' in section
    japanese = html_of(client, f"/ja/meetings/{TSUKUBA}/")
    assert "2023年に引き継がれた約束" in japanese


def test_an_earlier_meetings_page_says_where_each_summary_comes_from(client):
    page = html_of(client, f"/en/meetings/{DUSSELDORF}/")
    section = page[page.index('id="earlier-commitments-heading"') :]
    assert section.count("Where this summary comes from") == 3
    assert "No paragraph of the annex could be checked" in section
    assert "この要約の出典" in html_of(client, f"/ja/meetings/{DUSSELDORF}/")


def test_a_meeting_without_earlier_commitments_has_no_such_section(client):
    assert 'id="earlier-commitments-heading"' not in html_of(
        client, "/en/meetings/g7-2023-digital-and-tech-takasaki/"
    )


def numbers(response):
    return [row["commitment"].number for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("thread=ai", ["ai-governance-action-plan", "hiroshima-ai-process"]),
        ("thread=governance", ["agile-governance"]),
        (
            f"earlier_meeting={TAKAMATSU}",
            ["dfft-vision-priorities", "unfragmented-internet", "ai-governance-action-plan"],
        ),
        (
            f"earlier_meeting={DUSSELDORF}&committed_by=leaders",
            ["iap-endorse", "submarine-cables-resilience"],
        ),
    ],
)
def test_the_dashboard_follows_a_thread_or_an_earlier_meeting(client, query, expected):
    response = client.get(f"/en/commitments/?{query}")
    assert response.status_code == 200
    slugs = {
        commitment.slug: commitment.number for commitment in Commitment.objects.filter(slug__in=expected)
    }
    assert numbers(response) == sorted(slugs.values())
    api = client.get(f"/api/v1/commitments/?{query}").json()["results"]
    assert sorted(record["slug"] for record in api) == sorted(expected)


def test_the_dashboard_offers_the_earlier_meetings_and_threads_in_both_languages(client):
    page = html_of(client, "/en/commitments/")
    assert f'<option value="{TSUKUBA}">' in page and '<option value="data_flows">' in page
    assert "AI governance" in page
    assert "AIガバナンス" in html_of(client, "/ja/commitments/")


@pytest.mark.parametrize("query", ["thread=space", "earlier_meeting=no-such-meeting"])
def test_a_bad_thread_or_meeting_is_a_400_on_the_dashboard(client, query):
    assert client.get(f"/en/commitments/?{query}").status_code == 400


def test_the_api_gives_a_commitments_lineage_in_both_languages(client):
    record = client.get("/api/v1/commitments/iap-endorse/?lang=all").json()
    steps = record["earlier_commitments"]
    # Oldest first: the 2019 statement, then the 2022 action plan.
    assert [step["slug"] for step in steps] == [
        "tsukuba-2019-data-free-flow-with-trust",
        "dusseldorf-2022-action-plan-dfft",
    ]
    dfft = next(step for step in steps if step["slug"] == "tsukuba-2019-data-free-flow-with-trust")
    assert dfft["meeting"] == TSUKUBA and dfft["paragraph"] == "16" and dfft["date"] == "2019-06-09"
    assert dfft["document_title"] == {
        "ja": "G20貿易・デジタル経済大臣会合閣僚声明",
        "en": "G20 Ministerial Statement on Trade and Digital Economy",
    }
    assert (
        dfft["summary"]["ja"].startswith("G20の大臣は")
        and dfft["text_status"]["summary"]["en"] == "editorial"
    )
    english = client.get("/api/v1/commitments/iap-endorse/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["earlier_commitments"][0]["summary"].startswith("The G20 ministers")


def test_the_earlier_commitments_endpoint(client):
    records = client.get("/api/v1/earlier-commitments/").json()["results"]
    assert [record["date"] for record in records] == sorted(record["date"] for record in records)
    assert len(records) == len(LINEAGE)
    record = client.get("/api/v1/earlier-commitments/tsukuba-2019-human-centred-ai/?lang=all").json()
    assert record["commitments"] == ["ai-governance-action-plan", "hiroshima-ai-process"]
    assert record["web_url"]["en"].endswith(f"/en/meetings/{TSUKUBA}/#earlier-tsukuba-2019-human-centred-ai")
    filtered = client.get(f"/api/v1/earlier-commitments/?thread=data_flows&meeting={DUSSELDORF}").json()
    assert [record["slug"] for record in filtered["results"]] == ["dusseldorf-2022-action-plan-dfft"]
    carried = client.get("/api/v1/earlier-commitments/?commitment=agile-governance").json()
    assert [record["slug"] for record in carried["results"]] == ["tsukuba-2019-governance-innovation"]


@pytest.mark.parametrize(
    ("query", "status"),
    [("thread=space", 400), ("meeting=no-such-meeting", 404), ("commitment=no-such-commitment", 404)],
)
def test_a_bad_filter_of_earlier_commitments_is_a_4xx(client, query, status):
    response = client.get(f"/api/v1/earlier-commitments/?{query}")
    assert response.status_code == status


def test_the_api_does_not_write_earlier_commitments(editor_client):
    url = "/api/v1/earlier-commitments/tsukuba-2019-human-centred-ai/"
    assert (
        editor_client.post("/api/v1/earlier-commitments/", {}, content_type="application/json").status_code
        == 405
    )
    assert (
        editor_client.patch(url, {"thread": "internet"}, content_type="application/json").status_code == 405
    )


def test_the_export_of_commitments_carries_the_lineage(client):
    response = client.get("/api/v1/commitments/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    row = next(row for row in rows if row["slug"] == "hiroshima-ai-process")
    assert row["earlier_commitments"] == "tsukuba-2019-human-centred-ai"
    records = json.loads(b"".join(client.get("/api/v1/commitments/export/").streaming_content))
    record = next(record for record in records if record["slug"] == "agile-governance")
    assert [step["slug"] for step in record["earlier_commitments"]] == ["tsukuba-2019-governance-innovation"]
    earlier = client.get("/api/v1/earlier-commitments/export/?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(earlier.streaming_content).decode("utf-8-sig"))))
    assert {row["meeting"] for row in rows} == {TAKAMATSU, TSUKUBA, DUSSELDORF}


def test_the_schema_documents_the_earlier_commitments_and_the_lineage(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/earlier-commitments/" in schema["paths"]
    assert "/api/v1/earlier-commitments/{slug}/" in schema["paths"]
    commitment = schema["components"]["schemas"]["Commitment"]["properties"]
    assert "earlier_commitments" in commitment
    parameters = {
        parameter["name"] for parameter in schema["paths"]["/api/v1/commitments/"]["get"]["parameters"]
    }
    assert parameters >= {"thread", "earlier_meeting"}


def test_editors_keep_earlier_commitments_in_the_admin(editor_client):
    assert editor_client.get(reverse("admin:commitments_earliercommitment_changelist")).status_code == 200
    earlier = EarlierCommitment.objects.get(slug="tsukuba-2019-human-centred-ai")
    response = editor_client.get(reverse("admin:commitments_earliercommitment_change", args=[earlier.pk]))
    assert response.status_code == 200
    # A change to a published record waits for a publisher's review, as for every register record.
    assert response.context["adminform"].form.held_for_review
    history = editor_client.get(reverse("admin:commitments_earliercommitment_history", args=[earlier.pk]))
    assert history.status_code == 200


def test_the_archive_and_the_data_page_carry_the_earlier_commitments(client):
    from tests.discovery.test_data import BUNDLE, bundle_files, csv_rows

    files = bundle_files(client.get(BUNDLE))
    rows = csv_rows(files["csv/earlier-commitments.csv"])
    assert len(rows) == len(LINEAGE) + 1 and "summary_ja" in rows[0]
    commitments = csv_rows(files["csv/commitments.csv"])
    assert "earlier_commitments" in commitments[0]
    page = html_of(client, "/ja/data/")
    assert 'href="/api/v1/earlier-commitments/export/?format=csv"' in page and "以前の約束" in page
