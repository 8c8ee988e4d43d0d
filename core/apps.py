from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = _("Sources and shared records")

    def ready(self):
        from . import cache

        # Here rather than in the middleware, so that changes made by management commands and the shell
        # invalidate the pages too.
        cache.connect_signals()


class G7AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's admin site (core/admin_site.py)."""

    default = False
    default_site = "core.admin_site.G7AdminSite"
