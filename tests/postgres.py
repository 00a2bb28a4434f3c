"""A real PostgreSQL server for the store tests: a throw-away cluster on a free loopback port.

The binaries are found on PATH, in /usr/local/bin or in Debian's /usr/lib/postgresql/<version>/bin
(.ci/run installs the `postgresql` package when they are missing). PostgreSQL refuses to run as root,
so as root the cluster belongs to the `postgres` user (runuser). Trust authentication, loopback only,
fsync off: the cluster lives for one test session and holds nothing.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

USER = "postgres"


def postgres_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl; None when PostgreSQL is not installed."""
    candidates = [Path(found).parent for found in (shutil.which("initdb"),) if found]
    candidates.append(Path("/usr/local/bin"))
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    candidates.extend(debian)
    return next(
        (folder for folder in candidates if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file()), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One running cluster; `database()` makes a fresh, empty database and answers its URL."""

    def __init__(self, binaries: Path, folder: Path) -> None:
        self.binaries = binaries
        self.folder = folder
        self.port = free_port()
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(folder, USER, USER)
        (folder / "socket").mkdir()
        if self._as_postgres:
            shutil.chown(folder / "socket", USER, USER)
        self._run(
            "initdb", "-D", str(folder / "data"), "-A", "trust", "-U", USER, "-E", "UTF8", "--locale=C", "--no-sync"
        )
        options = (
            f"-p {self.port} -k {folder / 'socket'} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        )
        self._run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"), "-w", "start")
        self.url = f"postgresql://{USER}@127.0.0.1:{self.port}"

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.binaries / program), *arguments]
        if self._as_postgres:
            command = ["runuser", "-u", USER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def database(self) -> str:
        name = f"inbox_{next(self._names)}"
        with psycopg.connect(f"{self.url}/postgres", autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        return f"{self.url}/{name}"

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")


@contextmanager
def postgres_server(binaries: Path) -> Iterator[PostgresServer]:
    folder = Path(tempfile.mkdtemp(prefix="hub-postgres-"))
    try:
        server = PostgresServer(binaries, folder)
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
