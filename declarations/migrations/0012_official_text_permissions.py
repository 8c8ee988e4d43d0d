"""Editors and Publishers keep official texts as they keep a document's other parts: both groups hold
every permission of the new models (history included), as publication's 0004 gave them those of the
models there were."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["officialtext", "historicalofficialtext"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="declarations", content_type__model__in=MODELS
    )
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0011_official_texts"),
        ("core", "0004_publishers_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
