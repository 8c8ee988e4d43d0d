"""The pages a public record owes its readers: what the archive is and how it is made (about), how it
meets WCAG (accessibility), on what terms it may be reused (terms) and how to report an error (contact).

Each page's title and description are UI strings (the catalogues); its body, long prose, is one template
per language, jinja2/pages/{ja,en}/{page}.html, which reads better than many short messages."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from publication.licence import CC_BY, LICENCE, SOURCE
from publication.models import TextStatus


@dataclass(frozen=True)
class ContentPage:
    """One of the pages: its URL name (also its template's), its title and description, and its
    schema.org type."""

    name: str
    title: Promise
    description: Promise
    schema_type: str = "WebPage"


CONTENT_PAGES = {
    page.name: page
    for page in [
        ContentPage(
            "about",
            gettext_lazy("About the archive"),
            gettext_lazy(
                "What the archive is, the sources its records come from, how its texts are structured and "
                "translated, how corrections and versions work, and what it does not claim."
            ),
            schema_type="AboutPage",
        ),
        ContentPage(
            "accessibility",
            gettext_lazy("Accessibility statement"),
            gettext_lazy(
                "The accessibility standard the archive aims at, how its pages are tested, their known "
                "limitations and how to report a problem."
            ),
        ),
        ContentPage(
            "terms",
            gettext_lazy("Terms of reuse"),
            gettext_lazy(
                "On what terms the archive's records and its source may be copied, shared and adapted, and "
                "how to credit them."
            ),
        ),
        ContentPage(
            "contact",
            gettext_lazy("Report an error"),
            gettext_lazy(
                "How to report an error in a record of the archive: what to include and where to send it."
            ),
            schema_type="ContactPage",
        ),
    ]
}


class ContentPageView(TemplateView):
    """One of CONTENT_PAGES, named by `page` (as_view(page="about"))."""

    template_name = "pages/page.html"
    page = ""
    # For the page cache (operations/cache.py): the page reads no query parameter.
    query_parameters = ()

    def get_context_data(self, **kwargs):
        page = CONTENT_PAGES[self.page]
        return super().get_context_data(
            page=page,
            pages=CONTENT_PAGES.values(),
            body_template=f"pages/{get_language()}/{page.name}.html",
            contact_email=settings.CONTACT_EMAIL,
            licence=LICENCE[get_language()],
            # The Japanese pages name the source with it; the English ones mark its Japanese title as such.
            source=SOURCE[get_language()],
            cc_by=CC_BY,
            # The about page explains each status under the label the record pages give it.
            text_statuses={status.value: status.label for status in TextStatus},
            json_ld=content_page_json_ld(self.request, page),
            **kwargs,
        )


def content_page_json_ld(request, page: ContentPage) -> dict:
    """schema.org data for a content page: a WebPage (an AboutPage, a ContactPage) of the archive's site."""
    url = request.build_absolute_uri(request.path)
    home = request.build_absolute_uri(reverse("home"))
    return {
        "@context": "https://schema.org",
        "@type": page.schema_type,
        "@id": url,
        "url": url,
        "name": str(page.title),
        "description": str(page.description),
        "inLanguage": get_language(),
        "isPartOf": {"@type": "WebSite", "@id": home, "url": home, "name": _("G7 2023 Archive")},
    }
