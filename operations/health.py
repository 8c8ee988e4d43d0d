"""Whether the site can answer: liveness and readiness for the load balancer, and what a visitor sees
when it cannot (the database is down, or an error escaped a view)."""

import logging
import sys
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from operations.languages import site_language
from operations.outage import breaker, without_database
from publication.api.errors import error_response, is_api_request

logger = logging.getLogger(__name__)

# The exceptions a database that is down or unreachable raises: refused or lost connections, a pool that
# cannot hand out a connection in time.
DATABASE_DOWN = (OperationalError, InterfaceError)

# Seconds a visitor's browser or a proxy is asked to wait before trying again.
RETRY_AFTER_SECONDS = 30

UNAVAILABLE_TEXT = (
    "ただいまご利用いただけません。しばらくしてから、もう一度お試しください。",
    "Temporarily unavailable. Please try again in a minute or two.",
)


# Not in a request transaction (ATOMIC_REQUESTS), which would take a database connection before the
# view runs: liveness must not need the database, and readiness must report it rather than fail on it.
# Both are answered while the process knows the database to be down.
@without_database
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """Liveness: the process answers. No database or cache, so that an outage of either does not get
    every process restarted; readiness takes them out of the load balancer instead."""
    return JsonResponse({"status": "ok"})


@without_database
@never_cache
@transaction.non_atomic_requests
def readyz(request):
    """Readiness: the database answers a query. The cache is reported too, but a process whose cache is
    away still answers every request (without the page cache or the API's throttle), and every host shares
    the one Redis: were it a reason to be unready, a load balancer would take every host out at once."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    ready = checks["database"] == "ok"
    return JsonResponse(checks, status=200 if ready else 503)


def _check_database() -> str:
    """A query, unless this process already knows the database to be down: then it says so at once."""
    if breaker.known_down():
        return "unavailable"
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Readiness: the database does not answer.", exc_info=True)
        breaker.database_failed(error)
        return "unavailable"
    return "ok"


def _check_cache() -> str:
    cache = caches["default"]
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "ok", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.warning("Readiness: the cache does not answer.", exc_info=True)
        return "unavailable"
    return "ok" if value == "ok" else "unavailable"


def database_unavailable(request):
    """503 with a short page in the visitor's language (the address's `/ja/` or `/en/`, else the language
    cookie or Accept-Language), or JSON for the API in the language of Accept-Language. The template needs
    no database, no context processors and no request."""
    if is_api_request(request):
        response = error_response(request, 503, _("The database is unavailable. Please try again shortly."))
    else:
        language = site_language(request)
        try:
            page = render_to_string("503.html", {"language": language})
        except Exception:
            logger.exception("The 503 page could not be rendered.")
            page = UNAVAILABLE_TEXT[language == "en"]
        response = HttpResponse(page, status=503)
        response["Content-Language"] = language
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: the 503 page if the error was the database going away, else the site's 500 page (JSON
    under /api/), and a plain text if even that cannot be rendered. Never a traceback."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        breaker.database_failed(error)
        return database_unavailable(request)
    try:
        if is_api_request(request):
            return error_response(request, 500, _("Server error: the request could not be answered."))
        return defaults.server_error(request)
    except Exception:
        logger.exception("The 500 page could not be rendered.")
        return HttpResponse(
            "サーバーエラー / Server error (500)", status=500, content_type="text/plain; charset=utf-8"
        )


# What Django answers itself, outside any view of the API (a Host that is not allowed, a CSRF failure, an
# address no pattern matches): Django's pages for the site, the API's JSON under /api/.


def bad_request(request, exception):
    if is_api_request(request):
        return error_response(request, 400, _("Bad request."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api_request(request):
        return error_response(request, 403, _("You do not have permission to do this."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api_request(request):
        return error_response(request, 404, _("There is no API resource at this address."))
    return defaults.page_not_found(request, exception)
