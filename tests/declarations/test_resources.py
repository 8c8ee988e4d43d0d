"""The documents' and parts' CSV columns (declarations/resources.py): the parts a communiqué item takes up, a
document's provenance, part counts and official texts."""

import pytest
import tablib

from declarations.models import Theme
from declarations.resources import ThemeResource
from tests.api_support import DECLARATION, TAKASAKI, read_csv
from tests.declarations.support import exchange_places

pytestmark = pytest.mark.django_db


def test_a_communique_item_export_names_the_parts_it_takes_up(api):
    rows = read_csv(api.get("/api/v1/communique-items/export/", {"format": "csv"}))
    dfft = next(row for row in rows if row["topic"] == "dfft")
    assert dfft["themes"] == "g7-2023-digital-and-tech-ministerial-declaration/1"


def test_a_document_export_has_its_body_provenance_and_part_counts(api):
    rows = read_csv(api.get("/api/v1/declarations/export/", {"format": "csv"}))
    declaration = next(
        row for row in rows if row["slug"] == "g7-2023-digital-and-tech-ministerial-declaration"
    )
    assert declaration["meeting"] == TAKASAKI
    assert (declaration["themes"], declaration["annexes"], declaration["communique_items"]) == ("6", "5", "0")
    assert declaration["source"] == "mic-ict-international-strategy"
    assert declaration["source_locator"] == "2（2）"


def test_a_document_export_lists_its_official_texts_and_an_annex_export_its_own(api):
    from declarations.models import Declaration
    from tests.factories import OfficialTextFactory

    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    OfficialTextFactory(
        declaration=declaration,
        number=10,
        annex=declaration.annexes.get(number=2),
        url="https://example.org/a2.pdf",
    )
    rows = read_csv(api.get("/api/v1/declarations/export/", {"format": "csv"}))
    row = next(row for row in rows if row["slug"] == declaration.slug)
    assert row["official_texts"].splitlines() == [
        "ja html https://www.digital.go.jp/news/efdaf817-4962-442d-8b5d-9fa1215cb56a/",
        "en html https://digital.go.jp/en/1dd2ad3e-3287-4677-971b-f7e973721367-en",
    ]
    annexes = read_csv(api.get("/api/v1/annexes/export/", {"format": "csv"}))
    by_number = {
        row["number"]: row["official_texts"] for row in annexes if row["declaration"] == declaration.slug
    }
    assert by_number["2"] == "en pdf https://example.org/a2.pdf"
    assert by_number["1"] == ""


def test_a_part_export_gives_its_position_which_an_import_leaves_to_the_admins_drag(api):
    first, second = Theme.objects.filter(declaration__slug=DECLARATION).order_by("position")[:2]
    exchange_places(first, second)
    rows = read_csv(api.get("/api/v1/themes/export/", {"format": "csv"}))
    positions = {row["number"]: row["position"] for row in rows if row["declaration"] == DECLARATION}
    assert (positions["1"], positions["2"], positions["3"]) == ("2", "1", "3")
    # The same columns, imported with the positions exchanged back: the order stays the editors' drag.
    resource = ThemeResource()
    exported = resource.export(queryset=Theme.objects.filter(declaration__slug=DECLARATION))
    number, column = exported.headers.index("number"), exported.headers.index("position")
    rows = [list(row) for row in exported]
    for row in rows:
        row[column] = row[number]
    dataset = tablib.Dataset(*rows, headers=exported.headers)
    result = resource.import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert list(
        Theme.objects.filter(declaration__slug=DECLARATION)
        .order_by("position")
        .values_list("number", flat=True)
    )[:3] == [2, 1, 3]
