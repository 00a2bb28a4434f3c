"""What every log source is: the files it lists (LogFile), what it does with them (LogSource), and
the error when it cannot (LogSourceError).

Apart from the package's __init__.py, so that each source module can import it and __init__.py can
import each source (open_source) without a circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Protocol

from hub_core.errors import HubError


@dataclass(frozen=True)
class LogFile:
    name: str  # the path below the folder or the S3 key: for people and the read log
    modified: datetime  # aware: when it was delivered (mtime, LastModified); its age decides deletion
    size: int


class LogSource(Protocol):
    location: str  # as configured, for messages

    def files(self) -> Iterable[LogFile]:
        """Every log file there, in name order."""
        ...

    def open(self, file: LogFile) -> IO[bytes]:
        """The file's bytes as delivered (maybe gzip)."""
        ...

    def local_path(self, file: LogFile) -> Path | None:
        """The file on this machine, which a worker process can open by its path; None: it must be
        fetched (`open`) first."""
        ...

    def delete(self, file: LogFile) -> None: ...


class LogSourceError(HubError):
    """The access logs cannot be listed, read or deleted; the message names where, never a secret.
    Listing fails the run (nothing read, nothing deleted); a file that cannot be read or deleted is
    reported and the run goes on with the others."""

    topic = "stats"
