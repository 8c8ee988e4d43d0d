"""Liveness, readiness, and what a visitor sees when the database or the code fails: never a traceback."""

import json
import logging

import pytest
from django.db import OperationalError
from django.test import Client

from meetings import views as meeting_views
from operations import health
from operations.logging import JsonFormatter


@pytest.mark.django_db
def test_liveness_needs_neither_database_nor_cache(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readiness_is_503_while_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(health, "_check_database", lambda: "unavailable")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok"}


@pytest.mark.django_db
def test_readiness_reports_a_cache_outage_without_failing(client, monkeypatch):
    """Regression: a Redis outage made every host unready at once, though pages are answered without the
    cache; a load balancer following /readyz took the whole site out."""
    monkeypatch.setattr(health, "_check_cache", lambda: "unavailable")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "unavailable"}


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(meeting_views.MeetingListView, "get", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [("ja", "ただいまご利用いただけません"), ("en", "Temporarily unavailable")],
)
def test_a_database_outage_is_a_503_page_in_the_visitors_language(client, database_down, language, text):
    response = client.get(f"/{language}/meetings/")
    assert response.status_code == 503
    page = response.content.decode()
    assert text in page
    assert f'<html lang="{language}">' in page
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.django_db
def test_an_error_outside_any_view_shows_the_500_page_without_a_traceback(monkeypatch):
    def fail(*args, **kwargs):
        raise ZeroDivisionError("division by zero in the middle of a page")

    monkeypatch.setattr(meeting_views.MeetingListView, "get", fail)
    client = Client(raise_request_exception=False)
    response = client.get("/en/meetings/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Server error" in page
    assert "ZeroDivisionError" not in page and "division by zero" not in page


def test_the_500_handler_answers_503_when_the_database_went_away(rf):
    request = rf.get("/en/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = health.server_error(request)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
def test_every_request_is_logged_with_its_id(client, caplog):
    with caplog.at_level(logging.INFO, logger="g7site.requests"):
        response = client.get("/healthz", headers={"X-Request-ID": "proxy-given-id-42"})
        forged = client.get("/healthz", headers={"X-Request-ID": "bad id\nwith a newline"})
    assert response["X-Request-ID"] == "proxy-given-id-42"
    assert forged["X-Request-ID"] != "bad id\nwith a newline"
    record = next(r for r in caplog.records if r.request_id == "proxy-given-id-42")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["duration_ms"] >= 0
    assert line["request_id"] == "proxy-given-id-42"
    assert line["logger"] == "g7site.requests"
