"""What apps above declarations show beside a document's paragraphs (declarations/annotations.py): each
provider reads once for all the paragraphs a page shows, and each paragraph gets what each one found for it
(by its model and primary key) or an empty list."""

from declarations import annotations
from declarations.models import KeyPoint, Theme


def test_each_provider_reads_once_for_every_paragraph_and_each_paragraph_gets_its_own(monkeypatch):
    calls = []

    def commitments(parts, user):
        calls.append(([annotations.part_key(part) for part in parts], user))
        return {("declarations.keypoint", 1): ["commitment"]}

    monkeypatch.setattr(annotations, "providers", {})
    annotations.register("commitments", commitments)
    annotations.register("notes", lambda parts, user: {("declarations.theme", 1): ["note"]})
    theme, point = Theme(pk=1), KeyPoint(pk=1)
    annotations.annotate(iter([theme, point]), user="reader")
    assert calls == [([("declarations.theme", 1), ("declarations.keypoint", 1)], "reader")]
    assert theme.annotations == {"commitments": [], "notes": ["note"]}
    assert point.annotations == {"commitments": ["commitment"], "notes": []}


def test_no_provider_reads_when_a_page_shows_no_paragraph(monkeypatch):
    def refuse(parts, user):
        raise AssertionError("read for no paragraph")

    monkeypatch.setattr(annotations, "providers", {"commitments": refuse})
    annotations.annotate([], user=None)
