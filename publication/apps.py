from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    default = True
    name = "publication"
    # The label the app had when it was called core: its tables (core_source, core_pendingchange), its
    # migrations and the permissions editors hold all carry it, and keep it.
    label = "core"
    verbose_name = _("Sources and shared records")

    def ready(self):
        # Keeps the public corrections as versions are saved (its receiver).
        from . import corrections  # noqa: F401


class G7AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's admin site (publication/admin_site.py)."""

    default = False
    default_site = "publication.admin_site.G7AdminSite"
