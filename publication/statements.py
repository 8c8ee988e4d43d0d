"""A query that every request makes, built once.

Django builds a QuerySet's SQL each time it runs it. For most queries that is a modest part of the work;
for the archive's last-change time, which every API response states (Last-Modified), it was nearly all
of it: 4.3 ms to build four look-ups of an index that the database answers in 0.01 ms. `AtTime` has
Django build such a query once for each database, and runs the SQL with each request's time.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.utils.translation import get_language

from publication.models import EditableRecord

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


def reads_nothing(values: dict) -> bool:
    """`__in` an empty list matches nothing; Django does not run such a query either."""
    return any(isinstance(value, list) and not value for value in values.values())


class Statement:
    """A QuerySet of `model` whose SQL Django builds once, run with each request's values; its rows made
    into instances as the QuerySet itself makes them (select_related and annotations included).

    For the pages that read many small queries of a fixed shape (a document's themes, key points, notes,
    annexes and items), building the SQL cost more than the database's answer: a 34-column SELECT takes
    0.64 ms to build and 0.09 ms to run. `build(**values)` makes the QuerySet; it is built once for each
    database, language and shape with a stand-in for each value, and the SQL runs with the values where
    the stand-ins were. A value is an int, a str or an aware datetime; a list of ints (for `__in`) is built
    once for each length, and a query given other names is another shape. What the QuerySet would
    prefetch is not read: the caller reads it with statements of its own and links it (see `attach`).
    """

    def __init__(self, model: type[Model], build: Callable[..., QuerySet]):
        self.model = model
        self.build = build
        self._compiled: dict[tuple, _Compiled] = {}

    def __call__(self, **values) -> list:
        if reads_nothing(values):
            return []
        return self.compiled(values).run(values)

    def compiled(self, values: dict) -> "_Compiled":
        """The statement's SQL for these values' shape, built the first time it is asked for."""
        # A value's type is part of the shape too: a value of another type (None among them) is refused
        # when its query is built, rather than run in SQL built for another.
        shape = tuple(
            (name, len(value) if isinstance(value, list) else type(value)) for name, value in values.items()
        )
        alias = router.db_for_read(self.model)
        key = (alias, get_language(), shape)
        return self._compiled.get(key) or self._compile(key, values)

    def one(self, **values) -> Model | None:
        """The one record the statement reads (a record by its slug or id), or None."""
        records = self(**values)
        return records[0] if records else None

    def _compile(self, key: tuple, values: dict) -> "_Compiled":
        alias = key[0]
        # Built twice, with two sets of stand-ins: the parameters that differ are the values' places, so a
        # constant of the query that happens to equal a stand-in is never taken for one. The stand-ins are
        # small positive numbers, valid for any integer field (Django answers a value out of a field's
        # range without a query, so a query built with one would be no query at all).
        compiler, sql, params, places = self._build(alias, values, 0)
        _compiler, other_sql, other_params, _places = self._build(alias, values, 1)
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("The query's SQL depends on its values, not only on where they go.")
        slot_of = {stand_in: slot for slot, stand_in in places.items()}
        slots = []
        for position, (one, other) in enumerate(zip(params, other_params, strict=True)):
            if one != other:
                if one not in slot_of:
                    raise ValueError(f"The query does not take a value as it is given: {one!r}.")
                slots.append((position, slot_of[one]))
        missing = set(places) - {slot for _position, slot in slots}
        if missing:
            names = ", ".join(sorted({name for name, _index in missing}))
            raise ValueError(f"The query does not take these values as parameters: {names}.")
        self._compiled[key] = compiled = _Compiled(alias, sql, params, tuple(slots), compiler)
        return compiled

    def _build(self, alias: str, values: dict, which: int) -> tuple:
        """The query built with the `which` set of stand-ins: its compiler, SQL and parameters, and the
        stand-in of each value's place ((name, index in its list or None)) as the database is given it."""
        connection = connections[alias]
        offset = 20_001 + 6_000 * which
        counter = iter(range(6_000))
        stand_ins, places = {}, {}
        for name, value in values.items():
            if isinstance(value, list):
                stand_ins[name] = [offset + next(counter) for _value in value]
                places.update({(name, index): one for index, one in enumerate(stand_ins[name])})
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                stand_in = offset + next(counter)
            elif isinstance(value, str):
                stand_in = f"\x1estand-in {which} {next(counter)}\x1e"
            elif isinstance(value, datetime):
                stand_in = STAND_IN + timedelta(days=which, microseconds=next(counter))
            else:
                raise TypeError(
                    f"A statement's value is an int, a str, a datetime or a list of ints: {name}."
                )
            stand_ins[name] = stand_in
            is_time = isinstance(stand_in, datetime)
            places[(name, None)] = connection.ops.adapt_datetimefield_value(stand_in) if is_time else stand_in
        queryset = self.build(**stand_ins)
        compiler = queryset.defer(*unread_columns(queryset)).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        return compiler, sql, list(params), places


# What no page or API record shows of an EditableRecord: the editors' bookkeeping of each text (its
# translation status and when it last changed), JSON that Django would parse on every row. (A record's
# history, which compares its versions, reads them as before.)
UNREAD = ("translation_status", "text_changed_at")


def unread_columns(queryset: QuerySet) -> list[str]:
    """The UNREAD columns of the QuerySet's model and of the models it selects with it, as defer() names
    them ("meeting__translation_status")."""
    columns = []

    def walk(model, prefix: str, related) -> None:
        if issubclass(model, EditableRecord):
            columns.extend(f"{prefix}{name}" for name in UNREAD)
        if isinstance(related, dict):
            for name, further in related.items():
                walk(model._meta.get_field(name).related_model, f"{prefix}{name}__", further)

    walk(queryset.model, "", queryset.query.select_related)
    return columns


class _Compiled:
    """What ModelIterable reads off a compiler after it has run, kept for every run of the same SQL."""

    def __init__(self, alias, sql, params, slots, compiler):
        self.alias = alias
        self.sql = sql
        self.params = tuple(params)
        self.slots = slots
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.related_populators = get_related_populators(klass_info, select, alias)
        self.annotations = tuple(compiler.annotation_col_map.items())
        self.width = compiler.col_count if compiler.has_extra_select else None
        self.converters = tuple(
            compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items()
        )

    def parameters(self, values: dict) -> list:
        """The SQL's parameters with the values where the stand-ins were."""
        adapt = connections[self.alias].ops.adapt_datetimefield_value
        params = list(self.params)
        for position, (name, index) in self.slots:
            value = values[name] if index is None else values[name][index]
            if value is None:
                raise TypeError(f"A statement's value may not be None: {name}.")
            params[position] = adapt(value) if isinstance(value, datetime) else value
        return params

    def run(self, values: dict) -> list:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.parameters(values))
            return self.records(cursor.fetchall())

    def records(self, rows: list) -> list:
        """The rows made into instances, as ModelIterable makes them."""
        connection = connections[self.alias]
        records = []
        for row in rows:
            if self.width is not None or self.converters:
                row = list(row[: self.width] if self.width is not None else row)
                # As SQLCompiler.apply_converters, with this thread's connection.
                for position, (functions, expression) in self.converters:
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
            record = self.model.from_db(self.alias, self.init_list, row[self.start : self.end])
            for populator in self.related_populators:
                populator.populate(row, record)
            for name, position in self.annotations:
                setattr(record, name, row[position])
            records.append(record)
        return records


def together(*calls: tuple[Statement, dict] | None) -> list[list]:
    """What each (statement, values) gives, for statements that do not depend on one another: on
    PostgreSQL sent in one round trip (psycopg's pipeline mode), elsewhere run one after the other. A
    call that is None (nothing to read) gives [] without a query.

    A page's statements each cost a round trip to the server, and on PostgreSQL the round trip, not the
    query, is most of their cost: a document's page made nine. Each query is still a query of its own, as
    a test's CaptureQueriesContext counts it, and an error in one is raised as Django raises it.
    """
    results: list[list | None] = [None] * len(calls)
    pending = []
    for index, call in enumerate(calls):
        if call is None or reads_nothing(call[1]):
            results[index] = []
        else:
            statement, values = call
            pending.append((index, statement.compiled(values), values))
    aliases = {compiled.alias for _index, compiled, _values in pending}
    if len(pending) > 1 and len(aliases) == 1 and connections[aliases.pop()].vendor == "postgresql":
        for (index, compiled, _values), rows in zip(pending, _pipelined(pending), strict=True):
            results[index] = compiled.records(rows)
    else:
        for index, compiled, values in pending:
            results[index] = compiled.run(values)
    return results


def _pipelined(pending: list) -> list[list]:
    """The rows of each compiled statement, sent to PostgreSQL together and read when all have run."""
    connection = connections[pending[0][1].alias]
    connection.ensure_connection()
    cursors = []
    try:
        with connection.wrap_database_errors, connection.connection.pipeline():
            for _index, compiled, values in pending:
                cursor = connection.cursor()
                cursors.append(cursor)
                cursor.execute(compiled.sql, compiled.parameters(values))
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


class Related(list):
    """What `record.<relation>.all()` gives once a selector has read the relation (`attach`): the records
    read, in their order, as a list, which is what templates and serializers do with it (iterate, test,
    count, take the first). Any other QuerySet method is that of the relation's own QuerySet, made when it
    is first asked for, so a further `.filter()` or `.order_by()` still asks the database, of this record
    only, as it would after prefetch_related.

    Django's prefetch_related builds that QuerySet for every record it fills, whether or not it is ever
    used: a tenth of a meeting's page and a seventh of the API's document.
    """

    def __init__(self, records, *, owner: Model, name: str, cache_name: str):
        super().__init__(records)
        self._owner, self._name, self._cache_name = owner, name, cache_name

    def all(self):
        return self

    def count(self) -> int:
        return len(self)

    def exists(self) -> bool:
        return bool(self)

    def first(self):
        # The selectors' statements are ordered (every model here has an ordering), as QuerySet.first()
        # reads the first of an ordered QuerySet's results.
        return self[0] if self else None

    def last(self):
        return self[-1] if self else None

    def __getattr__(self, attribute):
        if attribute.startswith("__") or attribute in ("_owner", "_name", "_cache_name"):
            raise AttributeError(attribute)
        return getattr(self.queryset(), attribute)

    def queryset(self) -> QuerySet:
        """The relation's own QuerySet, as the related manager makes it when nothing was read ahead."""
        cache = self._owner._prefetched_objects_cache
        held = cache.pop(self._cache_name)
        try:
            return getattr(self._owner, self._name).get_queryset()
        finally:
            cache[self._cache_name] = held


def attach(record: Model, name: str, related: list) -> None:
    """Set what `record.<name>.all()` gives, as prefetch_related would: the many side of a foreign key
    or a many-to-many field, read by a Statement (see `Related`)."""
    cache_name = _cache_names.get((type(record), name))
    if cache_name is None:
        manager = getattr(record, name)
        cache_name = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
        _cache_names[(type(record), name)] = cache_name
    if not hasattr(record, "_prefetched_objects_cache"):
        record._prefetched_objects_cache = {}
    record._prefetched_objects_cache[cache_name] = Related(
        related, owner=record, name=name, cache_name=cache_name
    )


# The key under which a related manager looks for what was read ahead, for each model and relation.
_cache_names: dict[tuple, str] = {}


def related(record: Model, name: str):
    """What `record.<name>.all()` gives. Django makes a related manager on every access to the relation
    (some 5 µs); what a selector attached is found without one, as the manager itself would find it. A
    meeting's page asks for the sessions and places of each meeting of its track several times."""
    cache = record.__dict__.get("_prefetched_objects_cache")
    if cache is not None:
        cache_name = _cache_names.get((type(record), name))
        if cache_name is not None and cache_name in cache:
            return cache[cache_name]
    return getattr(record, name).all()


def grouped(records: list, key: str, parents: list) -> dict:
    """`records` under the id each holds in `key` (a foreign key's column), in their order; every parent
    has a list, empty if nothing was read for it."""
    groups = {parent.pk: [] for parent in parents}
    for record in records:
        groups.setdefault(getattr(record, key), []).append(record)
    return groups


def link_back(records: list, field: str, parent: Model) -> None:
    """Set each record's foreign key `field` to `parent` without a query, as prefetch_related sets the way
    back from what it read."""
    if records:
        foreign_key = records[0]._meta.get_field(field)
        for record in records:
            foreign_key.set_cached_value(record, parent)
