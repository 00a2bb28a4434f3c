"""Which Store the settings choose, opened in one place: SQLite (a file path in HUB_INBOX_DATABASE, the
default) or PostgreSQL (a `postgresql://` URL there). The service's assembly, the tasks and the build's
dashboard all open the inbox through `open_store`, so none of them knows which database it is.

The PostgreSQL password is never in the settings (they are committed): it comes from the environment,
HUB_INBOX_DATABASE_PASSWORD, or libpq's own PGPASSWORD / ~/.pgpass.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from hub_core.options import read

from .options import BUSY_TIMEOUT, database_location, is_database_url
from .store import Store

PASSWORD_VARIABLE = "HUB_INBOX_DATABASE_PASSWORD"


class ClosableStore(Store, Protocol):
    """A Store the opener closes when done; `path` names the database in messages (file or URL)."""

    @property
    def path(self) -> Path | str: ...

    def close(self) -> None: ...


def open_store(
    settings: Mapping[str, Any],
    *,
    database: Path | str | None = None,
    read_only: bool = False,
    busy_timeout: float | None = None,
    environ: Mapping[str, str] | None = None,
) -> ClosableStore:
    """The inbox's store for `settings` (HUB_INBOX_DATABASE), or for `database` (a task's --database: a
    file or a URL) when given. `read_only`: readers beside the service; nothing is created."""
    timeout = busy_timeout if busy_timeout is not None else read(BUSY_TIMEOUT, settings)
    return open_location(
        database_location(settings, database), read_only=read_only, busy_timeout=timeout, environ=environ
    )


def open_location(
    target: Path | str, *, read_only: bool = False, busy_timeout: float = 5.0, environ: Mapping[str, str] | None = None
) -> ClosableStore:
    """The store at `target`, as `database_location` resolves it: a SQLite file or a PostgreSQL URL."""
    if isinstance(target, str):
        from .postgres import PostgresStore

        environment = os.environ if environ is None else environ
        return PostgresStore(
            target, password=environment.get(PASSWORD_VARIABLE, ""), busy_timeout=busy_timeout, read_only=read_only
        )
    from .sqlite import SqliteStore

    return SqliteStore(target, busy_timeout=busy_timeout, read_only=read_only)


def store_exists(target: Path | str) -> bool:
    """Whether there is an inbox to read: the SQLite file exists; a configured server always counts
    (whether it answers is the store's to say, as StoreBusy)."""
    return isinstance(target, str) or target.is_file()


__all__ = ["PASSWORD_VARIABLE", "ClosableStore", "is_database_url", "open_location", "open_store", "store_exists"]
