from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Users to try the editorial workflow with: (username = password, group).
DEV_STAFF = [("editor", "Editors"), ("publisher", "Publishers")]


class Command(BaseCommand):
    help = (
        "For local development only: create the superuser admin / admin if no superuser exists yet, and "
        "the staff users editor / editor (Editors) and publisher / publisher (Publishers) if missing, so "
        "that `make run` leads straight into the admin. Refuses to run unless DEBUG is on."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_dev_superuser runs only with DEBUG on (development settings).")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; none created.")
        else:
            User.objects.create_superuser("admin", email="", password="admin")
            self.stdout.write(
                self.style.WARNING("Created the development superuser admin / admin (local use only).")
            )
        for username, group in DEV_STAFF:
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username, password=username, is_staff=True)
            user.groups.add(Group.objects.get(name=group))
            self.stdout.write(
                self.style.WARNING(f"Created {username} / {username} in {group} (local use only).")
            )
