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

logger = logging.getLogger(__name__)


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
    """Adds one to the counter `key` (made with `timeout` if new) and returns the count."""
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:
        # Expired between the two calls: the count starts again.
        cache.add(key, 0, timeout)
        return cache.incr(key)
