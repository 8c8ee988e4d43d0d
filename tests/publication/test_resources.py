"""Imports (publication/resources.py) name their references by slug: one that names nothing is the row's
error, never dropped; a bad row imports nothing of the file; an editor imports drafts, but may neither
publish nor change a published record by import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declarations.models import Declaration
from meetings.models import Meeting
from tests.publication.support import CSV_HEADER, import_csv

pytestmark = pytest.mark.django_db

MEETING_HEADER = "slug,forum,kind,year,presidency,portfolio,title_ja,title_en,short_title_ja,short_title_en,status,hosts,summit\n"
MEETING_ROW = (
    "g7-2023-imported,G7,ministerial,2023,JP,digital,取込会合,Imported,取込,Imported,draft,{hosts},{summit}\n"
)
DECLARATION_HEADER = "slug,kind,title_ja,meeting,authentic_language,status\n"


def import_file(client, model, text, language):
    upload = SimpleUploadedFile("records.csv", text.encode("utf-8"), content_type="text/csv")
    response = client.post(
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import"),
        {"resource": "0", "format": "0", "import_file": upload},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    return response.context["result"]


def row_errors(result) -> dict[str, list[str]]:
    assert not result.has_errors()
    [row] = result.invalid_rows
    return {field: [str(message) for message in messages] for field, messages in row.error_dict.items()}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "No organisation has the slug “no-such-org”."),
        ("ja", "スラッグが「no-such-org」の組織はありません。"),
    ],
)
def test_an_unknown_host_is_an_error_of_its_row(admin_client, language, message):
    """Regression: `mic|no-such-org` imported as `mic`, the unknown host dropped without a word."""
    result = import_file(
        admin_client,
        Meeting,
        MEETING_HEADER + MEETING_ROW.format(hosts="mic|no-such-org", summit=""),
        language,
    )
    assert row_errors(result) == {"hosts": [message]}
    assert not Meeting.objects.filter(slug="g7-2023-imported").exists()


def test_each_unknown_host_is_named(admin_client):
    text = MEETING_HEADER + MEETING_ROW.format(hosts="no-such-org|mic|nor-this-one", summit="")
    assert row_errors(import_file(admin_client, Meeting, text, "en")) == {
        "hosts": [
            "No organisation has the slug “no-such-org”.",
            "No organisation has the slug “nor-this-one”.",
        ]
    }


def test_known_hosts_are_imported(admin_client):
    text = MEETING_HEADER + MEETING_ROW.format(hosts="mic|digital-agency", summit="g7-2023-hiroshima-summit")
    response_result = import_file(admin_client, Meeting, text, "en")
    assert not response_result.has_errors() and not response_result.has_validation_errors()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "No meeting has the slug “g7-2023-no-such-summit”."),
        ("ja", "スラッグが「g7-2023-no-such-summit」の会合はありません。"),
    ],
)
def test_an_unknown_summit_is_an_error_of_its_row_that_names_it(admin_client, language, message):
    text = MEETING_HEADER + MEETING_ROW.format(hosts="", summit="g7-2023-no-such-summit")
    assert row_errors(import_file(admin_client, Meeting, text, language)) == {"summit": [message]}


def test_an_unknown_meeting_of_a_document_is_an_error_of_its_row(admin_client):
    text = DECLARATION_HEADER + "imported-document,other,取込文書,no-such-meeting,ja,draft\n"
    assert row_errors(import_file(admin_client, Declaration, text, "en")) == {
        "meeting": ["No meeting has the slug “no-such-meeting”."]
    }
    assert not Declaration.objects.filter(slug="imported-document").exists()


def test_a_bad_row_is_reported_and_nothing_is_imported(admin_client):
    good = "new-meeting,G7,ministerial,2023,JP,health,新しい会合,New meeting,新会合,New,draft,\n"
    bad = "bad-meeting,G8,ministerial,2023,JP,health,悪い会合,Bad meeting,悪い,Bad,draft,\n"
    response = import_csv(admin_client, CSV_HEADER + good + bad)
    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "forum" in result.invalid_rows[0].field_specific_errors
    assert not Meeting.objects.filter(slug__in=["new-meeting", "bad-meeting"]).exists()


def test_editors_import_drafts(client, editor):
    client.force_login(editor)
    row = "g7-2023-imported-draft,G7,ministerial,2023,JP,health,取込会合,Imported,取込,Imported,draft,\n"
    response = import_csv(client, CSV_HEADER + row)
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    client.post(reverse("admin:meetings_meeting_process_import"), response.context["confirm_form"].initial)
    assert Meeting.objects.get(slug="g7-2023-imported-draft").status == "draft"


def test_an_editors_import_may_not_publish_nor_change_a_published_record(client, editor):
    """An import would bypass review: each such row is an error, and nothing of the file is imported."""
    client.force_login(editor)
    new_published = "g7-2023-imported,G7,ministerial,2023,JP,health,取込会合,Imported,取込,Imported,published,2024-04-01 00:00:00\n"
    changed_published = "g7-2023-health-nagasaki,G7,ministerial,2023,JP,health,G7長崎保健大臣会合,Changed by import,保健大臣会合,Health,published,2024-04-01 00:00:00\n"
    response = import_csv(client, CSV_HEADER + new_published + changed_published, HTTP_ACCEPT_LANGUAGE="en")
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [1, 2]
    assert "status" in result.invalid_rows[0].field_specific_errors
    assert "only a publisher may change it by import" in str(result.invalid_rows[1].non_field_specific_errors)
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Meeting.objects.filter(slug="g7-2023-imported").exists()
    assert Meeting.objects.get(slug="g7-2023-health-nagasaki").title_en != "Changed by import"
