"""The Atom feeds, in the language of their address: outcome documents, new and changed; corrections;
the assessments of the commitment register as they change."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from commitments.models import Assessment
from declarations.models import Declaration
from meetings.models import Meeting
from publication.corrections import correction_entry
from publication.models import Correction, published_condition
from rendering.templating import LANGUAGE_NAMES, colon, long_date

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


class AssessmentFeed(Feed):
    """The commitment register's assessments as they change, newest first: each rating given, with who gave
    it, when, and on what evidence, for a published commitment (two queries: the versions with their
    commitments, then the evidence of the current ones)."""

    feed_type = Atom1Feed
    query_parameters = ()
    title = _("G7 2023: assessments of commitments")
    author_name = _("G7 2023 archive editors")
    subtitle = _(
        "Each rating of a commitment of Japan's 2023 G7 presidency as it is given or changed, newest first."
    )

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self):
        return reverse("commitments:list")

    def feed_url(self):
        return reverse("feeds:assessments")

    def items(self):
        versions = (
            Assessment.history.filter(published_condition("commitment"))
            .select_related("commitment")
            .order_by("-history_date", "-history_id")[: FEED_LENGTH * 2]
        )
        # Oldest first, to keep each rating once: the version that gave it, not a later save of its evidence.
        kept, last = [], {}
        for version in reversed(list(versions)):
            rating = (version.rating, version.assessed_on)
            if last.get(version.id) != rating:
                kept.append(version)
                last[version.id] = rating
        return list(reversed(kept))[:FEED_LENGTH]

    def item_title(self, version):
        commitment = version.commitment
        return _("Commitment %(number)s: %(rating)s") % {
            "number": commitment.number,
            "rating": version.get_rating_display(),
        }

    def item_description(self, version):
        lines = [str(version.commitment.text)]
        if version.assessed_on:
            lines.append(
                _("Assessed by %(who)s on %(date)s.")
                % {"who": version.assessed_by, "date": long_date(version.assessed_on)}
            )
        if version.rationale:
            lines.append(version.rationale)
        if version.history_change_reason:
            lines.append(version.history_change_reason)
        return "\n".join(lines)

    def item_link(self, version):
        return f"{version.commitment.get_absolute_url()}#assessment"

    def item_guid(self, version):
        # Each version its own entry.
        address = self.request.build_absolute_uri(version.commitment.get_absolute_url())
        return f"{address}#assessment-{version.history_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.history_date

    def item_updateddate(self, version):
        return version.history_date

    def item_categories(self, version):
        return [version.commitment.get_act_display(), version.get_rating_display()]
