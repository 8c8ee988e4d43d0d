from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_pending_change"),
        ("declarations", "0005_document_order_indexes"),
        ("meetings", "0005_meeting_dates"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="declaration",
            index=models.Index(fields=["kind", "status", "published_at"], name="declaration_kind_published_idx"),
        ),
        # The planner weighs the new index by the table's statistics: without them, SQLite would take it for
        # a list of one kind too, and sort the documents, instead of reading them in order off
        # declaration_kind_order_idx.
        migrations.RunSQL("ANALYZE declarations_declaration", reverse_sql=migrations.RunSQL.noop, elidable=True),
    ]
