"""Each part's position is its number: the order that the pages showed until positions were kept apart
from numbers. The history's earlier versions get the same, so that a restored version keeps its order."""

from django.db import migrations
from django.db.models import F

MODELS = ["theme", "keypoint", "footnote", "annex", "communiqueitem"]


def positions_from_numbers(apps, schema_editor):
    for name in MODELS:
        for model_name in (name, f"historical{name}"):
            apps.get_model("declarations", model_name).objects.filter(position=None).update(
                position=F("number")
            )


class Migration(migrations.Migration):
    dependencies = [("declarations", "0013_part_positions")]

    operations = [migrations.RunPython(positions_from_numbers, migrations.RunPython.noop, elidable=True)]
