"""One run of `invoke stats` over the access logs: read what is new, fold it into its days, delete
what is old.

1. List the files of the source (a folder or an S3 prefix). A file changed in the last minutes may
   still be written to and waits for the next run.
2. Count the others (counting.py: in one worker process per core when there are several, in this
   process for one file or a few small ones). For each: its digest (its content, gzip undone: the
   same log delivered twice, or rotated from `access.log.1` into `access.log.2.gz`, is one file); a
   digest already read is skipped. Then its format, detected from its first lines (a file of no
   known format is reported by name, never guessed), and its figures per day (reading.py).
3. Fold the outcomes in the files' order, so the figures are the same bytes however many processes
   counted them: every day the run touched is read once and written once (store.DayFold: a day that
   already holds a file is left alone, so a late log lands in its day and nothing counts twice).
4. Record what was read (the read log), and ALWAYS, also when something above failed, delete the
   raw files older than HUB_STATS_KEEP_RAW_DAYS: the privacy page promises it.

`run` is the whole of it, from a source, a store and the rules; `run_configured` takes them from the
settings. Both return a Report for the task to print; neither prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from hub_core.errors import HubError
from hub_core.i18n import translator
from hub_core.options import read

from .counting import count_files, workers_for
from .judge import Rules, rules_from
from .options import KEEP_RAW_DAYS, LOGS, figures_folder
from .sources import LogFile, LogSource, LogSourceError, open_source
from .store import FiguresStore, ReadLog

_, ngettext = translator("hub_stats")

SETTLING = timedelta(minutes=10)  # a file changed this recently may still be written to
EXAMPLES = 10  # broken lines shown per run (each file keeps its first few)
# What reading or writing the figures' files raises: no permission, a full disk, broken JSON.
_UNUSABLE = (OSError, ValueError, KeyError)


class FiguresUnusable(HubError):
    """The figures' folder cannot be read or written (a full disk, a file where the folder should
    be, a day file edited by hand into something else)."""

    @classmethod
    def of(cls, store: FiguresStore, error: Exception) -> FiguresUnusable:
        return cls(
            _("{folder}: the figures cannot be read or written: {error}").format(folder=store.folder, error=error)
        )


@dataclass(frozen=True)
class Broken:
    """A line that could not be read: where, and why (never the line: it holds an IP address)."""

    file: str
    line: int
    reason: str

    def render(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str


@dataclass
class Report:
    location: str
    figures: Path
    read: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # read before (the same content)
    settling: list[str] = field(default_factory=list)  # still being written: the next run reads them
    unknown: list[str] = field(default_factory=list)  # no format we read
    failed: list[Problem] = field(default_factory=list)  # could not be read (a broken gzip file, no permission)
    deleted: list[str] = field(default_factory=list)
    not_deleted: list[Problem] = field(default_factory=list)
    lines: int = 0
    views: int = 0
    malformed: int = 0
    examples: list[Broken] = field(default_factory=list)
    days: set[date] = field(default_factory=set)  # days whose figures changed

    @property
    def ok(self) -> bool:
        """Every file was read or skipped and every old one deleted (broken lines are no failure)."""
        return not (self.unknown or self.failed or self.not_deleted)


def run(
    source: LogSource,
    store: FiguresStore,
    rules: Rules,
    *,
    keep_days: int,
    now: datetime,
    workers: int | None = None,
) -> Report:
    """Read the new files of `source` into `store`, then delete the files older than `keep_days`.

    `workers`: processes that count the files (None: one per core for several files, counting.py)."""
    report = Report(source.location, store.folder)
    files = list(source.files())  # LogSourceError: nothing was read, and nothing can be deleted
    entries: list[ReadLog] = []
    try:
        _read_new(source, files, store, rules, now, report, entries, workers)
    finally:
        try:
            if entries:
                store.record_read(entries, forget_before=now - timedelta(days=keep_days + 1))
        except _UNUSABLE as error:
            raise FiguresUnusable.of(store, error) from None
        finally:
            _delete_old(source, files, now - timedelta(days=keep_days), report)
    return report


def _read_new(
    source: LogSource,
    files: list[LogFile],
    store: FiguresStore,
    rules: Rules,
    now: datetime,
    report: Report,
    entries: list[ReadLog],
    workers: int | None,
) -> None:
    try:
        known = {entry.source for entry in store.read_logs()}
    except _UNUSABLE as error:
        raise FiguresUnusable.of(store, error) from None
    ready = []
    for file in files:
        if file.modified > now - SETTLING:
            report.settling.append(file.name)
        else:
            ready.append(file)
    fold = store.folding()
    read: list[ReadLog] = []
    counted = count_files(source, ready, rules, frozenset(known), workers=workers_for(ready, workers))
    for outcome in counted:
        name = outcome.file.name
        if outcome.unknown:
            report.unknown.append(name)
            continue
        if outcome.failure is not None:
            report.failed.append(Problem(name, outcome.failure))
            continue
        reading = outcome.reading
        if reading is None or outcome.digest in known:  # counted before, or delivered twice in this run
            report.skipped.append(name)
            continue
        try:
            changed = fold.add(outcome.digest, reading.days)
        except _UNUSABLE as error:
            raise FiguresUnusable.of(store, error) from None
        known.add(outcome.digest)
        read.append(
            ReadLog(outcome.digest, name, reading.lines, reading.malformed, tuple(f.day for f in reading.days), now)
        )
        report.read.append(name)
        report.lines += reading.lines
        report.views += reading.views
        report.malformed += reading.malformed
        report.days.update(changed)
        for line, reason in reading.examples:
            if len(report.examples) < EXAMPLES:
                report.examples.append(Broken(name, line, reason))
    try:
        fold.write()
    except _UNUSABLE as error:
        raise FiguresUnusable.of(store, error) from None
    entries.extend(read)  # only once every day holds them: the read log never names a file a day lacks


def _delete_old(source: LogSource, files: list[LogFile], cutoff: datetime, report: Report) -> None:
    for file in files:
        if file.modified >= cutoff:
            continue
        try:
            source.delete(file)
        except LogSourceError as error:
            report.not_deleted.append(Problem(file.name, str(error)))
        except OSError as error:
            report.not_deleted.append(Problem(file.name, str(error.strerror or error)))
        else:
            report.deleted.append(file.name)


def run_configured(
    settings: Mapping[str, Any], environ: Mapping[str, str], *, now: datetime, logs: str | None = None
) -> Report | None:
    """`run` with the site's settings; `logs` instead of HUB_STATS_LOGS. None: no logs configured."""
    location = logs or read(LOGS, settings)
    if not location:
        return None
    source = open_source(location, environ, Path(settings["PATH"]).parent)
    store = FiguresStore(figures_folder(settings))
    configured = environ.get("HUB_WORKERS", "")  # as for the content check: 1 counts in this process (to profile)
    workers = int(configured) if configured.isdigit() and int(configured) > 0 else None
    keep_days = read(KEEP_RAW_DAYS, settings)
    return run(source, store, rules_from(settings), keep_days=keep_days, now=now, workers=workers)
