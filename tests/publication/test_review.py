"""Review (publication/review.py): the whole editorial workflow walked through, from a draft through
preview, review and publishing to the history, a comparison and a restore; a change awaiting review made on
an old version is not published; a change to a part on its own page waits with its document's; a change to
reference data that a published record uses waits for review, and what such records use is not deleted.
Each step's own tests are with its module: the change form's in test_admin.py, the history's in
test_history.py, a public page's preview in test_views.py."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from declarations.models import Declaration, Theme
from publication.models import PendingChange
from tests.publication.support import TAKASAKI_DECLARATION, change_url, declaration_form_data, theme_form_data

pytestmark = pytest.mark.django_db

# The whole workflow, as the issue tells it


def test_japanese_title_goes_through_draft_preview_review_publish_history_compare_restore(
    client, editor, publisher
):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    assert declaration.authentic_language == "en"
    original_ja = declaration.title_ja

    # A publisher corrects the English title, the authentic text: the Japanese (仮訳) is now out of date,
    # and the dashboard says so.
    client.force_login(publisher)
    client.post(
        change_url(declaration),
        declaration_form_data(
            declaration,
            title_en="G7 Digital and Tech Ministerial Declaration (corrected)",
            change_note="Title corrected",
        ),
    )
    declaration.refresh_from_db()
    assert declaration.title_en.endswith("(corrected)") and declaration.is_out_of_date("title")
    dashboard = unescape(client.get(reverse("admin:translations")).content.decode())
    table = dashboard[dashboard.index('<table id="translations">') :]
    row = table[table.index(declaration.title_ja) :]
    assert "title" in row[: row.index("</tr>")]

    # An editor changes the Japanese title: it waits for review, and the public sees no change.
    client.force_login(editor)
    new_ja = "G7デジタル・技術閣僚宣言（訂正）"
    response = client.post(
        change_url(declaration),
        declaration_form_data(declaration, title_ja=new_ja, change_note="Japanese title follows the English"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert any("awaits a publisher's review" in message for message in said)
    assert not any("changed successfully" in message for message in said)
    declaration.refresh_from_db()
    assert declaration.title_ja == original_ja
    pending = PendingChange.objects.get(object_id=declaration.pk)
    assert pending.data == {"title_ja": new_ja} and pending.author == editor
    assert new_ja not in Client().get(f"/ja/declarations/{declaration.slug}/").content.decode()

    # The editor previews the change in both languages as the public will see it.
    for language in ("ja", "en"):
        preview = client.get(f"/{language}/declarations/{declaration.slug}/?preview=pending")
        assert preview.status_code == 200
    assert new_ja in unescape(
        client.get(f"/ja/declarations/{declaration.slug}/?preview=pending").content.decode()
    )

    # An editor cannot publish it; a publisher reviews and publishes it.
    review_url = reverse("admin:declarations_declaration_review", args=[declaration.pk])
    assert client.post(review_url, {"action": "publish"}).status_code == 403
    client.force_login(publisher)
    review = client.get(review_url).content.decode()
    assert new_ja in unescape(review) and original_ja in unescape(review)
    client.post(review_url, {"action": "publish"})
    declaration.refresh_from_db()
    assert declaration.title_ja == new_ja and not declaration.is_out_of_date("title")
    assert not PendingChange.objects.filter(object_id=declaration.pk).exists()
    public = unescape(Client().get(f"/ja/declarations/{declaration.slug}/").content.decode())
    assert new_ja in public
    # The correction is on the public page, with the editor's note.
    public_en = unescape(Client().get(f"/en/declarations/{declaration.slug}/").content.decode())
    corrections = public_en[public_en.index('class="corrections"') :]
    assert "Title (Japanese)" in corrections and "Japanese title follows the English" in corrections

    # The history has it, with the editor's note; two versions compare field by field.
    latest = declaration.history.order_by("-history_id").first()
    assert latest.title_ja == new_ja and latest.history_change_reason == "Japanese title follows the English"
    before = declaration.history.filter(title_ja=original_ja).order_by("-history_id").first()
    compare_url = reverse("admin:declarations_declaration_compare", args=[declaration.pk])
    comparison = unescape(
        client.get(compare_url, {"older": before.history_id, "newer": latest.history_id}).content.decode()
    )
    assert "title_ja" in comparison and original_ja in comparison and new_ja in comparison

    # Restoring the earlier version brings back its Japanese title, as a new version.
    version_before = declaration.version
    client.post(reverse("admin:declarations_declaration_restore", args=[declaration.pk, before.history_id]))
    declaration.refresh_from_db()
    assert declaration.title_ja == original_ja and declaration.version == version_before + 1


def test_a_pending_change_made_on_an_old_version_is_not_published(client, editor, publisher):
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    client.force_login(editor)
    client.post(
        change_url(declaration), declaration_form_data(declaration, title_en="Proposed", change_note="Title")
    )
    declaration.summary_en = "Changed meanwhile."
    declaration.save()
    client.force_login(publisher)
    client.post(
        reverse("admin:declarations_declaration_review", args=[declaration.pk]), {"action": "publish"}
    )
    declaration.refresh_from_db()
    assert declaration.title_en != "Proposed"
    assert PendingChange.objects.filter(object_id=declaration.pk).exists()


def test_an_editors_change_to_a_part_of_a_published_document_on_its_own_page_awaits_review(client, editor):
    """A part has no review of its own: its own admin page keeps the change with its document's."""
    theme = Theme.objects.get(declaration__slug=TAKASAKI_DECLARATION, number=1)
    client.force_login(editor)
    page = client.get(change_url(theme))
    assert page.status_code == 200
    assert 'name="title_en"' in page.content.decode()
    response = client.post(
        change_url(theme),
        theme_form_data(theme, title_en="Changed unseen", change_note="Title", loaded_pending_version=0),
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.title_en != "Changed unseen"
    pending = PendingChange.objects.get(object_id=theme.declaration_id, content_type__model="declaration")
    assert [change["values"] for change in pending.parts] == [{"title_en": "Changed unseen"}]
    # Moving the part to another document is no change of this one's: refused.
    other = Declaration.objects.exclude(pk=theme.declaration_id).first()
    Declaration.objects.filter(pk=other.pk).update(status="draft")
    response = client.post(
        change_url(theme), theme_form_data(theme, declaration=other.pk, change_note="Moved")
    )
    assert response.status_code == 200
    theme.refresh_from_db()
    assert theme.declaration_id != other.pk
    delete = client.post(reverse("admin:declarations_theme_delete", args=[theme.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Theme.objects.filter(pk=theme.pk).exists()


# Reference data


def organization_form_data(organization, **overrides):
    return {
        "slug": organization.slug,
        "kind": organization.kind,
        "name_ja": organization.name_ja,
        "name_en": organization.name_en,
        "short_name_ja": organization.short_name_ja,
        "short_name_en": organization.short_name_en,
        "country": organization.country,
        "url": organization.url,
        "loaded_version": organization.version,
        **overrides,
    }


def test_an_editors_change_to_an_organisation_a_published_meeting_uses_awaits_review_in_the_admin(
    client, editor, publisher
):
    from meetings.models import Organization

    organization = Organization.objects.get(slug="mic")
    client.force_login(editor)
    response = client.post(
        change_url(organization),
        organization_form_data(organization, name_en="Renamed"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    said = [str(message) for message in client.get(response["Location"]).context["messages"]]
    assert any("awaits a publisher's review" in message for message in said)
    organization.refresh_from_db()
    assert organization.name_en != "Renamed"
    review_url = reverse("admin:meetings_organization_review", args=[organization.pk])
    client.force_login(publisher)
    assert client.get(review_url).status_code == 200
    client.post(review_url, {"action": "publish"})
    organization.refresh_from_db()
    assert organization.name_en == "Renamed"


def test_the_admin_does_not_delete_what_a_published_record_uses(client, publisher):
    from meetings.models import Prefecture

    gunma = Prefecture.objects.get(code="10")
    client.force_login(publisher)
    url = reverse("admin:meetings_prefecture_delete", args=[gunma.pk])
    page = unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "公開中のレコードが使用しているため" in page
    client.post(url, {"post": "yes"})
    assert Prefecture.objects.filter(pk=gunma.pk).exists()
    english = unescape(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "published records use it" in english
