"""One log file into its figures: gzip undone (by its magic bytes, not its name), the format
detected from the first lines, every line parsed and counted.

`read_stream` counts one stream; `read_new` is what `invoke stats` does per file (counting.py): the
file's digest and, unless it was counted before, its figures, from plain, picklable arguments, so
files can be counted in worker processes. Each process judges with one Judge per rules (`judge_for`),
so an agent, address or host seen in one file is not judged again in the next: a month of daily
logs has a few ten thousand distinct agents, not one set per file. A broken line is counted and a
few are kept as examples (line number and reason, never the line: it holds an IP address); it never
stops the file.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from typing import IO, cast

from .aggregate import Tally
from .judge import Judge, Rules
from .logformats import Parser, detect
from .model import DayFigures, Malformed
from .store import digest_of

HEAD_LINES = 20  # what format detection looks at
EXAMPLES = 5  # broken lines kept as examples per file
GZIP_MAGIC = b"\x1f\x8b"


class UnknownFormat(Exception):
    """No format we read recognises the file: reported with its name, never guessed."""


@dataclass(frozen=True)
class FileReading:
    name: str
    format: str  # LogFormat.name
    lines: int
    malformed: int
    examples: tuple[tuple[int, str], ...]  # (line number, reason) of the first broken lines
    days: tuple[DayFigures, ...]  # one per day (UTC) the file touched, in order

    @property
    def views(self) -> int:
        return sum(figures.total_views for figures in self.days)


def unpacked(stream: IO[bytes]) -> IO[bytes]:
    """The file's bytes, gunzipped when they are gzip (whatever the file is called)."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(_Raw(stream))
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        return cast(IO[bytes], gzip.GzipFile(fileobj=buffered, mode="rb"))
    return buffered


def read_stream(stream: IO[bytes], name: str, judge: Judge) -> FileReading:
    """Count one log file. Raises UnknownFormat, and OSError/EOFError for a file that cannot be read
    (a broken gzip stream)."""
    text = io.TextIOWrapper(unpacked(stream), encoding="utf-8", errors="replace")
    head = list(islice(text, HEAD_LINES))
    found = detect([line.rstrip("\r\n") for line in head])
    if found is None:
        raise UnknownFormat(name)
    return count_lines(chain(head, text), found.parser([line.rstrip("\r\n") for line in head]), judge, name, found.name)


@lru_cache(maxsize=4)
def judge_for(rules: Rules) -> Judge:
    """This process's Judge for `rules`: its caches carry over from file to file (and are bounded)."""
    return Judge(rules)


def read_path(path: str, name: str, rules: Rules) -> FileReading:
    """read_stream for a file on disk, from arguments a worker process can be sent."""
    with open(path, "rb") as stream:
        return read_stream(stream, name, judge_for(rules))


def read_new(path: str, name: str, rules: Rules, known: frozenset[str]) -> tuple[str, FileReading | None]:
    """A file on disk: its digest and, unless `known` holds the digest (counted before), its figures.

    Two passes over the file: the digest costs a twentieth of the counting, and most files of a
    daily run were counted before (the raw logs stay for days), so they are not counted again."""
    with open(path, "rb") as stream:
        digest = digest_of(unpacked(stream))
    if digest in known:
        return digest, None
    return digest, read_path(path, name, rules)


def count_lines(lines: Iterable[str], parse: Parser, judge: Judge, name: str, format_name: str) -> FileReading:
    tally = Tally(judge)
    add = tally.add
    number = malformed = 0
    examples: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        try:
            hit = parse(line)
        except Malformed as problem:
            malformed += 1
            tally.malformed()
            if len(examples) < EXAMPLES:
                examples.append((number, str(problem)))
            continue
        if hit is not None:
            add(hit)
    return FileReading(name, format_name, number, malformed, tuple(examples), tally.figures())


class _Raw(io.RawIOBase):
    """Any readable byte stream (an S3 body) as a raw stream, so that it can be buffered and peeked."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        return size
