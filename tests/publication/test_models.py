"""Records loaded in part (only(), defer()) read a left-out column when asked for it, and save as a whole
record saves (EditableRecord keeps the texts as loaded to tell which changed)."""

import pytest

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


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
