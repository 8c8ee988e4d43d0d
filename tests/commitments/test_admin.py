"""The register in the admin: its records under the publication rules, and the admin home's watch list of
commitments due soon, overdue and not assessed; the earlier commitments kept there too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, EarlierCommitment

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
    from tests.commitments.test_views import grow

    before = count_queries(reverse("admin:index"))
    grow()
    assert count_queries(reverse("admin:index")) == before


def test_an_editors_change_to_a_published_commitment_waits_for_review(editor_client):
    commitment = Commitment.objects.get(slug="digital-competition-summit")
    response = editor_client.get(reverse("admin:commitments_commitment_change", args=[commitment.pk]))
    assert response.status_code == 200
    assert response.context["adminform"].form.held_for_review


def test_a_commitment_whose_english_is_missing_is_among_the_translations_to_do(admin_client):
    commitment = Commitment.objects.get(slug="digital-competition-summit")
    url = reverse("admin:commitments_commitment_change", args=[commitment.pk])
    assert url not in admin_client.get(reverse("admin:translations")).content.decode()
    commitment.text_en = ""
    commitment.save()
    page = admin_client.get(reverse("admin:translations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = page[page.index(url) :]
    assert "text" in row[: row.index("</tr>")]


def test_editors_keep_earlier_commitments_in_the_admin(editor_client):
    assert editor_client.get(reverse("admin:commitments_earliercommitment_changelist")).status_code == 200
    earlier = EarlierCommitment.objects.get(slug="tsukuba-2019-human-centred-ai")
    response = editor_client.get(reverse("admin:commitments_earliercommitment_change", args=[earlier.pk]))
    assert response.status_code == 200
    # A change to a published record waits for a publisher's review, as for every register record.
    assert response.context["adminform"].form.held_for_review
    history = editor_client.get(reverse("admin:commitments_earliercommitment_history", args=[earlier.pk]))
    assert history.status_code == 200
