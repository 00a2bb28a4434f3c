"""Where access logs are delivered: a folder (nginx, Apache, a synced bucket) or an S3 prefix
(CloudFront standard logs, S3 server access logs). `invoke stats` lists the files, reads the new ones
and deletes those older than HUB_STATS_KEEP_RAW_DAYS.

A source hands out raw bytes as delivered; gzip is undone by the reader (by its magic bytes, not
the name), so a source never needs to know what a file holds. The interface: interface.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .folder import FolderSource
from .interface import LogFile, LogSource, LogSourceError

__all__ = ["LogFile", "LogSource", "LogSourceError", "open_source"]


def open_source(location: str, environ: Mapping[str, str], root: Path | None = None) -> LogSource:
    """`s3://bucket/prefix/` or a folder (relative: from `root`, the folder holding content/); the S3
    endpoint and credentials come from `environ`."""
    if location.startswith("s3://"):
        from .s3 import S3Source  # boto3 is imported only where it is needed

        return S3Source(location, environ)
    folder = Path(location).expanduser()
    return FolderSource(location, folder if folder.is_absolute() or root is None else root / folder)
