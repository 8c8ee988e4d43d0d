"""Django's PostgreSQL backend (ENGINE "g7site.postgresql"), changed in two places that every page pays for.

- **The pool's check of a connection.** With CONN_HEALTH_CHECKS, Django gives its pool psycopg_pool's
  check, which sends an empty query before it hands out a connection: a round trip on every request that
  reads the database, some 0.1 ms of the worker's CPU. A connection the server has given up on says so:
  when PostgreSQL shuts down or restarts, or a backend is terminated, the server writes an error to the
  connection and closes it, and the idle connection's socket has something to read. So the round trip is
  made only where the socket has something to read (or psycopg already knows the connection is closed),
  and it then fails, and the pool discards the connection and hands out another, as before.
- **The loader of a `timestamptz`.** Django's is psycopg's loader written in Python (it derives from it),
  3.4 µs a value; this one parses with psycopg's C loader (where psycopg has it) and then sets the time
  zone as Django's does, 1 µs. A document's page reads some thirty such values.

Anything else is Django's own backend.
"""

import functools
import select

import psycopg
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format
from psycopg_pool import ConnectionPool

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid


def has_input(connection: psycopg.Connection) -> bool:
    """Whether the connection's socket has something to read (or has been closed) right now."""
    poll = select.poll()
    poll.register(connection.pgconn.socket, select.POLLIN)
    return bool(poll.poll(0))


def check_connection(connection: psycopg.Connection) -> None:
    """Return quietly if `connection` can be used, otherwise raise, as ConnectionPool.check_connection:
    its round trip is made only where the connection is closed or its socket has something to read."""
    if connection.closed or has_input(connection):
        ConnectionPool.check_connection(connection)


class TimestamptzLoader(Loader):
    """A `timestamptz` as Django's loader gives it (the moment, in `timezone`), parsed by psycopg's
    fastest loader of the text format."""

    timezone = None

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._parse = psycopg.adapters.get_loader(oid, Format.TEXT)(oid, context).load

    def load(self, data):
        return self._parse(data).replace(tzinfo=self.timezone)


@functools.cache
def with_fast_timestamps(template: AdaptersMap) -> AdaptersMap:
    """Django's adapters (one map for each time zone, made once) with TimestamptzLoader in place of its
    loader of a `timestamptz`, in the same time zone."""
    django_loader = template.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if django_loader is None or not issubclass(django_loader, BaseTzLoader):
        return template
    adapters = AdaptersMap(template)
    loader = type("TimestamptzLoader", (TimestamptzLoader,), {"timezone": django_loader.timezone})
    adapters.register_loader("timestamptz", loader)
    return adapters


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        if "context" in params:
            params["context"] = with_fast_timestamps(params["context"])
        return params

    @property
    def pool(self):
        """Django's pool (made as Django makes it), with check_connection where CONN_HEALTH_CHECKS
        would give it psycopg_pool's."""
        options = self.settings_dict["OPTIONS"].get("pool")
        if (
            options
            and self.alias != NO_DB_ALIAS
            and self.alias not in self._connection_pools
            and self.settings_dict["CONN_HEALTH_CHECKS"]
            and self.settings_dict.get("CONN_MAX_AGE", 0) == 0
        ):
            pool = ConnectionPool(
                kwargs={**self.get_connection_params(), "autocommit": True},
                open=False,
                configure=self._configure_connection,
                check=check_connection,
                **({} if options is True else options),
            )
            self._connection_pools.setdefault(self.alias, pool)
        # Django's own, which refuses persistent connections with a pool.
        return super().pool
