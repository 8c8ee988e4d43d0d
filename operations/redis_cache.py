"""Django's Redis cache backend, keeping its client, and able to watch a key for changes.

Django's backend makes a new `redis.Redis` for every cache call, on the process's shared connection
pool. Making one builds the client's table of response callbacks, which costs more than a round trip
to a Redis server on the same host: a page served from the cache would spend most of its time there.
A client is safe to share between threads and keeps no connection of its own (its pool does, and
redis-py resets the pool in a forked process), so one client per pool serves every call.
"""

import logging
import math
import os
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import RedisError, ResponseError
from redis.maint_notifications import MaintNotificationsConfig

logger = logging.getLogger(__name__)


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._watches = {}

    def count(self, key: str, timeout: int) -> int:
        """Adds one to the counter `key`, made to expire after `timeout` seconds when it is new, and
        returns the count: one round trip (Django's incr() takes two and fails on a missing key)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]

    def watch(self, key: str) -> "KeyWatch":
        """The watch on `key` for this process (a backend is made for each thread, and so its watches).
        Asked on every page lookup: the key is made and validated once, when the watch is."""
        watch = self._watches.get(key)
        if watch is None:
            pool = self._cache._get_connection_pool(write=False)
            watch = self._watches[key] = KeyWatch(pool, self.make_and_validate_key(key))
        return watch


class KeyWatch:
    """A value of the cache kept in this process for as long as Redis says that its key is unchanged.

    Redis's server-assisted client-side caching: on a connection of its own, the watch turns on
    `CLIENT TRACKING` in broadcasting mode for the key, and Redis then pushes an invalidation on that
    connection whenever any client sets or deletes the key, it expires or is evicted, or the database is
    flushed. Asking whether the kept value still holds is a poll of that socket, not a round trip. Redis
    writes the push while it carries out the change, before the client that made it hears back, so a
    change that another process has finished is seen by every request this process starts afterwards.

    `known()` gives the kept value, or None when it may be out of date (the key changed, the watch has
    just connected, Redis cannot be reached); the caller then reads the key and hands the value to
    `keep()`. A value read after `known()` was last asked is one the watch will hear about if it changes.
    """

    # Invalidations read on one poll before the backlog is dropped with the connection: a process that
    # slept through a bulk import would otherwise read one message per record changed.
    MOST_READ = 64
    RETRY_SECONDS = 1.0

    def __init__(self, pool, key: str):
        self._pool = pool
        self._key = key
        self._pid = os.getpid()
        self._connection = None
        self._retry_at = 0.0
        self._failing = False
        self._value = None

    def known(self):
        if self._unchanged():
            return self._value
        self._value = None
        return None

    def keep(self, value) -> None:
        self._value = value

    def forget(self) -> None:
        """This process changed the key: Redis's push may still be on its way."""
        self._value = None

    def _unchanged(self) -> bool:
        """True if the key cannot have changed since the previous call."""
        if self._pid != os.getpid():
            # A forked process: the connection is the parent's.
            self._pid, self._connection = os.getpid(), None
        connection = self._connection
        if connection is None:
            self._connect()
            return False
        if not connection.is_connected:
            # Closed by redis-py itself: can_read() would open it again, without the tracking.
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
            logger.warning("The watch on %s lost its connection to Redis.", self._key, exc_info=True)
        self._disconnect()
        return False

    def _connect(self) -> None:
        if time.monotonic() < self._retry_at:
            return
        connection = self._pool.connection_class(**self._connection_kwargs())
        try:
            connection.connect()
            connection.send_command("CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", self._key)
            connection.read_response()
        except ResponseError:
            connection.disconnect()
            logger.warning(
                "Redis does not take RESP3 or CLIENT TRACKING (Redis 6 or later does): %s is read from it "
                "on every lookup.",
                self._key,
                exc_info=True,
            )
            self._retry_at = math.inf
            return
        except (RedisError, OSError):
            connection.disconnect()
            if not self._failing:
                # Once, not on every retry while Redis is away.
                logger.warning(
                    "The watch on %s could not start; reading it every time until it does.",
                    self._key,
                    exc_info=True,
                )
            self._failing = True
            self._retry_at = time.monotonic() + self.RETRY_SECONDS
            return
        self._failing = False
        self._connection = connection

    def _connection_kwargs(self) -> dict:
        """The pool's, for a connection of the watch's own: RESP3, on which invalidations are pushed (Redis
        6 or later), and without redis-py's maintenance notifications, which may reconnect a connection
        by themselves (and this one would come back without its tracking)."""
        kwargs = {**self._pool.connection_kwargs, "protocol": 3}
        if "maint_notifications_config" in kwargs:
            kwargs["maint_notifications_config"] = MaintNotificationsConfig(enabled=False)
            kwargs["maint_notifications_pool_handler"] = None
        return kwargs

    def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.disconnect()
