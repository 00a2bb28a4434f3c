"""Progress of long work (a deploy, image variants, cards, the search index): a bar at a terminal,
a plain line now and then in CI.

The whole interface is one context manager that yields a `step`:

    from hub_core.progress import progress

    with progress(len(files), _("Uploading"), unit=_("files")) as step:
        for file in files:
            upload(file)
            step()          # one more done; step(5) for five

`label` and `unit` are shown as given: the caller translates them. Where the output goes decides how
it looks (`hub_core.findings.is_ci`): at a terminal a rich progress bar that disappears when the work
is done; in CI or without a terminal a plain line such as "Hochladen: 120/480 Dateien" every tenth of
the work (at least every MIN_CHUNK items) or every INTERVAL seconds, whichever comes first, and one at
the end: a log shows that work goes on without a line per file. Work of fewer than MIN_CHUNK items
shows only the last line. Output goes to stderr by default: stdout stays the result (a report, JSON).

`step` may be called from several threads (parallel uploads). The reporters below are the two
implementations of `Reporter`; `progress()` chooses one, tests may build either directly.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Protocol, TextIO

from .findings import is_ci

INTERVAL = 10.0  # seconds between two plain lines while work goes on slowly
MIN_CHUNK = 10  # items between two plain lines at least: never a line per item
LINES = 10  # plain lines over the whole work when it goes fast (one per tenth)


class Step(Protocol):
    """What `progress()` yields: `step()` after each item, or `step(count)` after `count` of them."""

    def __call__(self, count: int = 1) -> None: ...


class Reporter(Protocol):
    """Shows how far work of `total` items is; `advance` may be called from any thread."""

    def advance(self, count: int = 1) -> None: ...

    def close(self) -> None:
        """The work ended (done or failed): show the last state, release the terminal."""
        ...


class PlainProgress:
    """A line `label: done/total unit` now and then, for logs read line by line."""

    def __init__(
        self,
        total: int,
        label: str,
        *,
        unit: str = "",
        stream: TextIO | None = None,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = max(total, 0)
        self.label = label
        self.unit = unit
        self.stream = sys.stderr if stream is None else stream
        self.interval = interval
        self.chunk = max(MIN_CHUNK, math.ceil(self.total / LINES))
        self._clock = clock
        self._lock = threading.Lock()
        self._done = 0
        self._shown = 0  # `done` when the last line was written
        self._shown_at = clock()

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self._done = min(self._done + count, self.total) if self.total else self._done + count
            now = self._clock()
            unfinished = self._done < self.total
            if unfinished and (self._done - self._shown >= self.chunk or now - self._shown_at >= self.interval):
                self._write(now)

    def close(self) -> None:
        with self._lock:
            if self._done != self._shown:
                self._write(self._clock())

    def line(self) -> str:
        counted = f"{self._done}/{self.total}"
        return f"{self.label}: {counted} {self.unit}".rstrip()

    def _write(self, now: float) -> None:
        self.stream.write(self.line() + "\n")
        self.stream.flush()
        self._shown, self._shown_at = self._done, now


class RichProgress:
    """A progress bar at a terminal (rich, which Pelican itself uses); gone when the work is done."""

    def __init__(self, total: int, label: str, *, unit: str = "", stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._lock = threading.Lock()
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(unit),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr if stream is None else stream),
            transient=True,
        )
        self._task = self._bar.add_task(label, total=total)
        self._bar.start()

    def advance(self, count: int = 1) -> None:
        with self._lock:
            self._bar.advance(self._task, count)

    def close(self) -> None:
        self._bar.stop()


def reporter(
    total: int,
    label: str,
    *,
    unit: str = "",
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> Reporter:
    """The reporter for where `stream` (stderr by default) goes: a bar at a terminal, else plain lines."""
    out = sys.stderr if stream is None else stream
    isatty = bool(getattr(out, "isatty", lambda: False)())
    if is_ci(os.environ if environ is None else environ, isatty=isatty):
        return PlainProgress(total, label, unit=unit, stream=out)
    return RichProgress(total, label, unit=unit, stream=out)


@contextmanager
def progress(
    total: int,
    label: str,
    *,
    unit: str = "",
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> Iterator[Step]:
    """Shows the progress of `total` items of work while the block runs; yields `step(count=1)`."""
    shown = reporter(total, label, unit=unit, stream=stream, environ=environ)

    try:
        yield shown.advance
    finally:
        shown.close()
