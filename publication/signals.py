"""Signals other apps listen to, and the mark of a bulk load in progress."""

import functools
from contextvars import ContextVar

from django.dispatch import Signal

# Sent by `load_records` once the fixtures are in, with `report` (a LoadReport); the search index
# is rebuilt on it.
records_loaded = Signal()

_loading = ContextVar("loading_records", default=False)


def is_loading_records() -> bool:
    """True while a bulk load runs: per-record listeners may leave their work to `records_loaded`."""
    return _loading.get()


def loading_records(function):
    """Mark the calls of `function` as a bulk load, and unmark them however they end."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        token = _loading.set(True)
        try:
            return function(*args, **kwargs)
        finally:
            _loading.reset(token)

    return wrapper
