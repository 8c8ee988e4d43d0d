"""WSGI entry point; production sets DJANGO_SETTINGS_MODULE=g7site.settings.prod."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g7site.settings.prod")

application = get_wsgi_application()
