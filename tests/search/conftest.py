import datetime

import pytest

from commitments.models import Commitment, EarlierCommitment, FollowUp
from meetings.models import Meeting
from tests.api_support import fresh_throttle  # noqa: F401 (each test starts with no API throttle count)
from tests.search.support import TSUKUBA


@pytest.fixture
def follow_up():
    """A follow-up as an editor starts it: a draft, answering a published commitment."""
    record = FollowUp.objects.create(
        slug="numbat-census",
        kind="publication",
        title_ja="フクロアリクイの調査報告の公表",
        title_en="Publication of the numbat census",
        date=datetime.date(2023, 12, 1),
        issued_by_ja="総務省",
        issued_by_en="Ministry of Internal Affairs and Communications, Japan",
        url="https://www.soumu.go.jp/",
        summary_ja="調査報告が公表された。",
        summary_en="The census was published.",
        status="draft",
    )
    record.commitments.add(Commitment.objects.get(slug="digital-competition-summit"))
    return record


@pytest.fixture
def earlier():
    """An earlier commitment as an editor starts it: a draft of a published earlier meeting, carried forward
    by a published 2023 commitment."""
    record = EarlierCommitment.objects.create(
        slug="tsukuba-2019-quokka-principles",
        meeting=Meeting.objects.get(slug=TSUKUBA),
        thread="ai",
        document_title_ja="G20貿易・デジタル経済大臣会合閣僚声明",
        document_title_en="G20 Ministerial Statement on Trade and Digital Economy",
        paragraph="99",
        summary_ja="G20の大臣はクオッカの原則を確認した。",
        summary_en="The G20 ministers confirmed the quokka principles.",
        url="https://worldjpn.net/",
        date=datetime.date(2019, 6, 9),
        checked_on=datetime.date(2026, 12, 5),
        status="draft",
    )
    record.commitments.add(Commitment.objects.get(slug="hiroshima-ai-process"))
    return record
