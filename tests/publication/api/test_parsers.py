"""Request bodies (publication/api/parsers.py): JSON only, nested no deeper than a record, never a NUL."""

import pytest

from meetings.models import Meeting
from tests.api_support import TAKASAKI

pytestmark = pytest.mark.django_db


def test_a_malformed_json_body_is_a_400(editor_api):
    response = editor_api.generic(
        "POST", "/api/v1/meetings/?lang=en", '{"slug": "x", ', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")


def test_a_body_that_is_not_json_is_a_415(editor_api):
    response = editor_api.post("/api/v1/meetings/", {"slug": "x"}, format="multipart")
    assert response.status_code == 415


@pytest.mark.parametrize(
    "change",
    [
        {"title": {"ja": "高崎\x00"}},
        {"slug": "takasaki\x00"},
        {"summit": "g7-2023-hiroshima-summit\x00"},
        {"hosts": ["mic\x00"]},
        {"title\x00": {"ja": "高崎"}},
    ],
)
def test_a_nul_character_in_a_body_is_a_400_before_the_database(editor_api, change):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/?lang=en", change, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Text may not contain NUL characters."
    assert Meeting.objects.get(slug=TAKASAKI).title_ja == "G7群馬高崎デジタル・技術大臣会合"


@pytest.mark.parametrize(
    "payload",
    [
        # Regression: 10 KB of brackets from any editor's token were a 500 (the parser's RecursionError).
        "[" * 5000,
        "[" * 5000 + "]" * 5000,
        '{"title": ' * 3000 + "1" + "}" * 3000,
        # Valid JSON that Python parses, but nested far deeper than any record.
        '{"title": {"ja": ' + "[" * 200 + "]" * 200 + "}}",
    ],
)
def test_deeply_nested_json_is_a_400(editor_api, payload):
    response = editor_api.generic(
        "POST", "/api/v1/meetings/?lang=en", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["detail"] == "The JSON body is nested too deeply."
