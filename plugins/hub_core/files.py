"""Putting files into the output or the content so that nobody ever sees half of one.

Shared by every plugin that writes there: `write_atomically` for what a build makes
(sitemap, robots.txt, feeds, teaser feeds, recorded approvals), `place` for what it
takes from a cache (images, social cards, rendered pages, the search index).

A placed file is a hard link where the file system allows it, so it shares its inode,
and its bytes, with the cache: writing through it would change the cache for every
later build. So a file is never written in place here: the new link or copy is made
under a temporary name beside the target and renamed over it, which swaps the
directory entry and leaves whatever the old name pointed to untouched. The caches'
own files are read-only, so a careless writer elsewhere fails loudly instead of
corrupting them (root ignores the mode, which is why the image cache also re-checks
its files' hashes).
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
import stat
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes) -> bool:
    """Write `data` to `target` via a temporary file and a rename; False if it held `data` already."""
    if target.is_file() and target.read_bytes() == data:
        return False  # keep the file and its mtime: syncs see nothing new
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the web server must read it
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


READ_ONLY = 0o444


def make_read_only(path: Path | str) -> None:
    """Drop every write bit of a cache file; its links in the output share the mode."""
    mode = os.stat(path).st_mode
    if mode & 0o222:
        os.chmod(path, stat.S_IMODE(mode) & ~0o222)


def place(source: Path, target: Path, *, read_only_copy: bool = False) -> bool:
    """Make `target` hold `source`'s bytes, by hard link if possible; False when it already did.

    A target that is already `source` (the same inode) is left alone without reading a
    byte. Where links are impossible (another file system, or one without them), an
    identical copy is left alone too, so unchanged files keep their mtime. A copy made
    into the cache itself should be read-only like the rest of it (`read_only_copy`).
    """
    if _same_inode(source, target):
        return False
    try:
        # The common production case: an emptied output, so the name is free and no rename is needed.
        os.link(source, target)
        return True
    except FileExistsError:
        pass  # an older file or link: replaced below, never opened
    except OSError:
        # No folder for it yet, or no links here (EXDEV, EPERM, ENOTSUP): copied below if so.
        target.parent.mkdir(parents=True, exist_ok=True)
    return _replace(source, target, read_only_copy)


def _replace(source: Path, target: Path, read_only_copy: bool) -> bool:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        try:
            os.link(source, temporary)
        except OSError:
            if target.is_file() and filecmp.cmp(source, target, shallow=False):
                return False
            shutil.copyfile(source, temporary)  # a fresh file: nothing else shares it
            if read_only_copy:
                make_read_only(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True


def _same_inode(source: Path, target: Path) -> bool:
    try:
        theirs = os.stat(target)
    except OSError:
        return False  # no target yet: the usual case after DELETE_OUTPUT_DIRECTORY
    ours = os.stat(source)
    return (ours.st_ino, ours.st_dev) == (theirs.st_ino, theirs.st_dev)
