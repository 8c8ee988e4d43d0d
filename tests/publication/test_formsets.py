"""The parts of a record saved from its change form (publication/formsets.py): rows that exchange their
numbers, orders or dates in one save make way for each other within their fields' ranges, one taking the
place of another deleted in the same save, and each part's history shows its one move; a person is no
number, so two chairs cannot exchange theirs in one save."""

import datetime

import pytest
from django.utils import translation

from declarations.models import Declaration
from meetings.models import Location, Meeting
from publication.corrections import corrections
from publication.history import public_changes
from tests.admin_support import EDUCATION, TRADE, change_url, post_change
from tests.api_support import DECLARATION, TAKASAKI
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


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


def test_two_themes_exchange_their_numbers(admin_client):
    """Regression: exchanging the numbers of two themes of a document was an IntegrityError on
    declaration_theme_unique_number."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    first, second = declaration.themes.order_by("number")[:2]
    post_change(admin_client, declaration, {"themes-0-number": "2", "themes-1-number": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.number, second.number) == (2, 1)
    # The public log of each theme names the one change, number, and its history holds no stopgap number.
    for theme, before in ((first, 1), (second, 2)):
        assert list(theme.history.order_by("-history_id").values_list("number", flat=True)[:2]) == [
            theme.number,
            before,
        ]
        assert set(theme.history.values_list("number", flat=True)) == {1, 2}
        with translation.override("en"):
            log = corrections(theme, public_since=declaration.published_at)
        assert [entry["fields"] for entry in log["entries"]] == ["Number"]


def test_the_annexes_of_a_document_turn_round(admin_client):
    """A longer cycle: the first annex becomes the last and each other moves up one."""
    declaration = Declaration.objects.get(slug=DECLARATION)
    titles = list(declaration.annexes.order_by("number").values_list("title_en", flat=True))
    count = len(titles)
    changes = {f"annexes-{index}-number": str((index - 1) % count + 1) for index in range(count)}
    post_change(admin_client, declaration, changes)
    assert list(declaration.annexes.order_by("number").values_list("title_en", flat=True)) == [
        *titles[1:],
        titles[0],
    ]


def location_form(meeting, **changes):
    """The admin's form of the meeting's first place, as bound by its inline formset (PartForm, PartsFormSet)."""
    from django.forms.models import inlineformset_factory

    from publication.formsets import PartForm, PartsFormSet

    formset_class = inlineformset_factory(
        Meeting,
        Location,
        form=PartForm,
        formset=PartsFormSet,
        fields=["order", "city_en", "latitude", "longitude"],
        extra=0,
    )
    places = list(meeting.locations.order_by("order"))
    data = {
        "locations-TOTAL_FORMS": str(len(places)),
        "locations-INITIAL_FORMS": str(len(places)),
        "locations-MIN_NUM_FORMS": "0",
        "locations-MAX_NUM_FORMS": "1000",
    }
    for index, place in enumerate(places):
        data[f"locations-{index}-id"] = str(place.pk)
        data[f"locations-{index}-order"] = str(place.order)
        data[f"locations-{index}-city_en"] = place.city_en
        data[f"locations-{index}-latitude"] = "" if place.latitude is None else str(place.latitude)
        data[f"locations-{index}-longitude"] = "" if place.longitude is None else str(place.longitude)
    data.update({f"locations-0-{name}": value for name, value in changes.items()})
    formset = formset_class(data, instance=meeting, prefix="locations")
    form = formset.forms[0]
    assert form.is_valid(), form.errors
    return form


def test_a_row_leaves_its_place_to_the_formset_and_checks_its_other_constraints():
    """A row that takes the order another row still holds is no error of its own: the formset checks places
    across the rows and its save makes way (Django 6.0 would check it against the database row by row,
    ticket #35676, unless PartForm said otherwise). The row's other constraints are still checked."""
    meeting = Meeting.objects.get(slug=EDUCATION)
    form = location_form(meeting, order="2")
    form.validate_constraints()
    assert form.is_valid() and not form.errors

    form = location_form(meeting)
    form.instance.latitude = 120
    form.instance.longitude = 10
    form.validate_constraints()
    assert [error.code for error in form.errors.as_data()["latitude"]] == ["out_of_range"]
