from django.core.management.base import BaseCommand

from rendering.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/django.po into .mo with Babel (no GNU gettext needed)."

    def handle(self, *args, **options):
        for path in compile_catalogues():
            self.stdout.write(f"  compiled {path.parent.parent.name}/{path.parent.name}/{path.name}")
