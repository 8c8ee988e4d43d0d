"""Real servers for the deployment tests: redis-server, a throwaway PostgreSQL cluster, gunicorn with the
production settings, and a small HTTP client that talks to them as the reverse proxy would.

Every process is started with a deadline and stopped by the fixture that started it.
"""

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30
# The public name every process is reached by, as the proxy passes it on.
SITE_HOST = "localhost"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, timeout: float, interval: float = 0.1, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(message)


def require_program(path: str | None, package: str) -> str:
    """The path of a server program; a missing one fails the test loudly rather than skipping it, since
    `make test` installs it (scripts/system-packages)."""
    if not path or not Path(path).exists():
        pytest.fail(
            f"{package} is not installed: `apt-get install {package}` (`make test` does: scripts/system-packages)."
        )
    return path


def stop_process(process: subprocess.Popen, *, sig=signal.SIGTERM, timeout: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


class RedisServer:
    def __init__(self, directory: Path):
        self.program = require_program(shutil.which("redis-server"), "redis-server")
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.start()

    def start(self) -> None:
        """Starts the server on its port (again, after stop(): empty, as a restarted Redis without
        persistence is)."""
        self.process = subprocess.Popen(
            [
                self.program,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=START_TIMEOUT, message="redis-server did not start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        stop_process(self.process)


def commands_sent(server) -> dict[str, int]:
    """The commands a Redis server was sent since the last call, by name, leaving out those of this count
    (`server` is a redis-py client of the caller's)."""
    stats = server.info("commandstats")
    server.config_resetstat()
    return {
        name.removeprefix("cmdstat_"): stat["calls"]
        for name, stat in stats.items()
        if name not in ("cmdstat_info", "cmdstat_config|resetstat")
    }


def cut_generation_watches(server) -> int:
    """Closes every process's connection that watches the content generation; how many there were."""
    from operations.generation import GenerationWatch

    watches = [client for client in server.client_list() if client["name"] == GenerationWatch.CLIENT_NAME]
    for client in watches:
        server.client_kill_filter(_id=client["id"])
    return len(watches)


def postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not versions:
        pytest.fail(
            "PostgreSQL is not installed: `apt-get install postgresql` (`make test` does: scripts/system-packages)."
        )
    return versions[-1].parent


class PostgresCluster:
    """A cluster of its own in a temporary directory, as scripts/with-postgresql starts one: run as the postgres user
    when the tests run as root (PostgreSQL refuses to run as root)."""

    def __init__(self, directory: Path, *, copy_of: "PostgresCluster | None" = None):
        """A new cluster with an empty database g7site, or a copy of the stopped cluster `copy_of` (its
        files as they are: a copy of a migrated cluster is migrated, in a second rather than initdb's and
        the migrations' fifteen)."""
        self.bin = postgres_bin()
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/g7site"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(directory, "postgres")
        if copy_of is not None:
            self._run_command(["cp", "-a", str(copy_of.data), str(self.data)])
            self.start()
            return
        self._run("initdb", "-D", str(self.data), "-E", "UTF8", "--locale=C.UTF-8", "-U", "postgres",
                  "--auth=trust")  # fmt: skip
        self.start()
        self._run("createdb", "-h", str(directory), "-p", str(self.port), "-U", "postgres", "g7site")

    def _run(self, program: str, *arguments: str) -> None:
        self._run_command([str(self.bin / program), *arguments])

    def _run_command(self, command: list[str]) -> None:
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "log"), "-w", "-t", "30",
                  "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop")

    def processes(self) -> list[int]:
        """The server's process ids: the postmaster's and its children's (the backends, the checkpointer…)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, timeout=10
        )
        return [postmaster, *(int(pid) for pid in children.stdout.split())]

    def pause(self) -> None:
        """Hangs the server as a paused machine or a stalled disk would: every process of it is stopped, its
        sockets stay open, and nothing it was asked is answered."""
        self.paused = self.processes()
        for pid in self.paused:
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in getattr(self, "paused", []):
            os.kill(pid, signal.SIGCONT)
        self.paused = []

    def is_running(self) -> bool:
        command = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0


def production_environ(**overrides) -> dict:
    """The environment of a production process on this machine: prod settings, a fresh 50+ character
    secret key, loopback hosts; nothing inherited from the test run's own settings."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_", "EMAIL_", "SITE_URL"))
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="g7site.settings.prod",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    environ.update({key: str(value) for key, value in overrides.items()})
    return environ


def manage(environ: dict, *arguments: str, timeout: float = 120) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    cookies: SimpleCookie = field(default_factory=SimpleCookie)

    @property
    def text(self) -> str:
        return self.body.decode()

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


class Gunicorn:
    """gunicorn with the production settings, answering on 127.0.0.1 as it would behind the proxy."""

    def __init__(self, environ: dict, log: Path, *, workers: int = 1):
        self.port = free_port()
        self.environ = environ
        self.log_path = log
        self.log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:g7site.gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "g7site.wsgi",
            ],
            cwd=ROOT,
            env=environ,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until(
                self._alive, timeout=START_TIMEOUT, interval=0.2, message=f"gunicorn did not start: {log}"
            )
        except TimeoutError:
            self.stop()
            raise

    def _alive(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_text()}")
        try:
            return self.get("/healthz").status == 200
        except OSError:
            return False

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def request(self, method: str, path: str, *, data=None, headers=None, cookies=None) -> Response:
        """One request as the TLS-terminating proxy passes it on: the site's host name, whichever process
        answers, and X-Forwarded-Proto https."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        all_headers = {"Host": SITE_HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        try:
            connection.request(method, path, body=body, headers=all_headers)
            raw = connection.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            response.cookies.load(value)
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def stop(self) -> None:
        stop_process(self.process)
        self.log.close()
