"""The PostgreSQL store's own behaviour on a real server (loopback): its schema version, StoreBusy for a
held row lock and for a server that does not answer, read-only readers, concurrent approvals of one
item, and how the settings choose it. What every Store shares is in test_sqlite.py, run on both."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from hub_core.options import problems
from hub_inbox.model import Decision, Item, Source, Status
from hub_inbox.options import OPTIONS, configured_database
from hub_inbox.postgres import PostgresStore, SchemaMissing
from hub_inbox.sqlite import SCHEMA_VERSION, SchemaTooNew, SqliteStore
from hub_inbox.store import StoreBusy
from hub_inbox.stores import open_store
from postgres import free_port

AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def comment(number: int) -> Item:
    return Item(f"web:{number}", "de/minus-30-grad", Source.WEB, f"Kommentar {number}", AT + timedelta(seconds=number))


def test_the_schema_is_created_once_with_its_version_and_a_newer_one_is_refused(postgres_url: str) -> None:
    store = PostgresStore(postgres_url)
    assert store.schema_version() == SCHEMA_VERSION
    store.add(comment(1))
    store.close()
    again = PostgresStore(postgres_url)  # opening again keeps what is there
    assert [item.id for item in again.items()] == ["web:1"]
    again.close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(SchemaTooNew, match="Schemaversion 2; diese Hub-Version kennt nur bis 1"):
        PostgresStore(postgres_url)


def test_a_held_row_lock_makes_the_store_busy_and_then_it_works_again(postgres_url: str) -> None:
    store = PostgresStore(postgres_url, busy_timeout=0.2)
    store.add(comment(1))
    other = psycopg.connect(postgres_url)
    other.execute("SELECT 1 FROM items WHERE id = 'web:1' FOR UPDATE")
    with pytest.raises(StoreBusy):
        store.approve("web:1", Decision("anna", AT, "approve"))
    assert store.add(comment(2))  # other rows and readers go on
    assert [item.approvals for item in store.items()] == [(), ()]
    other.rollback()
    other.close()
    assert store.approve("web:1", Decision("anna", AT, "approve")).approvals
    store.close()


def test_a_server_that_does_not_answer_is_busy() -> None:
    with pytest.raises(StoreBusy, match="die Datenbank ist nicht erreichbar"):
        PostgresStore(f"postgresql://postgres@127.0.0.1:{free_port()}/inbox", busy_timeout=0.5)


def test_a_read_only_store_reads_and_refuses_writes(postgres_url: str) -> None:
    with pytest.raises(SchemaMissing):
        PostgresStore(postgres_url, read_only=True)
    PostgresStore(postgres_url).add(comment(1))
    reader = PostgresStore(postgres_url, read_only=True)
    assert [item.id for item in reader.items()] == ["web:1"]
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        reader.add(comment(2))
    assert reader.get("web:2") is None
    reader.close()


def test_moderators_approving_one_item_at_once_each_get_their_place_in_the_log(postgres_url: str) -> None:
    store = PostgresStore(postgres_url)
    store.add(comment(1))
    errors: list[BaseException] = []

    def approve(number: int) -> None:
        try:
            store.approve("web:1", Decision(f"editor{number}", AT, "approve"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=approve, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    item = store.get("web:1")
    assert item is not None
    assert sorted(d.by for d in item.approvals) == sorted(f"editor{n}" for n in range(12))
    assert len(item.decisions) == 12
    store.close()


def test_the_settings_choose_the_store_and_keep_the_password_out(tmp_path: Path, postgres_url: str) -> None:
    base = {"PATH": str(tmp_path / "content")}
    assert isinstance(open_store(base), SqliteStore)
    assert configured_database(base) == tmp_path / "var" / "inbox.sqlite"
    settings = {**base, "HUB_INBOX_DATABASE": postgres_url}
    assert problems(OPTIONS, settings) == []
    assert configured_database(settings) == postgres_url
    store = open_store(settings, environ={})
    assert isinstance(store, PostgresStore) and store.add(comment(1))
    store.close()
    with_password = postgres_url.replace("postgres@", "postgres:geheim@")
    [problem] = problems(OPTIONS, {**base, "HUB_INBOX_DATABASE": with_password})
    assert "HUB_INBOX_DATABASE" in problem and "HUB_INBOX_DATABASE_PASSWORD" in problem
    assert "geheim" not in problem
    # the password from the environment reaches the server (trust accepts any; a wrong user would not)
    assert open_store(settings, environ={"HUB_INBOX_DATABASE_PASSWORD": "geheim"}).items()
    assert Status.PENDING is store.items()[0].status
