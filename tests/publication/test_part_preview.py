"""The preview of a change awaiting review shows the record as publishing it would leave it: the parts it
adds in their place, without those it deletes, those it moves in their new place; in both languages, from
the change awaiting review (?preview=pending) and from the change form's Preview buttons, with nothing
written. The review page names each part added, deleted or moved."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Location, Meeting, Prefecture, Session
from publication.models import PendingChange
from publication.review import part_change, submit_pending_change
from rendering.templating import session_dates
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"
COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"
EDUCATION = "g7-2023-education-toyama-kanazawa"


def propose(record, editor, parts: list[dict]) -> PendingChange:
    return submit_pending_change(record=record, data={}, user=editor, note="Parts corrected.", parts=parts)


def previews(client, address: str, django_assert_max_num_queries) -> dict[str, str]:
    """The record's page with the change awaiting review, in each language: in the queries of the page
    itself, one for the change awaiting review and one for the records that the parts it adds link to."""
    pages = {}
    for language in ("ja", "en"):
        client.get(f"/{language}{address}")
        with CaptureQueriesContext(connection) as plain:
            client.get(f"/{language}{address}")
        with django_assert_max_num_queries(len(plain) + 2):
            response = client.get(f"/{language}{address}?preview=pending")
        assert response.status_code == 200
        pages[language] = unescape(response.content.decode())
    return pages


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Theme, KeyPoint, Footnote, Annex, CommuniqueItem, Location, Session)
    }


def test_the_preview_shows_key_points_and_notes_added_deleted_and_moved(
    client, editor, django_assert_max_num_queries
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    themes = list(declaration.themes.order_by("number"))
    crowded = next(theme for theme in themes if theme.key_points.count() >= 2)
    first, second = crowded.key_points.order_by("number")[:2]
    first_theme = themes[0]
    added_number = first_theme.key_points.count() + 1
    lonely = next(theme for theme in themes if theme.key_points.count() == 1 and theme != crowded)
    deleted_point = lonely.key_points.get()
    notes = list(declaration.footnotes.order_by("number"))
    new_note = len(notes) + 1
    before = counts()
    propose(
        declaration,
        editor,
        [
            part_change(
                KeyPoint(theme=first_theme),
                fk="theme",
                values={"number": added_number, "text_ja": "追加の要点。", "text_en": "An added key point."},
                label="added",
            ),
            part_change(deleted_point, fk="theme", delete=True),
            part_change(first, fk="theme", values={"position": second.position}),
            part_change(second, fk="theme", values={"position": first.position}),
            part_change(notes[0], fk="declaration", delete=True),
            part_change(
                Footnote(declaration=declaration),
                fk="declaration",
                values={
                    "number": new_note,
                    "theme": themes[1].pk,
                    "text_ja": "追加の注記。",
                    "text_en": "An added note.",
                },
            ),
        ],
    )
    client.force_login(editor)
    pages = previews(client, f"/declarations/{DECLARATION}/", django_assert_max_num_queries)
    for language, page in pages.items():
        added_text = {"ja": "追加の要点。", "en": "An added key point."}[language]
        assert f'id="theme-{first_theme.number}-point-{added_number}"' in page
        assert added_text in page
        assert f'id="{deleted_point.anchor}"' not in page
        # The two key points exchanged their places: the second now stands first, under the first's anchor.
        first_text, second_text = (getattr(point, f"text_{language}") for point in (first, second))
        section = page[page.index(f'id="{crowded.anchor}"') :]
        assert section.index(second_text) < section.index(first_text)
        # The note deleted is gone, the note added is listed and marked in its theme's text.
        assert f'id="{notes[0].anchor}"' not in page
        assert f'id="note-{new_note}"' in page and f'href="#note-{new_note}"' in page
        assert {"ja": "追加の注記。", "en": "An added note."}[language] in page
    # Nothing was written: the public sees the document as it is.
    assert counts() == before
    public = unescape(client.get(f"/en/declarations/{DECLARATION}/").content.decode())
    assert "An added key point." not in public and f'id="{deleted_point.anchor}"' in public


def test_the_preview_shows_themes_moved_and_annexes_added_and_deleted(
    client, editor, django_assert_max_num_queries
):
    declaration = Declaration.objects.get(slug=DECLARATION)
    one, two = declaration.themes.order_by("number")[:2]
    annexes = list(declaration.annexes.order_by("number"))
    new_number = len(annexes) + 1
    before = counts()
    propose(
        declaration,
        editor,
        [
            part_change(one, fk="declaration", values={"position": two.position}),
            part_change(two, fk="declaration", values={"position": one.position}),
            part_change(annexes[0], fk="declaration", delete=True),
            part_change(
                Annex(declaration=declaration),
                fk="declaration",
                values={
                    "number": new_number,
                    "kind": Annex.Kind.values[0],
                    "theme": two.pk,
                    "title_ja": "追加の附属書",
                    "title_en": "An added annex",
                },
            ),
        ],
    )
    client.force_login(editor)
    pages = previews(client, f"/declarations/{DECLARATION}/", django_assert_max_num_queries)
    for language, page in pages.items():
        title_one, title_two = getattr(one, f"title_{language}"), getattr(two, f"title_{language}")
        # The second theme now stands ahead of the first, in the table of contents and in the text, under
        # the number and anchor it had: its place changed, not what cites it.
        contents = page[page.index('id="toc-heading"') :]
        assert contents.index(title_two) < contents.index(title_one)
        assert page.index(f'id="theme-{two.number}"') < page.index(f'id="theme-{one.number}"')
        first_section = page[page.index(f'id="theme-{two.number}"') : page.index(f'id="theme-{one.number}"')]
        assert title_two in first_section and title_one not in first_section
        assert f'id="annex-{annexes[0].number}"' not in page or annexes[0].number == new_number
        assert f'id="annex-{new_number}"' in page
        added_title = {"ja": "追加の附属書", "en": "An added annex"}[language]
        # Listed among the annexes, and under the theme it serves (now first).
        assert added_title in first_section
    assert counts() == before


def test_the_preview_shows_communique_items_added_deleted_and_moved(
    client, editor, django_assert_max_num_queries
):
    communique = Declaration.objects.get(slug=COMMUNIQUE)
    items = list(communique.communique_items.order_by("number"))
    theme = Theme.objects.filter(declaration__slug=DECLARATION).order_by("number").first()
    new_number = len(items) + 1
    before = counts()
    propose(
        communique,
        editor,
        [
            part_change(items[0], fk="declaration", delete=True),
            part_change(items[1], fk="declaration", values={"position": items[2].position}),
            part_change(items[2], fk="declaration", values={"position": items[1].position}),
            part_change(
                CommuniqueItem(declaration=communique),
                fk="declaration",
                values={
                    "number": new_number,
                    "topic": CommuniqueItem.Topic.values[0],
                    "title_ja": "追加の項目",
                    "title_en": "An added item",
                    "text_ja": "追加の項目の本文。",
                    "text_en": "The added item's text.",
                    "themes": [theme.pk],
                },
            ),
        ],
    )
    client.force_login(editor)
    pages = previews(client, f"/declarations/{COMMUNIQUE}/", django_assert_max_num_queries)
    for language, page in pages.items():
        listed = page[page.index('id="items-heading"') :]
        assert f'id="{items[0].anchor}"' not in listed
        assert getattr(items[0], f"text_{language}") not in listed
        assert listed.index(getattr(items[2], f"text_{language}")) < listed.index(
            getattr(items[1], f"text_{language}")
        )
        added = page[page.index(f'id="item-{new_number}"') :]
        assert {"ja": "追加の項目", "en": "An added item"}[language] in added
        # The theme it takes up is linked, as a saved item's are.
        assert f"{DECLARATION}/#{theme.anchor}" in added
    assert counts() == before


def test_the_preview_shows_a_meetings_places_and_sessions_added_and_moved(
    client, editor, django_assert_max_num_queries
):
    meeting = Meeting.objects.get(slug=EDUCATION)
    toyama, kanazawa = meeting.locations.order_by("order")
    session = meeting.sessions.get()
    earlier = session.start_date.replace(day=session.start_date.day - 3)
    before = counts()
    propose(
        meeting,
        editor,
        [
            part_change(toyama, fk="meeting", values={"order": 2}),
            part_change(kanazawa, fk="meeting", values={"order": 1}),
            part_change(
                Location(meeting=meeting),
                fk="meeting",
                values={
                    "order": 3,
                    "country": "JP",
                    "prefecture": Prefecture.objects.get(code="10").pk,
                    "city_ja": "前橋市",
                    "city_en": "Maebashi",
                },
            ),
            part_change(
                Session(meeting=meeting),
                fk="meeting",
                values={"start_date": earlier.isoformat(), "end_date": earlier.isoformat()},
            ),
        ],
    )
    client.force_login(editor)
    pages = previews(client, f"/meetings/{EDUCATION}/", django_assert_max_num_queries)
    english = pages["en"]
    places = english[english.index("<dt>Places</dt>") :]
    assert (
        places.index("Kanazawa, Ishikawa") < places.index("Toyama, Toyama") < places.index("Maebashi, Gunma")
    )
    japanese = pages["ja"]
    assert japanese.index("石川県金沢市") < japanese.index("富山県富山市") < japanese.index("群馬県前橋市")
    for language, page in pages.items():
        with translation.override(language):
            added, kept = session_dates(Session(start_date=earlier, end_date=earlier)), session_dates(session)
        assert page.index(added) < page.index(kept)
    assert counts() == before
    public = unescape(client.get(f"/en/meetings/{EDUCATION}/").content.decode())
    assert "Maebashi" not in public
    assert public.index("Toyama, Toyama") < public.index("Kanazawa, Ishikawa")


def test_the_change_forms_preview_shows_places_moved_and_added(client, editor):
    meeting = Meeting.objects.get(slug=EDUCATION)
    client.force_login(editor)
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(change), "meeting_form")
    total = int(data["locations-TOTAL_FORMS"][0])
    data |= {
        "locations-0-order": ["2"],
        "locations-1-order": ["1"],
        "locations-TOTAL_FORMS": [str(total + 1)],
        f"locations-{total}-order": [str(total + 1)],
        f"locations-{total}-country": ["JP"],
        f"locations-{total}-prefecture": [str(Prefecture.objects.get(code="10").pk)],
        f"locations-{total}-city_ja": ["前橋市"],
        f"locations-{total}-city_en": ["Maebashi"],
    }
    before = counts()
    response = client.post(reverse("admin:meetings_meeting_preview", args=[meeting.pk, "en"]), data)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    places = page[page.index("<dt>Places</dt>") :]
    assert (
        places.index("Kanazawa, Ishikawa") < places.index("Toyama, Toyama") < places.index("Maebashi, Gunma")
    )
    assert counts() == before
    assert list(meeting.locations.order_by("order").values_list("city_en", flat=True)) == [
        "Toyama",
        "Kanazawa",
    ]


def test_the_review_names_each_part_added_deleted_and_moved(client, editor, publisher):
    meeting = Meeting.objects.get(slug=EDUCATION)
    toyama, kanazawa = meeting.locations.order_by("order")
    client.force_login(editor)
    change = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_data(client.get(change), "meeting_form")
    total = int(data["locations-TOTAL_FORMS"][0])
    data |= {
        "locations-0-order": ["2"],
        "locations-1-order": ["1"],
        "locations-TOTAL_FORMS": [str(total + 1)],
        f"locations-{total}-order": [str(total + 1)],
        f"locations-{total}-country": ["JP"],
        f"locations-{total}-prefecture": [str(Prefecture.objects.get(code="10").pk)],
        f"locations-{total}-city_ja": ["前橋市"],
        f"locations-{total}-city_en": ["Maebashi"],
        "change_note": ["The places as the source lists them."],
    }
    assert client.post(change, data).status_code == 302
    parts = PendingChange.objects.get(object_id=meeting.pk).parts
    added = next(part for part in parts if part["pk"] is None)
    assert "前橋市" in added["label"]
    toyama, kanazawa = (
        next(part["label"] for part in parts if part["pk"] == place.pk) for place in (toyama, kanazawa)
    )

    client.force_login(publisher)
    review = reverse("admin:meetings_meeting_review", args=[meeting.pk])
    english = unescape(client.get(review, HTTP_ACCEPT_LANGUAGE="en").content.decode())
    section = english[english.index("part-changes") :]
    assert f"Part: Location {toyama} — Moved to another place" in section
    assert f"Part: Location {kanazawa} — Moved to another place" in section
    assert f"Part: Location {added['label']} (added)" in section
    japanese = unescape(client.get(review, HTTP_ACCEPT_LANGUAGE="ja").content.decode())
    assert "別の位置へ移動" in japanese and f"{added['label']}（追加）" in japanese
    # The inbox on the admin's home says it in a few words.
    inbox = unescape(client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert f"Location “{toyama}”: moved" in inbox and f"Location “{added['label']}”: added" in inbox
