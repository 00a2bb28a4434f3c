"""What a deploy must do, from the built files and what the target holds (pure).

Files are compared by content hash and size, never by modification time: every build
writes every file anew, so times would make the whole site look changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .headers import is_announcement, is_fingerprinted, is_html


@dataclass(frozen=True)
class LocalFile:
    """A built file. Both hashes are kept: SHA-256 is what we compare and store; MD5 only
    serves to compare with S3 objects uploaded without our metadata (their ETag)."""

    size: int
    sha256: str
    md5: str = ""


@dataclass(frozen=True)
class RemoteFile:
    """A file the target holds, with whatever it tells about its content."""

    size: int
    sha256: str | None = None  # known when we uploaded it (S3 metadata) or can hash it (a folder)
    md5: str | None = None  # an S3 ETag that is an MD5: single-part uploads without encryption by KMS


@dataclass(frozen=True)
class DeployPlan:
    """Relative paths with forward slashes, each list sorted by path."""

    upload_new: list[str]
    upload_changed: list[str]
    delete: list[str]
    unchanged: list[str]

    @property
    def uploads(self) -> list[str]:
        """New and changed files in the order to send them: see upload_order()."""
        return upload_order([*self.upload_new, *self.upload_changed])

    @property
    def is_empty(self) -> bool:
        return not (self.upload_new or self.upload_changed or self.delete)


def compute_plan(local: Mapping[str, LocalFile], remote: Mapping[str, RemoteFile]) -> DeployPlan:
    """Upload what is missing or different, delete what the build no longer has."""
    new, changed, unchanged = [], [], []
    for path, file in local.items():
        there = remote.get(path)
        if there is None:
            new.append(path)
        elif same_content(file, there):
            unchanged.append(path)
        else:
            changed.append(path)
    gone = [path for path in remote if path not in local]
    return DeployPlan(sorted(new), sorted(changed), sorted(gone), sorted(unchanged))


def same_content(local: LocalFile, remote: RemoteFile) -> bool:
    """Equal size and hash. A remote file whose content we cannot tell is sent again: once
    uploaded by us it carries its SHA-256, so this happens only once."""
    if local.size != remote.size:
        return False
    if remote.sha256 is not None:
        return remote.sha256 == local.sha256
    if remote.md5 is not None and local.md5:
        return remote.md5 == local.md5
    return False


# Upload tiers, first to last. Fingerprinted files are only ever named by files sent after
# them; assets come before the HTML that uses them; the pages before the feeds, sitemap and
# search entry that announce them. Deletes follow all uploads.
FINGERPRINTED, ASSET, PAGE, ANNOUNCEMENT = range(4)


def upload_tier(path: str) -> int:
    if is_fingerprinted(path):
        return FINGERPRINTED
    if is_html(path):
        return PAGE
    if is_announcement(path):
        return ANNOUNCEMENT
    return ASSET


def upload_order(paths: Iterable[str]) -> list[str]:
    """`paths` by tier, then by path, so a deploy is repeatable."""
    return sorted(paths, key=lambda path: (upload_tier(path), path))
