"""The API's records are read by a plan made once a serializer (TranslatedModelSerializer.represent): what
it gives must be what DRF's field-by-field to_representation gives, for every resource and language."""

import pytest
from rest_framework import serializers

from publication.api.serializers import TranslatedModelSerializer
from tests.factories import MeetingFactory

from .conftest import COMMUNIQUE, DECLARATION, TAKASAKI

pytestmark = pytest.mark.django_db

ADDRESSES = [
    f"/api/v1/declarations/{DECLARATION}/",
    f"/api/v1/declarations/{COMMUNIQUE}/",
    f"/api/v1/declarations/{DECLARATION}/themes/3/",
    f"/api/v1/declarations/{DECLARATION}/annexes/1/",
    f"/api/v1/declarations/{COMMUNIQUE}/communique-items/1/",
    f"/api/v1/meetings/{TAKASAKI}/",
    "/api/v1/meetings/g7-2023-hiroshima-summit/",
    "/api/v1/meetings/?page_size=100",
    "/api/v1/declarations/",
    "/api/v1/themes/",
    "/api/v1/annexes/",
    "/api/v1/communique-items/",
    "/api/v1/organizations/",
    "/api/v1/people/",
    "/api/v1/prefectures/",
]


def drf_reading(monkeypatch) -> list:
    """Every serializer of the API reads as DRF's ModelSerializer does, field by field; the list that
    is returned collects any use of the plan meanwhile (none)."""
    monkeypatch.setattr(
        TranslatedModelSerializer, "to_representation", serializers.ModelSerializer.to_representation
    )
    planned = []
    monkeypatch.setattr(TranslatedModelSerializer, "represent", lambda *args: planned.append(args))
    return planned


@pytest.mark.parametrize("lang", ["ja", "en", "all"])
@pytest.mark.parametrize("address", ADDRESSES)
def test_a_record_reads_as_drf_reads_it(api, monkeypatch, address, lang):
    planned = api.get(address, {"lang": lang})
    assert planned.status_code == 200
    with monkeypatch.context() as patch:
        plans_used = drf_reading(patch)
        by_drf = api.get(address, {"lang": lang})
    assert by_drf.status_code == 200
    assert plans_used == []
    assert planned.json() == by_drf.json()
    assert planned.content == by_drf.content


@pytest.mark.parametrize("lang", ["ja", "en", "all"])
def test_missing_english_and_missing_relations_read_as_drf_reads_them(api, monkeypatch, lang):
    meeting = MeetingFactory(title_en="", summary_ja="日本語だけの要約", summary_en="", summit=None)
    planned = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": lang})
    with monkeypatch.context() as patch:
        drf_reading(patch)
        by_drf = api.get(f"/api/v1/meetings/{meeting.slug}/", {"lang": lang})
    assert planned.content == by_drf.content
    record = planned.json()
    assert record["summit"] is None
    assert record["fallback_fields"] == (["title", "summary"] if lang == "en" else [])


def test_nested_lists_of_relations_are_read_without_a_related_manager():
    """A nested list of one of the model's many relations is read where the selector attached it
    (publication.statements.related); any other nested list, DRF's way."""
    from declarations.serializers import DeclarationSerializer, ThemeSerializer
    from meetings.serializers import MeetingSerializer
    from publication.api.serializers import many_relation

    document, theme, meeting = DeclarationSerializer(), ThemeSerializer(), MeetingSerializer()
    assert many_relation(document.fields["themes"]) == "themes"  # a reverse foreign key
    assert many_relation(theme.fields["key_points"]) == "key_points"
    assert many_relation(meeting.fields["hosts"]) == "hosts"  # a many-to-many field
    assert [many_relation(meeting.fields[name]) for name in ("sessions", "locations", "chairs")] == [
        "sessions",
        "locations",
        "chairs",
    ]
    # Not a relation under its own name: the documents are the meeting's public ones (a property).
    assert many_relation(meeting.fields["documents"]) is None
    # Not a list of a relation: a field of the record itself, a single related record.
    assert many_relation(document.fields["title"]) is None
    assert many_relation(document.fields["source"]) is None
