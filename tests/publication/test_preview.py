"""Preview from the change form: the public page with the form's unsaved values, in both languages, saved
nowhere; for staff who may change the record, by a CSRF-protected POST."""

from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from declarations.models import Declaration
from meetings.models import Meeting
from tests.publication.support import TAKASAKI_DECLARATION, change_url, declaration_form_data
from tests.publication.test_admin import meeting_form_data

pytestmark = pytest.mark.django_db

NAGASAKI = "g7-2023-health-nagasaki"
WRITES = ("INSERT", "UPDATE", "DELETE")


def preview_url(record, language):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[record.pk, language])


def takasaki():
    return Declaration.objects.get(slug=TAKASAKI_DECLARATION)


@pytest.mark.parametrize(
    ("language", "field", "value"),
    [("en", "title_en", "A previewed English title"), ("ja", "title_ja", "プレビューした日本語の題名")],
)
def test_a_document_is_previewed_with_the_forms_values_in_each_language(
    client, publisher, language, field, value
):
    declaration = takasaki()
    history, version = declaration.history.count(), declaration.version
    client.force_login(publisher)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            preview_url(declaration, language), declaration_form_data(declaration, **{field: value})
        )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert value in page and f'<html lang="{language}"' in page
    assert 'class="preview-banner"' in page and '<meta name="robots" content="noindex, nofollow">' in page
    # The page's own address, not the admin's, names it.
    assert f"/{language}/declarations/{declaration.slug}/" in page
    # Nothing saved: no write, no new version, no history entry.
    assert not [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]
    declaration.refresh_from_db()
    assert getattr(declaration, field) != value and declaration.version == version
    assert declaration.history.count() == history
    # And the public page is as it was.
    assert value not in unescape(
        Client().get(f"/{language}/declarations/{declaration.slug}/").content.decode()
    )


def test_a_meeting_is_previewed_with_the_forms_values(client, publisher):
    meeting = Meeting.objects.get(slug=NAGASAKI)
    client.force_login(publisher)
    data = meeting_form_data(meeting, title_en="Health Ministers' Meeting, previewed")
    response = client.post(preview_url(meeting, "en"), data)
    assert response.status_code == 200
    assert "Health Ministers' Meeting, previewed" in unescape(response.content.decode())
    meeting.refresh_from_db()
    assert meeting.title_en != "Health Ministers' Meeting, previewed"


def test_an_editor_previews_a_change_to_a_published_record_without_a_note(client, editor):
    """A preview is checked as the values are, not as a save is: no change note, no review, no version."""
    declaration = takasaki()
    client.force_login(editor)
    data = declaration_form_data(declaration, title_en="Editor's preview", loaded_version=1)
    response = client.post(preview_url(declaration, "en"), data)
    assert response.status_code == 200 and "Editor's preview" in unescape(response.content.decode())
    assert not declaration.history.filter(title_en="Editor's preview").exists()


def test_the_change_form_has_a_preview_button_for_each_language(client, publisher):
    declaration = takasaki()
    client.force_login(publisher)
    html = client.get(change_url(declaration)).content.decode()
    for language in ("ja", "en"):
        assert f'formaction="{preview_url(declaration, language)}"' in html


def test_a_preview_with_an_invalid_value_is_a_400_naming_it(client, publisher):
    declaration = takasaki()
    client.force_login(publisher)
    response = client.post(
        preview_url(declaration, "en"),
        declaration_form_data(declaration, adopted_on="not a date"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Adopted on: Enter a valid date." in unescape(response.content.decode())


def test_a_preview_is_a_post(client, publisher):
    client.force_login(publisher)
    assert client.get(preview_url(takasaki(), "en")).status_code == 405


def test_a_preview_needs_the_csrf_token(publisher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(publisher)
    declaration = takasaki()
    assert client.post(preview_url(declaration, "en"), declaration_form_data(declaration)).status_code == 403


def test_a_preview_needs_the_change_permission(client, django_user_model):
    declaration = takasaki()
    reader = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_declaration"))
    client.force_login(reader)
    assert client.post(preview_url(declaration, "en"), declaration_form_data(declaration)).status_code == 403
    client.logout()
    response = client.post(preview_url(declaration, "en"), declaration_form_data(declaration))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_a_preview_of_no_record_or_language_is_a_404(client, publisher, object_id):
    client.force_login(publisher)
    url = reverse("admin:declarations_declaration_preview", args=[object_id, "en"])
    assert client.post(url, {}).status_code == 404
    assert client.post(preview_url(takasaki(), "fr"), {}).status_code == 404
