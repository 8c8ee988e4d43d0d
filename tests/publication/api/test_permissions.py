"""Who may read and write what, and how a write is held to the admin's rules."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from declarations.models import Declaration, Theme
from meetings.models import Meeting
from publication.api.permissions import ModelPermissionsOrReadOnly
from tests.api_support import DECLARATION, NEW_MEETING, TAKASAKI, draft_meeting
from tests.factories import DeclarationFactory, MeetingFactory, ThemeFactory
from tests.publication.support import MATRIX, ROLES  # the same outcomes as in the admin

pytestmark = pytest.mark.django_db


def test_anonymous_clients_see_published_records_only(api):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    scheduled = MeetingFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    slugs = {
        meeting["slug"] for meeting in api.get("/api/v1/meetings/", {"page_size": 100}).json()["results"]
    }
    assert draft.slug not in slugs and scheduled.slug not in slugs
    assert api.get(f"/api/v1/meetings/{draft.slug}/").status_code == 404
    assert api.get(f"/api/v1/meetings/{scheduled.slug}/").status_code == 404


def test_parts_of_a_draft_document_are_hidden_with_it(api):
    theme = ThemeFactory(declaration=DeclarationFactory(status=Declaration.Status.DRAFT, published_at=None))
    assert api.get(f"/api/v1/declarations/{theme.declaration.slug}/themes/{theme.number}/").status_code == 404
    listed = api.get("/api/v1/themes/", {"page_size": 100}).json()["results"]
    assert theme.declaration.slug not in {t["declaration"]["slug"] for t in listed}


def test_a_draft_document_is_not_listed_with_its_meeting(api):
    draft = DeclarationFactory(meeting=Meeting.objects.get(slug=TAKASAKI), status=Declaration.Status.DRAFT)
    documents = api.get(f"/api/v1/meetings/{TAKASAKI}/").json()["documents"]
    assert draft.slug not in {document["slug"] for document in documents}


def test_editors_see_drafts(editor_api):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    response = editor_api.get(f"/api/v1/meetings/{draft.slug}/")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_a_user_without_permissions_reads_like_the_public_and_may_not_write(reader_api):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, published_at=None)
    assert reader_api.get(f"/api/v1/meetings/{draft.slug}/").status_code == 404
    response = reader_api.post("/api/v1/meetings/", NEW_MEETING, format="json")
    assert response.status_code == 403
    assert not Meeting.objects.filter(slug=NEW_MEETING["slug"]).exists()


@pytest.mark.parametrize("method", ["get", "head", "options"])
def test_a_read_is_allowed_without_building_the_views_queryset(rf, method):
    """Regression: DRF's model permissions built a viewset's whole QuerySet to learn its model on every
    read, which needs no permission (a seventh of the API's document record)."""

    class View:
        def get_queryset(self):
            raise AssertionError("a read built the QuerySet")

    request = getattr(rf, method)("/api/v1/meetings/")
    request.user = AnonymousUser()
    assert ModelPermissionsOrReadOnly().has_permission(request, View())


def test_a_write_is_still_checked_against_the_models_permissions(rf, editor, django_user_model):
    class View:
        def get_queryset(self):
            return Meeting.objects.all()

    request = rf.post("/api/v1/meetings/")
    request.user = editor
    assert ModelPermissionsOrReadOnly().has_permission(request, View())
    request.user = django_user_model.objects.create_user("reader-only", password="a-long-reader-password")
    assert not ModelPermissionsOrReadOnly().has_permission(request, View())
    request.user = AnonymousUser()
    assert not ModelPermissionsOrReadOnly().has_permission(request, View())


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_anonymous_write_is_a_401_naming_the_token_scheme(api, method):
    url = "/api/v1/meetings/" if method == "post" else f"/api/v1/meetings/{TAKASAKI}/"
    response = getattr(api, method)(url, {"title": {"ja": "改竄"}}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert Meeting.objects.get(slug=TAKASAKI).title_ja == "G7群馬高崎デジタル・技術大臣会合"


def test_an_editor_creates_a_meeting_with_both_languages(editor_api):
    response = editor_api.post("/api/v1/meetings/?lang=all", NEW_MEETING, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["title"] == NEW_MEETING["title"]
    assert response.json()["hosts"][0]["slug"] == "mic"
    meeting = Meeting.objects.get(slug=NEW_MEETING["slug"])
    assert (meeting.title_ja, meeting.title_en) == ("試験大臣会合", "Test Ministers' Meeting")
    assert meeting.summit.slug == "g7-2023-hiroshima-summit"
    assert meeting.status == Meeting.Status.DRAFT


def test_a_partial_update_changes_one_language_and_keeps_the_other(publisher_api):
    response = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"title": {"en": "A corrected title"}, "change_note": "Official title"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    meeting = Meeting.objects.get(slug=TAKASAKI)
    assert meeting.title_en == "A corrected title"
    assert meeting.title_ja == "G7群馬高崎デジタル・技術大臣会合"


def test_a_published_record_needs_a_publish_time(publisher_api):
    """Guards meeting_published_has_time: a record published without one is published now (the schema
    lets a client publish with `status` alone), so that the rule is never broken."""
    response = publisher_api.post(
        "/api/v1/meetings/", {**NEW_MEETING, "status": "published", "published_at": None}, format="json"
    )
    assert response.status_code == 201
    assert Meeting.objects.get(slug=NEW_MEETING["slug"]).published_at is not None


def test_a_taken_slug_is_a_409_naming_the_field(editor_api):
    response = editor_api.post("/api/v1/meetings/", {**NEW_MEETING, "slug": TAKASAKI}, format="json")
    assert response.status_code == 409
    assert list(response.json()) == ["slug"]


def test_a_taken_theme_number_is_a_409_naming_the_field(publisher_api):
    """Guards declaration_theme_unique_number: a 409 on `number`, not an IntegrityError."""
    response = publisher_api.post(
        "/api/v1/themes/", {"declaration": DECLARATION, "number": 1, "title": {"ja": "重複"}}, format="json"
    )
    assert response.status_code == 409
    assert list(response.json()) == ["number"]


def test_deleting_a_meeting_that_has_documents_is_a_409(publisher_api):
    response = publisher_api.delete(f"/api/v1/meetings/{TAKASAKI}/")
    assert response.status_code == 409
    assert Meeting.objects.filter(slug=TAKASAKI).exists()


def test_a_publisher_deletes_a_theme_of_a_published_document(publisher_api):
    theme = ThemeFactory(number=7)
    response = publisher_api.delete(f"/api/v1/declarations/{theme.declaration.slug}/themes/7/")
    assert response.status_code == 204
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_a_change_made_on_an_old_version_is_a_409(publisher_api):
    """Guards optimistic locking: a write based on a stale read never overwrites a newer save."""
    version = publisher_api.get(f"/api/v1/meetings/{TAKASAKI}/").json()["version"]
    first = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"summary": {"en": "First"}, "version": version, "change_note": "First"},
        format="json",
    )
    assert first.status_code == 200
    assert first.json()["version"] == version + 1
    second = publisher_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/",
        {"summary": {"en": "Second"}, "version": version, "change_note": "Second"},
        format="json",
    )
    assert second.status_code == 409
    assert "detail" in second.json()
    assert Meeting.objects.get(slug=TAKASAKI).summary_en == "First"


# Each role's actions, as in the admin


def api_for(role, django_user_model, request) -> APIClient:
    client = APIClient()
    if role == "anonymous":
        return client
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", password="a-long-root-password")
    else:
        user = request.getfixturevalue(role)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_api_permission_matrix(role, action, django_user_model, request):
    """`view` reads a draft; `add`, `change` and `publish` work on drafts; `delete` is of a published meeting."""
    api = api_for(role, django_user_model, request)
    allowed = MATRIX[action][role]
    refused = {401, 404} if role == "anonymous" else {403}
    if action == "view":
        meeting = draft_meeting()
        response = api.get(f"/api/v1/meetings/{meeting.slug}/")
        assert response.status_code == (200 if allowed else 404)
    elif action == "add":
        response = api.post(
            "/api/v1/meetings/",
            {**NEW_MEETING, "slug": "g7-2023-matrix-ministerial"},
            format="json",
        )
        assert (response.status_code == 201) is allowed, response.content
        assert Meeting.objects.filter(slug="g7-2023-matrix-ministerial").exists() is allowed
    elif action == "change":
        meeting = draft_meeting()
        response = api.patch(f"/api/v1/meetings/{meeting.slug}/", {"title": {"en": "Changed"}}, format="json")
        meeting.refresh_from_db()
        assert (meeting.title_en == "Changed") is allowed
        assert response.status_code == 200 if allowed else response.status_code in refused
    elif action == "publish":
        meeting = draft_meeting()
        response = api.patch(
            f"/api/v1/meetings/{meeting.slug}/",
            {"status": "published", "published_at": "2023-05-01T00:00:00Z"},
            format="json",
        )
        meeting.refresh_from_db()
        assert (meeting.status == Meeting.Status.PUBLISHED) is allowed
        assert response.status_code == 200 if allowed else response.status_code in refused
    elif action == "delete":
        meeting = MeetingFactory()
        response = api.delete(f"/api/v1/meetings/{meeting.slug}/")
        assert (not Meeting.objects.filter(pk=meeting.pk).exists()) is allowed
        assert response.status_code == 204 if allowed else response.status_code in refused | {401}
