"""The primary/replica router: writes to the primary; reads to the replica only for visitors' GETs."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import RequestFactory

from meetings.models import Meeting
from operations.db_router import PrimaryReplicaRouter, reading_from_replica
from operations.middleware import ReplicaReadsMiddleware

from .servers import manage, production_environ


@pytest.fixture
def with_replica(monkeypatch):
    # Only the alias's presence matters to the router; no connection is opened.
    monkeypatch.setitem(settings.DATABASES, "replica", {})


def test_without_a_replica_everything_goes_to_the_primary():
    router = PrimaryReplicaRouter()
    with reading_from_replica():
        assert router.db_for_read(Meeting) == "default"
    assert router.db_for_write(Meeting) == "default"


def test_reads_go_to_the_replica_only_where_opened(with_replica):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Meeting) == "default"
    with reading_from_replica():
        assert router.db_for_read(Meeting) == "replica"
        assert router.db_for_write(Meeting) == "default"
        # Related objects are read where their instance was read.
        instance = SimpleNamespace(_state=SimpleNamespace(db="default"))
        assert router.db_for_read(Meeting, instance=instance) == "default"
    assert router.allow_migrate("replica", "meetings") is False
    assert router.allow_migrate("default", "meetings") is True


@pytest.mark.parametrize(
    ("method", "headers", "cookies", "replica"),
    [
        ("GET", {}, {}, True),
        ("HEAD", {}, {}, True),
        ("POST", {}, {}, False),
        ("GET", {"Authorization": "Token abc"}, {}, False),
        ("GET", {}, {"sessionid": "abc"}, False),
    ],
)
def test_only_visitors_safe_requests_read_from_the_replica(with_replica, method, headers, cookies, replica):
    seen = []
    middleware = ReplicaReadsMiddleware(
        lambda request: seen.append(PrimaryReplicaRouter().db_for_read(Meeting))
    )
    request = RequestFactory().generic(method, "/en/meetings/", headers=headers)
    request.COOKIES.update(cookies)
    middleware(request)
    assert seen == ["replica" if replica else "default"]


def test_a_real_replica_serves_reads_and_never_receives_writes(tmp_path):
    """Two databases, as DATABASE_URL and DATABASE_REPLICA_URL configure them: a row written goes to the
    primary only, and reads inside reading_from_replica() come from the replica."""
    environ = production_environ(
        DATABASE_URL=f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    )
    result = manage(
        environ,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.sessions.models import Session\n"
        "from django.db import connections\n"
        "from django.utils import timezone\n"
        "from operations.db_router import reading_from_replica\n"
        "for alias in ('default', 'replica'):\n"
        "    with connections[alias].schema_editor() as editor:\n"
        "        editor.create_model(Session)\n"
        "Session.objects.create(session_key='written', session_data='x', expire_date=timezone.now())\n"
        "print(Session.objects.filter(session_key='written').exists())\n"
        "with reading_from_replica():\n"
        "    print(Session.objects.filter(session_key='written').exists())\n"
        "print(Session.objects.using('replica').count())\n",
    )
    assert result.stdout.split() == ["True", "False", "0"]
