"""Corrections are visible, never silent: each record's page lists what changed after publication
(publication/corrections.py). An editor's preview of what the public cannot see yet is tested in
test_views.py, the history's own list of public changes in test_history.py."""

import pytest
from django.utils import timezone

from declarations.models import Annex, Declaration
from meetings.models import Meeting
from tests.publication.support import TAKASAKI, correct
from tests.publication.support import TAKASAKI_DECLARATION as DECLARATION

pytestmark = pytest.mark.django_db


def corrections_section(html: str) -> str:
    start = html.index('class="corrections"')
    return html[start : html.index("</section>", start)]


def test_a_correction_after_publication_is_listed_with_its_field_and_note(client):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    correct(meeting, note="Corrected the English title to the official one.", title_en="A corrected title")
    section = corrections_section(client.get(f"/en/meetings/{TAKASAKI}/").content.decode())
    assert "Title (English)" in section
    assert "Corrected the English title to the official one." in section
    assert timezone.localdate().isoformat() in section  # the <time> element's datetime


def test_a_japanese_note_is_marked_as_japanese_on_the_english_page(client):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    correct(meeting, note="要旨の誤記を訂正", summary_ja=meeting.summary_ja + "（訂正）")
    section = corrections_section(client.get(f"/en/meetings/{TAKASAKI}/").content.decode())
    assert '<span lang="ja">要旨の誤記を訂正</span>' in section
    assert "Summary (Japanese)" in section


def test_the_log_is_in_the_page_language(client):
    correct(Meeting.objects.get(slug=TAKASAKI), title_en="A corrected title")
    section = corrections_section(client.get(f"/ja/meetings/{TAKASAKI}/").content.decode())
    assert "訂正" in section
    assert "英語" in section


def test_changes_made_while_a_record_was_a_draft_are_not_corrections(client):
    meeting = Meeting.objects.get(slug=TAKASAKI)
    correct(meeting, status="draft")
    correct(meeting, title_en="Drafted title")
    correct(meeting, status="published")
    section = corrections_section(client.get(f"/en/meetings/{TAKASAKI}/").content.decode())
    assert "Title (English)" not in section
    assert "No corrections since it was published" in section


def test_a_document_and_its_annex_list_their_corrections(client):
    declaration = Declaration.objects.get(slug=DECLARATION)
    correct(declaration, note="Typo", short_title_en="Corrected short title")
    html = client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    assert "Short title (English)" in corrections_section(html)
    annex = Annex.objects.get(declaration=declaration, number=1)
    correct(annex, note="Official title", title_en=annex.title_en + " (corrected)")
    html = client.get(f"/en/declarations/{DECLARATION}/annexes/1/").content.decode()
    assert "Official title" in corrections_section(html)


def test_each_record_lists_its_corrections_in_one_query(django_assert_num_queries):
    """A meeting's, a document's and an annex's corrections are read when their page lists them, one query
    each, whatever the length of their history."""
    from publication.corrections import corrections

    meeting = Meeting.objects.get(slug=TAKASAKI)
    correct(meeting, note="Official title", title_en="A corrected title")
    annex = Annex.objects.get(declaration__slug=DECLARATION, number=1)
    correct(annex, note="Official annex title", title_en=annex.title_en + " (corrected)")
    for number in range(3):
        correct(meeting, note=f"Correction {number}", summary_en=f"A corrected summary {number}")
    declaration = Declaration.objects.get(slug=DECLARATION)
    pages = [(meeting, None), (declaration, None), (annex, declaration.published_at)]
    with django_assert_num_queries(3):
        listed = [corrections(record, public_since=since) for record, since in pages]
    assert [entry["note"] for entry in listed[0]["entries"]] == [
        "Correction 2",
        "Correction 1",
        "Correction 0",
        "Official title",
    ]
    assert listed[1]["entries"] == []
    assert [entry["note"] for entry in listed[2]["entries"]] == ["Official annex title"]


def test_a_restores_note_is_in_the_readers_language_with_the_sites_dates(client):
    """Regression: a restore's public note was stored in the restorer's language with a raw timestamp
    ("Restored the version of 2026-12-04T19:17:37.071481+00:00") and shown so on the Japanese page too; the
    restored version's date is kept, and the note written at display time in the reader's language."""
    from django.utils import translation

    from publication.history import restore_version
    from rendering.templating import long_date

    meeting = Meeting.objects.get(slug=TAKASAKI)
    published = meeting.history.order_by("-history_id").first()
    correct(meeting, note="A wrong correction", title_en="A wrong title")
    with translation.override("en"):
        restore_version(record=meeting, version=published)
    day = timezone.localdate(published.history_date)
    pages = {}
    for language in ("ja", "en"):
        with translation.override(language):
            pages[language] = (
                long_date(day),
                client.get(f"/{language}/meetings/{TAKASAKI}/").content.decode(),
            )
    japanese_day, japanese = pages["ja"]
    english_day, english = pages["en"]
    assert f"{japanese_day}の版を復元しました" in corrections_section(japanese)
    assert "Restored" not in corrections_section(japanese)
    assert f"Restored the version of {english_day}" in corrections_section(english)
    for _day, html in pages.values():
        assert published.history_date.isoformat() not in html


def test_restore_notes_stored_as_text_become_dates():
    """The data migration that turns the notes restores used to store, in the restorer's language with a raw
    timestamp, into the restored version's date."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("publication.migrations.0007_restore_notes_as_dates")
    meeting = Meeting.objects.get(slug=TAKASAKI)
    restored = meeting.history.order_by("-history_id").first().history_date
    correct(
        meeting, note=f"Restored the version of {restored.isoformat()}", title_en="Restored (English note)"
    )
    correct(meeting, note=f"{restored.isoformat()}の版を復元しました", title_en="Restored (Japanese note)")
    correct(meeting, note="An editor's own note", title_en="Corrected")
    migration.notes_to_dates(apps, None)
    notes = list(
        meeting.history.order_by("-history_id").values_list("history_change_reason", "restored_from")[:3]
    )
    assert notes == [("An editor's own note", None), (None, restored), (None, restored)]


# Corrections of the parts of a record: kept as they are made (publication.models.Correction), listed on
# the page that shows the part, and in the corrections feed.


def part_corrections_section(html: str) -> str:
    start = html.index('class="corrections corrections--parts"')
    return html[start : html.index("</section>", start)]


def test_a_themes_corrected_title_shows_on_its_documents_page_before_and_after(client):
    from declarations.models import Theme

    theme = Theme.objects.get(declaration__slug=DECLARATION, number=1)
    old_english = theme.title_en
    correct(theme, note="The official English title.", title_en="Promoting Data Free Flow with Trust")
    html = client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    section = part_corrections_section(html)
    assert 'href="#theme-1"' in section
    assert "The official English title." in section
    assert f'<del lang="en">{old_english}</del>' in section
    assert '<ins lang="en">Promoting Data Free Flow with Trust</ins>' in section
    # Both languages: the Japanese, unchanged, is shown as it stands.
    assert f'<span lang="ja">{theme.title_ja}</span>' in section
    japanese = part_corrections_section(client.get(f"/ja/declarations/{DECLARATION}/").content.decode())
    assert "部分の訂正" in japanese and "変更なし" in japanese


def test_key_points_notes_and_items_show_their_corrections(client):
    from declarations.models import CommuniqueItem, Footnote, KeyPoint

    point = KeyPoint.objects.filter(theme__declaration__slug=DECLARATION).first()
    correct(point, note="誤記の訂正", text_ja=point.text_ja + "（訂正）")
    note = Footnote.objects.filter(declaration__slug=DECLARATION).first()
    correct(note, note="Note corrected", text_en="A corrected note.")
    section = part_corrections_section(client.get(f"/en/declarations/{DECLARATION}/").content.decode())
    assert f'href="#{point.anchor}"' in section and '<span lang="ja">誤記の訂正</span>' in section
    assert f'href="#{note.anchor}"' in section and '<ins lang="en">A corrected note.</ins>' in section
    item = CommuniqueItem.objects.filter(declaration__slug="g7-2023-hiroshima-leaders-communique").first()
    correct(item, note="Item corrected", title_en="Artificial intelligence")
    html = client.get("/en/declarations/g7-2023-hiroshima-leaders-communique/").content.decode()
    assert '<ins lang="en">Artificial intelligence</ins>' in part_corrections_section(html)


def test_a_meetings_places_show_their_corrections_on_its_page(client):
    from meetings.models import Location

    location = Location.objects.filter(meeting__slug=TAKASAKI).first()
    correct(location, note="City name", city_en="Takasaki City")
    section = part_corrections_section(client.get(f"/en/meetings/{TAKASAKI}/").content.decode())
    assert "City name" in section and '<ins lang="en">Takasaki City</ins>' in section


def test_a_part_changed_while_its_document_was_a_draft_is_no_correction(client):
    from declarations.models import Theme

    Declaration.objects.filter(slug=DECLARATION).update(status="draft")
    theme = Theme.objects.get(declaration__slug=DECLARATION, number=1)
    correct(theme, title_en="Drafted title")
    Declaration.objects.filter(slug=DECLARATION).update(status="published")
    html = client.get(f"/en/declarations/{DECLARATION}/").content.decode()
    assert "corrections--parts" not in html


def test_the_corrections_feed_lists_corrections_as_published_and_every_page_names_it(client):
    from declarations.models import Theme

    theme = Theme.objects.get(declaration__slug=DECLARATION, number=2)
    correct(theme, note="The official English title.", title_en="Building secure digital infrastructure")
    response = client.get("/en/feeds/corrections.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert f"/en/declarations/{DECLARATION}/#theme-2" in feed
    assert "The official English title." in feed
    assert "Building secure digital infrastructure" in feed
    page = client.get("/en/").content.decode()
    assert 'href="http://testserver/en/feeds/corrections.atom"' in page
    # A document taken down takes its corrections out of the feed.
    Declaration.objects.filter(slug=DECLARATION).update(status="draft")
    assert "#theme-2" not in client.get("/en/feeds/corrections.atom").content.decode()
