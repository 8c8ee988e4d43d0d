"""Records are loaded without Model.__init__ where that comes to the same (DirectlyLoaded.from_db): the
records it makes must be the ones Django's way makes, for every such model, whole rows and partial ones."""

import pytest
from django.apps import apps
from django.db.models.signals import post_init

from meetings.models import Meeting
from publication.models import DirectlyLoaded, Source, _loads_like_init

pytestmark = pytest.mark.django_db

RECORD_MODELS = [model for model in apps.get_models() if issubclass(model, DirectlyLoaded)]


def loaded(queryset) -> list[dict]:
    """Each record as loading left it: its attributes, and where its state says it came from."""
    return [
        {
            **{key: value for key, value in vars(record).items() if key != "_state"},
            "_state": (record._state.adding, record._state.db),
        }
        for record in queryset
    ]


def by_init(model, monkeypatch, queryset) -> list[dict]:
    with monkeypatch.context() as patch:
        patch.setattr(model, "_loads_directly", False)
        return loaded(queryset)


@pytest.mark.parametrize("model", RECORD_MODELS, ids=lambda model: model.__name__)
def test_a_record_loads_as_model_init_would_load_it(model, monkeypatch):
    assert model.loads_directly()
    assert model.objects.exists(), "the fixtures have records of every model"
    for queryset in (
        model.objects.order_by("pk"),
        model.objects.order_by("pk").only("pk"),
        model.objects.order_by("pk").defer(*[field.name for field in model._meta.concrete_fields[1:3]]),
    ):
        with monkeypatch.context() as patch:
            # Loading directly must not go through __init__ at all.
            patch.setattr(model, "__init__", lambda *args, **kwargs: pytest.fail("__init__ called"))
            direct = loaded(queryset.all())
        assert direct == by_init(model, monkeypatch, queryset.all())
        assert all(record["_state"] == (False, "default") for record in direct)


def test_related_records_load_directly_too(monkeypatch):
    """select_related() makes the related records with from_db as well."""

    def related(queryset):
        return [
            loaded([meeting.source, *([meeting.summit] if meeting.summit else [])]) for meeting in queryset
        ]

    queryset = Meeting.objects.select_related("source", "summit").order_by("pk")
    direct = related(queryset.all())
    with monkeypatch.context() as patch:
        patch.setattr(Meeting, "_loads_directly", False)
        patch.setattr(Source, "_loads_directly", False)
        assert direct == related(queryset.all())
    assert any(len(records) == 2 for records in direct)


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


def test_a_model_with_a_receiver_of_its_own_loads_through_init():
    def receiver(sender, instance, **kwargs):
        pass

    post_init.connect(receiver, sender=Meeting)
    try:
        assert not _loads_like_init(Meeting)
    finally:
        post_init.disconnect(receiver, sender=Meeting)
    assert _loads_like_init(Meeting)
