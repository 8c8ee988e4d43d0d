"""What every public view shares: what a visitor may see, and how staff preview drafts."""

from django.db import transaction
from django.views.generic.base import ContextMixin


def read_only(view):
    """A public page only reads: it needs no transaction (ATOMIC_REQUESTS would open one, two queries more)."""
    return transaction.non_atomic_requests(view)


def may_preview(user, model) -> bool:
    """Staff who may change a kind of record see its drafts too, as they will appear."""
    opts = model._meta
    return bool(
        user and user.is_authenticated and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


def visible(queryset, user):
    """The records of a queryset that this user may see: published ones, or all of them for editors."""
    return queryset if may_preview(user, queryset.model) else queryset.published()


class PublishedMixin(ContextMixin):
    """Visitors see published records only; staff who may change a record preview it as it will appear.

    `query_parameters` names every query parameter the view reads for a visitor: the page cache keys its
    pages on those alone (operations/cache.py). A record's page reads none (`?preview=` is for staff, who
    are never served from the cache); a list adds its filters and page.
    """

    model = None
    query_parameters: tuple[str, ...] = ()

    def get_queryset(self):
        return visible(self.model._default_manager.all(), self.request.user)

    def visible(self, queryset):
        return visible(queryset, self.request.user)

    # Values to show in place of the record's, unsaved: set by the admin's preview of a change form
    # (publication.admin.render_public_page), never from a visitor's request.
    preview_values: dict | None = None
    # The changes to the record's parts that the change form proposes (publication.review.part_change).
    preview_parts: list[dict] | None = None

    def get_object(self, queryset=None):
        """With ?preview=pending, staff see the record with the change awaiting review applied; from the
        admin's change form, with the form's unsaved values."""
        from publication.review import pending_change_for

        record = self.find_object(queryset)
        if self.preview_values is not None and may_preview(self.request.user, type(record)):
            self.show_proposed(record, self.preview_values, self.preview_parts or [])
            record.previewing_unsaved_change = True
        elif self.request.GET.get("preview") == "pending" and may_preview(self.request.user, type(record)):
            pending = pending_change_for(record)
            if pending is not None:
                self.show_proposed(record, pending.data, pending.parts)
                record.previewing_pending_change = True
        return record

    def show_proposed(self, record, values: dict, parts: list[dict]) -> None:
        """Show `record` as a change proposes it, in memory: its `values`, the records they link it to (a
        meeting's hosts, which the page reads with shown_parts()) and its `parts` (part_change entries)."""
        from publication.review import apply_part_values, apply_values, show_links

        linked = apply_values(record, values)
        apply_part_values(record, parts)
        show_links([(record, name, values[name]) for name in linked])
        self.preview_parts_shown(record)

    def preview_parts_shown(self, record) -> None:
        """Called once a preview has set the record's parts as proposed (publication.review.shown_parts):
        a page that reads more of them than its template shows (its own lists by part) reads them again."""
        return None

    def find_object(self, queryset=None):
        """The record the address names, as the visitor may see it (404 if none): DetailView's."""
        return super().get_object(queryset)
