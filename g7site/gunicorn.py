"""gunicorn's settings for g7site (`gunicorn --config python:g7site.gunicorn g7site.wsgi`).

Each value can be changed on the command line or through GUNICORN_CMD_ARGS; docs/deployment.md explains
the choices.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers, 2 × cores + 1: while one waits on the database another uses the core.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer than this is killed and its worker replaced; pages take milliseconds.
timeout = 30
graceful_timeout = 30
# Behind a proxy that keeps connections to the application open.
keepalive = 5
# Workers are replaced now and then, so that memory a long life accumulates is given back.
max_requests = 2000
max_requests_jitter = 200
# The application is imported once, in the master, and each worker is forked from it: a replaced worker
# answers at once instead of spending a second importing Django again (at 1,500 requests a second a
# worker is replaced every few seconds), and the workers share the imported code's memory.
preload_app = True


# The application logs each request as a JSON line (operations.middleware.RequestLogMiddleware).
accesslog = None
errorlog = "-"
# X-Forwarded-* headers are believed from the proxy only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's runtime control socket is one path per user: several instances on one host (as the tests
# start) would take it from each other, and nothing here uses it.
control_socket_disable = True


# Objects made, less those freed, before the garbage collector looks at the youngest (Python's default is
# 700). A request makes thousands, most of which live until its response is sent (its records, their
# texts, the page's parts), so at 700 a collection came once or twice a request and walked them all each
# time, and every tenth one the older too: 0.3–0.8 ms of a search page's CPU, 0.2–0.4 ms of a document's
# record. At 10,000 it comes every few requests, 0.1–0.3 ms a request, and what waits to be collected is
# a few megabytes at most.
YOUNGEST_GENERATION_THRESHOLD = 10_000


def when_ready(server):
    """Before the first worker is forked: what each would otherwise build on its first requests; then
    everything the master holds is set aside from the garbage collector (gc.freeze(), as Python's
    documentation advises before a fork). A worker's full collections then walk only what it made
    itself, not the tens of thousands of objects of Django, the templates and the catalogues (some 60 ms
    a collection, every few hundred requests, where it now takes a fifth of that), and collecting no
    longer writes to the pages of memory the workers share with the master. The workers inherit the
    collector's thresholds from the master."""
    if server.cfg.preload_app:
        from operations.warmup import warm_up

        warm_up()
    gc.freeze()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, *gc.get_threshold()[1:])


def post_fork(server, worker):
    """A worker opens its own connections: none made by the master may be shared across processes."""
    from django.db import connections

    connections.close_all()
