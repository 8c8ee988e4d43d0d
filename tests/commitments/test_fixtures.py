"""The commitment register held to the source document: every commitment's Japanese words occur in the
source, in the very paragraph the record points to; no paragraph of the source that commits to something is
left without its commitments; what is not in the source (follow-ups, ratings) comes with a public source."""

import datetime
import re
from pathlib import Path

import pytest

from commitments.models import Assessment, Commitment, FollowUp, Rating
from declarations.models import CommuniqueItem, Footnote, KeyPoint

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
