"""The cross-posting ledger survives a crash mid-write and refuses a corrupted history."""

from __future__ import annotations

from pathlib import Path

import pytest
from crosspost.ledger import Entry, Ledger, LedgerError, Status


def entry(post: str, status: Status) -> Entry:
    return Entry(post, "mastodon", status, "2026-11-21T10:00:00+01:00", "k1")


def test_a_half_written_last_line_is_dropped_and_repaired(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.load(path)
    ledger.append(entry("de/a", Status.PENDING))
    ledger.append(entry("de/a", Status.POSTED))
    with path.open("a") as out:
        out.write('{"post": "de/b", "chan')  # the process died while writing
    reloaded = Ledger.load(path)
    assert reloaded.dropped_tail and reloaded.current()[("de/a", "mastodon")].status is Status.POSTED
    reloaded.append(entry("de/b", Status.PENDING))
    lines = path.read_text().splitlines()
    assert len(lines) == 3 and all(line.endswith("}") for line in lines)
    assert Ledger.load(path).current()[("de/b", "mastodon")].status is Status.PENDING


def test_a_corrupted_line_in_the_middle_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger.load(path)
    ledger.append(entry("de/a", Status.POSTED))
    path.write_text("kaputt\n" + path.read_text())
    with pytest.raises(LedgerError, match=r"ledger.jsonl:1: expected a ledger entry"):
        Ledger.load(path)
