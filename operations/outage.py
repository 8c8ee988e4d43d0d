"""While PostgreSQL is down or hung: each process answers at once instead of waiting on it, and finds out
by itself when it is back.

Two pieces, each per process:

- `breaker`: once a request has failed because the database could not be reached (refused, lost, timed
  out, or dropped by the watchdog below), the process holds the database as down, and a request that
  needs it is answered with the 503 page at once (operations.middleware.DatabaseUnavailableMiddleware),
  while a thread tries the database every DATABASE_RETRY_SECONDS: the site is back within that of the
  database, with nothing to reset. A statement the server itself cancelled (statement_timeout) is not an
  outage: that request gets the 503 page, the others go on.
- `watchdog`: libpq's connect_timeout bounds a new connection and PostgreSQL's statement_timeout a query,
  but a server that takes the connection and never answers (a paused VM, a stalled disk, a process
  stopped) cancels nothing: psycopg would wait on the socket until gunicorn killed the worker. A thread
  looks at the process's connections a few times a second, and one whose command has had no answer for
  DATABASE_STATEMENT_TIMEOUT plus ANSWER_GRACE_SECONDS has its socket shut down; the waiting request then
  fails with psycopg's "server closed the connection", the pool discards the connection, and the visitor
  gets the 503 page. A connection is watched once a request has run a query on it, which covers the pool's
  check of it when a later request takes it (an empty query, where a hung server would hold the request
  too) and the commit at the end of a request.
"""

import contextlib
import logging
import os
import socket
import threading
import time
import weakref

import psycopg
from django.conf import settings
from django.db import connections
from psycopg.pq import TransactionStatus

logger = logging.getLogger(__name__)

# PostgreSQL's code for a statement it cancelled itself (statement_timeout): the server is answering.
QUERY_CANCELED = "57014"
# How much longer than statement_timeout a command may wait for its answer: the server's own cancellation
# comes first whenever the server can still send it.
ANSWER_GRACE_SECONDS = 2.0


def without_database(view):
    """Marks a view that answers without the database (liveness): it is answered even while the database is
    known to be down."""
    view.needs_database = False
    return view


def needs_database(view) -> bool:
    return getattr(view, "needs_database", True)


def means_unreachable(error: BaseException) -> bool:
    """Whether a database error says the PostgreSQL server cannot be reached or does not answer, rather than
    that one statement failed. Django keeps the driver's error as the `__cause__` of its own."""
    cause = error.__cause__
    return isinstance(cause, psycopg.Error) and cause.sqlstate != QUERY_CANCELED


class DatabaseBreaker:
    """This process's knowledge that the database is down, and the thread that finds out when it is back.

    Once a request has found the database unreachable, requests that need it are answered with the 503 page
    at once, and a thread of the process's own tries the database every DATABASE_RETRY_SECONDS until it
    answers: no visitor waits on a connection attempt meanwhile. Should that thread ever stop, the
    knowledge lapses by itself RETRY_ALLOWANCE seconds after the last failure, and requests try again.
    """

    # Longer than a try can take: the pool's wait for a connection, a statement's timeout and its grace.
    RETRY_ALLOWANCE = 15.0

    def __init__(self):
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._thread = None
        self._pid = None

    def database_failed(self, error: BaseException) -> None:
        if means_unreachable(error):
            self._hold()
            self.start_retrying()

    def known_down(self) -> bool:
        return time.monotonic() < self._down_until

    def reset(self) -> None:
        self._down_until = 0.0

    def _hold(self) -> None:
        self._down_until = time.monotonic() + settings.DATABASE_RETRY_SECONDS + self.RETRY_ALLOWANCE

    def start_retrying(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._retry, name="database-retry", daemon=True)
            self._thread.start()

    def _retry(self) -> None:
        while True:
            time.sleep(settings.DATABASE_RETRY_SECONDS)
            try:
                if self.try_database():
                    return
            finally:
                # This thread's own connections, back to the pool (or closed).
                connections.close_all()

    def try_database(self) -> bool:
        """Asks every database a query, on this thread's connections; True, and the database no longer
        known down, if each answered."""
        try:
            for alias in settings.DATABASES:
                with (
                    connections[alias].execute_wrapper(watchdog.execute_wrapper),
                    connections[alias].cursor() as cursor,
                ):
                    cursor.execute("SELECT 1")
        except Exception as error:
            logger.info("The database still does not answer: %s", error)
            self._hold()
            return False
        logger.warning("The database answers again.")
        self.reset()
        return True


class AnswerWatchdog:
    """A thread that shuts the socket of a connection whose server has not answered a command in time.

    It watches while a request is being answered (`answering()`, which the middleware enters): a command
    sent outside any request (a management command, a test's setup) is never taken for one left
    unanswered."""

    INTERVAL = 0.25

    def __init__(self):
        self._lock = threading.Lock()
        # Each watched connection and how many of its commands Django has begun or ended: a count that moves
        # is a connection at work, however busy.
        self._progress = weakref.WeakKeyDictionary()
        # Each connection found waiting on the server, with the count then and since when.
        self._waiting = weakref.WeakKeyDictionary()
        self._thread = None
        self._pid = None
        self._requests = 0

    @contextlib.contextmanager
    def answering(self):
        """While a request is answered, its connections' commands are watched."""
        with self._lock:
            self._requests += 1
        try:
            yield
        finally:
            with self._lock:
                self._requests -= 1

    def execute_wrapper(self, execute, sql, params, many, context):
        """For Django's `connection.execute_wrapper()`: watches the connection the query runs on."""
        connection = context["connection"].connection
        self._moved(connection)
        try:
            return execute(sql, params, many, context)
        finally:
            self._moved(connection)

    def _moved(self, connection) -> None:
        if not isinstance(connection, psycopg.Connection):
            return
        with self._lock:
            self._progress[connection] = self._progress.get(connection, 0) + 1
            if self._pid != os.getpid():
                # A forked process has no thread of its parent's.
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="database-answer-watchdog", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(self.INTERVAL)
            try:
                self.check()
            except Exception:
                logger.exception("The database watchdog failed to check the connections.")

    def check(self) -> None:
        """Shuts the socket of each connection that has waited past the deadline on a command."""
        timeout = settings.DATABASE_STATEMENT_TIMEOUT
        if not timeout:
            return
        now = time.monotonic()
        with self._lock:
            if not self._requests:
                self._waiting.clear()
                return
            watched = list(self._progress.items())
        for connection, count in watched:
            if connection.closed or connection.info.transaction_status != TransactionStatus.ACTIVE:
                self._waiting.pop(connection, None)
                continue
            seen = self._waiting.get(connection)
            if seen is None or seen[0] != count:
                self._waiting[connection] = (count, now)
            elif now - seen[1] > timeout + ANSWER_GRACE_SECONDS:
                self._waiting.pop(connection, None)
                logger.error(
                    "PostgreSQL has not answered a command for %.0f s: its connection is dropped.",
                    now - seen[1],
                )
                drop(connection)


def drop(connection: psycopg.Connection) -> None:
    """Shuts the connection's socket down, so that whatever waits on it fails at once."""
    try:
        descriptor = connection.fileno()
    except psycopg.Error:
        return
    with contextlib.suppress(OSError), socket.socket(fileno=os.dup(descriptor)) as sock:
        sock.shutdown(socket.SHUT_RDWR)


breaker = DatabaseBreaker()
watchdog = AnswerWatchdog()
