"""The Store on PostgreSQL, for companies that run it: the schema and the semantics of sqlite.py, on psycopg 3.

The tables, columns and statements are SQLite's (sqlite.SCHEMA, times as ISO text), so a database can
move between the two by copying rows and both stores answer the same tests. What differs is locking:
PostgreSQL writers do not take one database lock, so a write that appends to an item's decision log
locks that item's row first (FOR UPDATE): two moderators approving at once get positions 0 and 1,
never the same one twice.

Busy means: a lock held beyond `busy_timeout` (lock_timeout), the server unreachable or full, a
deadlock or serialization failure. All raise StoreBusy (the intake answers 503 with Retry-After). The
password never comes from the settings: libpq reads PGPASSWORD (or ~/.pgpass), or the caller passes
the one from HUB_INBOX_DATABASE_PASSWORD (hub_inbox.stores).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any

import psycopg
from hub_core.errors import ConfigurationError
from hub_core.i18n import translator

from .model import FORGET, Counts, Decision, Item, PostDialogue, Source, Status
from .rows import APPROVAL, DECISION_COLUMNS, ITEM_COLUMNS, LOG, decision_row, item_row, items_from_rows
from .sqlite import SCHEMA, SCHEMA_VERSION, SchemaTooNew
from .store import StoreBusy

_, ngettext = translator("hub_inbox")

# Two service processes opening a fresh database at once would both create the tables; one
# transaction-scoped advisory lock (any fixed number) makes the second wait and find them.
SCHEMA_LOCK = 0x4855_4249  # "HUBI"


class SchemaMissing(ConfigurationError):
    """A read-only store found no inbox tables: the service has never run against this database."""


class PostgresStore:
    """The Store protocol (store.py) on a PostgreSQL database; the tables are created on first open."""

    def __init__(
        self,
        url: str,
        *,
        password: str = "",
        busy_timeout: float = 5.0,
        idle_connections: int = 8,
        read_only: bool = False,
    ) -> None:
        """`url`: `postgresql://user@host:port/dbname`. `read_only`: for readers beside the service
        (`invoke review`, the build's dashboard): the tables must exist, nothing is created or changed,
        every write fails (the server refuses it in a read-only transaction)."""
        self.url = url
        self.path = url  # what messages name, like SqliteStore.path
        self.busy_timeout = busy_timeout
        self.idle_connections = idle_connections
        self.read_only = read_only
        self._password = password
        self._idle: list[psycopg.Connection[tuple[Any, ...]]] = []
        self._lock = threading.Lock()
        if read_only:
            with self._reading() as db:
                if db.execute("SELECT to_regclass('meta')").fetchone() in (None, (None,)):
                    raise SchemaMissing(
                        _("{path}: the database holds no inbox yet (start the inbox once)").format(path=url)
                    )
            self._check_schema(self._read("SELECT value FROM meta WHERE key = 'schema_version'"))
            return
        with self._writing() as db:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            self._create_schema(db)

    # Connections and transactions: a small pool, as in sqlite.py (a thread per request).

    def _open(self) -> psycopg.Connection[tuple[Any, ...]]:
        settings = {
            "lock_timeout": f"{int(self.busy_timeout * 1000)}",
            # a lost client must not keep a row lock for ever
            "idle_in_transaction_session_timeout": "60000",
            "default_transaction_read_only": "on" if self.read_only else "off",
        }
        extra: dict[str, Any] = {"password": self._password} if self._password else {}
        try:
            return psycopg.connect(
                self.url,
                # libpq counts whole seconds, and fewer than 2 mean "2"
                connect_timeout=max(2, round(self.busy_timeout)),
                options=" ".join(f"-c {name}={value}" for name, value in settings.items()),
                application_name="hub-inbox",
                autocommit=True,  # transactions are ours: db.transaction() says BEGIN and COMMIT
                **extra,
            )
        except psycopg.OperationalError as error:
            raise StoreBusy(_unreachable(self.url, error)) from error

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        with self._lock:
            db = self._idle.pop() if self._idle else None
        if db is None or db.closed:
            db = self._open()
        try:
            yield db
        finally:
            with self._lock:
                keep = (
                    len(self._idle) < self.idle_connections
                    and not db.closed
                    and db.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
                )
                if keep:
                    self._idle.append(db)
            if not keep:
                db.close()

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        with self._connection() as db:
            try:
                with db.transaction():
                    yield db
            except psycopg.OperationalError as error:
                # lock timeout, deadlock, serialization failure, a dropped connection: try again later
                db.close()
                raise StoreBusy(str(error).strip()) from error

    def _writing(self) -> AbstractContextManager[psycopg.Connection[tuple[Any, ...]]]:
        return self._transaction()

    def _reading(self) -> AbstractContextManager[psycopg.Connection[tuple[Any, ...]]]:
        # READ COMMITTED sees a snapshot per statement; _load reads items and decisions in one
        # transaction, and a decision is only ever appended, so a later statement sees at most more.
        return self._transaction()

    def _read(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._reading() as db:
            return db.execute(sql, parameters).fetchall()

    def close(self) -> None:
        """Close the idle connections (the server is stopping)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for db in idle:
            db.close()

    def _create_schema(self, db: psycopg.Connection[tuple[Any, ...]]) -> None:
        for statement in SCHEMA:
            db.execute(statement)
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', %s)", (str(SCHEMA_VERSION),))
        else:
            self._check_schema([row])

    def _check_schema(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if rows and int(rows[0][0]) > SCHEMA_VERSION:
            raise SchemaTooNew(
                _("{path}: the inbox database has schema version {found}; this Hub knows up to {known}").format(
                    path=self.url, found=rows[0][0], known=SCHEMA_VERSION
                )
            )

    def schema_version(self) -> int:
        return int(self._read("SELECT value FROM meta WHERE key = 'schema_version'")[0][0])

    # The Store protocol

    def add(self, item: Item) -> bool:
        with self._writing() as db:
            cursor = db.execute(
                f"INSERT INTO items ({ITEM_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
        found = self._load("WHERE id = %s", (item_id,))
        return found[0] if found else None

    def items(
        self, *, post: str | None = None, status: Status | None = None, source: Source | None = None
    ) -> Sequence[Item]:
        conditions, parameters = [], []
        for column, value in (("post", post), ("status", status), ("source", source)):
            if value is not None:
                conditions.append(f"{column} = %s")
                parameters.append(str(value))
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        return self._load(where, parameters)

    def decide(self, item_id: str, status: Status, decision: Decision) -> Item:
        with self._writing() as db:
            # the UPDATE holds the row lock to the end: the log position below is this writer's alone
            if db.execute("UPDATE items SET status = %s WHERE id = %s", (status.value, item_id)).rowcount != 1:
                raise KeyError(item_id)
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

    def approve(self, item_id: str, decision: Decision, *, status: Status | None = None) -> Item:
        with self._writing() as db:
            _lock_item(db, item_id)
            _append_decision(db, item_id, APPROVAL, decision)
            _append_decision(db, item_id, LOG, decision)
            if status is not None:
                db.execute("UPDATE items SET status = %s WHERE id = %s", (status.value, item_id))
        return self._existing(item_id)

    def note(self, item_id: str, decision: Decision) -> Item:
        with self._writing() as db:
            _lock_item(db, item_id)
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

    def confirm_email(self, item_id: str, decision: Decision) -> Item:
        return self._set_email(item_id, "email_confirmed = 1", decision)

    def drop_email(self, item_id: str, decision: Decision) -> Item:
        # as erase: the old row version stays on disk until autovacuum (docs/reference.md says so)
        return self._set_email(item_id, "email = '', email_confirmed = 0", decision)

    def _set_email(self, item_id: str, assignment: str, decision: Decision) -> Item:
        with self._writing() as db:
            _lock_item(db, item_id)
            db.execute(f"UPDATE items SET {assignment} WHERE id = %s", (item_id,))
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

    def set_password(self, member: str, hashed: str, at: datetime) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO passwords (member, hash, updated) VALUES (%s, %s, %s)"
                " ON CONFLICT (member) DO UPDATE SET hash = excluded.hash, updated = excluded.updated",
                (member, hashed, at.isoformat()),
            )

    def password(self, member: str) -> str:
        rows = self._read("SELECT hash FROM passwords WHERE member = %s", (member,))
        return str(rows[0][0]) if rows else ""

    def has_approved_from(self, email: str) -> bool:
        rows = self._read(
            "SELECT 1 FROM items WHERE email = %s AND status = %s LIMIT 1", (email, Status.APPROVED.value)
        )
        return bool(email) and bool(rows)

    def set_counts(self, post: str, source: Source, counts: Counts, at: datetime) -> None:
        with self._writing() as db:
            db.execute(
                "INSERT INTO counts (post, source, replies, reposts, likes, updated) VALUES (%s, %s, %s, %s, %s, %s)"
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
        condition = " OR ".join(part for part, value in (("email = %s", email), ("handle = %s", handle)) if value)
        values = [value for value in (email, handle) if value]
        with self._writing() as db:
            rows = db.execute(f"SELECT id FROM items WHERE {condition} ORDER BY id FOR UPDATE", values).fetchall()
            ids = [row[0] for row in rows]
            for item_id in ids:
                _wipe(db, item_id)
                _append_decision(db, item_id, LOG, Decision(by, at, FORGET, reason))
        # The old row versions stay in the table's pages until VACUUM reclaims them (autovacuum does,
        # soon after); an operator who must be sure runs VACUUM items (docs/reference.md).
        return len(ids)

    def erase(self, item_id: str, decision: Decision) -> Item:
        with self._writing() as db:
            if not _wipe(db, item_id):
                raise KeyError(item_id)
            _append_decision(db, item_id, LOG, decision)
        return self._existing(item_id)

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


def _lock_item(db: psycopg.Connection[tuple[Any, ...]], item_id: str) -> None:
    if db.execute("SELECT 1 FROM items WHERE id = %s FOR UPDATE", (item_id,)).fetchone() is None:
        raise KeyError(item_id)


def _insert_decision(
    db: psycopg.Connection[tuple[Any, ...]], item_id: str, kind: str, position: int, decision: Decision
) -> None:
    db.execute(
        "INSERT INTO decisions (item, kind, position, actor, at, action, reason) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        decision_row(item_id, kind, position, decision),
    )


def _wipe(db: psycopg.Connection[tuple[Any, ...]], item_id: str) -> bool:
    """Deleted, and nothing of the person left in the row (the decisions keep who decided, not who wrote)."""
    cursor = db.execute(
        "UPDATE items SET status = %s, text = '', author = '', email = '', email_confirmed = 0, handle = '',"
        " url = '' WHERE id = %s",
        (Status.DELETED.value, item_id),
    )
    return cursor.rowcount == 1


def _append_decision(db: psycopg.Connection[tuple[Any, ...]], item_id: str, kind: str, decision: Decision) -> None:
    """Callers hold the item's row lock, so the count is not raced."""
    row = db.execute("SELECT COUNT(*) FROM decisions WHERE item = %s AND kind = %s", (item_id, kind)).fetchone()
    _insert_decision(db, item_id, kind, row[0] if row else 0, decision)


def _unreachable(url: str, error: psycopg.OperationalError) -> str:
    return _("{path}: the database cannot be reached ({error})").format(path=url, error=str(error).strip())
