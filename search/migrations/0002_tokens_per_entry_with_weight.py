"""Tokens become one row per entry and token, with their counts in the title and text and a weight, so that
a search ranks in the database and reads only the best entries of a common token.

The old rows cannot be converted without the text, so the index is emptied here and filled again from
the records when `migrate` ends (search.receivers.on_migrated rebuilds an empty index).
"""

import django.db.models.deletion
from django.db import migrations, models


def empty_index(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="SearchToken"),
        migrations.CreateModel(
            name="SearchToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=48)),
                ("title_count", models.PositiveSmallIntegerField(default=0)),
                ("text_count", models.PositiveIntegerField(default=0)),
                ("weight", models.PositiveSmallIntegerField()),
                (
                    "entry",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tokens",
                        to="search.searchentry",
                    ),
                ),
            ],
            options={
                "verbose_name": "search token",
                "verbose_name_plural": "search tokens",
                "indexes": [models.Index(fields=["token", "weight", "entry"], name="search_token_rank_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("entry", "token"), name="search_token_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("title_count__gt", 0), ("text_count__gt", 0), _connector="OR"),
                        name="search_token_occurs",
                    ),
                ],
            },
        ),
        migrations.RunPython(empty_index, migrations.RunPython.noop),
    ]
