"""What the commitment register's tests share: the earlier meetings and their commitments as the fixtures
hold them, the dashboard's address, reading a page, and more records of every kind of the register (grow)."""

import datetime

from django.utils import timezone

from commitments.models import Assessment, Commitment, EarlierCommitment, FollowUp
from declarations.models import KeyPoint
from meetings.models import Meeting
from tests.api_support import DECLARATION

DASHBOARD = "/{lang}/commitments/"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def numbers(response):
    return [row["commitment"].number for row in response.context["rows"]]


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

SUMMIT = "/{lang}/commitments/digital-competition-summit/"

SUMMIT_API = "/api/v1/commitments/digital-competition-summit/"


def grow(count: int = 30):
    """More commitments, each on a theme, with a follow-up and an assessment resting on it, and carrying
    forward a commitment of an earlier meeting."""
    point = KeyPoint.objects.get(theme__declaration__slug=DECLARATION, theme__number=1, number=1)
    theme = point.theme
    earlier = Commitment.objects.get(slug="iap-establish")
    tsukuba = Meeting.objects.get(slug="g20-2019-trade-and-digital-economy-tsukuba")
    now = timezone.now()
    for number in range(100, 100 + count):
        commitment = Commitment.objects.create(
            slug=f"more-{number}", number=number, text_ja=f"合意{number}", text_en=f"Agreed {number}",
            key_point=point, committed_by="ministers", act="agree", status="published", published_at=now,
            target_date=datetime.date(2030, 12, 31), target_precision="year_end",
        )  # fmt: skip
        commitment.themes.add(theme)
        commitment.builds_on.add(earlier)
        follow_up = FollowUp.objects.create(
            slug=f"follow-up-{number}", kind="event", title_ja=f"会合{number}", issued_by_ja="総務省",
            url="https://www.soumu.go.jp/", date=datetime.date(2024, 1, 1), status="published", published_at=now,
        )  # fmt: skip
        follow_up.commitments.add(commitment, earlier)
        assessment = Assessment.objects.create(
            commitment=commitment,
            rating="partial",
            assessed_by_ja="編集部",
            assessed_on=datetime.date(2024, 2, 1),
        )
        assessment.evidence.add(follow_up)
        carried = EarlierCommitment.objects.create(
            slug=f"earlier-{number}", meeting=tsukuba, thread="ai", document_title_ja="閣僚声明",
            summary_ja=f"約束{number}", url="https://www.soumu.go.jp/", date=datetime.date(2019, 6, 9),
            checked_on=datetime.date(2026, 12, 5), status="published", published_at=now,
        )  # fmt: skip
        carried.commitments.add(commitment, earlier)
