"""The shared page cache: anonymous GET responses of the public site and the API, kept in Django's cache
(PAGE_CACHE_ALIAS: Redis shared by every process in production) and invalidated by every change of
content. Each process also keeps the pages it served last in a cache of its own memory
(PAGE_CACHE_LOCAL_ALIAS), answered from without a round trip while Redis says that the generation is
unchanged (operations/generation.py).

Every page's key carries the current *content generation*, a token kept in the same cache. Any save,
delete or many-to-many change of a record of a content app replaces the token, so every process, in
both languages, stops finding the pages rendered before the change at once: nothing has to know which
pages show which record. The token is random rather than a counter so that a cache that lost it
(eviction, a Redis restart) can never come back to an old generation whose pages are still stored.

A page is also never kept past the next scheduled publication time, since a record whose publish
time comes makes no signal.
"""

import hashlib
import logging
import math
import re
import time
import uuid
from collections.abc import Collection
from datetime import datetime
from functools import cache as once
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from operations.generation import GenerationWatch
from publication import selectors

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
NEXT_PUBLICATION_KEY = "next-publication"
ARCHIVE_TIMES_KEY = "archive-times"
# How long the archive's times are kept for a generation that lasts: a bound on what a lost one leaves.
ARCHIVE_TIMES_SECONDS = 24 * 60 * 60
NO_PUBLICATION_DUE = 0
# In every page's key, so that pages stored by an older release, in another form, are never read.
PAGE_FORMAT = 6
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


@once
def content_app_labels() -> frozenset[str]:
    """The apps whose records the public pages and the API show (publication.models.content_apps)."""
    from publication.models import content_apps

    return frozenset(config.label for config in content_apps())


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


class ProcessTier(NamedTuple):
    """This process's own tier of the page cache: the alias of a cache in its memory, and the watch that
    says while the generation is unchanged."""

    alias: str
    watch: GenerationWatch


# Worked out on the first lookup, and again when the settings change (tests); a forked worker keeps the
# watch it inherits, which notices the fork and makes a connection of its own.
_process_tier: dict[str, ProcessTier | None] = {}
_watches: dict[tuple[str, str], GenerationWatch] = {}


def process_tier() -> ProcessTier | None:
    try:
        return _process_tier["tier"]
    except KeyError:
        tier = _process_tier["tier"] = _make_process_tier()
        return tier


def _make_process_tier() -> ProcessTier | None:
    """A tier where PAGE_CACHE_LOCAL_ALIAS names a cache and the shared cache is one Redis server. Behind
    several, a read may come from a replica that has not yet applied the change the watch has heard of,
    so the generation is read on every request there."""
    alias = settings.PAGE_CACHE_LOCAL_ALIAS
    config = settings.CACHES[settings.PAGE_CACHE_ALIAS]
    if not alias or alias not in settings.CACHES or config["BACKEND"] != REDIS_BACKEND:
        return None
    location = config["LOCATION"]
    servers = re.split("[;,]", location) if isinstance(location, str) else list(location)
    if len(servers) != 1:
        return None
    key = page_cache().make_key(GENERATION_KEY)
    watch = _watches.get((servers[0], key))
    if watch is None:
        options = config.get("OPTIONS", {})
        watch = _watches[servers[0], key] = GenerationWatch(
            servers[0],
            key,
            connect_timeout=options.get("socket_connect_timeout", 1),
            timeout=options.get("socket_timeout", 1),
        )
    return ProcessTier(alias, watch)


@receiver(setting_changed)
def _forget_process_tier(setting, **kwargs):
    if setting in {"CACHES", "PAGE_CACHE_ALIAS", "PAGE_CACHE_LOCAL_ALIAS"}:
        _process_tier.clear()


def _new_token() -> str:
    return uuid.uuid4().hex


def current_generation() -> str:
    cache = page_cache()
    token = cache.get(GENERATION_KEY)
    if token is None:
        # Two processes may get here at once: `add` lets the first one win and both use its token.
        cache.add(GENERATION_KEY, _new_token(), timeout=None)
        token = cache.get(GENERATION_KEY)
    return token


# The generation this process read last. Only a guess, checked on every lookup: another process may
# have replaced it since.
_last_generation: dict[str, str] = {}
# The generation of the pages in this process's tier, which it lets go of when the generation changes.
_local_generation: dict[str, str] = {}


def lookup_page(address: str):
    """(the page's key, the current generation, the stored page or None).

    While the watch knows the generation, the page is looked up in this process's tier, then in the
    shared cache (kept here too once found there): a hit makes no round trip. Otherwise the current
    generation and the page stored under the generation this process read last come in one get_many()
    (one MGET on Redis); the page is used only if the two agree, so that a change made through any
    process hides every older page at once. When they differ, the page is read again under the
    generation just read.
    """
    cache = page_cache()
    tier = process_tier()
    ticket = None
    if tier is not None:
        local = caches[tier.alias]
        generation, ticket = tier.watch.known()
        if generation is not None:
            key = page_key(generation, address)
            stored = local.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _keep_locally(local, key, stored)
            return key, generation, stored
    guess = _last_generation.get("value")
    generation = stored = None
    if guess is not None:
        guessed_key = page_key(guess, address)
        found = cache.get_many([GENERATION_KEY, guessed_key])
        generation = found.get(GENERATION_KEY)
        if generation == guess:
            stored = found.get(guessed_key)
    if generation is None or generation != guess:
        generation = current_generation()
        _last_generation["value"] = generation
        stored = cache.get(page_key(generation, address))
    key = page_key(generation, address)
    if tier is not None and tier.watch.keep(generation, ticket):
        if _local_generation.get("value") != generation:
            local.clear()
            _local_generation["value"] = generation
        if stored is not None:
            _keep_locally(local, key, stored)
    return key, generation, stored


def store_page(key: str, response, timeout: int) -> None:
    stored = pack_page(response, expires_at=time.time() + timeout)
    page_cache().set(key, stored, timeout)
    tier = process_tier()
    if tier is not None:
        caches[tier.alias].set(key, stored, timeout)


def _keep_locally(local, key: str, stored) -> None:
    """Keeps a page read from the shared cache for the rest of its time there: no longer, since that is
    bounded by the next scheduled publication."""
    remaining = stored[-1] - time.time()
    if remaining > 0:
        local.set(key, stored, remaining)


def content_changed() -> None:
    """Start a new content generation, now and again when the current transaction commits.

    Now, so that the change is seen at once on this connection (and in tests, which never commit);
    on commit, since a page rendered between the change and the commit from another connection shows
    the old data and may have been stored under the first new token.

    Call it after any write that sends no signals (QuerySet.update, bulk_create, raw SQL), with
    operations.records.records_changed(None) for what the record cache keeps.
    """
    _replace_generation()
    transaction.on_commit(_replace_generation)


def _replace_generation() -> None:
    token = _new_token()
    try:
        page_cache().set(GENERATION_KEY, token, timeout=None)
    except Exception:
        # The editor's change stands; stored pages then expire within PAGE_CACHE_SECONDS at the latest.
        logger.exception("The content generation could not be replaced: the cache is unreachable.")
        return
    _last_generation["value"] = token
    tier = process_tier()
    if tier is not None:
        tier.watch.forget()


def _on_content_signal(sender, **kwargs):
    if sender._meta.app_label in content_app_labels():
        content_changed()


def _on_m2m_changed(sender, action, **kwargs):
    # The through model of a many-to-many field belongs to the app of the model that declares it.
    if action.startswith("post_") and sender._meta.app_label in content_app_labels():
        content_changed()


def connect_signals() -> None:
    post_save.connect(_on_content_signal, dispatch_uid="page-cache-save")
    post_delete.connect(_on_content_signal, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="page-cache-m2m")


def seconds_until_next_publication(generation: str) -> int | None:
    """Seconds until a published record's publish time comes, or None if none is scheduled.

    Computed once per generation and kept in the cache, for the page cache and the record cache
    (operations/records.py) alike: until content changes, only the passing of time can make it stale, and
    a time in the past is computed again.
    """
    cache = page_cache()
    key = f"{NEXT_PUBLICATION_KEY}:{generation}"
    due = cache.get(key)
    now = time.time()
    if due is None or (due != NO_PUBLICATION_DUE and due <= now):
        due = _next_publication_timestamp() or NO_PUBLICATION_DUE
        cache.set(key, due, timeout=max(settings.PAGE_CACHE_SECONDS, settings.RECORD_CACHE_SECONDS))
    if due == NO_PUBLICATION_DUE:
        return None
    return max(1, math.ceil(due - now))


def cache_is_shared() -> bool:
    """Whether the page cache's backend is one every process shares: in a process's own memory, a change
    made through another process would not reach what it keeps."""
    backend = settings.CACHES[settings.PAGE_CACHE_ALIAS]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def archive_last_modified() -> datetime | None:
    """When a record of any kind last changed or was last published (publication.selectors.archive_times),
    read once a content generation and kept in the shared cache under it: every API response's
    Last-Modified, and one query of some twenty subqueries whose building cost more than the API record's
    own queries. Until content changes, only a publish time coming can move it, and it is read again once
    that time has come. Read every time where the cache is not shared, or cannot be reached."""
    if not cache_is_shared():
        return selectors.archive_last_modified()
    cache = page_cache()
    try:
        key = f"{ARCHIVE_TIMES_KEY}:{known_generation()}"
        kept = cache.get(key)
    except Exception:
        logger.warning("The page cache is unreachable; reading the archive's last change.", exc_info=True)
        return selectors.archive_last_modified()
    if kept is not None and (kept.next_change is None or timezone.now() < kept.next_change):
        return kept.last_modified
    times = selectors.archive_times()
    try:
        cache.set(key, times, timeout=ARCHIVE_TIMES_SECONDS)
    except Exception:
        logger.warning("The archive's last change could not be kept in the cache.", exc_info=True)
    return times.last_modified


def known_generation() -> str:
    """The current content generation: as this process's watch knows it (no round trip), else read."""
    tier = process_tier()
    if tier is not None:
        generation, _ticket = tier.watch.known()
        if generation is not None:
            return generation
    return current_generation()


def _next_publication_timestamp() -> float | None:
    # The first page of a content generation reads it, and counts it against its budget of queries.
    due = selectors.next_publication()
    return None if due is None else due.timestamp()


def page_timeout(generation: str) -> int:
    """How long a page may stay: PAGE_CACHE_SECONDS, or less if a publication is due before then."""
    try:
        due = seconds_until_next_publication(generation)
    except DatabaseError:
        return 0
    if due is None:
        return settings.PAGE_CACHE_SECONDS
    return min(settings.PAGE_CACHE_SECONDS, due)


def pack_page(response, *, expires_at: float) -> tuple:
    """What is stored of a page: its status, headers and body, and when it expires in the shared cache.
    Not the response object, whose pickle would carry what made it (DRF's keeps the serialized data)
    and cost more to load than a render; the headers as Django's own mapping, which unpickles without
    checking each header again."""
    return response.status_code, response.headers, response.content, expires_at


def stored_headers(stored):
    """The headers of a stored page (pack_page), read without making the page into a response."""
    return stored[1]


def unpack_page(stored) -> HttpResponse:
    status, headers, content, _expires_at = stored
    response = HttpResponse(content, status=status)
    response.headers = headers
    return response


def page_language(request) -> str:
    """The language as LocaleMiddleware, below the cache, chooses it: from the address, else the cookie or
    Accept-Language."""
    return translation.get_language_from_request(request, check_path=True)


class PageQuery(NamedTuple):
    """The parameters of a request's query that its view reads, each with its values, by name; and whether
    they are the whole query, each given once, so that the page rendered for it may be stored."""

    parameters: list[tuple[str, list[str]]]
    storable: bool


NO_QUERY = PageQuery([], True)


def view_query_parameters(view) -> Collection[str] | None:
    """The query parameters a view reads, as it declares them: `query_parameters` on the view function, or
    on its class (Django's class-based views); None where it declares none."""
    declared = getattr(view, "query_parameters", None)
    if declared is None:
        declared = getattr(getattr(view, "view_class", None), "query_parameters", None)
    return declared


def page_query(request, language: str) -> PageQuery | None:
    """What of the request's query tells its page from others: only the parameters its view reads (a
    made-up `?utm_source=…` or `?_=123` is the page without it), in one order (`?b=2&a=1` is the page of
    `?a=1&b=2`). A page is stored only for a query of those alone, each once, so that no parameter a
    client makes up, or repeats, adds an entry. None: the page is not to be cached (a query to a view
    that declares none of its parameters, or to no view)."""
    if not request.META.get("QUERY_STRING"):
        return NO_QUERY
    try:
        # The address's language prefix resolves only with its language active, as LocaleMiddleware does.
        with translation.override(language):
            match = resolve(request.path_info)
    except Resolver404:
        return None
    declared = view_query_parameters(match.func)
    if declared is None:
        return None
    query = request.GET
    parameters = [(name, query.getlist(name)) for name in sorted(query) if name in declared]
    storable = len(parameters) == len(query) and all(len(values) == 1 for _name, values in parameters)
    return PageQuery(parameters, storable)


def whole_query(request) -> PageQuery | None:
    """The request's whole query, by name, if each parameter is given once; else None. A page is stored
    under the query its view reads (page_query), which for almost every request is the whole query: the
    middleware looks for a page stored under it before it resolves the path to learn which parameters its
    view reads. Nothing is stored under a whole query that names a parameter its view does not read, so
    finding a page there is finding the page page_query would."""
    if not request.META.get("QUERY_STRING"):
        return NO_QUERY
    query = request.GET
    parameters = [(name, query.getlist(name)) for name in sorted(query)]
    if all(len(values) == 1 for _name, values in parameters):
        return PageQuery(parameters, True)
    return None


def page_address(request, vary_on: tuple[str, ...], *, language: str, query: PageQuery) -> str:
    """What tells a page from another within a generation: the scheme, host and path, the parameters of
    the query its view reads (page_query), the language, and the request headers this part of the site
    answers differently to."""
    # get_host() refuses a host that is not allowed, as CommonMiddleware would.
    parts = [
        f"{request.scheme}://{request.get_host()}{request.path}",
        urlencode(query.parameters, doseq=True),
        language,
        # Read as the WSGI environment names them, rather than through request.headers, which copies
        # every header of the request first.
        *(request.META.get("HTTP_" + header.upper().replace("-", "_"), "") for header in vary_on),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def page_key(generation: str, address: str) -> str:
    return f"page:{PAGE_FORMAT}:{generation}:{address}"


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Several processes need one cache: a page cached in one process's memory outlives a change made
    through another."""
    if not cache_is_shared():
        return [
            checks.Warning(
                "The cache is this process's memory, so pages are not cached and throttling counts per "
                "process.",
                hint="Set REDIS_URL to a Redis server that every application process shares.",
                id="g7site.W001",
            )
        ]
    return []
