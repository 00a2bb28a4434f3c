"""The figures on disk: small JSON files in HUB_STATS_DIR (`data/stats/`), committed by CI.

    days/2026/2026-11-03.json        one day's DayFigures (model.py)
    platforms/2026/2026-11-03.json   the platforms' counts fetched that day (PlatformDay)
    read-logs.jsonl                  one line per log file read: its digest, name, line count, days

Idempotent and crash-safe without a database: each day file names the log files folded into it
(`sources`), so folding the same file again changes nothing, and every file is replaced atomically.
The read log is written after the day files; it only saves re-reading a file. A crash between the two
re-reads that file at the next run, and every day it touched already holds it.

A run folds all its files at once (DayFold): each day file is read once and written once, however
many log files touched the day (a month of daily logs rotated at local midnight touches every UTC
day twice). A crash while the day files are written leaves some days holding the run's files and
some not; the next run reads the files again and each day takes only what it does not hold.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any, TypeVar

from hub_core.files import write_atomically
from hub_core.i18n import translator

from .model import DayFigures, PlatformDay

_, ngettext = translator("hub_stats")

READ_LOG = "read-logs.jsonl"
DIGEST_LENGTH = 16  # hex digits: enough to tell log files apart, short enough for the day files
T = TypeVar("T")


def digest_of(stream: IO[bytes]) -> str:
    """A log file's identity: its bytes as delivered (the same object fetched twice, a re-delivery)."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()[:DIGEST_LENGTH]


class UnreadableFigures(ValueError):
    """A figures file that is not what this module writes (edited by hand, cut off, a merge conflict
    committed): its path and what is wrong, so the person who fixes it knows which file to restore."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class ReadLog:
    """A log file that was read: what `invoke stats` reports and the next run skips."""

    source: str  # digest_of the file
    name: str  # file name or S3 key, for people
    lines: int
    malformed: int
    days: tuple[date, ...]
    at: datetime

    def to_json(self) -> str:
        return json.dumps(
            {
                "source": self.source,
                "name": self.name,
                "lines": self.lines,
                "malformed": self.malformed,
                "days": [day.isoformat() for day in self.days],
                "at": self.at.isoformat(),
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, line: str) -> ReadLog:
        data = json.loads(line)
        return cls(
            source=data["source"],
            name=data["name"],
            lines=int(data["lines"]),
            malformed=int(data.get("malformed", 0)),
            days=tuple(date.fromisoformat(day) for day in data["days"]),
            at=datetime.fromisoformat(data["at"]),
        )


class FiguresStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    # -- page views --------------------------------------------------------------------------
    def day_file(self, day: date) -> Path:
        """Where the figures of `day` are (or would be) kept."""
        return self.folder / "days" / f"{day.year:04d}" / f"{day.isoformat()}.json"

    def day(self, day: date) -> DayFigures:
        """The figures of one day; empty figures when nothing was counted for it."""
        path = self.day_file(day)
        if not path.exists():
            return DayFigures(day)
        return _parsed(path, DayFigures.from_json)

    def days(self, first: date, last: date) -> list[DayFigures]:
        """Every day from first to last (inclusive), empty ones included, in order."""
        return [self.day(day) for day in _each_day(first, last)]

    def counted_days(self) -> list[date]:
        """The days that have a file, in order; UnreadableFigures for a file not named after its day."""
        days = []
        for path in self.folder.glob("days/*/*.json"):
            try:
                days.append(date.fromisoformat(path.stem))
            except ValueError:
                problem = _("expected a file name such as 2026-11-03.json, found {name}").format(name=path.name)
                raise UnreadableFigures(path, problem) from None
        return sorted(days)

    def is_empty(self) -> bool:
        """Nothing was ever counted or fetched: no day file, no platform counts."""
        return not any(self.folder.glob("days/*/*.json")) and not any(self.folder.glob("platforms/*/*.json"))

    def fold(self, source: str, figures: Iterable[DayFigures]) -> list[date]:
        """Add one log file's figures (one DayFigures per day it touched) unless a day already holds it.

        Returns the days that changed."""
        fold = self.folding()
        changed = fold.add(source, figures)
        fold.write()
        return changed

    def folding(self) -> DayFold:
        """A fold of several log files: `add` each, then `write` once."""
        return DayFold(self)

    # -- the read log ---------------------------------------------------------------------------
    def read_logs(self) -> list[ReadLog]:
        path = self.folder / READ_LOG
        if not path.exists():
            return []
        return [ReadLog.from_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def has_read(self, source: str) -> bool:
        return any(entry.source == source for entry in self.read_logs())

    def record_read(self, entries: Iterable[ReadLog], *, forget_before: datetime | None = None) -> None:
        """Append what was read; entries read before `forget_before` are dropped (their files are
        long deleted, so they cannot come again, and the file stays small)."""
        kept = [entry for entry in self.read_logs() if forget_before is None or entry.at >= forget_before]
        lines = [entry.to_json() for entry in (*kept, *entries)]
        write_atomically(self.folder / READ_LOG, "".join(line + "\n" for line in lines).encode("utf-8"))

    # -- platform counts ---------------------------------------------------------------------------
    def platform_file(self, day: date) -> Path:
        """Where the counts fetched on `day` are (or would be) kept."""
        return self.folder / "platforms" / f"{day.year:04d}" / f"{day.isoformat()}.json"

    def platform_day(self, day: date) -> PlatformDay | None:
        path = self.platform_file(day)
        return _parsed(path, PlatformDay.from_json) if path.exists() else None

    def save_platform_day(self, figures: PlatformDay) -> None:
        _write_json(self.platform_file(figures.day), figures.to_json())

    def platform_days(self, first: date, last: date) -> list[PlatformDay]:
        """The days in the range on which counts were fetched, in order."""
        found = (self.platform_day(day) for day in _each_day(first, last))
        return [figures for figures in found if figures is not None]


class DayFold:
    """Log files folded into their days in memory, each day file read at its first file and written
    once at the end. Memory: one DayFigures per day touched, whatever the number of lines."""

    def __init__(self, store: FiguresStore) -> None:
        self._store = store
        self._days: dict[date, DayFigures] = {}
        self._changed: set[date] = set()

    def add(self, source: str, figures: Iterable[DayFigures]) -> list[date]:
        """One log file's figures, unless a day already holds it (a file is skipped per day, so a day
        written before a crash is not counted twice). Returns the days that take it."""
        taken = []
        for part in figures:
            current = self._days.get(part.day)
            if current is None:
                current = self._days[part.day] = self._store.day(part.day)
            if source in current.sources:
                continue
            part.sources.add(source)
            current.add(part)
            self._changed.add(part.day)
            taken.append(part.day)
        return taken

    def write(self) -> list[date]:
        """Replace the file of every day that changed (atomically, one by one); returns those days."""
        written = sorted(self._changed)
        for day in written:
            _write_json(self._store.day_file(day), self._days[day].to_json())
            self._changed.discard(day)
        return written


def _each_day(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _parsed(path: Path, parse: Callable[[dict[str, Any]], T]) -> T:
    """A figures file read and parsed; UnreadableFigures naming it when it is not what we wrote."""
    try:
        return parse(_read_json(path))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableFigures(path, str(error) or type(error).__name__) from error


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    write_atomically(path, text.encode("utf-8"))
