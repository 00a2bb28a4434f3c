"""Putting cached files into a site: a hard link where the file system allows it, else a copy.

A published file that is a hard link shares its inode, and so its bytes, with the
cache: writing through it would change the cache for every later build. So a file
is never written in place here: the new link or copy is made under a temporary name
beside the target and renamed over it, which swaps the directory entry and leaves
whatever the old name pointed to untouched (a reader sees the old file or the new
one, never half of one). The cache's own files are read-only, so a careless writer
elsewhere fails loudly instead of corrupting them (root ignores the mode, which is
why the image cache also re-checks its files' hashes).
"""

from __future__ import annotations

import filecmp
import os
import secrets
import shutil
import stat
from pathlib import Path

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
