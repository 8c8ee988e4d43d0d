"""Editors and Publishers keep the commitment register as every content record: both groups hold the
permissions of commitments, follow-ups and assessments (their history included); only Publishers hold the
`publish_*` ones."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label="commitments")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*content.exclude(codename__startswith="publish_"))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(*content)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label="commitments")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.remove(*content)


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_commitment_register"),
        ("core", "0014_public_corrections"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
