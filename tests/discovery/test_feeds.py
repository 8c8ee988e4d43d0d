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
