"""Reads that every kind of published record shares."""

from datetime import datetime
from typing import NamedTuple

from django.apps import apps
from django.db.models import F, Func, Subquery
from django.utils import timezone

from publication.models import Publishable


def first(queryset, field: str) -> Subquery:
    """The first value of `field` among the records of `queryset`, as a subquery: MIN() rather than ORDER BY …
    LIMIT 1, which PostgreSQL sorts for when it expects few rows (a publish time still to come), where
    MIN() reads the first entry of the index."""
    lowest = Func(F(field), function="MIN", output_field=queryset.model._meta.get_field(field))
    return Subquery(queryset.order_by().annotate(lowest=lowest).values("lowest"))


def newest(queryset, field: str) -> Subquery:
    """The newest value of `field` among the records of `queryset`, as a subquery."""
    return Subquery(queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1])


class ArchiveTimes(NamedTuple):
    """When a record of any publishable kind last changed or was last published, and when the next publish
    time comes that would move that (None if none is set to come)."""

    last_modified: datetime | None
    next_change: datetime | None


def archive_times(*, next_change: bool = True) -> ArchiveTimes:
    """The archive's ArchiveTimes; one query. Without `next_change`, the last change alone (next_change is
    None), which spares the query a third of its subqueries.

    Every kind counts, since records show each other (a meeting lists its documents, a document names
    its meeting). Each time is the newest (or, for the next publish time, the lowest) value of an indexed
    column, so the query reads a few index entries a kind however many records there are.
    """
    now = timezone.now()
    kinds = publishable_kinds()
    stamps, coming = {}, {}
    for model in kinds:
        records = model._default_manager.all()
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        stamps[f"{name}_changed"] = newest(records, "updated_at")
        stamps[f"{name}_published"] = newest(records.filter(published_at__lte=now), "published_at")
        if next_change:
            coming[f"{name}_coming"] = first(records.filter(published_at__gt=now), "published_at")
    times = one_row(kinds, **stamps, **coming)
    if times is None:
        return ArchiveTimes(None, None)
    return ArchiveTimes(
        max((times[name] for name in stamps if times[name] is not None), default=None),
        min((times[name] for name in coming if times[name] is not None), default=None),
    )


def next_publication() -> datetime | None:
    """The first publish time still to come of a published record of any kind, or None if none is
    scheduled; one query, a subquery a kind, and no compound query (which Django 6.1 refuses on SQLite when
    each part orders and limits)."""
    now = timezone.now()
    kinds = publishable_kinds()
    coming = {
        f"{model._meta.app_label}_{model._meta.model_name}": first(
            model._default_manager.filter(status=Publishable.Status.PUBLISHED, published_at__gt=now),
            "published_at",
        )
        for model in kinds
    }
    row = one_row(kinds, **coming)
    if row is None:
        return None
    return min((due for due in row.values() if due is not None), default=None)


def publishable_kinds() -> list:
    """Every model with a publication state (Publishable)."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def one_row(kinds, **subqueries) -> dict | None:
    """The values of `subqueries` in one query, selected as one row of a table: the first kind's, or the
    next one's if it has no record; None if no kind has a record."""
    for model in kinds:
        for row in model._default_manager.order_by().annotate(**subqueries).values(*subqueries)[:1]:
            return row
    return None


def archive_last_modified() -> datetime | None:
    """When a record of any publishable kind last changed or was last published (archive_times); None for
    an empty archive."""
    return archive_times(next_change=False).last_modified
