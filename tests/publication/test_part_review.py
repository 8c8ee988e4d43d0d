"""An editor's change to the parts of a published record (a document's themes, key points, footnotes…;
a meeting's sessions, places, chairs) waits for review with the record's own: one change awaiting review
per record, shown part by part, published in one go by a publisher."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments.models import Commitment
from declarations.models import Declaration, Footnote, Theme
from meetings.models import Location, Meeting, Prefecture
from publication.models import Correction, PendingChange
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
TAKASAKI = "g7-2023-digital-and-tech-takasaki"


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


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
