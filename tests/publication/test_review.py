"""Review (publication/review.py): the whole editorial workflow walked through, from a draft through
preview, review and publishing to the history, a comparison and a restore; a change awaiting review made on
an old version is not published; a change to a part on its own page waits with its document's; a change to
reference data that a published record uses waits for review, and what such records use is not deleted.
An editor's change to the parts of a published record (a document's themes, key points, footnotes…; a
meeting's sessions, places, chairs) waits for review with the record's own: one change awaiting review per
record, shown part by part, published in one go by a publisher. A drag or a renumbering of a published
document's parts waits for review too, and moves nothing until it is published.
Each step's own tests are with its module: the change form's in test_admin.py, the history's in
test_history.py, a public page's preview in test_views.py."""

from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Commitment
from declarations.models import Declaration, Footnote, Theme
from meetings.models import Location, Meeting, Prefecture
from publication.models import Correction, PendingChange
from tests.declarations.support import NOTE
from tests.html_forms import form_data
from tests.publication.support import (
    TAKASAKI,
    TAKASAKI_DECLARATION,
    change_url,
    declaration_form_data,
    numbers_and_positions,
    theme_form_data,
)
from tests.publication.support import TAKASAKI_DECLARATION as DECLARATION

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


def review_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_review", args=[record.pk])


def form_id(record) -> str:
    return f"{record._meta.model_name}_form"


def post_change(client, record, changes: dict, *, data=None, status=302, **headers):
    """Post the record's change form as the page gives it, with `changes` (a field's name to its value; None
    removes the field, as an unchecked box is left out)."""
    data = data if data is not None else form_data(client.get(change_url(record)), form_id(record))
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value] if isinstance(value, str) else value
    response = client.post(change_url(record), data, **headers)
    errors = response.context and [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
        *(inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]),
    ]
    assert response.status_code == status, errors
    return response


def pending_of(record) -> PendingChange:
    return PendingChange.objects.get(content_type__model=record._meta.model_name, object_id=record.pk)


def key_point_index(theme, point) -> int:
    return list(theme.key_points.order_by("number").values_list("pk", flat=True)).index(point.pk)


def test_an_editors_change_to_a_key_point_waits_for_review_then_is_published_with_a_correction(
    client, editor, publisher
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = declaration.themes.order_by("number").first()
    point = theme.key_points.order_by("number").first()
    before = point.text_en
    index = key_point_index(theme, point)
    client.force_login(editor)
    post_change(
        client,
        theme,
        {
            f"key_points-{index}-text_en": "A reworded key point.",
            "change_note": "Reworded to match the source.",
        },
    )
    point.refresh_from_db()
    assert point.text_en == before
    assert "A reworded key point." not in client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    pending = pending_of(declaration)
    assert pending.author == editor and pending.data == {}
    assert [(change["model"], change["pk"], change["values"]) for change in pending.parts] == [
        ("declarations.keypoint", point.pk, {"text_en": "A reworded key point."})
    ]
    # The record's page names the change awaiting review, its parts included.
    assert "key points" in client.get(change_url(declaration), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # The review shows the part's change before and after, both languages of its text.
    client.force_login(publisher)
    review = unescape(client.get(review_url(declaration), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    section = review[review.index("part-changes") :]
    assert "Key point" in section and str(point) in section
    assert f"<del>{before}</del>" in section and "<ins>A reworded key point.</ins>" in section
    assert point.text_ja in section and "text_ja" in section
    assert client.get(review_url(declaration), HTTP_ACCEPT_LANGUAGE="ja").status_code == 200

    response = client.post(review_url(declaration), {"action": "publish"})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.text_en == "A reworded key point."
    assert not PendingChange.objects.filter(pk=pending.pk).exists()
    version = point.history.order_by("-history_id").first()
    assert (version.history_user, version.proposed_by) == (publisher, editor)
    assert version.history_change_reason == "Reworded to match the source."
    # The history pages of the part and of its document name both the editor and the publisher.
    for record in (point, declaration):
        url = reverse(f"admin:declarations_{record._meta.model_name}_history", args=[record.pk])
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        newest = html[html.index("<tbody>") : html.index("</tbody>")].split("<tr>")[1]
        assert "publisher" in newest and "editor" in newest and "Reworded to match the source." in newest
    correction = Correction.objects.get(model="declarations.keypoint", object_id=point.pk)
    assert correction.note == "Reworded to match the source."
    english = client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    assert "A reworded key point." in english
    assert (
        "Reworded to match the source." in english and '<ins lang="en">A reworded key point.</ins>' in english
    )
    japanese = client.get(f"/ja/declarations/{DECLARATION}/").content.decode()
    assert "部分の訂正" in japanese and "Reworded to match the source." in japanese


def test_an_editor_adds_a_footnote_and_deletes_another_through_a_proposal(client, editor, publisher):
    declaration = Declaration.objects.get(slug=DECLARATION)
    notes = list(declaration.footnotes.order_by("number"))
    assert notes, "the document has footnotes"
    gone = notes[0]
    # Every note of the declaration is a commitment's source, which protects it: this one's is moved away.
    Commitment.objects.filter(footnote=gone).delete()
    client.force_login(editor)
    data = form_data(client.get(change_url(declaration)), form_id(declaration))
    total = int(data["footnotes-TOTAL_FORMS"][0])
    new_number = max(note.number for note in notes) + 1
    post_change(
        client,
        declaration,
        {
            "footnotes-0-DELETE": "on",
            "footnotes-TOTAL_FORMS": str(total + 1),
            f"footnotes-{total}-number": str(new_number),
            f"footnotes-{total}-theme": str(gone.theme_id),
            f"footnotes-{total}-text_ja": "追加の注記。",
            f"footnotes-{total}-text_en": "An added note.",
            "change_note": "Notes corrected.",
        },
        data=data,
    )
    assert Footnote.objects.filter(pk=gone.pk).exists()
    assert not declaration.footnotes.filter(number=new_number).exists()
    actions = sorted(
        ("delete" if change.get("delete") else "add" if change["pk"] is None else "change")
        for change in pending_of(declaration).parts
    )
    assert actions == ["add", "delete"]

    client.force_login(publisher)
    review = unescape(client.get(review_url(declaration), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "An added note." in review and "追加の注記。" in review and "Deleted" in review
    client.post(review_url(declaration), {"action": "publish"})
    assert not Footnote.objects.filter(pk=gone.pk).exists()
    added = declaration.footnotes.get(number=new_number)
    assert (added.text_en, added.theme_id) == ("An added note.", gone.theme_id)
    assert added.history.get().proposed_by == editor


def test_an_editor_exchanges_two_themes_numbers_through_a_proposal_and_it_publishes(
    client, editor, publisher
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    first, second = declaration.themes.order_by("number")[:2]
    client.force_login(editor)
    post_change(
        client,
        declaration,
        {
            "themes-0-number": "2",
            "themes-1-number": "1",
            "change_note": "The themes' order as in the source.",
        },
    )
    first.refresh_from_db()
    assert first.number == 1
    client.force_login(publisher)
    response = client.post(review_url(declaration), {"action": "publish"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)
    # No stopgap number reaches the history: each theme moves once.
    assert set(first.history.values_list("number", flat=True)) == {1, 2}
    assert not PendingChange.objects.filter(object_id=declaration.pk).exists()


def test_a_second_proposal_on_a_stale_version_of_the_change_is_refused(client, editor, django_user_model):
    from django.contrib.auth.models import Group

    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = declaration.themes.order_by("number").first()
    other = django_user_model.objects.create_user(
        "other-editor", password="another-long-password", is_staff=True
    )
    other.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    stale = form_data(client.get(change_url(theme)), form_id(theme))
    second_client = client.__class__()
    second_client.force_login(other)
    post_change(
        second_client, theme, {"key_points-0-text_en": "The other editor's text.", "change_note": "Theirs"}
    )
    response = post_change(
        client,
        theme,
        {"key_points-0-text_en": "My text.", "change_note": "Mine"},
        data=stale,
        status=200,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "changed what awaits review on this record" in unescape(response.content.decode())
    pending = pending_of(declaration)
    assert [change["values"] for change in pending.parts] == [{"text_en": "The other editor's text."}]
    assert pending.author == other


def test_a_part_changed_since_the_proposal_is_not_published_over(client, editor, publisher):
    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = declaration.themes.order_by("number").first()
    client.force_login(editor)
    post_change(client, theme, {"key_points-0-text_en": "Proposed.", "change_note": "Proposed"})
    point = theme.key_points.order_by("number").first()
    point.text_en = "Changed meanwhile."
    point.save()
    client.force_login(publisher)
    client.post(review_url(declaration), {"action": "publish"})
    point.refresh_from_db()
    assert point.text_en == "Changed meanwhile."
    assert PendingChange.objects.filter(object_id=declaration.pk).exists()


def test_an_editor_still_cannot_publish_a_change_to_the_parts(client, editor):
    declaration = Declaration.objects.get(slug=DECLARATION)
    client.force_login(editor)
    html = client.get(change_url(declaration)).content.decode()
    assert 'name="themes-0-title_en"' in html
    assert 'name="status"' not in html
    post_change(client, declaration, {"themes-0-title_en": "An editor's title.", "change_note": "Title"})
    response = client.post(review_url(declaration), {"action": "publish"})
    assert response.status_code == 403
    assert not Theme.objects.filter(title_en="An editor's title.").exists()
    assert PendingChange.objects.filter(object_id=declaration.pk).exists()


def test_an_editor_adds_a_place_to_a_published_meeting_through_a_proposal(client, editor, publisher):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    count = meeting.locations.count()
    client.force_login(editor)
    data = form_data(client.get(change_url(meeting)), form_id(meeting))
    total = int(data["locations-TOTAL_FORMS"][0])
    post_change(
        client,
        meeting,
        {
            "locations-TOTAL_FORMS": str(total + 1),
            f"locations-{total}-order": str(total + 1),
            f"locations-{total}-country": "JP",
            f"locations-{total}-prefecture": str(Prefecture.objects.get(code="10").pk),
            f"locations-{total}-city_ja": "前橋市",
            f"locations-{total}-city_en": "Maebashi",
            "change_note": "A second venue.",
        },
        data=data,
    )
    assert meeting.locations.count() == count
    client.force_login(publisher)
    client.post(review_url(meeting), {"action": "publish"})
    assert Location.objects.filter(meeting=meeting, city_en="Maebashi").exists()


def test_the_part_changes_of_a_record_are_reviewed_in_few_queries(
    client, editor, publisher, django_assert_max_num_queries
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    client.force_login(editor)
    post_change(
        client,
        declaration,
        {
            "themes-0-title_en": "One.",
            "themes-1-title_en": "Two.",
            "footnotes-0-text_en": "Three.",
            "change_note": "N",
        },
    )
    client.force_login(publisher)
    client.get(review_url(declaration))
    with django_assert_max_num_queries(10):
        assert client.get(review_url(declaration)).status_code == 200


def test_an_editor_moves_a_meetings_session_through_a_proposal(client, editor, publisher):
    """A session is placed by its first day: publishing parks it as the meeting's own formset does."""
    meeting = Meeting.objects.get(slug=TAKASAKI)
    session = meeting.sessions.get()
    start, end = session.start_date, session.end_date
    earlier = start.replace(day=start.day - 1)
    client.force_login(editor)
    post_change(
        client, meeting, {"sessions-0-start_date": earlier.isoformat(), "change_note": "The first day."}
    )
    session.refresh_from_db()
    assert session.start_date == start
    client.force_login(publisher)
    client.post(review_url(meeting), {"action": "publish"})
    session.refresh_from_db()
    assert (session.start_date, session.end_date) == (earlier, end)
    meeting.refresh_from_db()
    assert meeting.start_date == earlier


def test_a_proposed_correction_of_a_part_says_what_it_corrects(client, editor):
    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = declaration.themes.order_by("number").first()
    client.force_login(editor)
    response = post_change(
        client,
        theme,
        {"key_points-0-text_en": "Unnoted.", "change_note": ""},
        status=200,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Say in a note what this change corrects and why" in unescape(response.content.decode())
    assert not PendingChange.objects.filter(object_id=declaration.pk).exists()


def test_the_change_forms_preview_shows_the_proposed_parts(client, editor):
    declaration = Declaration.objects.get(slug=DECLARATION)
    client.force_login(editor)
    data = form_data(client.get(change_url(declaration)), form_id(declaration))
    data["themes-0-title_en"] = ["A previewed theme title"]
    preview = reverse("admin:declarations_declaration_preview", args=[declaration.pk, "en"])
    response = client.post(preview, data)
    assert response.status_code == 200
    assert "A previewed theme title" in unescape(response.content.decode())
    assert not Theme.objects.filter(title_en="A previewed theme title").exists()


def test_the_preview_of_a_change_awaiting_review_shows_its_parts(
    client, editor, django_assert_max_num_queries
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    theme = declaration.themes.order_by("number").first()
    client.force_login(editor)
    post_change(
        client, theme, {"key_points-0-text_en": "A key point awaiting review.", "change_note": "Key point"}
    )
    public = client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    assert "A key point awaiting review." not in public
    with CaptureQueriesContext(connection) as plain:
        client.get(f"/en/declarations/{DECLARATION}/")
    with CaptureQueriesContext(connection) as previewed:
        preview = client.get(f"/en/declarations/{DECLARATION}/?preview=pending").content.decode()
    assert "A key point awaiting review." in unescape(preview)
    # The parts are found among those the page reads: no query more than the change awaiting review's.
    assert len(previewed) == len(plain) + 1


def test_an_editors_reorder_and_renumbering_of_a_published_document_wait_for_review(
    client, editor, publisher
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    before = numbers_and_positions(declaration.themes.all())
    first, second = declaration.themes.all()[:2]
    client.force_login(editor)
    post_change(
        client,
        declaration,
        {"themes-0-position": "2", "themes-1-position": "1", "renumber_parts": "on", "change_note": NOTE},
    )
    assert numbers_and_positions(declaration.themes.all()) == before
    # Told that nothing is renumbered yet, and that the cited addresses change once it is published.
    page = client.get(change_url(declaration)).content.decode()
    assert "番号の振り直しは、ほかの変更とともにレビューを待っています。" in page
    assert "部分の番号を表示順に振り直しました。" not in page
    pending = PendingChange.objects.get(content_type__model="declaration", object_id=declaration.pk)
    assert sorted((change["pk"], change["values"]) for change in pending.parts) == sorted(
        [(first.pk, {"number": 2, "position": 2}), (second.pk, {"number": 1, "position": 1})]
    )
    client.force_login(publisher)
    review = reverse("admin:declarations_declaration_review", args=[declaration.pk])
    assert client.post(review, {"action": "publish"}).status_code == 302
    assert numbers_and_positions(declaration.themes.filter(pk__in=[first.pk, second.pk])) == {
        first.pk: (2, 2),
        second.pk: (1, 1),
    }


def test_an_editors_drag_on_a_published_document_moves_nothing_until_reviewed(client, editor):
    declaration = Declaration.objects.get(slug=DECLARATION)
    client.force_login(editor)
    post_change(
        client, declaration, {"footnotes-0-position": "2", "footnotes-1-position": "1", "change_note": NOTE}
    )
    assert list(declaration.footnotes.values_list("number", flat=True))[:2] == [1, 2]
    pending = PendingChange.objects.get(content_type__model="declaration", object_id=declaration.pk)
    assert {change["values"]["position"] for change in pending.parts} == {1, 2}
    assert all(set(change["values"]) == {"position"} for change in pending.parts)
