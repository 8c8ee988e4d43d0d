"""What the commitment register's tests share: the earlier meetings and their commitments as the fixtures
hold them, the dashboard's address and reading a page."""

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
