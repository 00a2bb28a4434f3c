"""What every log source is: the files it lists (LogFile) and what it does with them (LogSource).

Apart from the package's __init__.py, so that each source module can import it and __init__.py can
import each source (open_source) without a circle.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Protocol


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

    def delete(self, file: LogFile) -> None: ...
