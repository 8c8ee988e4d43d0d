"""gunicorn's configuration (g7site/gunicorn.py): the master warms the site up when it preloads it, and each
forked worker opens its own database connections."""

import gc
from types import SimpleNamespace

from g7site import gunicorn
from operations import warmup


def test_gunicorn_warms_the_master_up_only_when_it_preloads_the_application(monkeypatch):
    calls = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append(True))

    thresholds = gc.get_threshold()
    try:
        gunicorn.when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))
        assert calls == []
        gunicorn.when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
        assert calls == [True]
        # What the master holds is frozen out of the workers' collections, which come less often.
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == (gunicorn.YOUNGEST_GENERATION_THRESHOLD, *thresholds[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_gunicorn_forks_workers_from_a_loaded_application_that_share_no_connection(monkeypatch):
    from django.db import connections

    from g7site import gunicorn

    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    assert gunicorn.preload_app is True
    gunicorn.post_fork(server=None, worker=None)
    assert closed == [True]
