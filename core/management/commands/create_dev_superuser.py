from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "For local development only: create the superuser admin / admin if no superuser exists yet, "
        "so that `make run` leads straight into the admin. Refuses to run unless DEBUG is on."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_dev_superuser runs only with DEBUG on (development settings).")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser exists already; none created.")
            return
        User.objects.create_superuser("admin", email="", password="admin")
        self.stdout.write(
            self.style.WARNING("Created the development superuser admin / admin (local use only).")
        )
