"""The Atom feed of outcome documents, new and changed, in the language of its address."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from declarations.models import Declaration

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
