"""The anonymous API clients' rate: a counter a client and window, not a list of every request's time.

DRF's throttle keeps the time of each request of the last window in one cache entry, which it reads and
writes whole on every request: at the default 60 a minute a few hundred bytes, at a rate of thousands
tens of kilobytes each way, and two round trips to the cache. Here each window of the rate's duration
(a minute for `60/min`, starting on the minute) has a counter that expires with it; a request adds one
and is refused once the window's count is past the rate, with `Retry-After` the seconds to the next
window. The count is the cache's own `add` and `incr`, each atomic on Redis. While the cache cannot be reached, requests are let through
(and the failure logged), as pages are answered without the page cache: an outage of Redis is no reason
to refuse the API's readers.
"""

import logging

from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

logger = logging.getLogger(__name__)


def client_address(request) -> str | None:
    """The client's address as DRF's throttles identify it: the connection's, or behind NUM_PROXIES proxies
    the address in X-Forwarded-For that many from the right, the one the nearest proxy saw. django-axes
    takes it too (AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    return throttling.BaseThrottle().get_ident(request)


def wait_before_answering(request) -> float | None:
    """For a visitor's API request answered without its view (a page-cache hit): counts it as the view's
    throttles would have, and gives the seconds the client must wait if it is over its limit, else None."""
    # The API's views keep the default throttles. A visitor sends no credentials, so DRF's request has the
    # anonymous user the view would have; the throttles read nothing of the view.
    api_request = Request(request)
    throttles = [throttle_class() for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES]
    refused = [throttle for throttle in throttles if not throttle.allow_request(api_request, None)]
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
        # The counter outlives its window by a second, so no count is lost to the cache's clock.
        try:
            count = counted(self.cache, f"{key}:{window}", self.duration + 1)
        except Exception:
            logger.warning("The API throttle's cache is unreachable; answering without it.", exc_info=True)
            return True
        return count <= self.num_requests

    def wait(self):
        """Seconds until the next window begins."""
        return self.duration - self.now % self.duration


def counted(cache, key: str, timeout: int) -> int:
    """Adds one to the counter `key` (made with `timeout` if new) and returns the count. The counter
    exists on every request of a window but its first, so it is added to first, and made only when the
    cache says it is missing: a request costs the cache's `incr` alone (on Redis, two round trips where an
    `add` before it made three)."""
    try:
        return cache.incr(key)
    except ValueError:
        # The window's first request, or its counter expired a moment ago: the count starts.
        cache.add(key, 0, timeout)
        return cache.incr(key)
