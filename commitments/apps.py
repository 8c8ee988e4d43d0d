from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self):
        from declarations import annotations

        from .selectors import commitments_held

        # A document's pages show, beside each paragraph, the commitments it holds.
        annotations.register("commitments", commitments_held)
