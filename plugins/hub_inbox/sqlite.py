"""The Store on SQLite: the embedded default, one file, WAL mode (readers never wait for the writer).

Every connection waits up to `busy_timeout` seconds for a lock; beyond that the operation raises
StoreBusy (the intake answers 503 with Retry-After). Writes start with BEGIN IMMEDIATE, so a
transaction takes the write lock before it reads: two writers never deadlock on an upgrade, which
SQLite would report at once, without honouring the timeout.

The SQL is kept portable (ON CONFLICT DO NOTHING, no rowid, no JSON functions, "?" placeholders
the only dialect difference), so a PostgreSQL store can share the schema; it is not written yet.
Connections come from a small pool; a connection is used by one thread at a time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_core.errors import ConfigurationError
from hub_core.i18n import translator

from .model import FORGET, Counts, Decision, Item, PostDialogue, Source, Status
from .rows import APPROVAL, DECISION_COLUMNS, ITEM_COLUMNS, LOG, decision_row, item_row, items_from_rows
from .store import StoreBusy

_, ngettext = translator("hub_inbox")

SCHEMA_VERSION = 1

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS items (
        id TEXT PRIMARY KEY,
        post TEXT NOT NULL,
        source TEXT NOT NULL,
        text TEXT NOT NULL,
        created TEXT NOT NULL,
        status TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        parent TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        handle TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        email_confirmed INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS items_by_post ON items (post, created)",
    "CREATE INDEX IF NOT EXISTS items_by_status ON items (status, created)",
    "CREATE INDEX IF NOT EXISTS items_by_email ON items (email, status)",
    """CREATE TABLE IF NOT EXISTS decisions (
        item TEXT NOT NULL REFERENCES items (id),
        kind TEXT NOT NULL,
        position INTEGER NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (item, kind, position)
    )""",
    """CREATE TABLE IF NOT EXISTS counts (
        post TEXT NOT NULL,
        source TEXT NOT NULL,
        replies INTEGER NOT NULL,
        reposts INTEGER NOT NULL,
        likes INTEGER NOT NULL,
        updated TEXT NOT NULL,
        PRIMARY KEY (post, source)
    )""",
    # The moderators' password hashes (scrypt, salted: passwords.py); the team itself is the calendar's.
    """CREATE TABLE IF NOT EXISTS passwords (
        member TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        updated TEXT NOT NULL
    )""",
)


class SchemaTooNew(ConfigurationError):
    """The database was written by a newer Hub than this one."""


class SqliteStore:
    """The Store protocol (store.py) on one SQLite file; the schema is created on first open."""

    def __init__(
        self, path: Path | str, *, busy_timeout: float = 5.0, idle_connections: int = 8, read_only: bool = False
    ) -> None:
        """`read_only`: for readers beside the service (`invoke review`, the build's dashboard): the file
        must exist, nothing is created or changed, and every write fails (sqlite3.OperationalError)."""
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.idle_connections = idle_connections
        self.read_only = read_only
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if read_only:
            if not self.path.is_file():
                raise FileNotFoundError(self.path)
            self._check_schema(self._read("SELECT value FROM meta WHERE key = 'schema_version'"))
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._writing() as db:
            self._create_schema(db)

    # Connections and transactions. A small pool: the server runs a new thread per request, so a
    # connection per thread would be a connection per request, never closed.

    def _open(self) -> sqlite3.Connection:
        try:
            # isolation_level=None: we say BEGIN ourselves (IMMEDIATE for writes)
            if self.read_only:
                # mode=ro: SQLite itself refuses every write, and no file is created
                target, uri = f"{self.path.resolve().as_uri()}?mode=ro", True
            else:
                target, uri = str(self.path), False
            db = sqlite3.connect(
                target, timeout=self.busy_timeout, isolation_level=None, check_same_thread=False, uri=uri
            )
            db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            if not self.read_only:  # a reader finds WAL set by the service (it is stored in the file)
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")  # a comment answered with "Danke" survives a power cut
            db.execute("PRAGMA foreign_keys = ON")
            # A wiped text is overwritten on disk, not left in a free page of the file (erasure, Art. 17 GDPR).
            db.execute("PRAGMA secure_delete = ON")
        except sqlite3.OperationalError as error:
            raise _busy(error) from error
        return db

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None:
            db = self._open()
        try:
            yield db
        finally:
            with self._lock:
                keep = len(self._idle) < self.idle_connections and not db.in_transaction
                if keep:
                    self._idle.append(db)
            if not keep:
                db.close()

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        with self._connection() as db:
            try:
                db.execute(begin)
            except sqlite3.OperationalError as error:
                raise _busy(error) from error
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as error:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(error, sqlite3.OperationalError):
                    raise _busy(error) from error
                raise

    def _writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction that holds the write lock from its start (BEGIN IMMEDIATE)."""
        return self._transaction("BEGIN IMMEDIATE")

    def _reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """A read transaction: its queries see one snapshot (WAL: no writer waits for it)."""
        return self._transaction("BEGIN")

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._reading() as db:
            return db.execute(sql, parameters).fetchall()

    def close(self) -> None:
        """Close the idle connections (the server is stopping)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for db in idle:
            db.close()

    def _create_schema(self, db: sqlite3.Connection) -> None:
        for statement in SCHEMA:
            db.execute(statement)
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        else:
            self._check_schema([row])

    def _check_schema(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if rows and int(rows[0][0]) > SCHEMA_VERSION:
            row = rows[0]
            raise SchemaTooNew(
                _("{path}: the inbox database has schema version {found}; this Hub knows up to {known}").format(
                    path=self.path, found=row[0], known=SCHEMA_VERSION
                )
            )

    def schema_version(self) -> int:
        return int(self._read("SELECT value FROM meta WHERE key = 'schema_version'")[0][0])

    # The Store protocol

    def add(self, item: Item) -> bool:
        with self._writing() as db:
            cursor = db.execute(
                f"INSERT INTO items ({ITEM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO NOTHING",
                item_row(item),
            )
            if cursor.rowcount != 1:
                return False
            for kind, decisions in ((APPROVAL, item.approvals), (LOG, item.decisions)):
                for position, decision in enumerate(decisions):
                    _insert_decision(db, item.id, kind, position, decision)
            return True

    def get(self, item_id: str) -> Item | None:
        found = self._load("WHERE id = ?", (item_id,))
        return found[0] if found else None

    def items(
        self, *, post: str | None = None, status: Status | None = None, source: Source | None = None
    ) -> Sequence[Item]:
        conditions, parameters = [], []
        for column, value in (("post", post), ("status", status), ("source", source)):
            if value is not None:
                conditions.append(f"{column} = ?")
                parameters.append(str(value))
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        return self._load(where, parameters)

    def decide(self, item_id: str, status: Status, decision: Decision) -> Item:
        with self._writing() as db:
            if db.execute("UPDATE items SET status = ? WHERE id = ?", (status.value, item_id)).rowcount != 1:
                raise KeyError(item_id)
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

    def approve(self, item_id: str, decision: Decision, *, status: Status | None = None) -> Item:
        with self._writing() as db:
            if db.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
                raise KeyError(item_id)
            _append_decision(db, item_id, APPROVAL, decision)
            _append_decision(db, item_id, LOG, decision)
            if status is not None:
                db.execute("UPDATE items SET status = ? WHERE id = ?", (status.value, item_id))
        return self._existing(item_id)

    def note(self, item_id: str, decision: Decision) -> Item:
        with self._writing() as db:
            if db.execute("SELECT 1 FROM items WHERE id = ?", (item_id,)).fetchone() is None:
                raise KeyError(item_id)
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

    def confirm_email(self, item_id: str, decision: Decision) -> Item:
        return self._set_email(item_id, "email_confirmed = 1", decision)

    def drop_email(self, item_id: str, decision: Decision) -> Item:
        item = self._set_email(item_id, "email = '', email_confirmed = 0", decision)
        self._checkpoint()
        return item

    def _set_email(self, item_id: str, assignment: str, decision: Decision) -> Item:
        with self._writing() as db:
            if db.execute(f"UPDATE items SET {assignment} WHERE id = ?", (item_id,)).rowcount != 1:
                raise KeyError(item_id)
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

    def set_password(self, member: str, hashed: str, at: datetime) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO passwords (member, hash, updated) VALUES (?, ?, ?)"
                " ON CONFLICT (member) DO UPDATE SET hash = excluded.hash, updated = excluded.updated",
                (member, hashed, at.isoformat()),
            )

    def password(self, member: str) -> str:
        rows = self._read("SELECT hash FROM passwords WHERE member = ?", (member,))
        return str(rows[0][0]) if rows else ""

    def has_approved_from(self, email: str) -> bool:
        rows = self._read("SELECT 1 FROM items WHERE email = ? AND status = ? LIMIT 1", (email, Status.APPROVED.value))
        return bool(email) and bool(rows)

    def set_counts(self, post: str, source: Source, counts: Counts, at: datetime) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO counts (post, source, replies, reposts, likes, updated) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (post, source) DO UPDATE SET replies = excluded.replies,"
                " reposts = excluded.reposts, likes = excluded.likes, updated = excluded.updated",
                (post, source.value, counts.replies, counts.reposts, counts.likes, at.isoformat()),
            )

    def dialogues(self) -> Iterable[PostDialogue]:
        approved: dict[str, list[Item]] = {}
        for item in self.items(status=Status.APPROVED):
            approved.setdefault(item.post, []).append(item)
        counts: dict[str, dict[str, Counts]] = {}
        for post, source, replies, reposts, likes in self._read(
            "SELECT post, source, replies, reposts, likes FROM counts ORDER BY post, source"
        ):
            counts.setdefault(post, {})[source] = Counts(replies, reposts, likes)
        return [
            PostDialogue(post, tuple(approved.get(post, ())), counts.get(post, {}))
            for post in sorted(approved.keys() | counts.keys())
        ]

    def forget(self, *, email: str = "", handle: str = "", by: str, at: datetime, reason: str = "") -> int:
        if not (email or handle):
            raise ValueError("forget needs an e-mail address or a handle")
        condition = " OR ".join(part for part, value in (("email = ?", email), ("handle = ?", handle)) if value)
        values = [value for value in (email, handle) if value]
        with self._writing() as db:
            ids = [row[0] for row in db.execute(f"SELECT id FROM items WHERE {condition}", values)]
            for item_id in ids:
                _wipe(db, item_id)
                _append_decision(db, item_id, LOG, Decision(by, at, FORGET, reason))
        self._checkpoint()
        return len(ids)

    def erase(self, item_id: str, decision: Decision) -> Item:
        with self._writing() as db:
            if not _wipe(db, item_id):
                raise KeyError(item_id)
            _append_decision(db, item_id, LOG, decision)
        self._checkpoint()
        return self._existing(item_id)

    def _checkpoint(self) -> None:
        """Copy the WAL into the file and empty it, so the wiped text's old page versions are gone from
        the disk too. Best effort: with a reader in the way SQLite copies what it can and says so."""
        with self._connection() as db, suppress(sqlite3.OperationalError):
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # Reading items back

    def _existing(self, item_id: str) -> Item:
        item = self.get(item_id)
        if item is None:
            raise KeyError(item_id)
        return item

    def _load(self, where: str, parameters: Sequence[Any]) -> list[Item]:
        with self._reading() as db:
            rows = db.execute(f"SELECT {ITEM_COLUMNS} FROM items {where} ORDER BY created, id", parameters).fetchall()
            found = db.execute(
                f"SELECT {DECISION_COLUMNS} FROM decisions"
                f" WHERE item IN (SELECT id FROM items {where}) ORDER BY item, kind, position",
                parameters,
            ).fetchall()
        return items_from_rows(rows, found)


def _insert_decision(db: sqlite3.Connection, item_id: str, kind: str, position: int, decision: Decision) -> None:
    db.execute(
        "INSERT INTO decisions (item, kind, position, actor, at, action, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        decision_row(item_id, kind, position, decision),
    )


def _wipe(db: sqlite3.Connection, item_id: str) -> bool:
    """Deleted, and nothing of the person left in the row (the decisions keep who decided, not who wrote)."""
    cursor = db.execute(
        "UPDATE items SET status = ?, text = '', author = '', email = '', email_confirmed = 0, handle = '',"
        " url = '' WHERE id = ?",
        (Status.DELETED.value, item_id),
    )
    return cursor.rowcount == 1


def _append_decision(db: sqlite3.Connection, item_id: str, kind: str, decision: Decision) -> None:
    (position,) = db.execute("SELECT COUNT(*) FROM decisions WHERE item = ? AND kind = ?", (item_id, kind)).fetchone()
    _insert_decision(db, item_id, kind, position, decision)


def _busy(error: sqlite3.OperationalError) -> Exception:
    """A lock beyond the timeout is StoreBusy; any other operational error stays what it is (re-raised
    as a copy, so that its cause is the original)."""
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return StoreBusy(str(error))
    return sqlite3.OperationalError(str(error))
