"""Signals other apps listen to."""

from django.dispatch import Signal

# Sent by `load_records` once the fixtures are in, with `report` (a LoadReport); the search index
# is rebuilt on it.
records_loaded = Signal()
