"""The register in the admin: its records under the publication rules, the earlier commitments kept there
too. The admin home's watch list is tested in templatetags/test_commitments_admin.py, as its template tag's."""

import pytest
from django.urls import reverse

from commitments.models import Commitment, EarlierCommitment

pytestmark = pytest.mark.django_db


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
