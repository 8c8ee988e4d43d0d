"""Citing a record (publication/citations.py, the record pages' "Cite this"): the issuing body, the date,
the last update, the version and the address, as text, BibTeX and CSL-JSON."""

import datetime
import json

import pytest
from django.utils import timezone, translation

from declarations.models import Declaration
from meetings.models import Meeting
from publication.citations import Citation, bibtex, csl_json
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"


def citation(**changes) -> Citation:
    values = {
        "key": "g7-2023-x",
        "kind": "document",
        "title": "Data {Free} Flow & Trust_100%",
        "issuers": ("Ministry of Economy, Trade and Industry", "Digital Agency"),
        "issued": datetime.date(2023, 4, 30),
        "updated": datetime.datetime(2024, 3, 31, 15, 30, tzinfo=datetime.UTC),
        "version": 4,
        "url": "https://example.org/en/declarations/g7-2023-x/",
        "language": "en",
    }
    return Citation(**{**values, **changes})


def test_bibtex_escapes_its_special_characters_and_names_each_issuer_as_a_body():
    with translation.override("en"):
        entry = bibtex(citation())
    assert entry.startswith("@misc{g7-2023-x,\n")
    assert r"  title = {{Data \{Free\} Flow \& Trust\_100\%}}," in entry
    assert "  author = {{Ministry of Economy, Trade and Industry} and {Digital Agency}}," in entry
    assert "  year = {2023},\n  date = {2023-04-30}," in entry
    assert "  version = {4}," in entry
    # The last update is the day in the site's time zone (Asia/Tokyo): 2024-04-01.
    assert "  note = {Last updated 2024-04-01}," in entry
    assert "  url = {https://example.org/en/declarations/g7-2023-x/}," in entry
    assert entry.endswith("  langid = {english}\n}\n")


def test_csl_json_gives_a_month_only_date_without_a_day():
    with translation.override("ja"):
        (item,) = csl_json(citation(issued=datetime.date(2016, 4, 1), issued_month_only=True, language="ja"))
    assert item["issued"] == {"date-parts": [[2016, 4]]}
    assert item["author"] == [
        {"literal": "Ministry of Economy, Trade and Industry"},
        {"literal": "Digital Agency"},
    ]
    assert item["note"] == "2024-04-01更新"
    assert item["container-title"] == "G7 2023 アーカイブ"
    assert item["version"] == "4"


def cite_section(html: str) -> str:
    start = html.index('<section class="cite-record"')
    return html[start : html.index("</section>", start)]


def test_a_document_page_cites_its_meeting_adoption_update_version_and_address(client):
    declaration = Declaration.objects.get(slug=DECLARATION)
    updated = timezone.localtime(declaration.updated_at).date()
    english = cite_section(client.get(f"/en/declarations/{DECLARATION}/").content.decode())
    assert (
        "<dt>Issued by</dt>\n    <dd>G7 Digital and Tech Ministers&#39; Meeting in Takasaki, Gunma</dd>"
        in english
    )
    assert "<dt>Adopted</dt>\n    <dd>30 April 2023</dd>" in english
    assert f'<dt>Last updated</dt>\n    <dd><time datetime="{updated.isoformat()}">' in english
    assert f"<dt>Version</dt>\n    <dd>{declaration.version}</dd>" in english
    assert (
        "G7 Digital and Tech Ministers&#39; Meeting in Takasaki, Gunma, “Ministerial Declaration of the G7 Digital "
        "and Tech Ministers&#39; Meeting”, adopted 30 April 2023. G7 2023 Archive, version "
        f"{declaration.version}, last updated "
    ) in english
    assert f"http://testserver/en/declarations/{DECLARATION}/</p>" in english
    japanese = cite_section(client.get(f"/ja/declarations/{DECLARATION}/").content.decode())
    assert (
        "G7群馬高崎デジタル・技術大臣会合「G7群馬高崎デジタル・技術閣僚宣言」（2023年4月30日採択）。"
        f"G7 2023 アーカイブ、第{declaration.version}版、"
    ) in japanese
    for mark in ("“", "”", ", ", ". "):
        assert mark not in japanese.replace("http://", ""), mark
    # The copy button needs JavaScript: hidden until the static script shows it; no inline script.
    assert (
        '<button type="button" class="button button--secondary no-print" data-copy="cite-record-text"'
        in japanese
    )
    assert "hidden>引用文をコピー</button>" in japanese
    page = client.get(f"/ja/declarations/{DECLARATION}/").content.decode()
    assert '<script src="/static/js/cite.js" defer></script>' in page


def test_a_meeting_page_cites_its_hosts_and_dates_and_links_both_files(client):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    japanese = cite_section(client.get(f"/ja/meetings/{TAKASAKI}/").content.decode())
    assert "<dt>主催</dt>\n    <dd>デジタル庁、経済産業省、総務省</dd>" in japanese
    assert "<dt>日程</dt>\n    <dd>2023年4月29日（土）〜30日（日）</dd>" in japanese
    assert f"<dt>版</dt>\n    <dd>{meeting.version}</dd>" in japanese
    assert "<dt>最終更新</dt>" in japanese
    assert f'<a href="/ja/meetings/{TAKASAKI}/cite.bib" type="application/x-bibtex" download>' in japanese
    assert (
        f'<a href="/ja/meetings/{TAKASAKI}/cite.json" type="application/vnd.citationstyles.csl+json"'
        in japanese
    )


def test_the_citation_files_download_in_the_pages_language(client):
    response = client.get(f"/en/meetings/{TAKASAKI}/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{TAKASAKI}-en.bib"'
    entry = response.content.decode()
    assert entry.startswith(f"@misc{{{TAKASAKI},\n  title = {{{{G7 Digital and Tech Ministers' Meeting")
    assert "date = {2023-04-29}" in entry
    assert "author = {{Digital Agency} and {Ministry of Economy, Trade and Industry} and" in entry

    response = client.get(f"/ja/declarations/{DECLARATION}/cite.json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    (item,) = json.loads(response.content)
    assert item["type"] == "document"
    assert item["title"] == "G7群馬高崎デジタル・技術閣僚宣言"
    assert item["author"] == [{"literal": "G7群馬高崎デジタル・技術大臣会合"}]
    assert item["issued"] == {"date-parts": [[2023, 4, 30]]}
    assert item["URL"] == f"http://testserver/ja/declarations/{DECLARATION}/"

    trade = json.loads(client.get("/en/meetings/g7-2023-trade-osaka-sakai/cite.json").content)[0]
    assert trade["author"] == [{"literal": "Government of Japan"}]
    assert trade["issued"] == {"date-parts": [[2023, 4, 4]]}


def test_a_draft_has_no_citation_for_the_public(client):
    draft = MeetingFactory(status="draft", published_at=None)
    assert client.get(f"/en/meetings/{draft.slug}/cite.bib").status_code == 404
    assert client.get("/en/declarations/no-such-document/cite.json").status_code == 404


def test_the_citation_files_use_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(f"/en/meetings/{TAKASAKI}/cite.json")
    with django_assert_max_num_queries(3):
        client.get(f"/en/declarations/{DECLARATION}/cite.bib")
