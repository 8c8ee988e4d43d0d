"""What every public view shares (publication/views.py): visitors see published records only; staff who may
change a record preview its draft, its scheduled state or its change awaiting review (?preview=pending),
marked as a preview and never indexed, the change's parts shown as publishing it would leave them (those
it adds in their place, without those it deletes, those it moves in their new place) with nothing written;
a public page opens no transaction."""

from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from meetings.models import Location, Meeting, Prefecture, Session
from publication.models import PendingChange
from publication.review import part_change, submit_pending_change
from rendering.templating import session_dates
from tests.admin_support import EDUCATION
from tests.factories import OrganizationFactory
from tests.publication.support import TAKASAKI, counts, hosts_listed
from tests.publication.support import TAKASAKI_DECLARATION as DECLARATION

pytestmark = pytest.mark.django_db


def test_the_public_sees_no_preview_banner(client):
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "preview-banner" not in html
    assert 'name="robots"' not in html


def test_an_editor_previews_a_draft_marked_and_unindexed(client, editor):
    Meeting.objects.filter(slug=TAKASAKI).update(status="draft")
    assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 404
    client.force_login(editor)
    html = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "Preview: this record is a draft" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    ja = client.get(f"/ja/meetings/{TAKASAKI}/").content.decode()
    assert "preview-banner" in ja
    assert "下書き" in ja


def test_an_editor_previews_a_scheduled_annex(client, editor):
    Declaration.objects.filter(slug=DECLARATION).update(
        published_at=timezone.now() + timezone.timedelta(days=1)
    )
    client.force_login(editor)
    html = client.get(f"/en/declarations/{DECLARATION}/annexes/1/").content.decode()
    assert "Preview: this record is scheduled" in html


def test_an_editor_previews_a_change_awaiting_review(client, editor):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    submit_pending_change(record=meeting, data={"title_en": "Proposed title"}, user=editor)
    client.force_login(editor)
    plain = client.get(f"/en/meetings/{TAKASAKI}/").content.decode()
    assert "Proposed title" not in plain
    html = client.get(f"/en/meetings/{TAKASAKI}/?preview=pending").content.decode()
    assert "Proposed title" in html
    assert "Preview: this page shows a change awaiting review" in html
    assert 'content="noindex, nofollow"' in html


def test_the_preview_of_a_change_shows_the_records_it_links_as_proposed(client, editor, publisher):
    """A change of a meeting's hosts shows in its preview (the change awaiting review, and the change form's
    unsaved values): the page, its citation and its structured data name the proposed hosts; the public
    page still names those it has."""
    meeting = Meeting.objects.get(slug=TAKASAKI)
    now = list(meeting.hosts.all())
    proposed = OrganizationFactory(name_en="Ministry of Proposals", name_ja="提案省")
    submit_pending_change(record=meeting, data={"hosts": [proposed.pk]}, user=editor)
    client.force_login(editor)
    public = unescape(client.get(f"/en/meetings/{TAKASAKI}/").content.decode())
    assert "Ministry of Proposals" not in public and all(str(host.name_en) in public for host in now)
    page = unescape(client.get(f"/en/meetings/{TAKASAKI}/?preview=pending").content.decode())
    hosts = hosts_listed(page)
    assert "Ministry of Proposals" in hosts and not any(str(host.name_en) in hosts for host in now)
    assert '"name": "Ministry of Proposals"' in page  # the structured data's organizer
    assert page.count("Ministry of Proposals") >= 3  # the list, the citation, the structured data
    japanese = unescape(client.get(f"/ja/meetings/{TAKASAKI}/?preview=pending").content.decode())
    assert "提案省" in japanese


def test_staff_who_may_only_view_a_kind_of_record_see_its_drafts_as_the_public_does(
    client, django_user_model
):
    """A preview is for those who may change the record: the view permission alone shows no draft."""
    from django.contrib.auth.models import Permission

    Meeting.objects.filter(slug=TAKASAKI).update(status="draft")
    reader = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    client.force_login(reader)
    assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 404
    reader.user_permissions.add(Permission.objects.get(codename="change_meeting"))
    assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 200


def test_a_visitor_asking_for_the_pending_preview_sees_the_published_record(client, editor):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    submit_pending_change(record=meeting, data={"title_en": "Proposed title"}, user=editor)
    response = client.get(f"/en/meetings/{TAKASAKI}/?preview=pending")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proposed title" not in html and meeting.title_en in html
    assert "preview-banner" not in html


def test_a_public_page_opens_no_transaction(client):
    """read_only: the page reads outside ATOMIC_REQUESTS' transaction, which would add a savepoint's
    queries (in a test, where the test's own transaction is open) to every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/en/meetings/{TAKASAKI}/").status_code == 200
        assert client.get(f"/ja/declarations/{DECLARATION}/").status_code == 200
    assert not [query for query in queries.captured_queries if "SAVEPOINT" in query["sql"].upper()]


# The parts of a change awaiting review in its preview, as publishing it would leave them

COMMUNIQUE = "g7-2023-hiroshima-leaders-communique"


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
