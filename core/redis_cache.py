"""Django's Redis cache backend, keeping its client.

Django's backend makes a new `redis.Redis` for every cache call, on the process's shared connection
pool. Making one builds the client's table of response callbacks, which costs more than a round trip
to a Redis server on the same host: a page served from the cache would spend most of its time there.
A client is safe to share between threads and keeps no connection of its own (its pool does, and
redis-py resets the pool in a forked process), so one client per pool serves every call.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


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

    def count(self, key: str, timeout: int) -> int:
        """Adds one to the counter `key`, made to expire after `timeout` seconds when it is new, and
        returns the count: one round trip (Django's incr() takes two and fails on a missing key)."""
        key = self.make_and_validate_key(key)
        client = self._cache.get_client(key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
