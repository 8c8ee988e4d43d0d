"""The sitemap: every public page in both languages, each with its hreflang alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from declarations.models import Annex, Declaration
from meetings.models import Meeting


class BilingualSitemap(Sitemap):
    """Each page once per language, linking the other and an x-default: the page in INTERNATIONAL_LANGUAGE,
    English, which a visitor who asks for neither language is given (operations.languages). Django's own
    x-default would be the address without a language, which redirects."""

    i18n = True
    alternates = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["alternates"] += [
                {"location": alternate["location"], "lang_code": "x-default"}
                for alternate in url["alternates"]
                if alternate["lang_code"] == settings.INTERNATIONAL_LANGUAGE
            ]
        return urls


class PageSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        # The about, accessibility, terms and contact pages are named by their URL names (home.pages).
        return ["home", "meetings:list", "declarations:list", "about", "accessibility", "terms", "contact"]

    def location(self, item):
        return reverse(item)


class MeetingSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Meeting.objects.published().order_by("slug")

    def lastmod(self, meeting):
        return meeting.updated_at


class DeclarationSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Declaration.objects.published().order_by("slug")

    def lastmod(self, declaration):
        return declaration.updated_at


class AnnexSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        # An annex is public when its document is.
        return (
            Annex.objects.filter(declaration__in=Declaration.objects.published())
            .select_related("declaration")
            .order_by("declaration__slug", "number")
        )

    def lastmod(self, annex):
        # Annexes have no timestamp of their own; the page changes with its document.
        return annex.declaration.updated_at


SITEMAPS = {
    "pages": PageSitemap,
    "meetings": MeetingSitemap,
    "declarations": DeclarationSitemap,
    "annexes": AnnexSitemap,
}
