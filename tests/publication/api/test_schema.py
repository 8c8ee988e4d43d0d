"""The OpenAPI schema: valid, complete, and true to what the API answers (checked by schemathesis)."""

import contextlib
import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from meetings.models import Meeting
from publication import links
from tests.api_support import new_meeting

RESOURCES = [
    "meetings",
    "declarations",
    "annexes",
    "communique-items",
    "themes",
    "organizations",
    "people",
    "prefectures",
    "commitments",
    "follow-ups",
    "earlier-commitments",
    "assessments",
]


def test_the_schema_is_valid_without_a_single_warning(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/:" in schema
        assert f"/api/v1/{resource}/export/:" in schema
    assert "/api/v1/declarations/{slug}/annexes/{number}/:" in schema
    assert "/api/v1/search/:" in schema


@pytest.mark.django_db
def test_every_list_documents_its_parameters_and_errors(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    meetings = schema["paths"]["/api/v1/meetings/"]["get"]
    names = {parameter["name"] for parameter in meetings["parameters"]}
    assert names >= {
        "lang",
        "format",
        "page",
        "page_size",
        "q",
        "forum",
        "kind",
        "year",
        "month",
        "prefecture",
    }
    assert names >= {"portfolio", "ordering"}
    assert set(meetings["responses"]) >= {"200", "304", "400", "404", "429"}
    assert set(meetings["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    create = schema["paths"]["/api/v1/meetings/"]["post"]
    assert set(create["responses"]) >= {"201", "400", "401", "403", "429"}
    declarations = {p["name"] for p in schema["paths"]["/api/v1/declarations/"]["get"]["parameters"]}
    assert declarations >= {"kind", "meeting", "year", "q", "ordering"}
    lang = next(p for p in meetings["parameters"] if p["name"] == "lang")
    assert set(lang["schema"]["enum"]) == {"ja", "en", "all"}


@pytest.mark.django_db
def test_every_write_declares_the_400_of_the_link_check(client):
    """Whether an address answers is no rule a schema can state: the 400 it gives is declared instead."""
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path, method in [("/api/v1/declarations/", "post"), ("/api/v1/declarations/{slug}/", "patch")]:
        assert "link check" in paths[path][method]["responses"]["400"]["description"]


@pytest.mark.django_db
def test_the_docs_are_served_from_the_projects_own_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "swagger-ui" in page
    # Every address on the page is the project's own: no CDN, no web fonts from elsewhere.
    assert "https://" not in page and "http://" not in page
    assert "<script>" not in page


@pytest.mark.django_db
def test_swagger_uis_start_up_script_is_a_file_of_its_own(client):
    script = client.get("/api/docs/", {"script": ""})
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


@pytest.mark.django_db
def test_swagger_ui_asks_no_validator_elsewhere(client):
    """Swagger UI shows a badge from validator.swagger.io, asked for with the schema's address, on any host
    but localhost, unless validatorUrl is null."""
    script = client.get("/api/docs/", {"script": ""}).content.decode()
    assert '"validatorUrl": null' in script


@pytest.mark.django_db
def test_redocs_old_address_sends_readers_to_swagger_ui(client):
    """Redoc drew its makers' logo from their CDN, whatever its options: the address now leads to the docs
    that ask nothing of another site."""
    response = client.get("/api/docs/redoc/")
    assert response.status_code == 301
    assert response["Location"] == "/api/docs/"


def load_schema(config: schemathesis.Config | None = None) -> schemathesis.BaseSchema:
    """The schema as /api/schema/ serves it, generated in-process: collection may not use the database,
    which a request through the WSGI handler would (ATOMIC_REQUESTS)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(generated)), config=config
    )
    loaded.app = WSGIHandler()
    return loaded


schema = load_schema().include(method="GET")
# The writes from generated data: as many examples of each operation as the settings below allow. The
# coverage phase (boundary values and each kind of invalid value of every field), which max_examples does
# not bound, makes some 5,000 write requests, minutes of the suite; it passes too (`load_schema()` without
# the config runs it) but stays out of the suite.
writes = load_schema(schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}})).include(
    method=["POST", "PUT", "PATCH", "DELETE"]
)


@pytest.fixture
def same_transaction(db):
    # Django's test client keeps the test's transaction open across requests by not closing the
    # connection at the start and end of each; the WSGI handler used here must do the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_anonymous_read_fails_any_check_of_the_schema(case, same_transaction):
    """Every read, anonymously, with data the schema allows and data it forbids (schemathesis generates
    both), under every check schemathesis has: no server error, status codes, content types, headers and
    bodies as documented, what the schema forbids refused, what it allows accepted, reads that need no
    credentials declared so."""
    case.call_and_validate()


@pytest.fixture
def publisher_token(publisher, monkeypatch):
    """A publisher's token, with the link check's one call to the network (links.link_problem) answering
    that every address answers: the suite asks nothing of other sites."""
    monkeypatch.setattr(links, "link_problem", lambda url: None)
    return Token.objects.create(user=publisher).key


@writes.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_publishers_write_fails_any_check_of_the_schema(case, same_transaction, publisher_token):
    """Every write (POST, PUT, PATCH, DELETE) with a publisher's token, with data the schema allows and data
    it forbids, under every check: what the schema allows is taken (or refused for the archive's state: a
    404 for a record that does not exist, a 409 for a value another record has), what it forbids is a 400,
    and every answer is as documented. Each request runs in a savepoint of the test's transaction that is
    rolled back after it, so that each starts from the fixtures and none leaves anything behind."""
    with rolled_back():
        case.call_and_validate(headers={"Authorization": f"Token {publisher_token}"})


@contextlib.contextmanager
def rolled_back():
    """A savepoint of the test's transaction, rolled back however the block ends."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_write_run_leaves_the_archive_as_it_was(publisher_token):
    """The savepoint around each generated write is rolled back: after a write that succeeds, the archive
    holds nothing of it."""
    before = Meeting.objects.count()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {publisher_token}")
    body = new_meeting(slug="g7-2023-savepoint", title={"ja": "例"})
    with rolled_back():
        assert client.post("/api/v1/meetings/", body, format="json").status_code == 201
        assert Meeting.objects.count() == before + 1
    assert Meeting.objects.count() == before
