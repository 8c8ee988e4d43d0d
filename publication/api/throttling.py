"""The anonymous API clients' rate: a counter a client and window, not a list of every request's time.

DRF's throttle keeps the time of each request of the last window in one cache entry, which it reads and
writes whole on every request: at the default 60 a minute a few hundred bytes, at a rate of thousands
tens of kilobytes each way, and two round trips to the cache. Here each window of the rate's duration
(a minute for `60/min`, starting on the minute) has a counter in the shared cache that expires with it; a
request is refused once the window's count is past the rate, with `Retry-After` the seconds to the next
window.

A process adds its requests to the shared counter in batches (`WindowCounts`): it counts a client's
requests itself and sends them with one `incr` when a batch is full, the batch being a tenth of what is
left of the limit, at most `MOST_IN_A_BATCH` and at least one. Far from the limit a request costs no round
trip (a cached API answer is then as cheap as a cached page); near it, every request is sent and the count
is exact. What the other processes have not yet sent is all a client can get past its limit: at most a
tenth of the limit a process. While the cache cannot be reached, requests are let through (and the
failure logged), as pages are answered without the page cache: an outage of Redis is no reason to refuse
the API's readers.
"""

import logging
import os
import threading

from django.contrib.auth.models import AnonymousUser
from django.http.request import HttpHeaders
from rest_framework import throttling
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The client's address as DRF's throttles identify it: the connection's, or behind NUM_PROXIES proxies
    the address in X-Forwarded-For that many from the right, the one the nearest proxy saw. django-axes
    takes it too (AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    return throttling.BaseThrottle().get_ident(request)


class VisitorRequest:
    """What the API's throttles read of a visitor's request: its user, anonymous since a visitor sends no
    credentials (operations.middleware.is_visitor), and what DRF identifies a client by (its throttling
    guide, "How clients are identified"): the X-Forwarded-For header and the REMOTE_ADDR WSGI variable.

    A cache hit is counted with it rather than with a DRF Request over the whole request: making that
    request, and the copy of every header that DRF's get_ident() reads the forwarded address through, made
    counting a hit cost 37 µs in process, where with this it costs 17 µs (a page's hit costs about 95).
    The view's own requests are counted by DRF, from its Request, by the same throttle classes."""

    IDENTITY = ("REMOTE_ADDR", "HTTP_X_FORWARDED_FOR")

    def __init__(self, request):
        self.user = AnonymousUser()
        self.META = {name: request.META[name] for name in self.IDENTITY if name in request.META}
        self.headers = HttpHeaders(self.META)


def wait_before_answering(request) -> float | None:
    """For a visitor's API request answered without its view (a page-cache hit): counts it as the view's
    throttles would have, and gives the seconds the client must wait if it is over its limit, else None."""
    # The API's views keep the default throttles, which read of a request only its user and the client.
    visitor = VisitorRequest(request)
    throttles = [throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES]
    refused = [throttle for throttle in throttles if not throttle.allow_request(visitor, None)]
    waits = [wait for wait in (throttle.wait() for throttle in refused) if wait is not None]
    if refused:
        return max(waits, default=0)
    return None


class AnonRateThrottle(throttling.AnonRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        try:
            count = window_counts.count(self.cache, key, window, self.num_requests, self.duration)
        except Exception:
            logger.warning("The API throttle's cache is unreachable; answering without it.", exc_info=True)
            return True
        return count <= self.num_requests

    def wait(self):
        """Seconds until the next window begins."""
        return self.duration - self.now % self.duration


# A batch is at most this many requests, so that a process sends its count at least this often.
MOST_IN_A_BATCH = 100


class WindowCounts:
    """This process's part of each client's count in the current window: the shared count as it last
    learnt it, and the requests it has counted since and not yet sent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.window = None
        self.clients = {}  # the client's key: [the shared count last learnt, the requests not yet sent]

    def count(self, cache, key: str, window: int, limit: int, duration: int) -> int:
        """Counts one request of `key` in `window` and returns the window's count as far as this process
        knows it: exact whenever the batch is sent, which it is on every request near the limit."""
        with self.lock:
            if window != self.window:
                # A new window: what was not sent of the last one no longer counts.
                self.window = window
                self.clients = {}
            counts = self.clients.setdefault(key, [0, 0])
            counts[1] += 1
            known, unsent = counts
            if unsent < batch_size(limit, known):
                return known + unsent
            counts[1] = 0
        try:
            # The counter outlives its window by a second, so no count is lost to the cache's clock.
            shared = counted(cache, f"{key}:{window}", duration + 1, unsent)
        except Exception:
            with self.lock:
                if window == self.window and key in self.clients:
                    self.clients[key][1] += unsent
            raise
        with self.lock:
            if window == self.window and key in self.clients:
                # The shared count is the truth, even when lower than the last learnt (Redis restarted).
                counts = self.clients[key]
                counts[0] = shared
                return shared + counts[1]
        return shared

    def forget(self):
        """Drops every count not yet sent (a new process, or a test that cleared the cache)."""
        with self.lock:
            self.window = None
            self.clients = {}


def batch_size(limit: int, known: int) -> int:
    """How many requests a process counts before it sends them: a tenth of what is left of the limit."""
    return max(1, min(MOST_IN_A_BATCH, (limit - known) // 10))


window_counts = WindowCounts()
# A worker forked from gunicorn's master starts with no counts of its own to send.
os.register_at_fork(after_in_child=window_counts.forget)


def counted(cache, key: str, timeout: int, amount: int = 1) -> int:
    """Adds `amount` to the counter `key` (made with `timeout` if new) and returns the count. The counter
    exists on every request of a window but its first, so it is added to first, and made only when the
    cache says it is missing: a batch costs the cache's `incr` alone (on Redis, two round trips where an
    `add` before it made three)."""
    try:
        return cache.incr(key, amount)
    except ValueError:
        # The window's first batch, or its counter expired a moment ago: the count starts.
        cache.add(key, 0, timeout)
        return cache.incr(key, amount)
