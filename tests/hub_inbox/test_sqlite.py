"""The stores on real databases: idempotent adds, decisions kept in order, counts, erasure, a schema
version, and StoreBusy when another connection holds the lock. The behaviour every Store shares runs
against SQLite (a file) and PostgreSQL (a real server on loopback) alike, through the `store` fixture."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hub_inbox.model import Counts, Decision, Item, Source, Status
from hub_inbox.postgres import PostgresStore
from hub_inbox.sqlite import SCHEMA_VERSION, SchemaTooNew, SqliteStore
from hub_inbox.store import StoreBusy
from hub_inbox.stores import ClosableStore

AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def comment(number: int, **fields: object) -> Item:
    values: dict[str, object] = {
        "id": f"web:{number}",
        "post": "de/minus-30-grad",
        "source": Source.WEB,
        "text": f"Kommentar {number}",
        "created": AT + timedelta(seconds=number),
    }
    values.update(fields)
    return Item(**values)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ClosableStore]:
    opened: ClosableStore
    if request.param == "sqlite":
        opened = SqliteStore(tmp_path / "inbox.sqlite")
    else:
        opened = PostgresStore(request.getfixturevalue("postgres_url"))
    try:
        yield opened
    finally:
        opened.close()


def test_the_schema_is_created_with_its_version_and_wal_mode(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "inbox" / "inbox.sqlite")
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(tmp_path / "inbox" / "inbox.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


def test_a_database_of_a_newer_schema_is_refused(tmp_path: Path) -> None:
    SqliteStore(tmp_path / "inbox.sqlite").close()
    with sqlite3.connect(tmp_path / "inbox.sqlite") as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(SchemaTooNew, match="Schemaversion 2; diese Hub-Version kennt nur bis 1"):
        SqliteStore(tmp_path / "inbox.sqlite")


def test_add_is_idempotent_by_id_and_items_come_back_in_creation_order(store: ClosableStore) -> None:
    assert store.add(comment(2, author="Anna", email="anna@example.com"))
    assert store.add(comment(1))
    assert not store.add(comment(2, text="changed"))
    assert [item.id for item in store.items()] == ["web:1", "web:2"]
    again = store.get("web:2")
    assert again == comment(2, author="Anna", email="anna@example.com")
    assert again is not None and not again.email_confirmed
    assert store.get("web:3") is None


def test_decisions_and_approvals_are_logged_in_order_and_filters_apply(store: ClosableStore) -> None:
    store.add(comment(1))
    store.add(comment(2, post="de/anderer"))
    store.add(comment(3, status=Status.SPAM, decisions=(Decision("system", AT, "spam", "honeypot"),)))
    first = Decision("anna", AT + timedelta(hours=1), "approve")
    second = Decision("ben", AT + timedelta(hours=2), "approve")
    store.approve("web:1", first)
    store.approve("web:1", second)
    approved = store.decide("web:1", Status.APPROVED, Decision("ben", AT + timedelta(hours=2), "publish"))
    assert approved.status is Status.APPROVED
    assert approved.approvals == (first, second)
    assert [d.action for d in approved.decisions] == ["approve", "approve", "publish"]
    assert [i.id for i in store.items(status=Status.PENDING)] == ["web:2"]
    assert [i.id for i in store.items(post="de/minus-30-grad")] == ["web:1", "web:3"]
    assert [i.id for i in store.items(status=Status.SPAM, source=Source.WEB)] == ["web:3"]
    assert store.items(source=Source.MASTODON) == []
    with pytest.raises(KeyError):
        store.decide("web:9", Status.REJECTED, first)


def test_a_note_joins_the_log_and_leaves_the_status(store: ClosableStore) -> None:
    store.add(comment(1))
    routed = Decision("system", AT + timedelta(minutes=5), "route", "maydin")
    noted = store.note("web:1", routed)
    assert noted.status is Status.PENDING and noted.approvals == ()
    assert noted.decisions == (routed,)
    assert store.note("web:1", Decision("system", AT, "escalate", "sroth")).decisions[-1].action == "escalate"
    with pytest.raises(KeyError):
        store.note("web:9", routed)


def test_dialogues_hold_approved_items_and_counts(store: ClosableStore) -> None:
    store.add(comment(1, status=Status.APPROVED))
    store.add(comment(2))
    store.set_counts("de/minus-30-grad", Source.MASTODON, Counts(1, 2, 3), AT)
    store.set_counts("de/minus-30-grad", Source.MASTODON, Counts(4, 5, 6), AT)
    store.set_counts("de/nur-gezaehlt", Source.BLUESKY, Counts(likes=9), AT)
    dialogues = {d.post: d for d in store.dialogues()}
    assert [i.id for i in dialogues["de/minus-30-grad"].items] == ["web:1"]
    assert dialogues["de/minus-30-grad"].counts == {"mastodon": Counts(4, 5, 6)}
    assert dialogues["de/nur-gezaehlt"].items == ()


def test_forget_wipes_a_person_and_logs_it(store: ClosableStore) -> None:
    store.add(comment(1, author="Anna", email="anna@example.com", status=Status.APPROVED))
    store.add(comment(2, author="Ben", email="ben@example.com"))
    assert store.forget(email="anna@example.com", by="redaktion", at=AT) == 1
    gone = store.get("web:1")
    assert gone is not None
    assert (gone.status, gone.text, gone.author, gone.email) == (Status.DELETED, "", "", "")
    assert gone.decisions[-1].action == "forget"
    kept = store.get("web:2")
    assert kept is not None and kept.author == "Ben"


def test_a_held_write_lock_makes_the_store_busy_and_then_it_works_again(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "inbox.sqlite", busy_timeout=0.2)
    other = sqlite3.connect(tmp_path / "inbox.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreBusy):
        store.add(comment(1))
    assert store.items() == []  # WAL: reading goes on while another connection writes
    other.execute("ROLLBACK")
    other.close()
    assert store.add(comment(1))


def test_threads_adding_the_same_and_different_items_lose_nothing(store: ClosableStore) -> None:
    results: list[bool] = []

    def add_all(offset: int) -> None:
        for number in range(50):
            results.append(store.add(comment(number if number % 2 else number + 1000 * offset)))

    threads = [threading.Thread(target=add_all, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [item.id for item in store.items()]
    assert len(ids) == len(set(ids)) == 25 + 4 * 25
    assert results.count(True) == len(ids)


def test_erase_passwords_and_first_time_writers(store: ClosableStore) -> None:
    store.add(comment(1, author="Anna", email="anna@example.com", handle="@anna@social.example", url="https://x"))
    assert not store.has_approved_from("anna@example.com")
    store.decide("web:1", Status.APPROVED, Decision("ben", AT, "publish"))
    assert store.has_approved_from("anna@example.com") and not store.has_approved_from("")
    erased = store.erase("web:1", Decision("writer", AT, "delete", "own link"))
    assert (erased.status, erased.text, erased.author, erased.email, erased.handle, erased.url) == (
        Status.DELETED,
        "",
        "",
        "",
        "",
        "",
    )
    assert [d.action for d in erased.decisions] == ["publish", "delete"]
    assert not store.has_approved_from("anna@example.com")
    with pytest.raises(KeyError):
        store.erase("web:9", Decision("writer", AT, "delete"))
    assert store.password("sroth") == ""
    store.set_password("sroth", "scrypt$1", AT)
    store.set_password("sroth", "scrypt$2", AT + timedelta(days=1))
    assert store.password("sroth") == "scrypt$2"


def test_an_address_is_confirmed_and_dropped_with_the_log(store: ClosableStore) -> None:
    store.add(comment(1, email="leser@example.com"))
    confirmed = store.confirm_email("web:1", Decision("writer", AT, "email-confirmed"))
    assert confirmed.email_confirmed and confirmed.email == "leser@example.com"
    dropped = store.drop_email("web:1", Decision("writer", AT, "email-unsubscribed"))
    assert (dropped.email, dropped.email_confirmed, dropped.text) == ("", False, "Kommentar 1")
    assert [d.action for d in dropped.decisions] == ["email-confirmed", "email-unsubscribed"]
    with pytest.raises(KeyError):
        store.confirm_email("web:9", Decision("writer", AT, "email-confirmed"))
