"""How a process knows the content generation without asking Redis on every request.

Redis's server-assisted client-side caching in broadcasting mode: on a connection of the process's own
(RESP3, Redis 6 or later), `CLIENT TRACKING ON BCAST PREFIX <the generation's key>`, after which Redis
pushes an invalidation on that connection whenever any client sets or deletes the key, it expires or is
evicted, or the database is flushed. A pub/sub channel that writers publish to would hear only of the
changes made through this code, not of a flush, an eviction or an operator's command.

Whether the known generation still holds is a poll of that socket, made by the request's own thread
when it needs the generation, not a round trip. Redis writes the push while it carries out a change,
before the client that made it hears back, so a change that another process has finished is seen by
every request this process starts afterwards. A thread that waited on the socket would learn of it
only when the interpreter let it run, possibly after this process had answered the next request.

`known()` gives the generation, or None when it may be out of date (it changed, the watch has just
connected, Redis cannot be reached), with a ticket; the caller then reads the generation from the cache
and hands it to `keep()` with that ticket. A value read after `known()` was asked is one the watch
will hear about if it changes, and a value read before an invalidation that another thread has since
seen is refused by its ticket. While the watch is not connected, `known()` gives None every time, so
every request reads the generation from Redis: being right never depends on the watch.
"""

import contextlib
import logging
import math
import os
import socket
import threading
import time

import redis
from redis.exceptions import RedisError, ResponseError
from redis.maint_notifications import MaintNotificationsConfig

logger = logging.getLogger(__name__)


# Nothing is ever sent on the watch's connection once it is set up, so a Redis that vanished without
# closing it (a host gone, a network cut) would never be noticed: TCP's keepalive probes notice it within
# a few seconds, and the process then reads the generation from Redis on every request again.
KEEPALIVE_OPTIONS = {
    getattr(socket, name): value
    for name, value in (("TCP_KEEPIDLE", 2), ("TCP_KEEPINTVL", 1), ("TCP_KEEPCNT", 3))
    if hasattr(socket, name)
}


class GenerationWatch:
    # What CLIENT LIST calls the watch's connection.
    CLIENT_NAME = "g7site-generation-watch"
    # Pushes read on one poll before the connection is dropped instead: a process that slept through a
    # bulk import would otherwise read one push per record changed.
    MOST_READ = 64
    RETRY_SECONDS = 1.0

    def __init__(self, url: str, key: str, *, connect_timeout: float, timeout: float):
        self.url = url
        self.key = key
        self.connect_timeout = connect_timeout
        self.timeout = timeout
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._client = None
        self._retry_at = 0.0
        self._failing = False
        self._value = None
        self._ticket = 0

    def known(self) -> tuple[str | None, int]:
        """(the generation, or None if it must be read from the cache; the ticket to keep it with)."""
        with self._lock:
            if not self._unchanged():
                self._value = None
                self._ticket += 1
            return self._value, self._ticket

    def keep(self, value: str, ticket: int) -> bool:
        """Keeps a generation read from the cache after known() gave `ticket`, unless the watch has heard
        of a change since; True if it is kept."""
        with self._lock:
            if ticket != self._ticket or self._client is None:
                return False
            self._value = value
            return True

    def forget(self) -> None:
        """This process has just replaced the generation: Redis's push may still be on its way."""
        with self._lock:
            self._value = None
            self._ticket += 1

    def close(self) -> None:
        with self._lock:
            self._disconnect()

    @property
    def connected(self) -> bool:
        return self._client is not None

    def _unchanged(self) -> bool:
        """True if the generation cannot have changed since the previous call."""
        if self._pid != os.getpid():
            # A forked process: the socket is its parent's, and the parent's to close.
            self._pid, self._client = os.getpid(), None
        if self._client is None:
            self._connect()
            return False
        connection = self._client.connection
        if not connection.is_connected:
            # Closed by redis-py: a read would open it again, without the tracking.
            self._disconnect()
            return False
        try:
            if not connection.can_read(timeout=0):
                return True
            for _ in range(self.MOST_READ):
                connection.read_response(push_request=True)
                if not connection.can_read(timeout=0):
                    return False
        except (RedisError, OSError):
            logger.warning("The watch on %s lost its connection to Redis.", self.key, exc_info=True)
        self._disconnect()
        return False

    def _connect(self) -> None:
        if time.monotonic() < self._retry_at:
            return
        client = None
        try:
            client = redis.Redis.from_url(
                self.url,
                protocol=3,
                single_connection_client=True,
                client_name=self.CLIENT_NAME,
                socket_connect_timeout=self.connect_timeout,
                socket_timeout=self.timeout,
                socket_keepalive=True,
                socket_keepalive_options=KEEPALIVE_OPTIONS,
                # No retries: a failure is noticed here and retried a second later, not within a request.
                retry_on_error=[],
                retry=None,
                # redis-py may move a connection to another node by itself on a maintenance notice, and
                # the tracking would not come along.
                maint_notifications_config=MaintNotificationsConfig(enabled=False),
            )
            client.client_tracking_on(bcast=True, prefix=[self.key])
        except ResponseError:
            if client is not None:
                client.close()
            logger.warning(
                "Redis does not take RESP3 or CLIENT TRACKING (Redis 6 or later does): the content "
                "generation is read from it on every request.",
                exc_info=True,
            )
            self._retry_at = math.inf
            return
        except (RedisError, OSError):
            if client is not None:
                client.close()
            if not self._failing:
                # Once, not on every retry while Redis is away.
                logger.warning(
                    "The watch on %s could not start; the content generation is read from Redis on "
                    "every request until it does.",
                    self.key,
                    exc_info=True,
                )
            self._failing = True
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return
        self._failing = False
        self._client = client

    def _disconnect(self) -> None:
        client, self._client = self._client, None
        self._value = None
        self._ticket += 1
        if client is not None:
            with contextlib.suppress(RedisError, OSError):
                client.close()
