"""fast_clean: a build replaces the output folder only when it succeeded, and never waits for the old one to go.

Pelican writes into the output folder as it goes, and with DELETE_OUTPUT_DIRECTORY
(production) empties it first: a build that fails halfway (the review gate, a social card,
a template, Pagefind, an error under `--fatal errors`) used to leave an empty or half-written
folder. This plugin wraps every build (`Pelican.run`; Pelican sends no signal when a build
fails): the build writes into a fresh folder beside the output (`.output.building-<pid>-<n>`,
on the same file system, so hard links from the caches and the final rename work), and only
when run() returned is that folder renamed into place; the old one is renamed aside and
deleted by a background process the build does not wait for. When the build raises, the
staging folder is deleted and the output folder is untouched, byte for byte. This holds for
`invoke build`, `make build`, the `pelican` command and Pelican(settings).run() alike.

A staged build's output holds exactly what the build wrote, development or production, plus
the top-level names in OUTPUT_RETENTION (`.git`, `CNAME`), which are moved over from the old
folder. A symlinked output stays a symlink: its real folder is replaced.

In place (Pelican's way) only where a rename cannot replace the folder (a mount point, an output
folder that is or holds the content, a parent folder we may not write) or when asked:
HUB_STAGED_OUTPUT = False. Then, with
DELETE_OUTPUT_DIRECTORY, the old folder is moved aside in one rename as Pelican is about to empty
it, put back if the build fails, and deleted in the background once it succeeded.

Settings: options.py (HUB_STAGED_OUTPUT).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hub_core import build_tracking
from hub_core.errors import BuildStopped
from hub_core.i18n import translator
from hub_core.options import read
from pelican import signals

from .folders import (
    PREFIX,
    Deletion,
    can_move_aside,
    leftovers,
    move_aside,
    new_staging,
    put_back,
    staging_target,
    swap,
)
from .options import STAGED_OUTPUT

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_fast_clean")
PENDING: list[Deletion] = []


@dataclass
class InPlace:
    """A build writing into its output folder: whether to move the old one aside, and where it went."""

    pelican: Any
    move_aside: bool
    aside: Path | None = None
    leftovers: list[Path] = field(default_factory=list)


# The in-place build that runs now, until its first generator exists: Pelican empties the output
# only after the pre-build checks (get_generators) passed, and so must we.
IN_PLACE: list[InPlace] = []


def delete_in_background(folders: list[Path]) -> None:
    folders = [folder for folder in folders if folder.exists()]
    if folders:
        PENDING[:] = [deletion for deletion in PENDING if not deletion.done()]
        PENDING.append(Deletion(folders))


def wait_for_deletion(_sender: Any = None) -> None:
    """Wait for every background deletion (tests; a thread must end before the process does)."""
    while PENDING:
        PENDING.pop().wait()


def wait_for_threads() -> None:
    for deletion in [d for d in PENDING if d.must_be_waited_for]:
        PENDING.remove(deletion)
        deletion.wait()


def staged_run(pelican: Any, run: Callable[[], None], target: Path) -> None:
    """Build into a new folder beside `target`; swap it in if run() returned, else delete it."""
    settings = pelican.settings
    swept = leftovers(target)
    staging = new_staging(target)
    configured = pelican.output_path, settings.get("OUTPUT_PATH"), pelican.delete_outputdir
    pelican.output_path = settings["OUTPUT_PATH"] = str(staging)
    pelican.delete_outputdir = False  # nothing to empty in a new folder; what to keep is moved over below
    try:
        run()
    except BaseException:
        delete_in_background([staging, *swept])
        raise
    finally:
        pelican.output_path, settings["OUTPUT_PATH"], pelican.delete_outputdir = configured
    keep = pelican.output_retention if configured[2] else ()
    try:
        old = swap(staging, target, keep=keep or ())
    except OSError as error:
        delete_in_background([staging, *swept])
        problem = _("could not put the new output in place of {folder}: {reason}").format(folder=target, reason=error)
        raise OutputNotReplaced(f"{PREFIX} {problem}") from None
    delete_in_background([*([old] if old else []), *swept])
    wait_for_threads()


def in_place_run(pelican: Any, run: Callable[[], None]) -> None:
    """Pelican's way, except that a failed build puts back the output it moved aside."""
    build = InPlace(pelican, move_aside=bool(pelican.delete_outputdir))
    IN_PLACE[:] = [build]
    try:
        run()
    except BaseException:
        if build.aside is not None:
            written = put_back(build.aside, Path(pelican.output_path))
            delete_in_background([*([written] if written else []), *build.leftovers])
        raise
    finally:
        IN_PLACE.clear()
    delete_in_background([*([build.aside] if build.aside else []), *build.leftovers])
    wait_for_threads()


def move_output_aside(_generator: Any) -> None:
    """In place, at the first generator: the checks passed and Pelican is about to empty the output."""
    if not IN_PLACE or not IN_PLACE[0].move_aside or IN_PLACE[0].aside is not None:
        return
    build = IN_PLACE[0]
    build.move_aside = False
    pelican = build.pelican
    output = Path(pelican.output_path)
    if not can_move_aside(output, Path(pelican.path), getattr(pelican, "output_retention", None)):
        return
    build.leftovers = leftovers(output)
    try:
        build.aside = move_aside(output)
        output.mkdir()
    except OSError as error:
        logger.debug("%s moving %s aside failed (%s); Pelican empties it", PREFIX, output, error)
        if build.aside is not None and not output.exists():
            build.aside.rename(output)
            build.aside = None


class OutputNotReplaced(BuildStopped):
    """The build succeeded but its output could not be renamed into place; the old output stays."""


def guard_build(pelican: Any) -> None:
    """Wrap run(): Pelican sends no signal when a build fails, and the swap must come after `finalized`."""
    run = pelican.run

    @functools.wraps(run)
    def run_guarded() -> None:
        output = Path(pelican.output_path)
        target = staging_target(output, Path(pelican.path)) if read(STAGED_OUTPUT, pelican.settings) else None
        if target is None:
            in_place_run(pelican, run)
        else:
            staged_run(pelican, run, target)

    pelican.run = run_guarded


CONNECTIONS = (
    (signals.initialized, guard_build),
    (signals.generator_init, move_output_aside),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
