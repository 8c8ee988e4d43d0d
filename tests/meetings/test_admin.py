"""The meeting's change form (meetings/admin.py): its places and chairs dragged or typed into order, its
sessions following their dates and never overlapping, a place's coordinates checked on their field, and
an editor's reorder of a published meeting held for review. Parts that exchange their places in one save are tested with the
formset that saves them (tests/publication/test_formsets.py)."""

import pytest

from meetings.models import Location, Meeting
from publication.models import PendingChange
from tests.admin_support import EDUCATION, TRADE, change_url, post_change
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Latitude lies between −90 and 90."),
        ("ja", "緯度は−90から90の範囲で入力してください。"),
    ],
)
def test_a_latitude_of_999_is_an_error_on_the_latitude_of_the_place(admin_client, language, message):
    """Regression: the form showed “Constraint “meeting_location_coordinates_valid” is violated.” above
    the place, in English whatever the editor's language."""
    meeting = Meeting.objects.get(slug=EDUCATION)
    url = change_url(meeting)
    data = form_data(admin_client.get(url), "meeting_form")
    data["locations-1-latitude"] = ["999"]
    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    places = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "locations"
    )
    assert places.forms[1].errors == {"latitude": [message]}
    assert Location.objects.get(meeting=meeting, order=2).latitude < 90


def parts_inline(response, prefix="locations"):
    return next(
        inline for inline in response.context["inline_admin_formsets"] if inline.formset.prefix == prefix
    )


def places_inline(response):
    return parts_inline(response, "locations")


def test_the_parts_whose_order_no_address_cites_are_draggable_and_sessions_follow_their_dates(admin_client):
    meeting = Meeting.objects.get(slug=TRADE)
    response = admin_client.get(change_url(meeting))
    for prefix in ("locations", "chairs"):
        assert "sortable" in parts_inline(response, prefix).classes.split(), prefix
    assert "sortable" not in parts_inline(response, "sessions").classes.split()


def test_a_publisher_drags_places_into_order_or_types_it(admin_client):
    """The places are draggable (django-admin-sortable2's tabular inline, its script on the page), and each
    row's order stays a number field to type: the keyboard's way, and the one the script writes to. The
    save is PartsFormSet's."""
    from publication.formsets import PartsFormSet

    meeting = Meeting.objects.get(slug=EDUCATION)
    response = admin_client.get(change_url(meeting))
    inline = places_inline(response)
    assert "sortable" in inline.classes.split()
    assert isinstance(inline.formset, PartsFormSet)
    page = response.content.decode()
    assert "adminsortable2/js/adminsortable2" in page
    order = inline.formset.forms[0]["order"]
    assert not order.is_hidden and order.field.required
    assert 'type="number"' in str(order) and "_reorder_" in str(order)
    # The column is labelled, as any other.
    assert '<th class="column-order required">' in page


def test_the_buttons_of_each_row_are_labelled_in_the_editors_language(admin_client):
    meeting = Meeting.objects.get(slug=EDUCATION)
    page = admin_client.get(change_url(meeting), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'aria-label="先頭へ移動"' in page and 'aria-label="末尾へ移動"' in page


def test_an_editor_drags_a_published_meetings_places_as_a_proposal(client, editor):
    """An editor's reorder of a published meeting's places, dragged or typed, waits for review with the
    meeting's other changes: the public order stays until a publisher publishes it."""
    meeting = Meeting.objects.get(slug=EDUCATION)
    client.force_login(editor)
    inline = places_inline(client.get(change_url(meeting)))
    assert "sortable" in inline.classes.split()
    first, second = meeting.locations.order_by("order")
    post_change(
        client,
        meeting,
        {
            "locations-0-order": str(second.order),
            "locations-1-order": str(first.order),
            "change_note": "The places in the source's order.",
        },
    )
    assert list(meeting.locations.order_by("order")) == [first, second]
    pending = PendingChange.objects.get(object_id=meeting.pk, content_type__model="meeting")
    moved = {change["pk"]: change["values"].get("order") for change in pending.parts}
    assert moved == {first.pk: second.order, second.pk: first.order}


def test_sessions_may_not_overlap(admin_client):
    meeting = Meeting.objects.get(slug="g7-2023-trade-osaka-sakai")
    sessions = list(meeting.sessions.all())
    data = {**meeting_form_data_base(meeting), "sessions-TOTAL_FORMS": 2, "sessions-INITIAL_FORMS": 2}
    for index, session in enumerate(sessions):
        data |= {
            f"sessions-{index}-id": session.pk,
            f"sessions-{index}-meeting": meeting.pk,
            f"sessions-{index}-start_date": session.start_date.isoformat(),
            f"sessions-{index}-end_date": session.end_date.isoformat(),
            f"sessions-{index}-precision": "day",
            f"sessions-{index}-mode": session.mode,
        }
    data["sessions-1-start_date"], data["sessions-1-end_date"] = "2023-04-03", "2023-04-05"
    response = admin_client.post(change_url(meeting), data)
    assert response.status_code == 200
    sessions_formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "sessions"
    )
    assert [error.code for error in sessions_formset.non_form_errors().as_data()] == ["sessions_overlap"]
    assert next((s.start_date.isoformat(), s.end_date.isoformat()) for s in meeting.sessions.all()) == (
        "2023-04-04",
        "2023-04-04",
    )


def meeting_form_data_base(meeting):
    data = {
        "slug": meeting.slug, "forum": meeting.forum, "kind": meeting.kind, "year": meeting.year,
        "presidency": meeting.presidency, "portfolio": meeting.portfolio, "title_ja": meeting.title_ja,
        "title_en": meeting.title_en, "short_title_ja": meeting.short_title_ja,
        "short_title_en": meeting.short_title_en, "status": meeting.status, "published_at_0": "2024-04-01",
        "published_at_1": "00:00:00", "summit": meeting.summit_id or "", "loaded_version": meeting.version,
        "hosts": [host.pk for host in meeting.hosts.all()],
        "locations-TOTAL_FORMS": 0, "locations-INITIAL_FORMS": 0, "chairs-TOTAL_FORMS": 0, "chairs-INITIAL_FORMS": 0,
    }  # fmt: skip
    return data
