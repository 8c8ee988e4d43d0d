"""A query that every request makes, built once.

Django builds a QuerySet's SQL each time it runs it. For most queries that is a modest part of the work;
for the archive's last-change time, which every API response states (Last-Modified), it was nearly all
of it: 4.3 ms to build four look-ups of an index that the database answers in 0.01 ms. `AtTime` has
Django build such a query once for each database, and runs the SQL with each request's time.
"""

from collections.abc import Callable
from datetime import UTC, datetime

from django.db import connections, router
from django.db.models import Model, QuerySet

# Where a query is built with it, each run puts its own time; no record of the archive has this one.
STAND_IN = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


class AtTime:
    """A `.values()` query of `model` that depends on one moment only (what was published by then).

    `build(moment)` makes the QuerySet for a moment. It is built and compiled once a database with
    STAND_IN as the moment; `first(moment)` runs that SQL with the moment, adapted for the database as
    Django adapts it, where STAND_IN was, and converts the row as Django would (SQLite's times are text).
    """

    def __init__(self, model: type[Model], build: Callable[[datetime], QuerySet]):
        self.model = model
        self.build = build
        self._compiled: dict[str, tuple] = {}

    def _compile(self, alias: str) -> tuple:
        connection = connections[alias]
        compiler = self.build(STAND_IN)[:1].query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        stand_in = connection.ops.adapt_datetimefield_value(STAND_IN)
        slots = tuple(index for index, value in enumerate(params) if value == stand_in)
        if not slots:
            raise ValueError("The query does not depend on the moment it is built for.")
        names = tuple(name for _expression, _sql, name in compiler.select)
        converters = compiler.get_converters([expression for expression, _sql, _name in compiler.select])
        self._compiled[alias] = compiled = (sql, tuple(params), slots, names, tuple(converters.items()))
        return compiled

    def first(self, moment: datetime) -> dict | None:
        """The query's first row at `moment`, as `.values().first()` gives it, or None."""
        alias = router.db_for_read(self.model)
        sql, params, slots, names, converters = self._compiled.get(alias) or self._compile(alias)
        connection = connections[alias]
        value = connection.ops.adapt_datetimefield_value(moment)
        params = [value if index in slots else param for index, param in enumerate(params)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        # As SQLCompiler.apply_converters, with this thread's connection.
        for position, (functions, expression) in converters:
            for convert in functions:
                row[position] = convert(row[position], expression, connection)
        return dict(zip(names, row, strict=True))
