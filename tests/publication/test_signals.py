"""The mark of a bulk load (publication/signals.py): set while a function marked with loading_records runs,
and taken off however it ends; a load inside a load leaves the outer one marked. (That the search index
is rebuilt after a failed load of the fixtures is tested with the index, in tests/search/.)"""

import pytest

from publication.signals import is_loading_records, loading_records


def test_a_marked_function_runs_as_a_bulk_load_and_returns_its_value():
    @loading_records
    def load(value):
        """Loads."""
        return value, is_loading_records()

    assert not is_loading_records()
    assert load("records") == ("records", True)
    assert not is_loading_records()
    assert (load.__name__, load.__doc__) == ("load", "Loads.")


def test_the_mark_is_taken_off_when_the_load_fails():
    @loading_records
    def load():
        raise ValueError("a bad file")

    with pytest.raises(ValueError, match="a bad file"):
        load()
    assert not is_loading_records()


def test_a_load_inside_a_load_leaves_the_outer_one_marked():
    @loading_records
    def inner():
        return is_loading_records()

    @loading_records
    def outer():
        return inner(), is_loading_records()

    assert outer() == (True, True)
    assert not is_loading_records()
