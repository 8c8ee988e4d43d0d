"""The benchmark: g7site under gunicorn with production settings, on PostgreSQL and SQLite, at 1× and 100×
data, measured with wrk on loopback against two floors: the bare Django floor (bench/bare: what
`django-admin startproject` gives, a view returning "ok" through Django's default middleware, served by a
gunicorn of the same worker settings), which the targets are set against, and the site's own floor (a
constant string through the site's whole middleware stack, /bench/floor); the difference of the two is
what the site's middleware costs a request. Writes docs/performance.md (or --output).

    make bench                      # everything, about twenty minutes
    uv run python bench/run.py --rounds 1 --databases sqlite --scales 1   # a quick look

PostgreSQL: a database `g7site_bench` is created (and dropped at the end) on the server of
BENCH_DATABASE_URL, else DATABASE_URL; without either, PostgreSQL is skipped. SQLite: a temporary file.
A redis-server of its own serves the page cache. Every run of wrk is bounded by --duration
(an address) or --floor-duration (either floor).
"""

import argparse
import datetime
import itertools
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "/bench/floor"
# The bare Django floor's project and its one address.
BARE_APPLICATION = "bench.bare.wsgi"
BARE_FLOOR = "/"
# The floors' rows in the report; every other row is an address.
BARE_ROW = "bare Django floor"
SITE_ROW = "site floor"
FLOOR_ROWS = (BARE_ROW, SITE_ROW)
TAKASAKI = "g7-2023-digital-and-tech-takasaki"
DECLARATION = "g7-2023-digital-and-tech-ministerial-declaration"

# (name, kind, path): kind chooses the target (uncached: detail 5 %, list 3 % of the bare floor).
ENDPOINTS = [
    ("home", "list", "/en/"),
    ("meeting list", "list", "/en/meetings/"),
    ("meeting list, filtered", "list", "/en/meetings/?year=2023&portfolio=digital&kind=ministerial"),
    ("meeting", "detail", f"/en/meetings/{TAKASAKI}/"),
    ("declaration", "detail", f"/en/declarations/{DECLARATION}/"),
    ("annex", "detail", f"/en/declarations/{DECLARATION}/annexes/1/"),
    ("search, Japanese", "list", "/ja/search/?q=" + urllib.parse.quote("宣言")),
    ("search, English", "list", "/en/search/?q=digital"),
    ("API meeting list", "list", "/api/v1/meetings/"),
    ("API declaration list", "list", "/api/v1/declarations/?kind=ministerial_declaration"),
    ("API meeting", "detail", f"/api/v1/meetings/{TAKASAKI}/"),
    ("API declaration", "detail", f"/api/v1/declarations/{DECLARATION}/"),
]
# Answered with 304 to a client that holds them (If-None-Match).
CONDITIONAL = [
    ("meeting", f"/en/meetings/{TAKASAKI}/"),
    ("API declaration", f"/api/v1/declarations/{DECLARATION}/"),
]
# Ratios to the bare Django floor.
TARGETS = {"detail": 0.05, "list": 0.03, "cached": 0.60, "304": 0.60}
# How each server is run: *cold* renders every page (the page cache off), around what the record cache keeps
# of its body (operations/records.py); *whole* has the record cache off too, so that every page is read and
# drawn whole, as after a change of what it shows (at 100× only); *cached* has the page cache on.
MODES = ("cold", "whole", "cached")
PAGE_MODES = ("cold", "cached")


@dataclass
class Result:
    rps: float
    p50: float  # milliseconds
    p99: float
    errors: int = 0


@dataclass
class Scenario:
    database: str
    scale: int
    generate_seconds: float | None = None
    results: dict = field(default_factory=dict)  # (name, mode) -> Result; mode cold, whole, cached, 304
    # (floor row, name, mode) -> the floor (BARE_ROW or SITE_ROW) the address is compared to
    floors: dict = field(default_factory=dict)
    spread: dict = field(default_factory=dict)  # (floor row, name, mode) -> the ratio of each of its runs
    memory: dict = field(default_factory=dict)  # mode -> peak RSS of a worker, MiB


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False):
    command = [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, duration: int, connections: int, headers: dict | None = None) -> Result:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(rps, p50, p99, int(errors.group(1)) if errors else 0)


def fetch(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        return response.status, response.headers


def warm(url: str, connections: int) -> None:
    """Requests `url` from `connections` clients at once, a few times each, so that every worker has
    answered it (one client after another would be answered by one worker) before it is timed."""
    with ThreadPoolExecutor(connections) as pool:
        statuses = list(pool.map(lambda _: fetch(url)[0], range(connections * 4)))
    assert set(statuses) == {200}, (url, statuses)


class Gunicorn:
    """The site (g7site.wsgi with the site's gunicorn settings) or, with `bare`, the bare Django floor: the
    same worker class, number of workers, preloading and worker lifetime, gunicorn's defaults otherwise."""

    def __init__(self, env, port, workers, bare=False):
        self.port = port
        if bare:
            settings = ["--worker-class", "sync", "--preload", "--no-control-socket"]
            application, ready = BARE_APPLICATION, BARE_FLOOR
        else:
            settings = ["--config", "python:g7site.gunicorn"]
            application, ready = "g7site.wsgi", "/healthz"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                *settings,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                # No worker is replaced mid-run: its peak memory is the run's.
                "--max-requests",
                "0",
                application,
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(self.url(ready))
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def peak_worker_memory(self) -> float:
        """The largest peak resident set (VmHWM) among the workers, in MiB."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        peaks = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return max(peaks)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def postgres_admin_url(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def create_postgres_database(url: str) -> str:
    import psycopg

    name = "g7site_bench"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return postgres_admin_url(url, name)


def drop_postgres_database(url: str):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute('DROP DATABASE IF EXISTS "g7site_bench" WITH (FORCE)')


def run_scenario(scenario: Scenario, base_env: dict, args, log) -> None:
    env = dict(base_env)
    server_url = args.postgres_url
    if scenario.database == "PostgreSQL":
        env["DATABASE_URL"] = create_postgres_database(server_url)
    else:
        directory = tempfile.mkdtemp(prefix="g7site-bench-")
        env["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    try:
        log(f"{scenario.database} {scenario.scale}×: migrate and load the fixtures")
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_records", "-v", "0")
        if scenario.scale > 1:
            started = time.perf_counter()
            manage(env, "generate_archive", "--scale", str(scenario.scale), "--seed", "2023")
            scenario.generate_seconds = time.perf_counter() - started
            log(f"  generate_archive --scale {scenario.scale}: {scenario.generate_seconds:.1f} s")
        for mode in MODES:
            if mode == "whole" and scenario.scale < 100:
                continue
            mode_env = dict(env)
            if mode in ("cold", "whole"):
                mode_env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
            if mode == "whole":
                mode_env["DJANGO_RECORD_CACHE_SECONDS"] = "0"
            server = Gunicorn(mode_env, free_port(), args.workers)
            try:
                measure(server, scenario, mode, args, log)
                scenario.memory[mode] = server.peak_worker_memory()
            finally:
                server.stop()
    finally:
        if scenario.database == "PostgreSQL":
            drop_postgres_database(server_url)
        else:
            shutil.rmtree(directory, ignore_errors=True)


def combined(runs: list[Result]) -> Result:
    """Runs of the same length as one: the mean of their rates, the median of their medians and the worst
    of their 99th percentiles."""
    p50s = sorted(run.p50 for run in runs)
    return Result(
        sum(run.rps for run in runs) / len(runs),
        p50s[len(p50s) // 2],
        max(run.p99 for run in runs),
        sum(run.errors for run in runs),
    )


def measure(server: Gunicorn, scenario: Scenario, mode: str, args, log) -> None:
    def run(url, seconds, headers=None):
        return wrk(url, seconds, args.connections, headers)

    def both_floors():
        """The site's floor, then the bare floor, each for `floor_duration` seconds."""
        return {
            SITE_ROW: run(server.url(FLOOR), args.floor_duration),
            BARE_ROW: run(args.bare.url(BARE_FLOOR), args.floor_duration),
        }

    # The machine's speed drifts, by a third within a few seconds at times (other load on a shared machine),
    # so both floors are measured beside every address, interleaved with it: the address is timed in
    # `rounds` runs of `duration` seconds, and the site's floor and then the bare floor for `floor_duration`
    # seconds each before, between and after them. Each run of the address is compared with the mean of the
    # two runs of each floor beside it, so that all three see the machine as it was (one floor's run before
    # it and the other's after it are the nearer, so neither is favoured); an address's floor is the mean of
    # those, over the same span.
    warm(server.url(FLOOR), args.connections)
    last = both_floors()
    floors = {row: [last[row]] for row in FLOOR_ROWS}

    def timed(name, key, path, headers=None):
        nonlocal last
        runs, beside = [], [last]
        for _round in range(args.rounds):
            runs.append(run(server.url(path), args.duration, headers))
            last = both_floors()
            beside.append(last)
        result = scenario.results[key] = combined(runs)
        shown = []
        for row in FLOOR_ROWS:
            floors[row].extend(each[row] for each in beside[1:])
            pairs = [(before[row].rps + after[row].rps) / 2 for before, after in itertools.pairwise(beside)]
            floor = combined([each[row] for each in beside])
            floor.rps = sum(pairs) / len(pairs)
            scenario.floors[(row, *key)] = floor
            spread = [address.rps / pair for address, pair in zip(runs, pairs, strict=True)]
            scenario.spread[(row, *key)] = spread
            each = ", ".join(f"{value:.1%}" for value in spread)
            shown.append(f"{row.split()[0]} {floor.rps:6.0f} {result.rps / floor.rps:6.1%} ({each})")
        log(
            f"  {mode:6} {name:28} {result.rps:8.0f} req/s  {'  '.join(shown)}"
            f"  p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms"
        )

    for name, _kind, path in ENDPOINTS:
        # Every worker answers each address before it is timed (and, cached, fills the cache with it).
        warm(server.url(path), args.connections)
        timed(name, (name, mode), path)
    if mode == "cached":
        for name, path in CONDITIONAL:
            _status, headers = fetch(server.url(path))
            etag = headers["ETag"]
            request = urllib.request.Request(server.url(path), headers={"If-None-Match": etag})
            try:
                urllib.request.urlopen(request, timeout=30)
                raise AssertionError(f"{path} answered its own ETag with 200")
            except urllib.error.HTTPError as answer:
                assert answer.code == 304, (path, answer.code)
            timed(f"{name} (304)", (name, "304"), path, {"If-None-Match": etag})
    # Each floor's row in the report: the median of its runs.
    for row in FLOOR_ROWS:
        ordered = sorted(floors[row], key=lambda result: result.rps)
        scenario.results[(row, mode)] = ordered[len(ordered) // 2]
    request, worker, fraction = middleware_cost(scenario, mode, args.workers)
    log(
        f"  {mode:6} floors: bare {scenario.results[(BARE_ROW, mode)].rps:.0f} req/s, site"
        f" {scenario.results[(SITE_ROW, mode)].rps:.0f} req/s ({fraction:.1%} of the bare): the site's middleware"
        f" costs {request:,.0f} µs a request ({worker:,.0f} µs of a worker's time, {args.workers} workers)"
    )


def floor_of(scenario: Scenario, name: str, mode: str, against: str = BARE_ROW) -> Result:
    """The floor (BARE_ROW or SITE_ROW) an address, or the other floor's row, is compared to."""
    if name in FLOOR_ROWS:
        return scenario.results[(against, mode)]
    return scenario.floors[(against, name, mode)]


def ratio(scenario: Scenario, name: str, mode: str, against: str = BARE_ROW) -> float:
    return scenario.results[(name, mode)].rps / floor_of(scenario, name, mode, against).rps


def middleware_cost(scenario: Scenario, mode: str, workers: int) -> tuple[float, float, float]:
    """What the site's middleware costs a request beyond Django's default middleware, from the floors'
    rows: microseconds a request at the server's rate (1/site floor − 1/bare floor), the same times the
    workers (a worker's time a request, the workers serving at once), and the site floor's share of the
    bare floor."""
    site = scenario.results[(SITE_ROW, mode)].rps
    bare = scenario.results[(BARE_ROW, mode)].rps
    request = (1 / site - 1 / bare) * 1e6
    return request, request * workers, site / bare


def target_of(name: str, mode: str, kind: str) -> float:
    return TARGETS[mode] if mode in ("cached", "304") else TARGETS[kind]


def is_below_target(scenario, name: str, mode: str, kind: str) -> bool:
    """An address's row below its target: uncached rows count at 100× only, and *whole* is no target."""
    if mode == "whole" or (mode == "cold" and scenario.scale < 100):
        return False
    return ratio(scenario, name, mode) < target_of(name, mode, kind)


def report(scenarios, args, command, started, finished) -> tuple[str, list]:
    kinds = dict((name, kind) for name, kind, _ in ENDPOINTS)
    misses = []
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (bench/run.py); do not edit by hand, run it again. How fast g7site answers on",
        "this machine, as ratios to two floors, each measured beside every address:",
        "",
        "- the **bare Django floor**, which the targets are set against: a project as `django-admin",
        "  startproject` makes it (bench/bare: its apps and Django's default middleware, DEBUG off, no",
        '  database) whose one view returns "ok", served by a gunicorn of the same worker settings. A ratio of',
        "  5 % means a twentieth of the requests per second Django itself can serve here;",
        "- the **site floor** (/bench/floor): a constant string served by the site's gunicorn through the",
        "  site's whole middleware stack. A ratio above 100 % means a cached page is answered before middleware",
        "  that the site floor still passes through.",
        "",
        "The difference of the two floors is what the site's middleware costs a request (below).",
        "",
        "## How it was measured",
        "",
        f"- Command: `{command}`",
        f"- When: {started:%Y-%m-%d %H:%M} to {finished:%H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Server: gunicorn ({args.workers} sync workers, g7site.gunicorn), `g7site.settings.prod`, DEBUG off,",
        "  page cache and record cache in a redis-server of the harness's own; *cold* is the same server",
        "  with `DJANGO_PAGE_CACHE_SECONDS=0` (every request renders its page, around what the record cache",
        "  keeps of a record's page body or API record, operations/records.py), *whole* with",
        "  `DJANGO_RECORD_CACHE_SECONDS=0` as well (every page read and drawn whole, as after a change of",
        "  what it shows; at 100× only), *cached* with the page cache on and warmed, *304* a client sending",
        "  the page's ETag back.",
        "- Bare floor: `bench.bare.wsgi` under a gunicorn of its own, one for the whole run, with the site's",
        f"  worker settings ({args.workers} sync workers, the application preloaded, `--max-requests 0`) and",
        "  gunicorn's defaults otherwise; it reads no database.",
        f"- Load: wrk on loopback, 1 thread, {args.connections} connections, after {args.connections * 4} requests from",
        f"  {args.connections} clients at once (every worker has answered the address); latencies are wrk's percentiles.",
        "  No worker is replaced during a run (`--max-requests 0`, so that a worker's peak memory is the run's);",
        "  the site's workers are forked from a master that has compiled the templates and read the catalogues",
        "  (operations/warmup.py), as in production, where one is replaced every 2,000 or so requests.",
        f"- Floors: measured beside every address, interleaved with it: the address is timed in {args.rounds} runs of",
        f"  {args.duration} s, the site floor and then the bare floor for {args.floor_duration} s each before, between and",
        "  after them. Each run of the address is compared with the mean of the two runs of each floor beside it",
        "  (*each run*: against the bare floor), so that they see the machine as it was; *floor req/s* is the",
        "  mean of those, and *of the floor* the address's mean rate over it. An address's p50 is the median of",
        "  its runs', its p99 the worst. A floor's own row is the median of its runs.",
        "- Data: 1× is the fixtures (the source's records); 100× adds `generate_archive --scale 100`",
        "  (1,800 meetings, 5,000 documents, 50,000 themes and items, 900 commitments, each assessed, and 2,000",
        "  follow-ups, both languages), search index rebuilt.",
        "",
        "## Targets",
        "",
        "| target | holds |",
        "| --- | --- |",
    ]
    checks = []
    for scenario in scenarios:
        for name, kind, _ in ENDPOINTS:
            for mode in ("cold", "whole", "cached"):
                if (mode in ("cold", "whole") and scenario.scale < 100) or (
                    name,
                    mode,
                ) not in scenario.results:
                    continue
                value = ratio(scenario, name, mode)
                goal = target_of(name, mode, kind)
                checks.append((scenario, name, mode, kind, value, goal))
        for name, _ in CONDITIONAL:
            value = ratio(scenario, name, "304")
            checks.append((scenario, name, "304", "304", value, TARGETS["304"]))

    def share(kind):
        return f"{TARGETS[kind] * 100:.0f} % of the bare floor"

    groups = [
        (f"every uncached detail page and API detail at 100× ≥ {share('detail')}", "detail", ("cold",)),
        (f"every uncached list, search and API list at 100× ≥ {share('list')}", "list", ("cold",)),
        (f"every cached page ≥ {share('cached')}", None, ("cached",)),
        (f"every 304 ≥ {share('304')}", None, ("304",)),
    ]
    for title, kind, modes in groups:
        group = [c for c in checks if c[2] in modes and (kind is None or c[3] == kind)]
        if not group:
            continue
        failed = [c for c in group if c[4] < c[5]]
        misses += failed
        lowest = min(group, key=lambda c: c[4])
        verdict = "yes" if not failed else f"**no**: {len(failed)} of {len(group)} below"
        lines.append(
            f"| {title} | {verdict} (lowest {lowest[4]:.0%}: {lowest[1]}, {lowest[0].database} {lowest[0].scale}×) |"
        )
    whole = [c for c in checks if c[2] == "whole"]
    if whole:
        lowest, highest = min(whole, key=lambda c: c[4]), max(whole, key=lambda c: c[4])
        lines.append(
            f"| not a target: every uncached address at 100× read and drawn whole (*whole*: the record cache off "
            f"too, as after a change of what it shows) | {lowest[4]:.1%} ({lowest[1]}, {lowest[0].database} "
            f"{lowest[0].scale}×) to {highest[4]:.1%} ({highest[1]}, {highest[0].database} {highest[0].scale}×) |"
        )
    lines.append(
        "| no page or API response uses more than 10 queries; no query count grows with the rows | asserted by "
        "tests/performance/test_scale.py at 1× and 100×, on SQLite and PostgreSQL |"
    )
    lines += middleware_section(scenarios, args.workers)
    lines += [
        "",
        "## Data generation and memory",
        "",
        "| database | data | generate_archive | peak RSS a worker, cold | cached |",
    ]
    lines.append("| --- | --- | --- | --- | --- |")
    for scenario in scenarios:
        generated = f"{scenario.generate_seconds:.1f} s" if scenario.generate_seconds else "—"
        lines.append(
            f"| {scenario.database} | {scenario.scale}× | {generated} | {scenario.memory['cold']:.0f} MiB "
            f"| {scenario.memory['cached']:.0f} MiB |"
        )
    for scenario in scenarios:
        lines += [
            "",
            f"## {scenario.database}, {scenario.scale}×",
            "",
            "| endpoint | mode | req/s | bare floor req/s | of the bare floor | each run | site floor req/s "
            "| of the site floor | p50 ms | p99 ms | p50 × bare floor | p99 × bare floor |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        rows = [(row, mode) for mode in MODES for row in FLOOR_ROWS if (row, mode) in scenario.results]
        rows += [
            (name, mode) for name, _, _ in ENDPOINTS for mode in MODES if (name, mode) in scenario.results
        ]
        rows += [(name, "304") for name, _ in CONDITIONAL]
        for name, mode in rows:
            result = scenario.results[(name, mode)]
            bare = floor_of(scenario, name, mode, BARE_ROW)
            site = floor_of(scenario, name, mode, SITE_ROW)
            mark = ""
            if name not in FLOOR_ROWS and is_below_target(scenario, name, mode, kinds.get(name, "detail")):
                mark = " ✗"
            each = " / ".join(f"{value:.1%}" for value in scenario.spread.get((BARE_ROW, name, mode), []))
            lines.append(
                f"| {name} | {mode} | {result.rps:.0f} | {bare.rps:.0f} | {result.rps / bare.rps:.1%}{mark} "
                f"| {each or '—'} | {site.rps:.0f} | {result.rps / site.rps:.1%} | {result.p50:.2f} "
                f"| {result.p99:.2f} | {result.p50 / bare.p50:.1f} | {result.p99 / bare.p99:.1f} |"
            )
    return "\n".join(lines) + "\n", misses


def middleware_section(scenarios, workers: int) -> list[str]:
    """What the site's middleware costs a request: the two floors of each server, side by side."""
    if not scenarios:
        return []
    costs = [
        (scenario, mode, *middleware_cost(scenario, mode, workers))
        for scenario in scenarios
        for mode in PAGE_MODES
    ]

    def span(values, form):
        low, high = form(min(values)), form(max(values))
        return low if low == high else f"{low}–{high}"

    request = span([c[2] for c in costs], lambda value: f"{value:,.0f}")
    worker = span([c[3] for c in costs], lambda value: f"{value:,.0f}")
    fraction = span([c[4] for c in costs], lambda value: f"{value * 100:.0f}")
    lines = [
        "",
        "## What the site's middleware costs",
        "",
        f"**The site's middleware costs a request {request} µs more than Django's default middleware",
        f"({worker} µs of a worker's time, {workers} workers): the site floor is {fraction} % of the bare floor.**",
        "",
        "A request's cost is 1/site floor − 1/bare floor, from the floors' rows (the median of each floor's",
        f"runs while that server was measured); the {workers} workers serve at once, so a worker spends {workers}",
        "times as long.",
        "",
        "| database | data | mode | bare floor req/s | site floor req/s | site floor of the bare "
        "| µs a request | µs of a worker's time |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario, mode, per_request, per_worker, share in costs:
        lines.append(
            f"| {scenario.database} | {scenario.scale}× | {mode} "
            f"| {scenario.results[(BARE_ROW, mode)].rps:.0f} | {scenario.results[(SITE_ROW, mode)].rps:.0f} "
            f"| {share:.1%} | {per_request:,.0f} | {per_worker:,.0f} |"
        )
    return lines


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) // 1024
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory / 1024:.1f} GiB; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {wrk_version}"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--duration", type=int, default=2, help="Seconds a run of wrk on an address (default 2)."
    )
    parser.add_argument("--rounds", type=int, default=2, help="Runs of each address (default 2).")
    parser.add_argument(
        "--floor-duration",
        type=int,
        default=1,
        help="Seconds a run of wrk on each floor, the site's and the bare one (default 1).",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=16,
        help="wrk's connections, for every address and both floors (default 16, as the targets are set).",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="gunicorn's sync workers, the site's and the bare floor's alike (default 2, as the targets are "
        "set: one a core of this machine).",
    )
    parser.add_argument("--scales", default="1,100", help="Data scales, comma-separated (default 1,100).")
    parser.add_argument(
        "--databases", default="postgresql,sqlite", help="Comma-separated (default postgresql,sqlite)."
    )
    parser.add_argument(
        "--output",
        default=str(ROOT / "docs" / "performance.md"),
        help="Where the report is written (default docs/performance.md).",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Comma-separated names of addresses (as the report names them, e.g. 'meeting,API declaration'):"
        " measure only these, and their 304s; for a quick look, the report covers only them.",
    )
    args = parser.parse_args()
    if args.only:
        global ENDPOINTS, CONDITIONAL
        wanted = {name.strip() for name in args.only.split(",")}
        unknown = wanted - {name for name, _kind, _path in ENDPOINTS}
        if unknown:
            parser.error(f"no address named {', '.join(sorted(unknown))}")
        ENDPOINTS = [endpoint for endpoint in ENDPOINTS if endpoint[0] in wanted]
        CONDITIONAL = [conditional for conditional in CONDITIONAL if conditional[0] in wanted]
    args.postgres_url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not args.postgres_url.startswith("postgres"):
        args.postgres_url = ""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")

    def log(message):
        print(message, flush=True)

    started = datetime.datetime.now(datetime.UTC)
    redis_port = free_port()
    redis = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    base_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "GUNICORN", "API_"))
    }
    base_env.update(
        DJANGO_SETTINGS_MODULE="g7site.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="False",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        G7SITE_BENCH_FLOOR="True",
        # The anonymous throttle stays in the stack, at a rate one client on loopback cannot reach.
        API_ANON_RATE="100000000/min",
    )
    scenarios = []
    # The bare Django floor: one server for the whole run, with no setting of the site's.
    bare_env = {
        key: value
        for key, value in base_env.items()
        if not key.startswith(("DJANGO_", "REDIS_URL", "G7SITE_", "API_"))
    }
    bare_env["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
    args.bare = None
    try:
        args.bare = Gunicorn(bare_env, free_port(), args.workers, bare=True)
        warm(args.bare.url(BARE_FLOOR), args.connections)
        manage({**base_env, "DATABASE_URL": "sqlite:///:memory:"}, "collectstatic", "--no-input", "-v", "0")
        for database in args.databases.split(","):
            if database == "postgresql" and not args.postgres_url:
                log("PostgreSQL skipped: set BENCH_DATABASE_URL or DATABASE_URL to a server.")
                continue
            for scale in (int(s) for s in args.scales.split(",")):
                scenario = Scenario("PostgreSQL" if database == "postgresql" else "SQLite", scale)
                run_scenario(scenario, base_env, args, log)
                scenarios.append(scenario)
                subprocess.run(["redis-cli", "-p", str(redis_port), "flushall"], capture_output=True)
    finally:
        if args.bare is not None:
            args.bare.stop()
        redis.terminate()
        redis.wait()
    finished = datetime.datetime.now(datetime.UTC)
    command = "make bench" + (f" BENCH_ARGS='{' '.join(sys.argv[1:])}'" if sys.argv[1:] else "")
    text, misses = report(scenarios, args, command, started, finished)
    notes = Path(__file__).with_name("notes.md")
    if notes.exists():
        text += "\n" + notes.read_text()
    Path(args.output).write_text(text)
    log(f"Wrote {args.output}; {len(misses)} measurement(s) below target.")
    for scenario, name, mode, _kind, value, goal in misses:
        log(f"  below target: {scenario.database} {scenario.scale}× {name} {mode}: {value:.1%} < {goal:.0%}")


if __name__ == "__main__":
    main()
