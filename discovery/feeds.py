"""The Atom feeds, in the language of their address: outcome documents, new and changed; corrections."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from declarations.models import Declaration
from meetings.models import Meeting
from publication.corrections import correction_entry
from publication.models import Correction
from rendering.templating import LANGUAGE_NAMES, colon

FEED_LENGTH = 50


class DocumentFeed(Feed):
    feed_type = Atom1Feed
    # For the page cache (operations/cache.py): the feed reads no query parameter.
    query_parameters = ()
    title = _("G7 2023: outcome documents")
    # Atom requires an author; the archive's editors answer for every document.
    author_name = _("G7 2023 archive editors")
    subtitle = _("New and changed outcome documents of the meetings of Japan's 2023 G7 presidency.")

    def link(self):
        return reverse("declarations:list")

    def feed_url(self):
        return reverse("feeds:documents")

    def items(self):
        # The most recently changed first: a correction to an old document is news too.
        return (
            Declaration.objects.published()
            .select_related("meeting")
            .order_by("-updated_at", "slug")[:FEED_LENGTH]
        )

    def item_title(self, declaration):
        return declaration.title

    def item_description(self, declaration):
        return declaration.summary

    def item_link(self, declaration):
        # The document's permanent address, which also serves as the entry's Atom id.
        return declaration.get_absolute_url()

    def item_pubdate(self, declaration):
        return declaration.published_at

    def item_updateddate(self, declaration):
        return declaration.updated_at

    def item_categories(self, declaration):
        return [declaration.get_kind_display(), declaration.meeting.short_title]


class CorrectionFeed(Feed):
    """The public corrections (publication.models.Correction) as they are published, newest first: of
    documents, meetings and every part of them, each with what changed and the editor's note."""

    feed_type = Atom1Feed
    query_parameters = ()
    title = _("G7 2023: corrections")
    author_name = _("G7 2023 archive editors")
    subtitle = _("Corrections made to the published records of Japan's 2023 G7 presidency, newest first.")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self):
        return reverse("declarations:list")

    def feed_url(self):
        return reverse("feeds:corrections")

    def items(self):
        """The newest corrections whose page is public now (three queries: the corrections, then the
        documents and the meetings they are shown on)."""
        rows = list(Correction.objects.order_by("-date", "-id")[:FEED_LENGTH])
        pages = {}
        for model in (Declaration, Meeting):
            label = model._meta.label_lower
            wanted = {row.page_id for row in rows if row.page_model == label}
            if wanted:
                for page in model.objects.published().filter(pk__in=wanted):
                    pages[label, page.pk] = page
        items = []
        for row in rows:
            page = pages.get((row.page_model, row.page_id))
            if page is not None:
                entry = correction_entry(row)
                entry["page"] = page
                items.append(entry)
        return items

    def item_title(self, entry):
        page_title = str(entry["page"])
        if entry["part"] and entry["part"] != page_title:
            return f"{page_title}{colon()}{entry['part']}"
        return page_title

    def item_description(self, entry):
        lines = [entry["note"]] if entry["note"] else []
        for change in entry["changes"]:
            if change["translated"]:
                for code in ("ja", "en"):
                    if change["before"][code] != change["after"][code]:
                        lines.append(
                            _("%(field)s (%(language)s): %(before)s → %(after)s")
                            % {
                                "field": change["label"],
                                "language": LANGUAGE_NAMES[code],
                                "before": change["before"][code] or "—",
                                "after": change["after"][code] or "—",
                            }
                        )
            else:
                lines.append(
                    _("%(field)s: %(before)s → %(after)s")
                    % {
                        "field": change["label"],
                        "before": change["before"] or "—",
                        "after": change["after"] or "—",
                    }
                )
        return "\n".join(lines)

    def item_link(self, entry):
        address = entry["page"].get_absolute_url()
        return f"{address}#{entry['anchor']}" if entry["anchor"] else address

    def item_guid(self, entry):
        # Each correction its own entry, even several of one record on one day.
        address = self.request.build_absolute_uri(entry["page"].get_absolute_url())
        return f"{address}#correction-{entry['correction'].pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry["date"]

    def item_updateddate(self, entry):
        return entry["date"]
