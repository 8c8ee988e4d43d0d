"""The OpenAPI schema: valid, complete, and true to what the API answers (checked by schemathesis)."""

import json

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

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


def load_schema() -> schemathesis.BaseSchema:
    """The schema as /api/schema/ serves it, generated in-process: collection may not use the database,
    which a request through the WSGI handler would (ATOMIC_REQUESTS)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = WSGIHandler()
    return loaded.include(method="GET")


schema = load_schema()


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
