"""The benchmark harness's arithmetic (bench/run.py): wrk's times read as milliseconds, runs combined into one
result, each address's rate as a ratio to its floor, the middleware's cost and the targets (which rows can
miss one). Nothing here
starts wrk or a server."""

import pytest

from bench import run
from bench.run import BARE_ROW, SITE_ROW, Result, Scenario


@pytest.mark.parametrize(
    ("text", "expected"), [("250.00us", 0.25), ("1.50ms", 1.5), ("2.03s", 2030.0), ("1.00m", 60000.0)]
)
def test_wrks_times_are_read_as_milliseconds(text, expected):
    assert run.milliseconds(text) == pytest.approx(expected)


def test_runs_combine_as_the_mean_rate_the_median_of_medians_and_the_worst_99th_percentile():
    runs = [Result(100.0, 5.0, 20.0, 1), Result(300.0, 2.0, 90.0), Result(200.0, 9.0, 30.0, 2)]
    assert run.combined(runs) == Result(200.0, 5.0, 90.0, 3)


def scenario() -> Scenario:
    measured = Scenario(database="sqlite", scale=1)
    measured.results = {
        (BARE_ROW, "cold"): Result(4000.0, 1.0, 2.0),
        (SITE_ROW, "cold"): Result(2000.0, 1.0, 2.0),
        ("meeting page", "cold"): Result(400.0, 1.0, 2.0),
    }
    measured.floors = {
        (BARE_ROW, "meeting page", "cold"): Result(5000.0, 1.0, 2.0),
        (SITE_ROW, "meeting page", "cold"): Result(2500.0, 1.0, 2.0),
    }
    return measured


def test_an_address_is_compared_to_the_floor_measured_beside_it_and_a_floor_to_the_other_floor():
    measured = scenario()
    assert run.ratio(measured, "meeting page", "cold") == pytest.approx(400 / 5000)
    assert run.ratio(measured, "meeting page", "cold", against=SITE_ROW) == pytest.approx(400 / 2500)
    assert run.ratio(measured, SITE_ROW, "cold") == pytest.approx(0.5)


def test_the_middlewares_cost_is_the_time_the_site_floor_adds_to_the_bare_one():
    request, per_worker_time, share = run.middleware_cost(scenario(), "cold", workers=4)
    # 1/2000 s − 1/4000 s = 250 µs a request at the server's rate; four workers serve at once.
    assert request == pytest.approx(250.0)
    assert per_worker_time == pytest.approx(1000.0)
    assert share == pytest.approx(0.5)


def test_cached_and_conditional_answers_have_their_own_target_whatever_the_kind():
    assert run.target_of("meeting page", "cold", "detail") == run.TARGETS["detail"]
    assert run.target_of("meetings list", "cold", "list") == run.TARGETS["list"]
    assert run.target_of("meetings list", "cached", "list") == run.TARGETS["cached"]
    assert run.target_of("meeting page", "304", "detail") == run.TARGETS["304"]


def test_an_uncached_row_misses_its_target_at_100x_only_and_a_row_read_and_drawn_whole_has_none():
    slow = Scenario(database="sqlite", scale=100)
    slow.results = {(name, mode): Result(100.0, 1.0, 2.0) for name in ("meeting page",) for mode in run.MODES}
    slow.floors = {(BARE_ROW, "meeting page", mode): Result(5000.0, 1.0, 2.0) for mode in run.MODES}
    assert run.is_below_target(slow, "meeting page", "cold", "detail")
    assert run.is_below_target(slow, "meeting page", "cached", "detail")
    assert not run.is_below_target(slow, "meeting page", "whole", "detail")
    slow.scale = 1
    assert not run.is_below_target(slow, "meeting page", "cold", "detail")
    assert run.is_below_target(slow, "meeting page", "cached", "detail")


def test_the_benchmarks_database_is_named_on_the_servers_address():
    url = "postgres://bench:secret@127.0.0.1:5432/g7site?sslmode=disable"
    assert run.postgres_admin_url(url, "postgres") == (
        "postgres://bench:secret@127.0.0.1:5432/postgres?sslmode=disable"
    )
