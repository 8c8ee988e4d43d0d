"""Backups of the whole database: pg_dump's custom format for PostgreSQL, SQLite's online backup API for
SQLite. Both are taken while the site keeps running, and restore into an empty or an existing database.
"""

import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def vendor(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in SUFFIXES:
        raise CommandError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def new_backup_path(alias: str = "default") -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"g7site-{stamp}{SUFFIXES[vendor(alias)]}"


def latest_backup(alias: str = "default") -> Path:
    suffix = SUFFIXES[vendor(alias)]
    candidates = sorted(Path(settings.BACKUP_DIR).glob(f"g7site-*{suffix}"))
    if not candidates:
        raise CommandError(f"No backup ending in {suffix} in {settings.BACKUP_DIR}.")
    return candidates[-1]


def backup(path: Path, alias: str = "default") -> None:
    if vendor(alias) == "postgresql":
        _run_pg("pg_dump", alias, ["--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    else:
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            # Page by page, consistent even while other connections write.
            connection.connection.backup(target)
        finally:
            target.close()


def restore(path: Path, alias: str = "default") -> None:
    if not path.is_file():
        raise CommandError(f"No such backup: {path}")
    if vendor(alias) == "postgresql":
        # Drop each object of the dump before creating it again, all in one transaction: a restore that
        # fails leaves the database as it was.
        _run_pg(
            "pg_restore",
            alias,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", str(path)],
        )
    else:
        connection = connections[alias]
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            # Replaces every page of the live database; other connections see the restored data.
            source.backup(connection.connection)
        finally:
            source.close()
    connections[alias].close()


def _run_pg(program: str, alias: str, arguments: list[str]) -> None:
    params = connections[alias].settings_dict
    env = {**os.environ, "PGPASSWORD": params.get("PASSWORD") or ""}
    command = [
        _pg_program(program, alias),
        f"--dbname={params['NAME']}",
        f"--host={params.get('HOST') or 'localhost'}",
        f"--port={params.get('PORT') or 5432}",
        f"--username={params.get('USER') or os.environ.get('USER', '')}",
        *arguments,
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"{program} failed ({result.returncode}): {result.stderr.strip()}")


def _pg_program(program: str, alias: str) -> str:
    """The client of the server's major version: an older pg_dump refuses a newer server, and Debian
    installs each version's clients in /usr/lib/postgresql/<major>/bin."""
    connection = connections[alias]
    connection.ensure_connection()
    major = connection.pg_version // 10000
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin/{program}"), shutil.which(program)):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise CommandError(f"{program} for PostgreSQL {major} is not installed.")
