from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self):
        from . import cache, records

        # Here rather than in the middleware, so that changes made by management commands and the shell
        # invalidate the pages too.
        cache.connect_signals()
        records.connect_signals()
