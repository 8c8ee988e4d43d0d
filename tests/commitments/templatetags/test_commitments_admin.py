"""The admin home's watch list of the commitment register (commitments/templatetags/commitments_admin.py):
what is due soon, overdue and not assessed, each linking to its commitment's change page; in either
language, only for staff who may see commitments, in as many queries whatever the number of commitments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment

pytestmark = pytest.mark.django_db


def watch_list(client) -> str:
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    start = page.index('id="commitment-watch-list"')
    return page[start : page.index("</div>", start)]


def test_the_admin_home_lists_what_is_due_soon_overdue_and_not_assessed(editor_client):
    today = timezone.localdate()
    Commitment.objects.filter(slug="iap-establish").update(
        target_date=today + datetime.timedelta(days=30), target_precision="day"
    )
    Commitment.objects.filter(slug="iap-endorse").update(
        target_date=today - datetime.timedelta(days=1), target_precision="day"
    )
    section = watch_list(editor_client)
    due_soon, rest = section.split("Overdue")
    overdue, not_assessed = rest.split("Not assessed")
    assert "1. Establish the Institutional Arrangement" in due_soon and "22. " not in due_soon
    assert "22. Endorse the establishment" in overdue
    # Met commitments are neither due nor overdue, and rated ones are not among the not assessed.
    assert "19. " not in overdue and "19. " not in not_assessed
    assert "1. Establish the Institutional Arrangement" in not_assessed
    assert (
        reverse("admin:commitments_commitment_change", args=[Commitment.objects.get(slug="iap-endorse").pk])
        in overdue
    )


def test_the_watch_list_in_japanese(editor_client):
    page = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "約束の登録簿" in page and "90日以内に期限" in page and "期限超過" in page


def test_the_watch_list_is_shown_only_to_those_who_may_see_commitments(client, django_user_model):
    staff = django_user_model.objects.create_user("reader", password="a-long-reader-password", is_staff=True)
    client.force_login(staff)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="commitment-watch-list"' not in page


def test_the_admin_home_reads_the_watch_list_in_a_fixed_number_of_queries(editor_client, count_queries):
    from tests.commitments.support import grow

    before = count_queries(reverse("admin:index"))
    grow()
    assert count_queries(reverse("admin:index")) == before


def test_each_list_shows_the_first_ten_by_date_and_due_soon_ends_ninety_days_ahead(rf, editor):
    """A list is the first SHOWN (ten) of its commitments, the nearest target first; the change list's
    filters give the rest. A target ninety days ahead is due soon, one ninety-one days ahead is not yet."""
    from commitments.models import Rating
    from commitments.templatetags.commitments_admin import commitment_watch_list

    today = timezone.localdate()
    Commitment.objects.update(target_date=None, target_precision="")
    unmet = list(Commitment.objects.exclude(assessment__rating=Rating.FULL).order_by("number")[:14])
    assert len(unmet) == 14
    overdue, soon, later = unmet[:12], unmet[12], unmet[13]
    for days, commitment in enumerate(overdue, start=1):
        Commitment.objects.filter(pk=commitment.pk).update(
            target_date=today - datetime.timedelta(days=days), target_precision="day"
        )
    Commitment.objects.filter(pk=soon.pk).update(
        target_date=today + datetime.timedelta(days=90), target_precision="day"
    )
    Commitment.objects.filter(pk=later.pk).update(
        target_date=today + datetime.timedelta(days=91), target_precision="day"
    )
    request = rf.get("/admin/")
    request.user = editor
    lists = commitment_watch_list({"request": request})
    assert [commitment.pk for commitment in lists["overdue"]] == [
        commitment.pk for commitment in overdue[::-1][:10]
    ]
    assert [commitment.pk for commitment in lists["due_soon"]] == [soon.pk]
    numbers = sorted(
        Commitment.objects.filter(assessment__rating=Rating.NOT_ASSESSED).values_list("number", flat=True)
    )
    assert len(numbers) > 10
    assert [commitment.number for commitment in lists["not_assessed"]] == numbers[:10]
