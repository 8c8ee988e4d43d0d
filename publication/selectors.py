"""Reads that every kind of published record shares."""

from datetime import datetime

from django.apps import apps
from django.db.models import Subquery
from django.utils import timezone

from publication.models import Publishable


def newest(queryset, field: str) -> Subquery:
    """The newest value of `field` among the records of `queryset`, as a subquery."""
    return Subquery(queryset.filter(**{f"{field}__isnull": False}).order_by(f"-{field}").values(field)[:1])


def archive_last_modified() -> datetime | None:
    """When a record of any publishable kind last changed or was last published; one query.

    Every kind counts, since records show each other (a meeting lists its documents, a document names
    its meeting). Each time is the newest value of an indexed column (ORDER BY … DESC LIMIT 1), so the
    query reads two index entries a kind however many records there are. None for an empty archive.
    """
    now = timezone.now()
    kinds = [model for model in apps.get_models() if issubclass(model, Publishable)]
    stamps = {}
    for model in kinds:
        records = model._default_manager.all()
        name = f"{model._meta.app_label}_{model._meta.model_name}"
        stamps[f"{name}_changed"] = newest(records, "updated_at")
        stamps[f"{name}_published"] = newest(records.filter(published_at__lte=now), "published_at")
    # The subqueries are selected as one row of a table: the first kind's, or the next one's if it has
    # no record.
    for model in kinds:
        row = model._default_manager.order_by().annotate(**stamps).values(*stamps)[:1]
        for times in row:
            return max((time for time in times.values() if time is not None), default=None)
    return None
