"""The files of one run counted: in worker processes when there are several (one per core), in this
process when there is one; either way, the outcomes come back in the files' order, so the figures
that collect.py folds from them are the same bytes whichever way they were counted.

Each file goes to `reading.read_new` by its path: a folder's file as it is, an S3 object fetched
into a temporary file first (while the workers count the files before it). At most AHEAD files
per worker are handed out before the oldest one's outcome is taken, which bounds the memory of the
results waiting to be folded and the disk of fetched files. A file that cannot be read is an
outcome with the reason, as is a worker process that died (out of memory, killed): its pool is
replaced and the run goes on with the next files; the files it was counting are read again at the
next run. Nothing here waits on a process that is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from hub_core.i18n import translator

from .judge import Rules
from .reading import FileReading, UnknownFormat, judge_for, read_new
from .sources import LogFile, LogSource, LogSourceError

_, ngettext = translator("hub_stats")

POOL_FROM_BYTES = 1 << 20  # below this much (as delivered, maybe gzip), starting workers costs more than it saves
MAX_WORKERS = 8
AHEAD = 2  # files per worker handed out beyond the one whose outcome is awaited

# What counting one file does: (path, name, rules, known digests) → (digest, figures or None if known).
CountFile = Callable[[str, str, Rules, frozenset[str]], tuple[str, FileReading | None]]


@dataclass(frozen=True)
class Counted:
    """What became of one file: its digest and figures (None: counted before), or why not."""

    file: LogFile
    digest: str = ""
    reading: FileReading | None = None
    unknown: bool = False  # no format we read
    failure: str | None = None  # could not be read: why


def workers_for(files: Sequence[LogFile], wanted: int | None = None) -> int:
    """How many processes count `files`: `wanted` if given, else one per core (at most MAX_WORKERS),
    and just this one for a single file or a few small ones."""
    if wanted is not None:
        return max(1, wanted)
    if len(files) < 2 or sum(file.size for file in files) < POOL_FROM_BYTES:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(_cores(), MAX_WORKERS, len(files)))


def count_files(
    source: LogSource,
    files: Sequence[LogFile],
    rules: Rules,
    known: frozenset[str],
    *,
    workers: int = 1,
    count: CountFile = read_new,
) -> Iterator[Counted]:
    """An outcome per file of `files`, in their order; `known`: digests counted before (skipped)."""
    with _Staging(source) as staging:
        if workers <= 1:
            for file in files:
                try:
                    path = staging.path(file)
                except (LogSourceError, OSError) as error:
                    yield Counted(file, failure=_reason(error))
                    continue
                try:
                    yield _settle(file, partial(count, str(path), file.name, rules, known))
                finally:
                    staging.release(file)
        else:
            yield from _in_pool(staging, files, rules, known, workers, count)


def _in_pool(
    staging: _Staging, files: Sequence[LogFile], rules: Rules, known: frozenset[str], workers: int, count: CountFile
) -> Iterator[Counted]:
    judge_for(rules).who("Mozilla/5.0")  # the crawler patterns compiled once, here, before the workers fork
    pool = _Pool(workers)
    waiting: deque[tuple[LogFile, Future[tuple[str, FileReading | None]] | Counted]] = deque()

    def oldest() -> Counted:
        file, pending = waiting.popleft()
        try:
            if isinstance(pending, Counted):
                return pending
            return _settle(file, pending.result)
        finally:
            staging.release(file)

    try:
        for file in files:
            while len(waiting) >= workers * AHEAD:
                yield oldest()
            try:
                path = staging.path(file)
            except (LogSourceError, OSError) as error:
                waiting.append((file, Counted(file, failure=_reason(error))))
                continue
            waiting.append((file, pool.submit(count, str(path), file.name, rules, known)))
        while waiting:
            yield oldest()
    finally:
        pool.close()
        while waiting:
            staging.release(waiting.popleft()[0])


def _settle(file: LogFile, result: Callable[[], tuple[str, FileReading | None]]) -> Counted:
    """The outcome of counting one file, the failures a file can have turned into reasons."""
    try:
        digest, reading = result()
    except UnknownFormat:
        return Counted(file, unknown=True)
    except (OSError, EOFError, zlib.error) as error:  # no permission, a broken or cut gzip stream
        return Counted(file, failure=_reason(error))
    except BrokenProcessPool:
        return Counted(file, failure=_("the process counting it stopped (out of memory?); the next run reads it again"))
    return Counted(file, digest, reading)


def _reason(error: Exception) -> str:
    if isinstance(error, LogSourceError):
        return str(error)
    return str(getattr(error, "strerror", None) or error)


class _Pool:
    """Worker processes (fork: they start at once and inherit the compiled patterns), replaced when
    one of them dies: the futures it held fail, the files after them go to a new pool."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(
        self, count: CountFile, path: str, name: str, rules: Rules, known: frozenset[str]
    ) -> Future[tuple[str, FileReading | None]]:
        for _attempt in range(2):
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self._workers, mp_context=multiprocessing.get_context("fork"))
            try:
                return self._pool.submit(count, path, name, rules, known)
            except BrokenProcessPool:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
        failed: Future[tuple[str, FileReading | None]] = Future()
        failed.set_exception(BrokenProcessPool("no worker process could be started"))
        return failed

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class _Staging:
    """Each file's path on this machine: a folder's own file, or a fetched copy in a temporary folder
    that is removed as soon as the file is counted."""

    def __init__(self, source: LogSource) -> None:
        self._source = source
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._fetched: dict[str, Path] = {}
        self._numbers = 0

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._folder is not None:
            self._folder.cleanup()

    def path(self, file: LogFile) -> Path:
        local = self._source.local_path(file)
        if local is not None:
            return local
        if self._folder is None:
            self._folder = tempfile.TemporaryDirectory(prefix="hub-stats-")
        self._numbers += 1
        target = Path(self._folder.name) / str(self._numbers)
        try:
            with self._source.open(file) as stream, target.open("wb") as copy:
                shutil.copyfileobj(stream, copy, 1 << 20)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        self._fetched[file.name] = target
        return target

    def release(self, file: LogFile) -> None:
        fetched = self._fetched.pop(file.name, None)
        if fetched is not None:
            fetched.unlink(missing_ok=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours CPU limits of containers and taskset
    except AttributeError:  # not on macOS or Windows
        return os.cpu_count() or 1
