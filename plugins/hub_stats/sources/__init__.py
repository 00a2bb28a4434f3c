"""Where access logs are delivered: a folder (nginx, Apache, a synced bucket) or an S3 prefix
(CloudFront standard logs, S3 server access logs). `invoke stats` lists the files, reads the new ones
and deletes those older than HUB_STATS_KEEP_RAW_DAYS.

A source hands out raw bytes as delivered; gzip is undone by the reader (by its magic bytes, not
the name), so a source never needs to know what a file holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def open_source(location: str, environ: Mapping[str, str]) -> LogSource:
    """`s3://bucket/prefix/` or a folder; the S3 endpoint and credentials come from `environ`."""
    raise NotImplementedError("the folder and S3 sources are being built (issue 16)")
