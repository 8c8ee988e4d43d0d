"""The meeting's change form: its sessions, places and chairs as editors change them."""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Location, Meeting
from publication.history import public_changes
from publication.models import PendingChange
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

EDUCATION = "g7-2023-education-toyama-kanazawa"
TRADE = "g7-2023-trade-osaka-sakai"


def change_url(meeting) -> str:
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def post_change(client, meeting, changes: dict):
    """Open the meeting's change form, change what `changes` says ({input name: value}) and save it."""
    url = change_url(meeting)
    data = form_data(client.get(url), "meeting_form")
    for name, value in changes.items():
        assert name in data or name.endswith("-DELETE"), name
        data[name] = [value]
    response = client.post(url, data)
    errors = response.context and [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
        *(inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]),
    ]
    assert response.status_code == 302, errors
    return response


def test_the_places_of_a_meeting_change_their_order(admin_client):
    """Regression: exchanging the order of the Education meeting's two places was an IntegrityError on
    meeting_location_unique_order, as the first row saved took the number the second still held."""
    meeting = Meeting.objects.get(slug=EDUCATION)
    assert [place.city_en for place in meeting.locations.order_by("order")] == ["Toyama", "Kanazawa"]
    post_change(admin_client, meeting, {"locations-0-order": "2", "locations-1-order": "1"})
    assert [place.city_en for place in meeting.locations.order_by("order")] == ["Kanazawa", "Toyama"]
    # The history has each place's move, and nothing of how the rows made way for each other.
    for place in meeting.locations.all():
        orders = list(place.history.order_by("-history_id").values_list("order", flat=True))
        assert orders == [place.order, 3 - place.order]
        assert [entry["columns"] for entry in public_changes(place, public_since=meeting.published_at)] == [
            ["order"]
        ]


def test_places_at_the_end_of_the_range_of_orders_exchange_them_too(admin_client):
    """The stopgap is the lowest free order, never one past the highest: 32767 is the most a
    PostgreSQL smallint holds."""
    meeting = Meeting.objects.get(slug=EDUCATION)
    meeting.locations.filter(order=2).update(order=32767)
    post_change(admin_client, meeting, {"locations-0-order": "32767", "locations-1-order": "1"})
    assert [(place.order, place.city_en) for place in meeting.locations.all()] == [
        (1, "Kanazawa"),
        (32767, "Toyama"),
    ]


def test_a_place_takes_the_order_of_one_deleted_in_the_same_save(admin_client):
    """The first place takes the order of the second, deleted in the same save but after it in the form."""
    meeting = Meeting.objects.get(slug=EDUCATION)
    post_change(admin_client, meeting, {"locations-0-order": "2", "locations-1-DELETE": "on"})
    assert [(place.order, place.city_en) for place in meeting.locations.all()] == [(2, "Toyama")]
    assert not Location.objects.filter(meeting=meeting, city_en="Kanazawa").exists()


def test_the_sessions_of_a_meeting_exchange_their_dates(admin_client):
    """Regression: exchanging the dates of the Trade meeting's two sessions was an IntegrityError on
    meeting_session_unique_start."""
    meeting = Meeting.objects.get(slug=TRADE)
    post_change(
        admin_client,
        meeting,
        {
            "sessions-0-start_date": "2023-10-28",
            "sessions-0-end_date": "2023-10-29",
            "sessions-1-start_date": "2023-04-04",
            "sessions-1-end_date": "2023-04-04",
        },
    )
    sessions = [(s.start_date, s.end_date, s.mode) for s in meeting.sessions.order_by("start_date")]
    assert sessions == [
        (datetime.date(2023, 4, 4), datetime.date(2023, 4, 4), "in_person"),
        (datetime.date(2023, 10, 28), datetime.date(2023, 10, 29), "online"),
    ]
    meeting.refresh_from_db()
    assert (meeting.start_date, meeting.end_date) == (datetime.date(2023, 4, 4), datetime.date(2023, 10, 29))


def test_a_session_of_month_precision_makes_way_too(admin_client):
    """A row making way keeps to every rule of its table on the way: a session known by its month starts and
    ends on the first of a month."""
    meeting = Meeting.objects.get(slug=TRADE)
    meeting.sessions.filter(start_date=datetime.date(2023, 10, 28)).update(
        start_date=datetime.date(2023, 10, 1), end_date=datetime.date(2023, 10, 1), precision="month"
    )
    post_change(
        admin_client,
        meeting,
        {
            "sessions-0-start_date": "2023-10-01",
            "sessions-0-end_date": "2023-10-01",
            "sessions-0-precision": "month",
            "sessions-1-start_date": "2023-04-04",
            "sessions-1-end_date": "2023-04-04",
            "sessions-1-precision": "day",
        },
    )
    assert [(s.start_date.isoformat(), s.precision, s.mode) for s in meeting.sessions.all()] == [
        ("2023-04-04", "day", "in_person"),
        ("2023-10-01", "month", "online"),
    ]


TAKASAKI = "g7-2023-digital-and-tech-takasaki"


def test_the_chairs_of_a_meeting_change_their_order(admin_client):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    people = list(meeting.chairs.order_by("order").values_list("person__slug", flat=True))
    post_change(admin_client, meeting, {"chairs-0-order": "3", "chairs-1-order": "1", "chairs-2-order": "2"})
    assert list(meeting.chairs.order_by("order").values_list("person__slug", flat=True)) == [
        people[1],
        people[2],
        people[0],
    ]


def test_two_chairs_that_exchange_their_people_are_refused_with_a_message(admin_client):
    """A person is no number: there is no stopgap to park a chair on, so the exchange is a form error to
    make in two saves, not an IntegrityError."""
    meeting = Meeting.objects.get(slug=TAKASAKI)
    url = change_url(meeting)
    data = form_data(admin_client.get(url), "meeting_form")
    data["chairs-0-person"], data["chairs-1-person"] = data["chairs-1-person"], data["chairs-0-person"]
    response = admin_client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    chairs = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "chairs"
    )
    assert chairs.non_form_errors() == [
        "Two rows exchange their person: change one of them first and save, then the other."
    ]


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
