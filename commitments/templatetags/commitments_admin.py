"""The admin home's watch list of the commitment register: what is due soon, what is overdue and what is
not assessed yet, each linking to its commitment's change page. Included by the admin's index template
(templates/admin/g7_index.html) as a template of its own, beside the other editorial tools."""

import datetime

from django import template
from django.db.models import Q
from django.utils import timezone

from ..models import Commitment, Rating

register = template.Library()

# How far ahead a target date counts as due soon.
DUE_SOON_DAYS = 90
# The most commitments each list shows; the change list's filters give the rest.
SHOWN = 10


@register.inclusion_tag("admin/commitments/watch_list.html", takes_context=True)
def commitment_watch_list(context):
    """Three short lists, in three queries, for staff who may see commitments; nothing for others."""
    user = context["request"].user
    if not user.has_perm("commitments.view_commitment"):
        return {"shown": False}
    today = timezone.localdate()
    unmet = ~Q(assessment__rating=Rating.FULL)
    commitments = Commitment.objects.only(
        "pk", "number", "text_ja", "text_en", "target_date", "target_precision"
    )
    return {
        "shown": True,
        "due_soon": list(
            commitments.filter(
                unmet, target_date__gte=today, target_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
            ).order_by("target_date", "number")[:SHOWN]
        ),
        "overdue": list(
            commitments.filter(unmet, target_date__lt=today).order_by("target_date", "number")[:SHOWN]
        ),
        "not_assessed": list(
            commitments.filter(
                Q(assessment__isnull=True) | Q(assessment__rating=Rating.NOT_ASSESSED)
            ).order_by("number")[:SHOWN]
        ),
        "due_soon_days": DUE_SOON_DAYS,
    }
