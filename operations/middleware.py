"""Middleware of the production stack: request logs, per-path security policy, replica reads, the shared
page cache and the answer while the database is down. Their order in MIDDLEWARE is explained there."""

import base64
import contextlib
import hashlib
import logging
import re
import time
import uuid

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import connections
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext_lazy as _

from operations import cache as page_cache
from operations import health, outage
from operations.db_router import reading_from_replica
from operations.languages import site_language
from operations.logging import request_id
from publication.api.errors import error_response, is_api_request, throttled_response
from publication.api.throttling import wait_before_answering

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("g7site.requests")

# An id a proxy in front may have given the request: kept if it is a plain token, replaced otherwise so
# that nothing a client sends can forge log lines.
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """One log line a request (method, path, status, duration, cache) under a request id, which is also
    given back in X-Request-ID and attached to every other line logged while the request is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        current = incoming if REQUEST_ID_PATTERN.match(incoming) else uuid.uuid4().hex
        request.request_id = current
        # Not reset on the way out: Django logs 4xx and 5xx responses after the last middleware has
        # returned, and those lines belong to this request too. The next request sets its own.
        request_id.set(current)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = current
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "cache": response.get("X-Cache", ""),
            },
        )
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, with the exceptions a few third-party pages need, for their paths only.

    CSP_PATH_EXCEPTIONS maps a path prefix to directives to add there. With "hash-inline" the inline
    <script> and <style> blocks of that page's HTML are allowed by their SHA-256 hashes: the API docs
    (drf-spectacular's Swagger UI page) are generated with fixed inline blocks and no nonce, and hashes
    allow exactly those blocks without opening script-src to 'unsafe-inline'.
    """

    INLINE_BLOCK = re.compile(rb"<(script|style)((?:\s[^>]*)?)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        exception = self._exception_for(request.path_info)
        if exception is None:
            return parts
        update = {key: list(value) for key, value in (parts.update or {}).items()}
        for directive, sources in exception.items():
            if directive == "hash-inline":
                continue
            update.setdefault(directive, []).extend(sources)
        if exception.get("hash-inline") and self._is_html(response):
            for directive, digest in self._inline_hashes(response.content):
                update.setdefault(directive, []).append(digest)
        parts.update = update
        return parts

    @staticmethod
    def _exception_for(path):
        matches = [
            prefix for prefix in getattr(settings, "CSP_PATH_EXCEPTIONS", {}) if path.startswith(prefix)
        ]
        if not matches:
            return None
        # The longest prefix is the most specific: /api/docs/x/ over /api/docs/.
        return settings.CSP_PATH_EXCEPTIONS[max(matches, key=len)]

    @staticmethod
    def _is_html(response):
        return not response.streaming and response.get("Content-Type", "").startswith("text/html")

    def _inline_hashes(self, content):
        for tag, attributes, body in self.INLINE_BLOCK.findall(content):
            tag = tag.lower().decode()
            if tag == "script" and (b"src=" in attributes.lower() or b"application/json" in attributes):
                continue
            digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
            yield f"{tag}-src", f"'sha256-{digest}'"


class ApiOverHttpsOnlyMiddleware:
    """Where the site redirects plain HTTP to HTTPS (SECURE_SSL_REDIRECT), the API refuses it instead: a
    client's script that sent a token over plain HTTP would otherwise be sent on to HTTPS without noticing
    that its request crossed the network in the clear (OWASP ASVS 5.0, V4.1.2). Visitors' pages are still
    redirected; SECURE_REDIRECT_EXEMPT leaves /api/ to this middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SECURE_SSL_REDIRECT and is_api_request(request) and not request.is_secure():
            return error_response(request, 403, _("The API answers over HTTPS only: use https://."))
        return self.get_response(request)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware (the address's language, else the cookie's, else Accept-Language's; a
    redirect from an address without a language to its page in that language), except that a visitor
    who asks for neither of the site's languages gets INTERNATIONAL_LANGUAGE (operations.languages), not
    LANGUAGE_CODE: `/` sends a French browser, or one that names no language, to `/en/`, and `/fr/` is
    the English 404 page. The admin, the editors', keeps LANGUAGE_CODE."""

    def process_request(self, request):
        super().process_request(request)
        if request.path_info.startswith(reverse("admin:index")):
            # The editors' admin keeps Django's choice, which falls back on the source language.
            return
        language = site_language(request)
        if language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()


class ReplicaReadsMiddleware:
    """Reads of visitors' GET and HEAD requests go to the read replica, when there is one.

    Editors (a session cookie or an API token) read from the primary, so that what they have just saved
    is what they see, whatever the replica's lag.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and is_visitor(request):
            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)


def is_visitor(request) -> bool:
    """A request that carries no sign of a signed-in user, and no per-visitor state a page could show."""
    return not (
        "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES
    )


class PageCacheMiddleware:
    """Serves and stores visitors' GET responses of the public site and the API in the shared cache.

    Scoped by path prefix (PAGE_CACHE_PREFIXES, each with the request headers it answers differently
    to), so that no view has to opt in. A response is stored only if it is the same for every visitor:
    a 200, with no cookie set, no CSRF token or CSP nonce used, and nothing saying it is private.

    It sits above every middleware but the request log, and stores a page with the headers they gave
    it (security headers, Content-Security-Policy, Content-Language, Vary, ETag), so that a hit is
    answered as the miss was without running them again. A hit of the API still counts against the
    client's limit, as its view would have counted it, and is a 429 past it.
    """

    # What a 304 keeps of the page it stands for (RFC 9110, 15.4.5, and Last-Modified), as Django's own
    # 304 keeps them (get_conditional_response).
    VALIDATORS_OF_A_304 = (
        "Cache-Control",
        "Content-Location",
        "Date",
        "ETag",
        "Expires",
        "Last-Modified",
        "Vary",
    )
    # What the middleware below adds to a 304 or a 412 as to any answer, and one made from a stored page
    # would lack.
    HEADERS_OF_EVERY_ANSWER = (
        "Strict-Transport-Security",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Content-Security-Policy",
        "Content-Security-Policy-Report-Only",
        "Content-Language",
    )

    # The request headers that get_conditional_response() answers to (Django's conditional view
    # processing): If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since.
    CONDITIONAL_HEADERS = (
        "HTTP_IF_MATCH",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_UNMODIFIED_SINCE",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        vary_on = self._vary_on(request)
        if vary_on is None:
            return self.get_response(request)
        language = page_cache.page_language(request)
        # A page stored for the whole query is found without resolving the path to its view (whole_query).
        query = whole = page_cache.whole_query(request)
        stored = None
        if whole is not None:
            address = page_cache.page_address(request, vary_on, language=language, query=whole)
            if (found := self._lookup(address)) is None:
                return self.get_response(request)
            key, generation, stored = found
        if stored is None and whole is not page_cache.NO_QUERY:
            # The parameters its view reads, which are the page's when the query names others too.
            query = page_cache.page_query(request, language)
            if query is None:
                return self.get_response(request)
            if whole is None or query.parameters != whole.parameters:
                address = page_cache.page_address(request, vary_on, language=language, query=query)
                if (found := self._lookup(address)) is None:
                    return self.get_response(request)
                key, generation, stored = found
        if stored is not None:
            # The view would have counted the request against the client's limit before answering it.
            if is_api_request(request):
                wait = wait_before_answering(request)
                if wait is not None:
                    return throttled_response(request, wait)
            return self._answer_from_cache(request, stored)
        response = self.get_response(request)
        if query.storable and self._storable(request, response):
            try:
                timeout = page_cache.page_timeout(generation)
                if timeout > 0:
                    page_cache.store_page(key, response, timeout)
                    response["X-Cache"] = "miss"
            except Exception:
                logger.warning("The page could not be stored in the cache.", exc_info=True)
        return response

    @staticmethod
    def _lookup(address):
        """page_cache.lookup_page(address), or None while the cache cannot be reached."""
        try:
            return page_cache.lookup_page(address)
        except Exception:
            logger.warning("The page cache is unreachable; answering without it.", exc_info=True)
            return None

    def _answer_from_cache(self, request, stored):
        if not any(header in request.META for header in self.CONDITIONAL_HEADERS):
            # Nothing to compare: the page's validators are read only for a client that sent one back.
            cached = page_cache.unpack_page(stored)
            cached["X-Cache"] = "hit"
            return cached
        # A client that holds this version gets a 304, as the view itself would have answered: compared
        # with the stored page's validators before the page itself is made into a response.
        headers = page_cache.stored_headers(stored)
        last_modified = headers.get("Last-Modified")
        response = get_conditional_response(
            request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        )
        if response is None:
            response = page_cache.unpack_page(stored)
        else:
            kept = self.HEADERS_OF_EVERY_ANSWER
            if response.status_code == 304:
                kept = self.VALIDATORS_OF_A_304 + kept
            for header in kept:
                if header in headers:
                    response[header] = headers[header]
        response["X-Cache"] = "hit"
        return response

    @staticmethod
    def _vary_on(request):
        """The headers to key this request on, or None if it is not one to cache."""
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if not is_visitor(request):
            return None
        for prefix, headers in settings.PAGE_CACHE_PREFIXES.items():
            if request.path_info.startswith(prefix):
                return tuple(headers)
        return None

    @staticmethod
    def _storable(request, response):
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        # django-csp's nonce is true once a template has asked for it.
        if getattr(request, "csp_nonce", None):
            return False
        # The visitor came without a session, so reading it found nothing; writing to it makes the page
        # the visitor's own.
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        directives = {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}
        return not directives & {"private", "no-store", "no-cache"}


class DatabaseUnavailableMiddleware:
    """While the database is down, a view's error becomes the friendly 503 page, not a 500; and once this
    process knows it is down (operations/outage.py), a view that needs it is not run at all until the
    process finds it back: the visitor gets the 503 page at once instead of waiting for the pool to give
    up. Queries on PostgreSQL run under the watchdog that drops a connection its server does not answer."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.watched = [
            alias
            for alias in settings.DATABASES
            if settings.DATABASES[alias]["ENGINE"].endswith("postgresql")
        ]

    def __call__(self, request):
        with contextlib.ExitStack() as stack:
            if self.watched:
                stack.enter_context(outage.watchdog.answering())
            for alias in self.watched:
                stack.enter_context(connections[alias].execute_wrapper(outage.watchdog.execute_wrapper))
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if outage.breaker.known_down() and outage.needs_database(view_func):
            return health.database_unavailable(request)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, health.DATABASE_DOWN):
            logger.error("The database is unavailable: %s", exception, exc_info=exception)
            outage.breaker.database_failed(exception)
            return health.database_unavailable(request)
        return None
