"""Putting files into the output or the content so that nobody ever sees half of one.

Shared by every plugin that writes there: `write_atomically` for what a build makes
(sitemap, robots.txt, feeds, teaser feeds, recorded approvals), `replace_atomically` for a
file written by a library (a social card, the cross-posting ledger), `create_new` for a file
that must not replace anything (an imported post), `temporary_beside` for writers that rename
several files into place at once (image variants), and `place` for what a build takes from a
cache (images, social cards, rendered pages, the search index).

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
from collections.abc import Callable
from pathlib import Path
from typing import IO

# What the web server and every reader of the output needs; the umask may be stricter.
PUBLISHED = 0o644


def temporary_beside(target: Path, write: Callable[[IO[bytes]], object], *, mode: int | None = None) -> Path:
    """A new file written by `write` under a hidden temporary name beside `target` (the same folder,
    so one rename or link puts it in place); the caller renames or links it, or deletes it.

    `mode` None keeps the umask's permissions, as open() does; a number sets exactly that.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("xb") as stream:  # "x": a new file, never one another writer holds
            write(stream)
        if mode is not None:
            os.chmod(temporary, mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def replace_atomically(target: Path, write: Callable[[IO[bytes]], object], *, mode: int | None = None) -> None:
    """Write `target` anew through `write`, via a temporary file and a rename: nobody sees half of it."""
    temporary = temporary_beside(target, write, mode=mode)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes, *, mode: int = PUBLISHED) -> bool:
    """Write `data` to `target` via a temporary file and a rename; False if it held `data` already."""
    if target.is_file() and target.read_bytes() == data:
        return False  # keep the file and its mtime: syncs see nothing new
    replace_atomically(target, lambda stream: stream.write(data), mode=mode)
    return True


def create_new(target: Path, data: bytes, *, mode: int = PUBLISHED) -> bool:
    """Write a new file whole, never over an existing one (False then): the temporary file is linked
    to the name, which fails if anything holds it by then."""
    temporary = temporary_beside(target, lambda stream: stream.write(data), mode=mode)
    try:
        os.link(temporary, target)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)


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
