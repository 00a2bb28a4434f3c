"""The output folder's life cycle on disk: a staging folder beside it, the swap, deleting in the background.

Only renames inside one parent folder: they are atomic, never copy a byte and keep hard links
(the caches' files in the output) intact. Nothing here knows Pelican.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path

logger = logging.getLogger(__name__)
PREFIX = "fast_clean:"
BUILDING = ".{name}.building-"
DELETING = ".{name}.deleting-"
_numbers = itertools.count()


def _unique(folder: Path, pattern: str) -> Path:
    """`.output.building-<pid>-<n>`: the pid tells a later build whether its maker still runs."""
    while True:
        candidate = folder.parent / f"{pattern.format(name=folder.name)}{os.getpid()}-{next(_numbers)}"
        if not os.path.lexists(candidate):
            return candidate


def holds_content(folder: Path, content: Path) -> bool:
    """Pelican never deletes an output folder that is, or holds, the content; neither do we."""
    real_folder, real_content = folder.resolve(), content.resolve()
    return real_folder == real_content or real_folder in real_content.parents or real_content in real_folder.parents


def can_move_aside(output: Path, content: Path, retention: object) -> bool:
    """Moving the folder aside is the same as emptying it (else Pelican empties it itself)."""
    if retention or not output.is_dir() or output.is_symlink() or os.path.ismount(output):
        return False
    return not holds_content(output, content)


def staging_target(output: Path, content: Path) -> Path | None:
    """The folder a staged build replaces (a symlinked output's real folder), or None: build in place."""
    target = output.resolve() if output.is_symlink() else output
    if os.path.lexists(target) and (not target.is_dir() or os.path.ismount(target)):
        return None  # a mount point cannot be renamed; a file is Pelican's error to report
    if holds_content(target, content) or not os.access(target.parent, os.W_OK | os.X_OK):
        return None
    return target


def new_staging(target: Path) -> Path:
    """An empty folder beside `target`: the same file system, so the final rename and hard links work."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _unique(target, BUILDING)
    staging.mkdir()
    return staging


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a platform that cannot tell: leave its folder alone
    return True


def leftovers(target: Path) -> list[Path]:
    """Folders of builds that were killed: their staging folders and old outputs not yet deleted."""
    found = []
    for pattern in (DELETING, BUILDING):
        prefix = pattern.format(name=target.name)
        for folder in target.parent.glob(prefix + "*"):
            if not folder.is_dir() or folder.is_symlink():
                continue
            pid = folder.name.removeprefix(prefix).split("-", 1)[0]
            if pattern == DELETING or (pid.isdigit() and not _alive(int(pid))):
                found.append(folder)
    return sorted(found)


def move_aside(folder: Path) -> Path:
    aside = _unique(folder, DELETING)
    folder.rename(aside)
    return aside


def swap(staging: Path, target: Path, keep: Iterable[str] = ()) -> Path | None:
    """Put `staging` where `target` is; returns the old folder, moved aside (None if there was none).

    Entries of the old folder named in `keep` (OUTPUT_RETENTION: `.git`, `CNAME`, …) move into
    the new one unless the build wrote the same name. If the second rename fails, the old folder
    goes back: `target` is always either the old output or the new one, never a mix.
    """
    if not os.path.lexists(target):
        staging.rename(target)
        return None
    aside = move_aside(target)
    try:
        staging.rename(target)
    except OSError:
        aside.rename(target)
        raise
    for name in keep:
        kept = aside / name
        if os.path.lexists(kept) and not os.path.lexists(target / name):
            kept.rename(target / name)
    return aside


def put_back(aside: Path, target: Path) -> Path | None:
    """Undo `move_aside`: the old folder returns; what was written since is moved aside (returned)."""
    written = move_aside(target) if os.path.lexists(target) else None
    aside.rename(target)
    return written


class Deletion:
    """Deleting folders in the background: `rm -rf` in its own session where there is one, else a thread.

    The process outlives a build that ends first, so a build never waits for an old output to
    go; a thread cannot, so it is waited for (`wait`) before the process exits.
    """

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.process: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        rm = shutil.which("rm")
        if rm and os.name == "posix":
            self.process = subprocess.Popen([rm, "-rf", "--", *map(str, folders)], start_new_session=True)
        else:
            self.thread = threading.Thread(target=self._remove, daemon=True)
            self.thread.start()

    def _remove(self) -> None:
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)

    @property
    def must_be_waited_for(self) -> bool:
        return self.thread is not None

    def done(self) -> bool:
        if self.process is not None:
            return self.process.poll() is not None
        return self.thread is None or not self.thread.is_alive()

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
        if self.thread is not None:
            self.thread.join()
        remaining = [folder for folder in self.folders if folder.exists()]
        if remaining:
            logger.debug("%s could not delete %s", PREFIX, ", ".join(map(str, remaining)))
