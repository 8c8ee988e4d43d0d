"""The index folds accents (Düsseldorf is dusseldorf) and keeps each entry's normalised title and text as
words between single spaces, so that a quoted phrase matches whole words only: neither can be converted
without the records' text, so the index is emptied here and filled again from the records when `migrate`
ends (search.receivers.on_migrated rebuilds an empty index), as 0002 did.
"""

from django.db import migrations


def empty_index(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    # The tokens first: they point at the entries. Plain deletes, as the rebuild's own.
    for model in ("SearchToken", "SearchEntry"):
        schema_editor.execute(f"DELETE FROM {quote(apps.get_model('search', model)._meta.db_table)}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_constraint_messages"),
    ]

    operations = [
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
