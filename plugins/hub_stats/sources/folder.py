"""Access logs in a folder: what nginx or Apache rotate into it, or a synced bucket.

Every file below the folder is a log file (sub-folders included: a bucket's prefixes), except
hidden ones (`.gitkeep`, an editor's or rsync's temporary file). A file's age is its modification
time, which is what the retention deletes by.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from hub_core.i18n import translator

from .interface import LogFile, LogSourceError

_, ngettext = translator("hub_stats")


class FolderSource:
    def __init__(self, location: str, folder: Path) -> None:
        self.location = location
        self.folder = folder

    def files(self) -> Iterable[LogFile]:
        if not self.folder.is_dir():
            raise LogSourceError(
                _("{location}: the access logs' folder does not exist (HUB_STATS_LOGS or --logs)").format(
                    location=self.folder
                )
            )
        found = []
        try:
            for path in sorted(self.folder.rglob("*")):
                relative = path.relative_to(self.folder)
                if any(part.startswith(".") for part in relative.parts) or not path.is_file():
                    continue
                status = path.stat()
                found.append(LogFile(relative.as_posix(), datetime.fromtimestamp(status.st_mtime, UTC), status.st_size))
        except OSError as error:
            raise LogSourceError(
                _("{location}: the access logs' folder cannot be read: {error}").format(
                    location=self.folder, error=error.strerror or error
                )
            ) from None
        return found

    def open(self, file: LogFile) -> IO[bytes]:
        return (self.folder / file.name).open("rb")

    def local_path(self, file: LogFile) -> Path:
        return self.folder / file.name

    def delete(self, file: LogFile) -> None:
        (self.folder / file.name).unlink(missing_ok=True)
