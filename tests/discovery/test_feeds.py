import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from declarations.models import Declaration
from tests.factories import DeclarationFactory

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def feed(client, language):
    response = client.get(f"/{language}/feeds/documents.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root):
    return {
        entry.find("a:link", ATOM).get("href").removeprefix("http://testserver"): entry
        for entry in root.findall("a:entry", ATOM)
    }


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_feed_lists_the_published_documents_in_its_language(client, language):
    root = feed(client, language)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert root.find("a:author/a:name", ATOM).text
    found = entries(root)
    slugs = set(Declaration.objects.published().values_list("slug", flat=True))
    assert set(found) == {f"/{language}/declarations/{slug}/" for slug in slugs}
    communique = found[f"/{language}/declarations/g7-2023-hiroshima-leaders-communique/"]
    title = {"ja": "G7広島首脳コミュニケ", "en": "G7 Hiroshima Leaders' Communiqué"}[language]
    assert communique.findtext("a:title", namespaces=ATOM) == title


def test_an_entry_is_updated_when_its_document_changes(client):
    declaration = Declaration.objects.get(slug="g7-2023-digital-and-tech-ministerial-declaration")
    declaration.summary_en = "A corrected summary."
    declaration.save()
    declaration.refresh_from_db()
    root = feed(client, "en")
    entry = entries(root)[f"/en/declarations/{declaration.slug}/"]
    updated = datetime.datetime.fromisoformat(entry.findtext("a:updated", namespaces=ATOM))
    assert updated == declaration.updated_at
    assert entry.findtext("a:summary", namespaces=ATOM) == "A corrected summary."
    # The changed document comes first, and the feed is as new as its newest entry.
    assert root.findall("a:entry", ATOM)[0] is entry
    assert datetime.datetime.fromisoformat(root.findtext("a:updated", namespaces=ATOM)) == updated


def test_drafts_and_scheduled_documents_are_left_out(client):
    draft = DeclarationFactory(status=Declaration.Status.DRAFT, published_at=None)
    scheduled = DeclarationFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    found = entries(feed(client, "en"))
    assert f"/en/declarations/{draft.slug}/" not in found
    assert f"/en/declarations/{scheduled.slug}/" not in found


def test_query_count_does_not_grow_with_documents(client, django_assert_num_queries):
    # One for the documents with their meetings; two open and close the request's savepoint.
    with django_assert_num_queries(3):
        client.get("/en/feeds/documents.atom")
    for _ in range(20):
        DeclarationFactory()
    with django_assert_num_queries(3):
        response = client.get("/en/feeds/documents.atom")
    assert len(entries(ET.fromstring(response.content))) == Declaration.objects.published().count()


# The commitment register's assessments as they change.


def assessment_feed(client, language="en"):
    response = client.get(f"/{language}/feeds/assessments.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_assessment_feed_gives_each_rating_once(client):
    from commitments.models import Commitment

    root = assessment_feed(client)
    titles = [entry.find("a:title", ATOM).text for entry in root.findall("a:entry", ATOM)]
    # One entry an assessment: the save of its evidence after it is not a rating of its own.
    assert len(titles) == Commitment.objects.count()
    assert "Commitment 19: Full" in titles
    summit = next(
        e for e in root.findall("a:entry", ATOM) if e.find("a:title", ATOM).text == "Commitment 19: Full"
    )
    assert (
        summit.find("a:link", ATOM)
        .get("href")
        .endswith("/en/commitments/digital-competition-summit/#assessment")
    )


def test_a_changed_rating_is_the_newest_entry_and_a_draft_commitments_is_left_out(client):
    from commitments.models import Assessment, Commitment

    assessment = Assessment.objects.get(commitment__slug="digital-competition-summit")
    assessment.rating = "partial"
    assessment._change_reason = "Rated again."
    assessment.save()
    Commitment.objects.filter(slug="iap-establish").update(status="draft")
    root = assessment_feed(client)
    entries_ = root.findall("a:entry", ATOM)
    assert entries_[0].find("a:title", ATOM).text == "Commitment 19: Partial"
    assert "Rated again." in entries_[0].find("a:summary", ATOM).text
    assert not any("/iap-establish/" in e.find("a:link", ATOM).get("href") for e in entries_)


def test_the_assessment_feed_in_japanese(client):
    root = assessment_feed(client, "ja")
    titles = [entry.find("a:title", ATOM).text for entry in root.findall("a:entry", ATOM)]
    assert "約束19：完全" in titles


def test_the_dashboard_names_the_assessment_feed(client):
    page = client.get("/en/commitments/").content.decode()
    assert 'type="application/atom+xml" title="G7 2023: assessments of commitments"' in page
    assert 'href="/en/feeds/assessments.atom"' in page


def test_the_assessment_feed_reads_a_fixed_number_of_queries(count_queries):
    from tests.commitments.support import grow

    before = count_queries("/en/feeds/assessments.atom")
    grow()
    assert count_queries("/en/feeds/assessments.atom") == before
    assert before <= 10
