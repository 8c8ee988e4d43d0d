"""Nothing going forward. Going back, before 0006 is undone: the entries of the two kinds the older index
has no column for go, which its rule of one governing record would refuse. A migration of its own, since
PostgreSQL alters no table in the transaction that deleted rows its deferred foreign keys still check."""

from django.db import migrations


def forget_the_new_kinds(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.filter(kind__in=["follow_up", "earlier_commitment"]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0006_index_follow_ups_and_earlier_commitments")]

    operations = [migrations.RunPython(migrations.RunPython.noop, reverse_code=forget_the_new_kinds)]
