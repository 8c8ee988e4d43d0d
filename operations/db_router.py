"""A PostgreSQL primary and, when DATABASE_REPLICA_URL is set, a read replica.

Writes always go to the primary ("default"). Reads go to the replica ("replica") only inside
`reading_from_replica()`, which operations.middleware.ReplicaReadsMiddleware opens for visitors' GET and HEAD
requests: an editor who has just saved, a POST that reads what it is about to change, a migration or a
management command all read from the primary, and never see the replica's lag.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

PRIMARY = "default"
REPLICA = "replica"

_replica_reads = contextvars.ContextVar("replica_reads", default=False)


@contextmanager
def reading_from_replica():
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            # Related objects come from where their instance came from.
            return instance._state.db
        if _replica_reads.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data; other databases are not this router's to judge.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema from the primary by replication.
        return db == PRIMARY
