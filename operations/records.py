"""The record cache: what a record's page body or API record is made of, kept from one request to the next
until a record it shows changes.

The page cache (operations/cache.py) keeps whole pages for one content generation, which every change
ends. Below it, this cache keeps what a record's page and API record spend their time on (reading the
record with its parts, and drawing or serializing them) under what names it: the view, the record's
address, the language and the host. While it is made, every record loaded is noted (Django's post_init
signal): those are the records it shows. It is used again while none of them has changed:

- every change of content counts up a counter in the cache (CHANGES_KEY), and sets the *mark* of the
  records it touches to the count: a record's mark says when it last changed;
- what is kept carries the count as it stood before it was made, and is used only while the marks of
  its records, and the mark of every record (EVERY_RECORD), are all there and none is above that count;
- an editor's save that changes only an existing record's texts (its translated columns and what
  follows from them: their status and change times, its version, its last change) marks that record
  alone, so the pages of records that do not show it keep what they have;
- any other change marks every record: a record added or deleted, a link made or undone, a
  publication, a change of any other column (a number, a date, a link to another record: what another
  page lists may change without that page having read the record), and a write that sends no signal
  (operations.cache.content_changed).

Marks are kept for good. A mark that is missing (never set, or evicted) makes what shows its record be
made again, and is then set to the count: a lost mark can never make something older be used. The counter starts from the
clock, so that a lost counter never comes back to an old count. A change marks its records at once and
again when its transaction commits, as the page cache's generation is replaced: something made from
another connection in between read the data as it was, and is stored under a count the second mark is
above.

A scheduled publication makes no signal: nothing is kept past the next one (operations.cache). Only what
every visitor sees is kept; callers use `kept()` for visitors alone, never for an editor's preview.

What is kept must learn what it shows from model instances: a read path that gives a body the texts of
records it does not load as instances (values(), an aggregate over texts, raw SQL) names their marks with
`note()`, as search does with its words' marks.
"""

import functools
import hashlib
import importlib
import logging
import sysconfig
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.generic.base import ContextMixin
from rest_framework.response import Response
from simple_history.models import HistoricalChanges

from operations import cache as page_cache
from publication.models import Correction, EditableRecord, PendingChange

logger = logging.getLogger(__name__)

T = TypeVar("T")

CHANGES_KEY = "record-changes"
EVERY_RECORD = "mark:*"
# In every key of what is kept, so that what an older release kept, in another form, is never read.
RECORD_FORMAT = 1

# The records loaded while something to keep is made: a set of marks, or None when nothing is being made.
_shown: ContextVar[set[str] | None] = ContextVar("records_shown", default=None)


def is_on() -> bool:
    return settings.RECORD_CACHE_SECONDS > 0


def record_mark(label: str, pk) -> str:
    """The key of a record's mark: `label` is its model's label_lower ("declarations.theme")."""
    return f"mark:{label}:{pk}"


def word_mark(term: str) -> str:
    """The key of the mark of a term of the search index (search/indexing.py): set whenever an entry that
    holds a word it starts is written or removed, so that a search for it is made again."""
    return f"mark:word:{term}"


def words_changed(terms: Iterable[str]) -> None:
    """Mark every start of each of the index's `terms` (a search for "digit" finds "digital"), now and when
    the transaction commits."""
    if is_on():
        records_changed(sorted({word_mark(term[:end]) for term in terms for end in range(1, len(term) + 1)}))


def note(marks: Iterable[str]) -> None:
    """Count `marks` among what is being kept depends on, beside the records it loads (a search, its words'
    marks); nothing outside kept()'s making."""
    shown = _shown.get()
    if shown is not None:
        shown.update(marks)


def mark_of(instance) -> str:
    return record_mark(instance._meta.concrete_model._meta.label_lower, instance.pk)


# Reading


def kept(name: str, parts: Iterable, build: Callable[[], T], *, keep: Callable[[T], bool] | None = None) -> T:
    """What `build()` makes, as kept under `name` and `parts` (the view, the record's address, the language
    and whatever else tells one from another), or made now and kept unless `keep(value)` says otherwise.
    Made without the cache where it is off or cannot be reached."""
    if not is_on():
        return build()
    cache = page_cache.page_cache()
    key = kept_key(name, parts)
    try:
        stored = cache.get(key)
        if stored is not None and still_holds(cache, stored):
            return stored[2]
        count = current_count(cache)
    except Exception:
        logger.warning("The record cache is unreachable; making the record's body without it.", exc_info=True)
        return build()
    with noting_records() as shown:
        value = build()
    if keep is not None and not keep(value):
        return value
    try:
        store(cache, key, count, shown, value)
    except Exception:
        logger.warning("What the record shows could not be kept in the cache.", exc_info=True)
    return value


def kept_key(name: str, parts: Iterable) -> str:
    address = hashlib.sha256("\n".join(str(part) for part in parts).encode()).hexdigest()
    return f"record:{RECORD_FORMAT}:{release()}:{name}:{address}"


# The kinds of file that make what is kept: code, templates, message catalogues.
SOURCE_SUFFIXES = frozenset({".py", ".html", ".svg", ".txt", ".xml", ".mo"})


@functools.cache
def release() -> str:
    """What tells one release's kept bodies and records from another's, so that processes of a new release
    never use what an older one drew with other templates or code (and the reverse, while both run): a
    digest of the project's code, templates and catalogues, read once a process (operations/warmup.py
    reads it before gunicorn forks)."""
    packages = Path(sysconfig.get_paths()["purelib"])
    base = Path(settings.BASE_DIR)
    directories = {Path(importlib.import_module(settings.ROOT_URLCONF).__file__).parent}
    directories.update(Path(config.path) for config in apps.get_app_configs())
    directories.update(Path(path) for path in settings.LOCALE_PATHS)
    directories.update(Path(path) for engine in settings.TEMPLATES for path in engine.get("DIRS", ()))
    digest = hashlib.sha256()
    for directory in sorted(
        d for d in directories if d.is_relative_to(base) and not d.is_relative_to(packages)
    ):
        for path in sorted(directory.rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
                digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def still_holds(cache, stored) -> bool:
    """Whether no record that `stored` shows has changed since it was made."""
    count, marks, _value = stored
    keys = [EVERY_RECORD, *marks]
    found = cache.get_many(keys)
    return len(found) == len(keys) and all(found[key] <= count for key in keys)


def current_count(cache) -> int:
    count = cache.get(CHANGES_KEY)
    if count is None:
        cache.add(CHANGES_KEY, clock_count(), timeout=None)
        count = cache.get(CHANGES_KEY)
    return count


def clock_count() -> int:
    """Where a counter lost starts again: above every count it gave, unless it counted more than a million
    changes a second."""
    return time.time_ns() // 1000


def store(cache, key: str, count: int, shown: set[str], value) -> None:
    """Keep `value`, made from the records `shown` after the counter read `count`, unless one of them has
    changed since."""
    marks = sorted(shown)
    keys = [EVERY_RECORD, *marks]
    found = cache.get_many(keys)
    for mark in keys:
        if mark not in found:
            # Set to the count read before the value was made: whatever was kept before the mark was lost
            # is older, and is made again. Kept for good, so that each record's mark is added once (one ADD
            # a mark: the cache's API has no ADD of many), unless the cache evicts it.
            if not cache.add(mark, count, timeout=None):
                return
            found[mark] = count
    if any(found[mark] > count for mark in keys):
        return
    timeout = kept_timeout()
    if timeout > 0:
        cache.set(key, (count, tuple(marks), value), timeout)


def kept_timeout() -> int:
    """RECORD_CACHE_SECONDS, or less if a publication is due before then."""
    generation = page_cache.known_generation()
    due = page_cache.seconds_until_next_publication(generation)
    return settings.RECORD_CACHE_SECONDS if due is None else min(settings.RECORD_CACHE_SECONDS, due)


@contextmanager
def noting_records():
    """Note every record loaded inside the block, in the set it gives (and in an enclosing block's)."""
    shown: set[str] = set()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)
        outer = _shown.get()
        if outer is not None:
            outer |= shown


def _note_loaded(sender, instance, **kwargs):
    shown = _shown.get()
    if shown is not None and instance.pk is not None:
        shown.add(mark_of(instance))


# Writing


def records_changed(marks: list[str] | None) -> None:
    """Mark the records of `marks` (every record for None) as changed, now and when the transaction
    commits."""
    if not is_on() or marks == []:
        return
    _set_marks(marks)
    transaction.on_commit(lambda: _set_marks(marks))


def _set_marks(marks: list[str] | None) -> None:
    cache = page_cache.page_cache()
    try:
        try:
            count = cache.incr(CHANGES_KEY)
        except ValueError:
            cache.add(CHANGES_KEY, clock_count(), timeout=None)
            count = cache.incr(CHANGES_KEY)
        cache.set_many({mark: count for mark in ([EVERY_RECORD] if marks is None else marks)}, timeout=None)
    except Exception:
        # The change stands; what was kept then expires within RECORD_CACHE_SECONDS at the latest.
        logger.exception("The records' marks could not be set: the cache is unreachable.")


def marks_of_a_write(sender, instance, *, in_place: bool) -> list[str] | None:
    """The marks of the records whose showing a write of `instance` changes: [] for none, None for every
    record. `in_place`: a save of a record that was there before (not an addition, not a delete)."""
    if issubclass(sender, HistoricalChanges):
        # A version is written by its record's own save or delete, which marks what it must.
        return []
    if issubclass(sender, PendingChange):
        # A change awaiting review shows only in an editor's preview, which nothing keeps.
        return []
    if issubclass(sender, Correction):
        return [
            record_mark(instance.model, instance.object_id),
            record_mark(instance.page_model, instance.page_id),
        ]
    if not in_place or not isinstance(instance, EditableRecord):
        return None
    changed = instance.changed_columns()
    if changed is None or not changed <= instance.own_text_columns():
        return None
    return [mark_of(instance)]


def _on_save(sender, instance, created, raw=False, **kwargs):
    if sender._meta.app_label in page_cache.content_app_labels():
        records_changed(None if raw else marks_of_a_write(sender, instance, in_place=not created))


def _on_delete(sender, instance, **kwargs):
    if sender._meta.app_label in page_cache.content_app_labels():
        records_changed(marks_of_a_write(sender, instance, in_place=False))


def _on_m2m_changed(sender, action, **kwargs):
    if action.startswith("post_") and sender._meta.app_label in page_cache.content_app_labels():
        records_changed([] if issubclass(sender, HistoricalChanges) else None)


def connect_signals() -> None:
    post_init.connect(_note_loaded, dispatch_uid="record-cache-loaded")
    post_save.connect(_on_save, dispatch_uid="record-cache-save")
    post_delete.connect(_on_delete, dispatch_uid="record-cache-delete")
    m2m_changed.connect(_on_m2m_changed, dispatch_uid="record-cache-m2m")


# Record pages


def page_around(view, shown: dict, *, status: int = 200):
    """The view's page drawn around a kept body (`shown`, with what its head shows), from the view's own
    `template_name` (a DetailView or a ListView would name its template after a record or a list it has
    not read) and a context of nothing else the view reads."""
    return view.response_class(
        request=view.request,
        template=[view.template_name],
        context=ContextMixin.get_context_data(view, **shown),
        using=view.template_engine,
        status=status,
    )


class KeptBodyMixin:
    """A record's page (a DetailView) whose body, the `content` block drawn from the whole record, is kept
    for visitors in the record cache.

    `body_template_name` draws the body from the page's context with what the whole record gives
    (`get_object()`, then the view's `record_context(record)`: its JSON-LD, its citation, and the page's
    title and description, `page_title` and `page_description`); of that, what the page's head shows is
    kept with the body (`kept_context`). A visitor's page around a kept body reads nothing: a kept body
    holds while its record may be seen (a record taken off the site marks every record), and a record
    that cannot be seen is never kept, its 404 raised while the body is made. A signed-in user (an editor,
    who may preview drafts and changes) gets everything read and drawn anew.

    The view names its `template_name`. The mixin comes before the view's own classes, and defines no
    record_context(), so that theirs is found.
    """

    body_template_name: str = ""
    kept_context: tuple[str, ...] = ("json_ld", "page_title", "page_description")

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated or not is_on():
            self.object = self.get_object()
            context = self.get_context_data(object=self.object, **self.record_context(self.object))
            context["body"] = self.draw_body(context)
            return self.render_to_response(context)
        shown = kept(
            f"page:{type(self).__module__}.{type(self).__qualname__}",
            (request.scheme, request.get_host(), get_language(), *sorted(self.kwargs.items())),
            self.body_of_whole_record,
        )
        return page_around(self, shown)

    def body_of_whole_record(self) -> dict:
        """The body drawn from the whole record, with the parts of its context the head shows."""
        self.object = record = self.get_object()
        context = self.get_context_data(object=record, **self.record_context(record))
        return {"body": self.draw_body(context), **{name: context[name] for name in self.kept_context}}

    def draw_body(self, context) -> str:
        return mark_safe(render_to_string(self.body_template_name, context, request=self.request))


class KeptListMixin:
    """A page that is not one record's (a list, the home page; a ListView or a TemplateView) whose body, the
    `content` block drawn by `body_template_name` from the view's context, is kept for visitors in the record
    cache, under its address's query, with what of the context the head shows (`kept_context`).

    The view names its `template_name`. Kept only where the body is the same for every visitor who asks with that query: not for a signed-in
    user, not for a query naming a parameter the view does not read (`query_parameters`) or one twice, not
    for a list found or ordered by words (`finds_by_words()`, unless the view notes its words' marks), not for an answer other than a 200 (a filter's
    error), and not where `keeps_body` is False (a body that changes with the day). The page around a
    kept body reads nothing.
    """

    body_template_name: str = ""
    kept_context: tuple[str, ...] = ("json_ld",)
    keeps_body = True

    def get(self, request, *args, **kwargs):
        query = request.GET
        if (
            not self.keeps_body
            or request.user.is_authenticated
            or not is_on()
            or self.finds_by_words(query)
            or not asks_only_for(query, getattr(self, "query_parameters", ()))
        ):
            return super().get(request, *args, **kwargs)
        shown = kept(
            f"page:{type(self).__module__}.{type(self).__qualname__}",
            (request.scheme, request.get_host(), get_language(), *sorted(query.lists())),
            self.whole_body,
            keep=lambda shown: shown["status"] == 200,
        )
        status = shown.pop("status")
        return page_around(self, shown, status=status)

    def finds_by_words(self, query) -> bool:
        """Whether the list holds records by their words in a way no mark follows (a view that notes the
        marks of the words it finds by says False)."""
        return finds_by_words(query)

    def whole_body(self) -> dict:
        """The page's body drawn from everything the view reads, with its status and what the head shows."""
        response = super().get(self.request, *self.args, **self.kwargs)
        context = response.context_data
        return {
            "body": context["body"],
            "status": response.status_code,
            **{name: context[name] for name in self.kept_context},
        }

    def render_to_response(self, context, **response_kwargs):
        # Drawn here, once the view has made its whole context.
        context["body"] = mark_safe(render_to_string(self.body_template_name, context, request=self.request))
        return super().render_to_response(context, **response_kwargs)


class KeptRecordMixin:
    """An API resource (publication.api.views.RecordViewSet) whose record, as its detail gives it, and whose
    list's pages in JSON are kept for visitors in the record cache: the representation, not the response,
    which is made for each request (its format, its validators). A signed-in client (who may see drafts)
    gets them read anew, and so does a list found or ordered by words (`q`, a title order: a change of
    texts marks only the records it changes, and may bring another into such a list) or asked for with a
    parameter it does not read, or one twice."""

    def retrieve(self, request, *args, **kwargs):
        return self.kept_representation(
            "api", sorted(kwargs.items()), super().retrieve, request, *args, **kwargs
        )

    def list(self, request, *args, **kwargs):
        query = request.query_params
        if (
            query.get("format", "json") != "json"
            or finds_by_words(query)
            or not asks_only_for(query, self.read_parameters("list", {}))
        ):
            return super().list(request, *args, **kwargs)
        return self.kept_representation(
            "api-list", sorted(query.lists()), super().list, request, *args, **kwargs
        )

    def kept_representation(self, name: str, address: list, answer, request, *args, **kwargs):
        """`answer`'s data for a visitor as kept under `address` (the record's or the list's query), or its
        response as it is for anyone else."""
        if request.user.is_authenticated or not is_on():
            return answer(request, *args, **kwargs)
        data = kept(
            f"{name}:{type(self).__module__}.{type(self).__qualname__}",
            (request.scheme, request.get_host(), self.language, *address),
            lambda: answer(request, *args, **kwargs).data,
        )
        return Response(data)


def asks_only_for(query, read) -> bool:
    """Whether a query names only parameters of `read`, each once: what is kept for any other would add an
    entry for each value a client makes up (?utm_source=, ?_=123) or repeats."""
    return all(name in read and len(values) == 1 for name, values in query.lists())


def finds_by_words(query) -> bool:
    """Whether a list's query finds its records by their words (`q`) or orders them by their titles: which
    records it holds may then change with a change of texts to a record it did not show."""
    return bool(query.get("q")) or query.get("ordering", "").lstrip("-") == "title"
