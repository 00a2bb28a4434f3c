"""Which changed files start a rebuild, and when (pure: paths and a clock passed in).

The preview rebuilds for what a build reads: the content folder, the editorial calendar, the
theme, the settings files and the plugins' code. Editors leave scratch files beside what they
save (vim's `.post.md.swp` and `4913`, emacs' `#post.md#`, `post.md~`), Python leaves bytecode,
and our own writers use hidden temporary names: none of those is a change an author made.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Suffixes and names of files no build reads: editors' swap and backup files, bytecode.
SCRATCH_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", ".pyc", ".pyo", ".crdownload", ".part")
SCRATCH_NAMES = ("4913", "__pycache__")


@dataclass(frozen=True)
class Sources:
    """What a build of the site reads, as absolute paths."""

    content: Path
    calendar: Path
    theme: Path
    settings: tuple[Path, ...]  # pelicanconf.py, publishconf.py
    plugins: Path
    # Folders a build writes (output, caches): a change there is the build's own, never a reason.
    written: tuple[Path, ...] = ()

    @property
    def folders(self) -> tuple[Path, ...]:
        """Watched with everything below them."""
        return (self.content, self.theme, self.plugins)

    @property
    def files(self) -> tuple[Path, ...]:
        """Watched one by one (their folders hold much else: the output, .venv, .git)."""
        return (self.calendar, *self.settings)


@dataclass(frozen=True)
class WatchRoot:
    path: Path
    recursive: bool


def is_scratch(path: Path) -> bool:
    """A file no build reads: hidden (`.git`, `.post.md.swp`, a writer's `.name.1a2b.tmp`), a backup,
    an autosave or bytecode."""
    for part in path.parts:
        if part.startswith(".") and part not in (".", ".."):
            return True
        if part in SCRATCH_NAMES:
            return True
    name = path.name
    return name.endswith("~") or (name.startswith("#") and name.endswith("#")) or name.endswith(SCRATCH_SUFFIXES)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def triggers_rebuild(path: Path, sources: Sources) -> bool:
    """Whether a change of `path` (absolute) can change what the build writes."""
    if any(_inside(path, folder) for folder in sources.written):
        return False
    if path in sources.files:
        return True
    return any(path.is_relative_to(folder) and not is_scratch(path.relative_to(folder)) for folder in sources.folders)


def watch_roots(sources: Sources) -> tuple[WatchRoot, ...]:
    """What to ask the file watcher for: the folders with their subfolders, and the folders of the single
    files without theirs (one watch each, however many of the files live there)."""
    roots = [WatchRoot(folder, recursive=True) for folder in sources.folders]
    for folder in dict.fromkeys(file.parent for file in sources.files):
        if not any(root.recursive and _inside(folder, root.path) for root in roots):
            roots.append(WatchRoot(folder, recursive=False))
    return tuple(roots)


@dataclass(frozen=True)
class Debounce:
    """Wait for saving to settle, then rebuild once for every change made meanwhile.

    An editor saving a file, `git checkout` or a formatter touch many files within milliseconds;
    a build started at the first would be stale at once. A change starts a rebuild after `quiet`
    seconds without another change, and a steady stream of changes after `longest` seconds.
    """

    quiet: float = 0.2
    longest: float = 2.0
    pending: frozenset[Path] = frozenset()
    first: float | None = None
    last: float | None = None

    def add(self, paths: Iterable[Path], now: float) -> Debounce:
        paths = frozenset(paths)
        if not paths:
            return self
        first = now if self.first is None else self.first
        return Debounce(self.quiet, self.longest, self.pending | paths, first, now)

    def wait(self, now: float) -> float | None:
        """Seconds until the rebuild is due (0: now), or None while nothing changed."""
        if self.first is None or self.last is None:
            return None
        due = min(self.last + self.quiet, self.first + self.longest)
        return max(0.0, due - now)

    def due(self, now: float) -> bool:
        return self.wait(now) == 0.0

    def take(self) -> tuple[frozenset[Path], Debounce]:
        """The changes to rebuild for, and an empty debounce for the changes to come."""
        return self.pending, Debounce(self.quiet, self.longest)
