"""The shared page cache: anonymous GET responses of the public site and the API, invalidated by every
change of content.

Every cache key carries the current *content generation*, a token kept in the shared cache. Any save,
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
import pickle
import threading
import time
import uuid
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# The apps whose records the public pages and the API show.
CONTENT_APPS = frozenset({"core", "meetings", "declarations"})

GENERATION_KEY = "content-generation"
NEXT_PUBLICATION_KEY = "next-publication"
NO_PUBLICATION_DUE = 0
# In every page's key, so that pages stored by an older release, in another form, are never read.
PAGE_FORMAT = 4


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


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


# The generation this process last read, where the cache cannot watch it (see lookup_page).
_last_generation: dict[str, str] = {}


def lookup_page(request, vary_on: tuple[str, ...]):
    """(the page's key, the current generation, the cached page or None).

    On Redis, this process keeps the generation, watched (operations.redis_cache.KeyWatch), and the pages it
    served last: while the generation is unchanged, a page kept here is answered without a round trip,
    and one another process stored with one GET. Elsewhere, and while the watch cannot be trusted, the
    current generation and the page under the generation this process saw last are read in one MGET; the
    page is used only if the two agree. Either way a change made through any process hides every older
    page at once.
    """
    cache = page_cache()
    address = page_address(request, vary_on)
    watch = _generation_watch(cache)
    if watch is not None:
        generation = watch.known()
        if generation is not None:
            key = page_key(generation, address)
            stored = local_pages.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    local_pages.put(key, stored)
            return key, generation, stored
    guess = _last_generation.get("value")
    if guess is not None:
        guessed_key = page_key(guess, address)
        found = cache.get_many([GENERATION_KEY, guessed_key])
        generation = found.get(GENERATION_KEY)
        if generation is not None and generation == guess:
            if watch is not None:
                watch.keep(generation)
            return guessed_key, generation, found.get(guessed_key)
    generation = current_generation()
    _last_generation["value"] = generation
    if watch is not None:
        watch.keep(generation)
        local_pages.keep_only(generation)
    key = page_key(generation, address)
    return key, generation, cache.get(key)


def store_page(key: str, response, timeout: int) -> None:
    """Stores a page for `timeout` seconds in the shared cache, and in this process's memory."""
    cache = page_cache()
    stored = pack_page(response, expires_at=time.time() + timeout)
    cache.set(key, stored, timeout)
    if _generation_watch(cache) is not None:
        local_pages.put(key, stored)


def _generation_watch(cache):
    watch = getattr(cache, "watch", None)
    return watch(GENERATION_KEY) if watch is not None and settings.PAGE_CACHE_LOCAL_BYTES > 0 else None


class LocalPages:
    """The pages this process stored or served last, under their keys in the shared cache, up to a number
    of bytes: the least recently used go first. Kept pickled, so that no response served shares a header
    mapping with another, and dropped when their time in the shared cache is up."""

    def __init__(self):
        self._pages: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._generation = None

    def get(self, key: str):
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            expires_at, pickled = found
            if expires_at <= time.time():
                self._remove(key)
                return None
            self._pages.move_to_end(key)
        return pickle.loads(pickled)

    def put(self, key: str, stored) -> None:
        expires_at = stored[-1]
        pickled = pickle.dumps(stored, pickle.HIGHEST_PROTOCOL)
        limit = settings.PAGE_CACHE_LOCAL_BYTES
        if len(pickled) > limit // 8:
            return
        with self._lock:
            if key in self._pages:
                self._remove(key)
            self._pages[key] = (expires_at, pickled)
            self._bytes += len(pickled)
            while self._bytes > limit:
                self._remove(next(iter(self._pages)))

    def keep_only(self, generation: str) -> None:
        """Lets go of the pages of older generations, which no key will name again."""
        if generation != self._generation:
            self.clear()
            self._generation = generation

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _remove(self, key: str) -> None:
        _expires_at, pickled = self._pages.pop(key)
        self._bytes -= len(pickled)


local_pages = LocalPages()


def content_changed() -> None:
    """Start a new content generation, now and again when the current transaction commits.

    Now, so that the change is seen at once on this connection (and in tests, which never commit);
    on commit, since a page rendered between the change and the commit from another connection shows
    the old data and may have been stored under the first new token.

    Call it after any write that sends no signals (QuerySet.update, bulk_create, raw SQL).
    """
    _replace_generation()
    transaction.on_commit(_replace_generation)


def _replace_generation() -> None:
    try:
        cache = page_cache()
        cache.set(GENERATION_KEY, _new_token(), timeout=None)
        watch = _generation_watch(cache)
        if watch is not None:
            watch.forget()
    except Exception:
        # The editor's change stands; stored pages then expire within PAGE_CACHE_SECONDS at the latest.
        logger.exception("The content generation could not be replaced: the cache is unreachable.")


def _on_content_signal(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        content_changed()


def _on_m2m_changed(sender, action, **kwargs):
    # The through model of a many-to-many field belongs to the app of the model that declares it.
    if action.startswith("post_") and sender._meta.app_label in CONTENT_APPS:
        content_changed()


def connect_signals() -> None:
    post_save.connect(_on_content_signal, dispatch_uid="page-cache-save")
    post_delete.connect(_on_content_signal, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="page-cache-m2m")


def seconds_until_next_publication(generation: str) -> int | None:
    """Seconds until a published record's publish time comes, or None if none is scheduled.

    Computed once per generation and kept in the cache: until content changes, only the passing of
    time can make it stale, and a time in the past is computed again.
    """
    cache = page_cache()
    key = f"{NEXT_PUBLICATION_KEY}:{generation}"
    due = cache.get(key)
    now = time.time()
    if due is None or (due != NO_PUBLICATION_DUE and due <= now):
        due = _next_publication_timestamp() or NO_PUBLICATION_DUE
        cache.set(key, due, timeout=settings.PAGE_CACHE_SECONDS)
    if due == NO_PUBLICATION_DUE:
        return None
    return max(1, math.ceil(due - now))


def _next_publication_timestamp() -> float | None:
    from publication.models import Publishable

    now = timezone.now()
    upcoming = []
    for model in apps.get_models():
        if issubclass(model, Publishable) and model._meta.app_label in CONTENT_APPS:
            first = (
                model._default_manager.filter(status=Publishable.Status.PUBLISHED, published_at__gt=now)
                .order_by("published_at")
                .values_list("published_at", flat=True)
                .first()
            )
            if first is not None:
                upcoming.append(first.timestamp())
    return min(upcoming, default=None)


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
    """What is stored of a page: its status, headers and body, and when it expires (for the copies kept
    in each process). Not the response object, whose pickle would carry what made it (DRF's keeps the
    serialized data) and cost more to load than a render; the headers as Django's own mapping, which
    unpickles without checking each header again."""
    return response.status_code, response.headers, response.content, expires_at


def unpack_page(stored) -> HttpResponse:
    status, headers, content, _expires_at = stored
    response = HttpResponse(content, status=status)
    response.headers = headers
    return response


def page_address(request, vary_on: tuple[str, ...]) -> str:
    """What tells a page from another within a generation: the full address with its host and query, the
    language, and the request headers this part of the site answers differently to."""
    parts = [
        request.build_absolute_uri(),
        translation.get_language() or "",
        *(request.headers.get(header, "") for header in vary_on),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def page_key(generation: str, address: str) -> str:
    return f"page:{PAGE_FORMAT}:{generation}:{address}"


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Several processes need one cache: a page cached in one process's memory outlives a change made
    through another."""
    backend = settings.CACHES[settings.PAGE_CACHE_ALIAS]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                "The cache is this process's memory, so pages are not cached and throttling counts per "
                "process.",
                hint="Set REDIS_URL to a Redis server that every application process shares.",
                id="g7site.W001",
            )
        ]
    return []
