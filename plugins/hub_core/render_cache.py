"""A persistent cache of rendered Markdown: HTML stored under a key over everything that shapes it.

No Pelican here: the reader builds the key and the lookups, this module keeps the HTML in one
sqlite3 file. Some inputs are not in the key because they live outside the body (an image's
size, its variants): every such lookup made while converting is recorded with its answer, and a
cached entry is only used while every recorded lookup still gives the same answer. A bad
database (corrupt, unreadable, locked) never fails a build: one warning, then no cache.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .i18n import translator

_, ngettext = translator("hub_core")

# Part of every key and the schema's user_version: raise it when the stored layout or meaning changes.
FORMAT_VERSION = 1
DATABASE_NAME = "rendered.sqlite3"
DAY = 24 * 3600.0
KEEP_UNUSED_FOR = 30 * DAY
# Last-used times are rewritten only once they are this old, so an unchanged build hardly writes.
TOUCH_AFTER = DAY
# A second build waiting for the first one's commit should wait a little, never hang.
LOCK_TIMEOUT = 2.0
# The default repr of an object carries its address, which differs in every process.
UNSTABLE = " at 0x"
CORRUPT = ("SQLITE_NOTADB", "SQLITE_CORRUPT")
SCHEMA = """CREATE TABLE IF NOT EXISTS rendered (
    key TEXT PRIMARY KEY,
    html TEXT NOT NULL,
    lookups TEXT NOT NULL,
    used REAL NOT NULL
)"""

# A probe answers one kind of lookup: argument -> (result for the renderer, stable repr of it).
Probe = Callable[[str], "tuple[Any, str]"]


def stable_repr(value: Any) -> str | None:
    """A repr that is equal in every process for equal values; None where `value` has none."""
    text = _repr(value)
    return None if UNSTABLE in text else text


def _repr(value: Any) -> str:
    if isinstance(value, Mapping):
        # Sorted: the order settings are written in does not change the HTML.
        return "{" + ", ".join(f"{k}: {v}" for k, v in sorted((_repr(k), _repr(v)) for k, v in value.items())) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_repr(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(_repr(v) for v in value) + ")"
    if isinstance(value, set | frozenset):
        return "set(" + ", ".join(sorted(_repr(v) for v in value)) + ")"
    return repr(value)


@lru_cache(maxsize=8)
def code_digest(paths: tuple[Path, ...]) -> str:
    """Digest of the source files that turn a body into HTML: editing one invalidates every entry."""
    digest = hashlib.sha256()
    for path in paths:
        _add(digest, path.name.encode())
        _add(digest, path.read_bytes())
    return digest.hexdigest()


def document_key(
    *, code: str, markdown_version: str, settings: str, source: str, base: str, pipeline: bool, body: str
) -> str:
    """The key of one document's HTML: everything it depends on except the recorded lookups."""
    digest = hashlib.sha256()
    for part in (str(FORMAT_VERSION), code, markdown_version, settings, source, base, str(pipeline), body):
        _add(digest, part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _add(digest: Any, data: bytes) -> None:
    # Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike.
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


@dataclass(frozen=True)
class Lookup:
    kind: str
    argument: str
    result: str  # stable repr of the answer


class Recorder:
    """Answers the renderer's lookups through `probes` and remembers each question and answer."""

    def __init__(self, probes: Mapping[str, Probe]) -> None:
        self.probes = probes
        self._seen: dict[tuple[str, str], str] = {}

    def lookup(self, kind: str, argument: str) -> Any:
        result, described = self.probes[kind](argument)
        self._seen[(kind, argument)] = described
        return result

    def lookups(self) -> tuple[Lookup, ...]:
        return tuple(Lookup(kind, argument, result) for (kind, argument), result in self._seen.items())

    def stable(self) -> bool:
        return not any(UNSTABLE in result for result in self._seen.values())

    def still_hold(self, lookups: Iterable[Lookup]) -> bool:
        """Whether each recorded lookup gives the same answer today."""
        for lookup in lookups:
            probe = self.probes.get(lookup.kind)
            if probe is None or probe(lookup.argument)[1] != lookup.result:
                return False
        return True


@dataclass
class CacheStats:
    hits: int = 0
    rendered: int = 0
    uncacheable: int = 0  # rendered and not stored: no stable key or lookup answer


@dataclass(frozen=True)
class Entry:
    html: str
    lookups: tuple[Lookup, ...]
    used: float


def _ignore(message: str) -> None:
    pass


class RenderCache:
    """HTML by key in `folder`/rendered.sqlite3; `folder` None renders everything (and counts it).

    The database is opened at the first lookup, not before: the build forks workers first, and a
    connection must not be shared with them. Writes wait in memory for `flush()`.
    """

    def __init__(
        self, folder: Path | None, warn: Callable[[str], None] = _ignore, now: Callable[[], float] = time.time
    ) -> None:
        self.folder = folder
        self.path = folder / DATABASE_NAME if folder is not None else None
        self.stats = CacheStats()
        self._warn = warn
        self._now = now
        self._db: sqlite3.Connection | None = None
        self._off = folder is None
        self._pending: dict[str, tuple[str, str]] = {}  # key -> (html, lookups as JSON)
        self._touched: set[str] = set()

    @property
    def enabled(self) -> bool:
        return not self._off

    def __reduce__(self) -> tuple[Any, ...]:
        # Pelican's own content cache pickles settings, where this object lives; a copy has no connection.
        return (RenderCache, (None,))

    def render(self, key: str | None, recorder: Recorder, convert: Callable[[], str]) -> str:
        """The HTML for `key`: cached while its lookups still hold, else `convert()` (whose lookups go
        through `recorder`) and stored. `key` None: not cacheable, always converted."""
        entry = self._get(key) if key is not None else None
        if key is not None and entry is not None and recorder.still_hold(entry.lookups):
            self.stats.hits += 1
            if self._now() - entry.used >= TOUCH_AFTER:
                self._touched.add(key)
            return entry.html
        html = convert()
        self.stats.rendered += 1
        if self._off:
            pass
        elif key is None or not recorder.stable():
            self.stats.uncacheable += 1
        else:
            lookups = json.dumps([[lookup.kind, lookup.argument, lookup.result] for lookup in recorder.lookups()])
            self._pending[key] = (html, lookups)
        return html

    def flush(self) -> None:
        """Store what was rendered, refresh last-used times and prune old entries, in one transaction."""
        db = self._db if not (self._pending or self._touched) else self._database()
        if db is None:
            return
        now = self._now()
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT OR REPLACE INTO rendered (key, html, lookups, used) VALUES (?, ?, ?, ?)",
                [(key, html, lookups, now) for key, (html, lookups) in self._pending.items()],
            )
            db.executemany("UPDATE rendered SET used = ? WHERE key = ?", [(now, key) for key in self._touched])
            db.execute("DELETE FROM rendered WHERE used < ?", (now - KEEP_UNUSED_FOR,))
            db.execute("COMMIT")
        except sqlite3.Error as error:
            self._fail(error)
        finally:
            self._pending.clear()
            self._touched.clear()

    def close(self) -> None:
        if self._db is not None:
            db, self._db = self._db, None
            try:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                db.close()
            except sqlite3.Error:
                pass  # closing is all that is left to do

    def _get(self, key: str) -> Entry | None:
        db = self._database()
        if db is None:
            return None
        try:
            row = db.execute("SELECT html, lookups, used FROM rendered WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            self._fail(error)
            return None
        if row is None:
            return None
        html, lookups, used = row
        try:
            recorded = tuple(
                Lookup(str(kind), str(argument), str(result)) for kind, argument, result in json.loads(lookups)
            )
        except (TypeError, ValueError):
            return None  # a damaged entry is a miss; the new rendering replaces it
        if not isinstance(html, str) or not isinstance(used, int | float):
            return None
        return Entry(html, recorded, float(used))

    def _database(self) -> sqlite3.Connection | None:
        if self._db is None and not self._off and self.folder is not None and self.path is not None:
            db = None
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                # Autocommit: flush() runs the one explicit transaction.
                db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)
                if db.execute("PRAGMA user_version").fetchone()[0] != FORMAT_VERSION:
                    # New file or another format: its entries could not match a key of ours anyway.
                    db.execute("BEGIN IMMEDIATE")
                    db.execute("DROP TABLE IF EXISTS rendered")
                    db.execute(SCHEMA)
                    db.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
                    db.execute("COMMIT")
                self._db = db
            except (sqlite3.Error, OSError) as error:
                if db is not None:
                    db.close()
                self._fail(error)
        return self._db

    def _fail(self, error: Exception) -> None:
        """Go on without the cache, and say so once; remove a file that is not a database (any
        more), so the next build starts a new one. A locked or unreadable file is left alone."""
        self.close()
        self._off = True
        self._pending.clear()
        self._touched.clear()
        corrupt = str(getattr(error, "sqlite_errorname", "")).startswith(CORRUPT)
        removed = corrupt and self.path is not None and _remove(self.path)
        if removed:
            message = _(
                "Markdown cache {path} cannot be used ({error}); going on without it, the file is removed,"
                " the next build starts a new one"
            )
        else:
            message = _(
                "Markdown cache {path} cannot be used ({error}); going on without it, the file is left as it is"
            )
        self._warn(message.format(path=self.path, error=error))


def _remove(path: Path) -> bool:
    try:
        path.unlink(missing_ok=True)
        Path(f"{path}-journal").unlink(missing_ok=True)
    except OSError:
        return False
    return True
