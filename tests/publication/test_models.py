"""What every record shares (publication/models.py): a scheduled record becomes public at its time; each
text's translation status (authentic, provisional, editorial, the source's own summary, missing, stale);
only the texts that changed get a new change time; a stale copy is not saved (optimistic locking); records
loaded in part (only(), defer()) read a left-out column when asked for it, and save as a whole record saves
(EditableRecord keeps the columns as loaded to tell which texts changed); a translation is out of date when the
text it translates changed after it, and a minor edit leaves the translations as they were; a record says
which of its columns changed since it was read or saved, and which of them are its own texts (the record
cache, operations/records.py, tells a change of texts from others by them)."""

import datetime

import pytest
from django.utils import timezone

from declarations.models import Declaration
from meetings.models import Meeting
from publication.models import ConcurrentEditError
from tests.publication.support import TAKASAKI_DECLARATION, takasaki

pytestmark = pytest.mark.django_db

NAGASAKI = "g7-2023-health-nagasaki"


def test_a_deferred_text_is_read_when_asked_for_and_an_edit_saves():
    meeting = Meeting.objects.only("pk", "slug", "version").get(slug="g7-2023-digital-and-tech-takasaki")
    assert "title_en" not in vars(meeting)
    assert meeting.title_en == "G7 Digital and Tech Ministers' Meeting in Takasaki, Gunma"
    meeting = Meeting.objects.get(slug="g7-2023-digital-and-tech-takasaki")
    version = meeting.version
    meeting.summary_en = "Edited."
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).summary_en == "Edited."
    assert meeting.version == version + 1


def test_every_reference_model_says_which_published_records_use_its_records():
    from django.apps import apps

    from publication.models import ReferenceRecord

    models = [model for model in apps.get_models() if issubclass(model, ReferenceRecord)]
    assert {model.__name__ for model in models} >= {"Source", "Prefecture", "Organization", "Person"}
    for model in models:
        assert callable(getattr(model, "published_users", None)), model


def test_scheduled_record_becomes_public_at_its_time_without_a_job():
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    meeting.published_at = timezone.now() + datetime.timedelta(hours=1)
    meeting.save()
    assert meeting.publication_state == "scheduled"
    assert not Meeting.objects.published().filter(pk=meeting.pk).exists()
    Meeting.objects.filter(pk=meeting.pk).update(published_at=timezone.now() - datetime.timedelta(seconds=1))
    meeting.refresh_from_db()
    assert meeting.publication_state == "published"
    assert Meeting.objects.published().filter(pk=meeting.pk).exists()


def test_text_status_defaults_and_what_editors_say():
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    assert declaration.text_status("title", "ja") == "authentic"
    assert declaration.text_status("title", "en") == "editorial"
    assert declaration.text_status("body", "en") == "missing"
    annex = declaration.annexes.get(number=1)
    assert annex.text_status("title", "en") == "authentic"
    assert annex.text_status("title", "ja") == "provisional"


def test_the_sources_own_summary_is_a_status_of_its_own():
    """The fixtures say that the white paper's Japanese of themes, key points, notes and communiqué items
    is its own summary (as the documents' provenance notes do); English stays an editorial translation."""
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    theme = declaration.themes.get(number=1)
    assert theme.text_status("title", "ja") == "summary"
    assert theme.text_status("title", "en") == "editorial"
    assert theme.key_points.get().text_status("text", "ja") == "summary"
    assert declaration.footnotes.first().text_status("text", "ja") == "summary"
    item = Declaration.objects.get(slug="g7-2023-hiroshima-leaders-communique").communique_items.first()
    assert item.text_statuses() == {
        "title": {"ja": "summary", "en": "editorial", "stale": False},
        "text": {"ja": "summary", "en": "editorial", "stale": False},
    }


def test_a_full_text_is_authentic_in_the_documents_language_and_provisional_in_japanese():
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    declaration.body_ja, declaration.body_en = "本文。", "Text."
    assert declaration.text_status("body", "en") == "authentic"
    assert declaration.text_status("body", "ja") == "provisional"
    declaration.authentic_language = "ja"
    assert declaration.text_status("body", "ja") == "authentic"
    assert declaration.text_status("body", "en") == "editorial"


def test_text_statuses_flag_a_stale_translation():
    theme = Declaration.objects.get(slug=TAKASAKI_DECLARATION).themes.get(number=1)
    assert theme.text_statuses()["title"]["stale"] is False
    theme.title_en = "A corrected title"
    theme.save()
    assert theme.text_statuses()["title"] == {"ja": "summary", "en": "editorial", "stale": True}


def test_only_the_texts_that_changed_get_a_new_change_time():
    meeting = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    before = dict(meeting.text_changed_at)
    meeting.title_en = "G7 Health Ministers' Meeting in Nagasaki (revised)"
    meeting.save()
    meeting.refresh_from_db()
    changed = {column for column, time in meeting.text_changed_at.items() if before.get(column) != time}
    assert changed == {"title_en"}


def test_a_record_read_in_part_loads_and_saves_without_marking_unread_texts():
    """only() and defer() leave columns unread; the change times must not count them as changed."""
    meeting = Meeting.objects.only("slug", "title_ja", "title_en", "version", "text_changed_at").get(
        slug="g7-2016-ict-takamatsu"
    )
    assert meeting.get_deferred_fields() >= {"summary_ja", "summary_en"}
    before = dict(meeting.text_changed_at)
    assert meeting.summary_ja  # read now, from the database: loaded, not changed
    meeting.title_ja = meeting.title_ja + "（改）"
    meeting.save()
    meeting.refresh_from_db()
    changed = {column for column, time in meeting.text_changed_at.items() if before.get(column) != time}
    assert changed == {"title_ja"}


def test_a_stale_copy_cannot_be_saved():
    first = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    second = Meeting.objects.get(slug="g7-2023-health-nagasaki")
    first.title_en = "First"
    first.save()
    second.title_en = "Second"
    with pytest.raises(ConcurrentEditError):
        second.save()
    assert Meeting.objects.get(pk=first.pk).title_en == "First"


# A translation follows the authentic text


def test_a_correction_of_the_authentic_english_flags_the_japanese_translation():
    declaration = takasaki()
    assert declaration.authentic_language_code() == "en"
    declaration.title_en = f"{declaration.title_en} (corrected)"
    declaration.save()
    assert declaration.is_out_of_date("title")
    assert ("title", "out_of_date") in declaration.translation_problems()


def test_a_change_of_the_japanese_translation_does_not_flag_the_authentic_english():
    declaration = takasaki()
    declaration.title_ja = f"{declaration.title_ja}（改）"
    declaration.save()
    assert not declaration.is_out_of_date("title")
    assert ("title", "out_of_date") not in declaration.translation_problems()


def test_a_record_with_no_authentic_language_of_its_own_translates_from_japanese():
    meeting = Meeting.objects.get(slug=NAGASAKI)
    assert meeting.authentic_language_code() == "ja"
    meeting.title_en = f"{meeting.title_en} (revised)"
    meeting.save()
    assert not meeting.is_out_of_date("title")
    meeting.title_ja = f"{meeting.title_ja}（改）"
    meeting.save()
    assert meeting.is_out_of_date("title")


def test_a_part_translates_as_its_document_does():
    theme = takasaki().themes.order_by("number").first()
    assert theme.authentic_language_code() == "en"
    theme.title_en = f"{theme.title_en} (corrected)"
    theme.save()
    assert theme.is_out_of_date("title")
    key_point = theme.key_points.first()
    assert key_point.authentic_language_code() == "en"


def test_a_minor_edit_keeps_an_earlier_change_flagged(admin_client):
    """A minor edit does not confirm translations that were already out of date."""
    meeting = Meeting.objects.get(slug=NAGASAKI)
    meeting.title_ja = f"{meeting.title_ja}（改）"
    meeting.save()
    assert meeting.is_out_of_date("title")
    meeting.minor_edit = True
    meeting.short_title_ja = f"{meeting.short_title_ja}。"
    meeting.save()
    assert meeting.is_out_of_date("title")


def test_a_record_says_which_of_its_columns_changed_since_it_was_read_or_saved():
    meeting = Meeting.objects.get(slug=NAGASAKI)
    assert meeting.changed_columns() == set()
    meeting.title_en = "Edited."
    assert meeting.changed_columns() == {"title_en"}
    meeting.source_locator = "p. 99"
    assert meeting.changed_columns() == {"title_en", "source_locator"}
    meeting.save()
    assert meeting.changed_columns() == set()
    meeting.title_en = "Edited again."
    meeting.refresh_from_db(fields=["title_en"])
    assert meeting.changed_columns() == set()
    # Read in part: a column left out and then set has changed, as far as the record knows.
    partial = Meeting.objects.only("pk", "version").get(slug=NAGASAKI)
    partial.source_locator = "p. 100"
    assert partial.changed_columns() == {"source_locator"}
    assert Meeting(slug="not-read").changed_columns() is None


def test_a_records_own_texts_are_its_translated_columns_and_their_bookkeeping():
    columns = Meeting.own_text_columns()
    assert {
        "title",
        "title_ja",
        "title_en",
        "summary_en",
        "version",
        "translation_status",
        "updated_at",
    } <= columns
    assert not {"slug", "source_locator", "start_date", "status", "published_at", "kind"} & columns
