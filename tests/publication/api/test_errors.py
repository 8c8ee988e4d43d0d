"""Every bad input is a 4xx with a JSON body that says what is wrong, in the request's language."""

import pytest

from meetings.models import Meeting
from tests.api_support import DECLARATION, TAKASAKI, new_meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/meetings/", {"year": "abc"}, "year"),
        ("/api/v1/meetings/", {"year": "99999999999999999999"}, "year"),
        ("/api/v1/meetings/", {"month": "13"}, "month"),
        ("/api/v1/meetings/", {"prefecture": "99"}, "prefecture"),
        ("/api/v1/meetings/", {"forum": "G8"}, "forum"),
        ("/api/v1/meetings/", {"ordering": "pk"}, "ordering"),
        ("/api/v1/meetings/", {"q": "x" * 10_000}, "q"),
        ("/api/v1/meetings/", {"page_size": "-1"}, "page_size"),
        ("/api/v1/meetings/", {"page_size": "101"}, "page_size"),
        ("/api/v1/meetings/", {"page_size": "abc"}, "page_size"),
        ("/api/v1/meetings/", {"page_size": "9" * 5000}, "page_size"),
        ("/api/v1/meetings/", {"format": "xml"}, "format"),
        ("/api/v1/meetings/export/", {"format": "xml"}, "format"),
        ("/api/v1/declarations/", {"year": "-5"}, "year"),
        ("/api/v1/declarations/", {"meeting": "Not a slug!"}, "meeting"),
        ("/api/v1/declarations/", {"kind": "treaty"}, "kind"),
        ("/api/v1/annexes/", {"kind": "plan"}, "kind"),
        ("/api/v1/communique-items/", {"topic": "space"}, "topic"),
        ("/api/v1/themes/", {"declaration": "x" * 101}, "declaration"),
        ("/api/v1/search/", {"q": ""}, "q"),
        ("/api/v1/search/", {"q": "x" * 201}, "q"),
        ("/api/v1/search/", {"q": "AI", "kind": "person"}, "kind"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(api, url, params, field):
    response = api.get(url, params)
    assert response.status_code == 400
    assert field in response.json()
    assert all(isinstance(message, str) and message for message in response.json()[field])


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "No record “no-such-meeting” for meeting."), ("ja", "")]
)
def test_a_filter_naming_a_record_that_does_not_exist_is_a_404_naming_it(api, lang, message):
    response = api.get("/api/v1/declarations/", {"meeting": "no-such-meeting", "lang": lang})
    assert response.status_code == 404
    assert "no-such-meeting" in response.json()["detail"]
    if message:
        assert response.json()["detail"] == message
    else:
        assert "meeting" in response.json()["detail"] and "No record" not in response.json()["detail"]


EMPTY_PARAMETERS = [
    ("/api/v1/meetings/", name)
    for name in (
        "kind",
        "year",
        "month",
        "prefecture",
        "q",
        "ordering",
        "page",
        "page_size",
        "lang",
        "format",
    )
] + [
    ("/api/v1/meetings/export/", "kind"),
    ("/api/v1/meetings/export/", "format"),
    ("/api/v1/declarations/", "meeting"),
    ("/api/v1/themes/", "declaration"),
    ("/api/v1/prefectures/", "page"),
]


@pytest.mark.parametrize(("url", "name"), EMPTY_PARAMETERS)
def test_an_empty_declared_parameter_is_a_400_naming_it(api, url, name):
    response = api.get(url, {name: ""})
    assert response.status_code == 400
    assert list(response.json()) == [name]


@pytest.mark.parametrize(
    "params",
    [{"q": "DFFT\x00"}, {"year": "2023\x00"}, {"ordering": "\x00"}, {"lang": "ja\x00"}, {"page": "\x00"}],
)
def test_a_nul_character_in_a_parameter_is_a_400(api, params):
    response = api.get("/api/v1/meetings/", params)
    assert response.status_code == 400
    assert list(response.json()) == list(params)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/meetings/no-such-meeting/",
        "/api/v1/meetings/NOT_A_SLUG/",
        "/api/v1/meetings/%00/",
        f"/api/v1/meetings/{'a' * 10_000}/",
        "/api/v1/prefectures/99/",
        "/api/v1/prefectures/1/",
        f"/api/v1/declarations/{DECLARATION}/themes/99/",
        f"/api/v1/declarations/{DECLARATION}/themes/0/",
        f"/api/v1/declarations/{DECLARATION}/annexes/99999999999999999999999/",
        "/api/v1/declarations/no-such-document/annexes/1/",
        "/api/v1/no-such-resource/",
        "/api/v2/meetings/",
    ],
)
def test_an_address_that_names_nothing_is_a_json_404(api, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_messages_follow_the_language_of_the_request(api):
    japanese = api.get("/api/v1/meetings/no-such-meeting/", HTTP_ACCEPT_LANGUAGE="ja")
    english = api.get("/api/v1/meetings/no-such-meeting/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"] == "Not found."
    assert japanese.json()["detail"] != english.json()["detail"]
    assert japanese.headers["Content-Language"] == "ja"
    page = api.get("/api/v1/meetings/", {"year": "abc", "lang": "en"})
    assert page.json()["year"] == ["Enter a whole number."]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": {"ja": "長" * 10_000}}, "title"),
        ({"title": {"en": "L" * 10_000}}, "title"),
        ({"year": 99999999999999999999}, "year"),
        ({"year": 1900}, "year"),
        ({"year": "abc"}, "year"),
        ({"slug": "Not A Slug"}, "slug"),
        ({"slug": "s" * 10_000}, "slug"),
        ({"presidency": "Japan"}, "presidency"),
        ({"kind": "picnic"}, "kind"),
        ({"summit": "g7-2023-digital-and-tech-takasaki"}, "summit"),
        ({"published_at": "yesterday"}, "published_at"),
        ({"version": 0}, "version"),
    ],
)
def test_a_bad_field_is_a_400_naming_it(editor_api, change, field):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", change, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    "change", [{"hosts": ["no-such-organization"]}, {"summit": "no-such-summit"}, {"summit": "0"}]
)
def test_a_reference_to_a_record_that_does_not_exist_is_a_404_naming_it(editor_api, change):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/?lang=en", change, format="json")
    assert response.status_code == 404
    ((field, value),) = change.items()
    slug = value[0] if isinstance(value, list) else value
    assert list(response.json()) == [field]
    assert slug in response.json()[field][0] and "does not exist" in response.json()[field][0]
    assert Meeting.objects.get(slug=TAKASAKI).summit.slug == "g7-2023-hiroshima-summit"


def test_a_reference_that_does_not_exist_beside_another_fault_is_a_400_naming_both(editor_api):
    change = {"hosts": ["no-such-organization"], "year": 1900}
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", change, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"hosts", "year"}


def test_a_value_that_another_record_already_has_is_a_409(editor_api):
    response = editor_api.patch(
        f"/api/v1/meetings/{TAKASAKI}/?lang=en", {"slug": "g7-2023-hiroshima-summit"}, format="json"
    )
    assert response.status_code == 409
    assert list(response.json()) == ["slug"]
    assert "already exists" in response.json()["slug"][0]
    assert Meeting.objects.filter(slug=TAKASAKI).exists()


def test_a_field_the_record_does_not_have_is_a_400_naming_it_not_ignored(editor_api):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", {"titel": {"ja": "高崎"}}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["titel"]


def test_validation_messages_are_in_japanese_for_a_japanese_request(editor_api):
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/?lang=ja", {"year": "abc"}, format="json")
    assert response.status_code == 400
    # A string where the schema gives a number is refused before DRF would read a number in it.
    assert response.json()["year"] == ["整数を指定してください。"]
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/?lang=ja", {"year": 1900}, format="json")
    assert response.status_code == 400
    assert response.json()["year"] == ["この値は1975以上にしてください。"]


def test_a_body_over_the_size_limit_is_a_json_413(editor_api, settings):
    """Regression: Django's RequestDataTooBig escaped the API as the site's HTML 400 page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"slug": "' + "x" * 2000 + '"}'
    english = editor_api.generic("POST", "/api/v1/meetings/?lang=en", body, content_type="application/json")
    japanese = editor_api.generic(
        "POST", "/api/v1/meetings/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="ja"
    )
    assert english.status_code == japanese.status_code == 413
    assert english.headers["Content-Type"] == "application/json"
    assert english.json() == {"detail": "The request body is too large."}
    assert japanese.json() == {"detail": "リクエストの本文が大きすぎます。"}


def test_a_host_that_is_not_allowed_is_a_json_400_under_the_api(api):
    """Regression: Django's own HTML 400 page answered a bad Host under /api/."""
    response = api.get("/api/v1/meetings/", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Bad request."}
    page = api.get("/en/meetings/", HTTP_HOST="evil.example")
    assert page.status_code == 400
    assert page.headers["Content-Type"].startswith("text/html")


def test_an_unexpected_error_under_the_api_is_a_json_500(monkeypatch):
    from django.test import Client

    from meetings.api import MeetingViewSet

    def fail(*args, **kwargs):
        raise ZeroDivisionError("division by zero in the middle of a list")

    monkeypatch.setattr(MeetingViewSet, "list", fail)
    response = Client(raise_request_exception=False).get(
        "/api/v1/meetings/", headers={"accept-language": "en"}
    )
    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Server error: the request could not be answered."}
    assert "ZeroDivisionError" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "The database is unavailable. Please try again shortly."),
        ("ja", "データベースに接続できません。しばらくしてから、もう一度お試しください。"),
    ],
)
def test_a_database_outage_under_the_api_is_a_json_503_in_the_clients_language(
    api, monkeypatch, language, detail
):
    from django.db import OperationalError

    from meetings.api import MeetingViewSet

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(MeetingViewSet, "list", refuse)
    response = api.get("/api/v1/meetings/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": detail}
    assert response["Retry-After"]


# What the schema says of a write's body and what the API takes agree (test_schema.py runs schemathesis on
# every write; each disagreement it found has a test of its own, here or beside the code that takes the
# value: test_fields.py, tests/declarations/test_serializers.py).


def test_a_taken_slug_beside_a_reference_that_does_not_exist_is_a_404_not_a_400(publisher_api):
    response = publisher_api.post(
        "/api/v1/meetings/", new_meeting(slug=TAKASAKI, summit="no-such-summit"), format="json"
    )
    assert response.status_code == 404
    assert set(response.json()) == {"slug", "summit"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"change_note": 0}, "change_note"),
        ({"source_locator": 12}, "source_locator"),
        ({"year": "2023"}, "year"),
        ({"year": 2023.0}, "year"),
        ({"year": True}, "year"),
        ({"hosts": {"mic": 1}}, "hosts"),
        ({"summit": 7}, "summit"),
        ({"kind": 1}, "kind"),
    ],
)
def test_a_value_of_another_json_type_than_the_schema_gives_is_a_400(editor_api, change, field):
    """Regression: DRF converted them (0 to "0", "2023" to 2023, an object to the list of its keys)."""
    response = editor_api.patch(f"/api/v1/meetings/{TAKASAKI}/", change, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize("slug", [" g7-2023-example", "g7-2023-example\n", "g7-2023-example "])
def test_a_slug_with_spaces_around_it_is_refused_not_trimmed(publisher_api, slug):
    """Regression: the slug's pattern refuses spaces, and DRF trimmed them away and took the slug."""
    response = publisher_api.post("/api/v1/meetings/", new_meeting(slug=slug), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["slug"]


def test_every_free_text_of_a_body_refuses_nul_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    assert schema["MeetingWriteRequest"]["properties"]["source_locator"]["pattern"] == "^[^\\u0000]*$"
    assert schema["MeetingWriteRequest"]["properties"]["change_note"]["pattern"] == "^[^\\u0000]*$"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/meetings/%0A/",
        "/api/v1/meetings/%1B%5B0m/",
        "/api/v1/declarations/%7F/themes/1/",
        "/api/v1/people/a%0Db/",
    ],
)
@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_a_control_character_in_the_path_is_a_json_404(publisher_api, settings, path, method):
    """runserver with DEBUG on answers Django's HTML technical 404 for some such paths; with DEBUG off, as in
    production and in the suite, every one is the API's JSON 404."""
    settings.DEBUG = False
    response = getattr(publisher_api, method)(path, {}, format="json")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json()["detail"]
