"""The migrations that keep a document's parts' positions apart from their numbers: each existing part, and
each version of it in the history, stands at its number; the one that marks the source's own summaries of
the records already loaded."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from declarations.models import Annex, CommuniqueItem, Declaration, Footnote, KeyPoint, Theme
from tests.publication.support import TAKASAKI_DECLARATION

BEFORE = [("declarations", "0013_part_positions")]
MODELS = [Theme, KeyPoint, Footnote, Annex, CommuniqueItem]


@pytest.fixture
def reloaded_records():
    yield
    # The database was flushed after this transactional test: the other tests start from the records.
    call_command("load_records", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_the_parts_that_were_there_stand_at_their_numbers(reloaded_records):
    call_command("load_records", verbosity=0)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # As the parts were before positions: none.
    apps = executor.loader.project_state(BEFORE).apps
    for model in MODELS:
        name = model._meta.model_name
        for model_name in (name, f"historical{name}"):
            historical = apps.get_model("declarations", model_name)
            historical.objects.update(position=None)
            assert historical.objects.exists(), model_name
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    for model in MODELS:
        rows = list(model.objects.values_list("number", "position"))
        assert rows and all(number == position for number, position in rows), model
        versions = list(model.history.values_list("number", "position"))
        assert versions and all(number == position for number, position in versions), model


@pytest.mark.django_db
def test_the_migration_marks_the_sources_summaries_of_existing_records():
    """Databases loaded before the status existed get it on migrating, where editors had said nothing."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("declarations.migrations.0010_source_summary_status")
    declaration = Declaration.objects.get(slug=TAKASAKI_DECLARATION)
    unsaid, said = declaration.themes.get(number=1), declaration.themes.get(number=2)
    Theme.objects.filter(pk=unsaid.pk).update(translation_status={})
    Theme.objects.filter(pk=said.pk).update(translation_status={"title_ja": "authentic"})
    migration.mark_summaries(apps, None)
    unsaid.refresh_from_db()
    said.refresh_from_db()
    assert unsaid.translation_status == {"title_ja": "summary"}
    assert said.translation_status == {"title_ja": "authentic"}
    migration.unmark_summaries(apps, None)
    unsaid.refresh_from_db()
    assert unsaid.translation_status == {}
