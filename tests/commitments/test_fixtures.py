"""The commitment register held to the source document: every commitment's Japanese words occur in the
source, in the very paragraph the record points to; no paragraph of the source that commits to something is
left without its commitments; what is not in the source (follow-ups, ratings) comes with a public source.
The earlier meetings' commitments are held to their meetings, their dates, their sources and the 2023
commitments that carry them forward."""

import datetime
import re
from pathlib import Path

import pytest

from commitments.models import Assessment, Commitment, EarlierCommitment, FollowUp, Rating
from declarations.models import CommuniqueItem, Footnote, KeyPoint
from tests.commitments.support import DUSSELDORF, LINEAGE, TAKAMATSU, TSUKUBA

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "000_9fd1af93d34566f1.txt"

pytestmark = pytest.mark.django_db


def normalise(text: str) -> str:
    """The source breaks lines and spaces words at random; compare texts without any whitespace (and
    without the footnote markers ＊1 that the source sets inside its key points)."""
    return "".join(re.sub(r"＊\d", "", text).split())


def commitments():
    return Commitment.objects.select_related(
        "key_point__theme__declaration", "footnote__declaration", "annex__declaration", "communique_item"
    )


def test_the_register_holds_every_commitment_of_the_source():
    assert Commitment.objects.published().count() == 24
    assert list(Commitment.objects.values_list("number", flat=True)) == list(range(1, 25))


def test_every_commitments_words_occur_in_the_source_paragraph_it_points_to():
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    wrong = []
    for commitment in commitments():
        paragraph = commitment.source_part
        words = normalise(commitment.text_ja)
        paragraph_text = normalise(paragraph.text_ja if hasattr(paragraph, "text_ja") else paragraph.title_ja)
        if words not in paragraph_text or words not in source:
            wrong.append(commitment.slug)
    assert wrong == []


def test_every_paragraph_that_commits_holds_a_commitment():
    """Every key point, footnote and communiqué item of the source gives at least one commitment."""
    held = set()
    for commitment in commitments():
        held.add((type(commitment.source_part).__name__, commitment.source_part.pk))
    paragraphs = [
        *(("KeyPoint", pk) for pk in KeyPoint.objects.values_list("pk", flat=True)),
        *(("Footnote", pk) for pk in Footnote.objects.values_list("pk", flat=True)),
        *(("CommuniqueItem", pk) for pk in CommuniqueItem.objects.values_list("pk", flat=True)),
    ]
    assert [paragraph for paragraph in paragraphs if paragraph not in held] == []


def test_committed_by_follows_the_document():
    for commitment in commitments():
        expected = "leaders" if commitment.communique_item_id else "ministers"
        assert commitment.committed_by == expected, commitment.slug


def test_target_dates_are_those_the_words_give():
    dated = {
        commitment.slug: (commitment.target_date, commitment.target_precision)
        for commitment in Commitment.objects.exclude(target_date=None)
    }
    assert dated == {
        # 「今秋」: the autumn of 2023, whose last day is 30 November.
        "digital-competition-summit": (datetime.date(2023, 11, 30), "season"),
        # 「年内」: by the end of 2023.
        "hiroshima-ai-process": (datetime.date(2023, 12, 31), "year_end"),
    }
    assert "今秋" in Commitment.objects.get(slug="digital-competition-summit").text_ja
    assert "年内" in Commitment.objects.get(slug="hiroshima-ai-process").text_ja


def test_lineage_only_where_the_source_traces_the_communique_to_the_ministers():
    builds_on = {
        commitment.slug: sorted(commitment.builds_on.values_list("slug", flat=True))
        for commitment in Commitment.objects.prefetch_related("builds_on")
        if commitment.builds_on.exists()
    }
    # Each is a leaders' commitment on a ministers' one of the same subject (the source: the communiqué
    # 「G7群馬高崎デジタル・技術大臣会合の結果も踏まえ」).
    assert all(Commitment.objects.get(slug=slug).committed_by == "leaders" for slug in builds_on)
    assert builds_on == {
        "hiroshima-ai-process": ["generative-ai-forum", "generative-ai-g7-forum"],
        "metaverse-collective-approaches": ["metaverse-future-discussion"],
        "iap-endorse": ["iap-establish"],
        "submarine-cables-resilience": ["multi-layered-networks-cooperation"],
    }


def test_every_commitment_has_an_assessment_and_each_rating_rests_on_evidence():
    assert Assessment.objects.count() == Commitment.objects.count()
    for assessment in Assessment.objects.prefetch_related("evidence"):
        if assessment.rating == Rating.NOT_ASSESSED:
            assert assessment.assessed_on is None and not assessment.evidence.exists()
        else:
            assert assessment.assessed_on is not None and assessment.rationale_ja and assessment.rationale_en
            evidence = list(assessment.evidence.all())
            assert evidence, assessment
            # The evidence is a follow-up of this very commitment.
            assert all(assessment.commitment in follow_up.commitments.all() for follow_up in evidence)


def test_follow_ups_have_a_public_address_and_come_after_the_commitments():
    for follow_up in FollowUp.objects.all():
        assert follow_up.url.startswith("https://"), follow_up.slug
        assert follow_up.date > datetime.date(2023, 5, 20), follow_up.slug
        assert follow_up.commitments.exists(), follow_up.slug


# The days the documents were adopted, as their public sources give them.
DATES = {
    TAKAMATSU: datetime.date(2016, 4, 30),
    TSUKUBA: datetime.date(2019, 6, 9),
    DUSSELDORF: datetime.date(2022, 5, 11),
}


OFFICIAL_HOSTS = ("www.soumu.go.jp", "worldjpn.net")


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
