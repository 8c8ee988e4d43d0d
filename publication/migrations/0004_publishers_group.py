"""Split the editorial roles: "Editors" prepare content, "Publishers" also publish and unpublish it.

Both groups hold every permission of the content apps (history included); only Publishers hold the
`publish_*` permissions. Users and groups stay with superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ["core", "meetings", "declarations"]


def sync_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(content.exclude(codename__startswith="publish_"))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(content)


def remove_publishers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_editorial_history"),
        ("meetings", "0002_editorial_history"),
        ("declarations", "0002_editorial_history"),
    ]

    operations = [migrations.RunPython(sync_groups, remove_publishers)]
