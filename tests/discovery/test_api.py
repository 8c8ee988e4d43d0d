"""Akoma Ntoso in the API (discovery/api.py): `/api/v1/declarations/<slug>/akn/?lang=` answers XML in one
language and refuses another."""

import pytest
from lxml import etree

from tests.api_support import DECLARATION
from tests.discovery.support import NS

pytestmark = pytest.mark.django_db


def test_the_api_serves_each_expression_and_refuses_a_bad_language(api, schema):
    response = api.get(f"/api/v1/declarations/{DECLARATION}/akn/", {"lang": "ja"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/akn+xml")
    root = etree.fromstring(response.content)
    assert schema.validate(root)
    assert root.xpath("//akn:FRBRlanguage/@language", namespaces=NS) == ["jpn"]
    assert api.get(f"/api/v1/declarations/{DECLARATION}/akn/", {"lang": "fr"}).status_code == 400
    assert api.get(f"/api/v1/declarations/{DECLARATION}/akn/", {"lang": "all"}).status_code == 400
    assert api.get("/api/v1/declarations/no-such-document/akn/").status_code == 404
