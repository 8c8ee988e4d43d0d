"""The admin site: a translation dashboard, and one-time passwords for staff where production asks for them."""

from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from .models import EditableRecord, content_apps

LANGUAGE_NAMES = {"ja": _("Japanese"), "en": _("English")}


class G7AdminSite(OTPAdminSite):
    site_header = _("g7site: editors' admin")
    site_title = _("g7site admin")
    index_title = _("Records of Japan's 2023 G7 presidency")
    index_template = "admin/g7_index.html"

    def has_permission(self, request):
        # With ADMIN_REQUIRE_2FA (production), staff must also have confirmed a one-time password.
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return admin.AdminSite.has_permission(self, request)

    @property
    def login_form(self):
        from django.contrib.admin.forms import AdminAuthenticationForm
        from django_otp.forms import OTPAuthenticationForm

        return OTPAuthenticationForm if settings.ADMIN_REQUIRE_2FA else AdminAuthenticationForm

    def index(self, request, extra_context=None):
        from .admin import review_inbox

        extra_context = {**(extra_context or {}), "review_inbox": review_inbox(request.user)}
        return super().index(request, extra_context)

    def get_urls(self):
        return [
            path("translations/", self.admin_view(self.translations_view), name="translations"),
            *super().get_urls(),
        ]

    def translations_view(self, request):
        """Every text that lacks its translation or whose translation is older than its authentic text (the
        record's authentic language: Japanese, or English for a document whose authentic text is), by record."""
        rows = []
        for model in translation_models():
            opts = model._meta
            if not request.user.has_perm(
                f"{opts.app_label}.view_{opts.model_name}"
            ) and not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
                continue
            records = model._default_manager.all()
            if model.authentic_language_related():
                # The language each part translates is its document's: read with it, not a query a part.
                records = records.select_related(model.authentic_language_related())
            for record in records:
                problems = record.translation_problems()
                if not problems:
                    continue
                try:
                    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
                except NoReverseMatch:
                    url = ""
                rows.append(
                    {
                        "kind": opts.verbose_name,
                        "record": record,
                        "url": url,
                        "translation_language": LANGUAGE_NAMES[record.translation_language_code()],
                        "missing": [field for field, problem in problems if problem == "missing"],
                        "out_of_date": [field for field, problem in problems if problem == "out_of_date"],
                    }
                )
        context = {
            **self.each_context(request),
            "title": gettext("Translations to do"),
            "rows": rows,
            "missing_count": sum(len(row["missing"]) for row in rows),
            "out_of_date_count": sum(len(row["out_of_date"]) for row in rows),
        }
        return TemplateResponse(request, "admin/core/translations.html", context)


def translation_models() -> list[type[EditableRecord]]:
    return [
        model
        for config in content_apps()
        for model in config.get_models()
        if issubclass(model, EditableRecord)
    ]
