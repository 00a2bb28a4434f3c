"""fast_clean: empty the output folder without making the build wait for it.

With DELETE_OUTPUT_DIRECTORY (production), Pelican deletes every file of the last build before
it reads anything: on a large site tens of thousands of files, seconds of a build that could
otherwise be spent rendering. This plugin moves the old output folder aside in one rename, gives
Pelican an empty folder to clean, and deletes the old one beside the build; the build waits for
the deletion only at its end. It steps aside (Pelican cleans as usual) whenever a rename is not
the same thing as emptying: files to keep (OUTPUT_RETENTION), a symlink or mount point, or an
output folder that holds the content.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

from pelican import signals

logger = logging.getLogger(__name__)
PREFIX = "fast_clean:"
ASIDE = ".{name}.deleting-"


class _Deletion:
    """Deleting a folder in the background: `rm -rf` where there is one, else a thread."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = folders
        self.process: subprocess.Popen[bytes] | None = None
        self.thread: threading.Thread | None = None
        rm = shutil.which("rm")
        if rm and os.name == "posix":
            self.process = subprocess.Popen([rm, "-rf", "--", *map(str, folders)])
        else:
            self.thread = threading.Thread(target=self._remove, daemon=True)
            self.thread.start()

    def _remove(self) -> None:
        for folder in self.folders:
            shutil.rmtree(folder, ignore_errors=True)

    def wait(self) -> None:
        if self.process is not None:
            self.process.wait()
        if self.thread is not None:
            self.thread.join()
        leftovers = [folder for folder in self.folders if folder.exists()]
        if leftovers:
            logger.warning("%s could not delete %s", PREFIX, ", ".join(map(str, leftovers)))


PENDING: list[_Deletion] = []
# The build that asked for a clean output, until its first generator exists: Pelican empties the
# output only after the pre-build checks (get_generators) passed, and so must we.
REQUESTED: list[Any] = []


def can_move_aside(output: Path, content: Path, retention: Any) -> bool:
    if retention or not output.is_dir() or output.is_symlink() or os.path.ismount(output):
        return False
    real_output, real_content = output.resolve(), content.resolve()
    # Pelican itself refuses to delete an output folder that contains the content.
    return not (real_content == real_output or real_output in real_content.parents)


def remember_build(pelican: Any) -> None:
    REQUESTED[:] = [pelican] if getattr(pelican, "delete_outputdir", False) else []


def move_output_aside(_generator: Any) -> None:
    """At the first generator: the checks passed and Pelican is about to empty the output."""
    if not REQUESTED:
        return
    pelican = REQUESTED.pop()
    output = Path(pelican.output_path)
    if not can_move_aside(output, Path(pelican.path), getattr(pelican, "output_retention", None)):
        return
    prefix = ASIDE.format(name=output.name)
    # Folders a killed build left behind go with this one.
    folders = sorted(p for p in output.parent.glob(prefix + "*") if p.is_dir() and not p.is_symlink())
    aside = output.parent / f"{prefix}{os.getpid()}"
    try:
        output.rename(aside)
        output.mkdir()
    except OSError as error:
        logger.debug("%s moving %s aside failed (%s); Pelican empties it", PREFIX, output, error)
        if aside.exists() and not output.exists():
            aside.rename(output)
        return
    PENDING.append(_Deletion([*folders, aside]))


def wait_for_deletion(_pelican: Any = None) -> None:
    while PENDING:
        PENDING.pop().wait()


CONNECTIONS = (
    (signals.initialized, remember_build),
    (signals.generator_init, move_output_aside),
    (signals.finalized, wait_for_deletion),
)


def register() -> None:
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
