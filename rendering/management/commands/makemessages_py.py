from django.conf import settings
from django.core.management.base import BaseCommand

from rendering.catalogues import update_catalogues


class Command(BaseCommand):
    help = (
        "Extract the UI strings of the Python code and templates into locale/<language>/LC_MESSAGES/"
        "django.po with Babel (no GNU gettext needed); existing translations are kept."
    )

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.LANGUAGES]
        for language, count in update_catalogues(languages).items():
            self.stdout.write(f"  {language}: {count} new messages")
