"""The cross-posting ledger survives a crash mid-write, refuses a corrupted history, and keeps each post's key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hub_crosspost.channels import ChannelConfig
from hub_crosspost.ledger import Entry, Ledger, LedgerError, Status
from hub_crosspost.model import Credentials, Posted, PostError, PostInfo, Teaser, TransientError
from hub_crosspost.runner import Services, idempotency_key, resolve, run_channels


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
    with pytest.raises(LedgerError, match=r"ledger.jsonl:1: erwartet: ein Eintrag des Versandprotokolls"):
        Ledger.load(path)


# --- One key per post and channel, kept across runs -----------------------------------------


class ScriptedClient:
    """A platform client that answers as scripted and remembers the keys it was given."""

    def __init__(self, *answers: PostError | Posted) -> None:
        self.answers = list(answers)
        self.keys: list[str] = []

    def limit(self) -> int:
        return 500

    def post(self, teaser: Teaser, post: PostInfo, *, idempotency_key: str) -> Posted:
        self.keys.append(idempotency_key)
        answer = self.answers.pop(0)
        if isinstance(answer, PostError):
            raise answer
        return answer

    def close(self) -> None:
        pass


CHANNEL = ChannelConfig("mastodon", "mastodon", datetime(2026, 11, 1, tzinfo=UTC), 1, "{teaser} {link}", 500)
POST = PostInfo("de/a", "A", "https://blog.example/a/", datetime(2026, 11, 20, 9, 0, tzinfo=UTC), teaser="Neu.")


def run(ledger: Ledger, client: ScriptedClient, at: datetime) -> None:
    services = Services(
        compose=lambda post, channel, limit: Teaser(channel.name, post.url, post.url, 10, limit),
        make_client=lambda config, credentials: client,
        read_credentials=lambda config, environ: Credentials(),
        environ={},
    )
    run_channels([CHANNEL], [POST], ledger, at, services)


def test_a_retry_after_a_failure_reuses_the_key_and_only_an_editor_s_retry_takes_a_fresh_one(tmp_path: Path) -> None:
    ledger = Ledger.load(tmp_path / "ledger.jsonl")
    at = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    client = ScriptedClient(
        TransientError("HTTP 429: slow down; not retrying: beyond the retry budget"),
        PostError("HTTP 422: Validation failed"),
        Posted("1", "https://social.example/@blog/1"),
    )

    run(ledger, client, at)  # a retryable failure
    run(ledger, client, at + timedelta(days=1))  # tried again: a refusal, not retried by itself
    run(ledger, client, at + timedelta(days=2))
    assert client.keys[0] == client.keys[1] == idempotency_key("de/a", "mastodon")
    assert len(client.keys) == 2

    resolved = resolve(ledger, "de/a@mastodon=retry", at + timedelta(days=3))
    run(ledger, client, at + timedelta(days=4))

    assert resolved.idempotency_key == client.keys[2] != client.keys[0]
    assert resolved.idempotency_key == idempotency_key("de/a", "mastodon", 4)  # deterministic: 4 lines before it
    assert ledger.current()[("de/a", "mastodon")].status is Status.POSTED
    assert Ledger.load(ledger.path).current()[("de/a", "mastodon")].idempotency_key == client.keys[2]
