"""Reference data follows the publication rules: Publishers hold the new `publish_*` permissions of
prefectures, organisations, people and sources (to publish an editor's change to one that a published record
uses), and both groups the permissions of the prefectures' history. Added, so that nothing else a site has
given or taken from either group changes."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ["core", "meetings", "declarations"]
PUBLISH = ["publish_organization", "publish_person", "publish_prefecture", "publish_source"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    history = Permission.objects.filter(
        content_type__app_label="meetings", content_type__model="historicalprefecture"
    )
    publish = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS, codename__in=PUBLISH)
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*history)
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(*history, *publish)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    publish = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS, codename__in=PUBLISH)
    for group in apps.get_model("auth", "Group").objects.filter(name="Publishers"):
        group.permissions.remove(*publish)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_reference_data_history_and_review"),
        ("meetings", "0008_reference_data_history_and_review"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
