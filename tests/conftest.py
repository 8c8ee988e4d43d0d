import http.server
import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.template.backends.jinja2 import Template as JinjaTemplate
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(scope="session", autouse=True)
def jinja_templates_report_what_they_render():
    """Django's test client learns a response's templates and context (`response.context`) from the
    template_rendered signal, which only Django's own engine sends in tests
    (django.test.utils.instrumented_test_render); the public pages' Jinja2 templates send it too."""
    render = JinjaTemplate.render

    def instrumented_render(self, context=None, request=None):
        template_rendered.send(sender=self, template=self.template, context=dict(context or {}))
        return render(self, context, request)

    JinjaTemplate.render = instrumented_render
    yield
    JinjaTemplate.render = render


@pytest.fixture(autouse=True)
def database_not_known_down(monkeypatch):
    """A process that found the database down answers 503 until a thread of its own finds it back
    (operations/outage.py): no test inherits that from another, and here the tests try it themselves
    (`breaker.try_database()`) rather than a thread."""
    from operations.outage import breaker

    breaker.reset()
    monkeypatch.setattr(breaker, "start_retrying", lambda: None)
    yield
    breaker.reset()


@pytest.fixture(autouse=True)
def no_unsent_throttle_counts():
    """A process sends its API throttle counts in batches (publication/api/throttling.py): no test inherits
    another's unsent count, whose shared counter the test's cache may no longer hold."""
    from publication.api.throttling import window_counts

    window_counts.forget()
    yield
    window_counts.forget()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test starts from the presidency's records, loaded once per run as `make run` loads them."""
    with django_db_blocker.unblock():
        call_command("load_records", verbosity=0)


@pytest.fixture
def editor(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def publisher(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "publisher", password="a-long-publisher-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Publishers"))
    return user


@pytest.fixture
def api():
    return APIClient()


def token_client(user) -> APIClient:
    """An API client that authenticates as `user` with a token of its own."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def editor_api(editor):
    return token_client(editor)


@pytest.fixture
def publisher_api(publisher):
    return token_client(publisher)


@pytest.fixture
def reader_api(django_user_model):
    """A signed-in user with no permissions: reads like an anonymous client, writes nothing."""
    return token_client(django_user_model.objects.create_user("reader", password="a-long-reader-password"))


@pytest.fixture
def count_queries(client):
    """The number of queries a GET of `url` makes (the response must be a 200)."""

    def count(url, **headers):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, **headers)
        assert response.status_code == 200, url
        return len(context.captured_queries)

    return count


@pytest.fixture
def local_site(settings):
    """A web server on this machine answering 200 on /ok and 404 elsewhere, for the link check, which may ask
    it: the link check asks no loopback or private address otherwise (LINK_CHECK_ALLOW_PRIVATE)."""

    settings.LINK_CHECK_ALLOW_PRIVATE = True

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):
            self.send_response(200 if self.path == "/ok" else 404)
            self.end_headers()

        do_GET = do_HEAD

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def cache_turned_on(settings, setting: str):
    """`setting` (a cache's seconds, which the suite's settings set to 0) at 600 seconds, in a cache emptied
    before and after."""
    setattr(settings, setting, 600)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def page_cache_on(settings):
    """The page cache on (operations/cache.py)."""
    yield from cache_turned_on(settings, "PAGE_CACHE_SECONDS")


@pytest.fixture
def record_cache_on(settings):
    """The record cache on (operations/records.py)."""
    yield from cache_turned_on(settings, "RECORD_CACHE_SECONDS")
