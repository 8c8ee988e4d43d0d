from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Sources and shared records")

    def ready(self):
        from . import cache

        # Here rather than in the middleware, so that changes made by management commands and the shell
        # invalidate the pages too.
        cache.connect_signals()
