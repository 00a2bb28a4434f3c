"""`invoke listen` end to end, as a cron job runs it: the calendar's channels, the ledger's teasers, a real
SQLite file, loopback Mastodon and Bluesky; German output, the exit code, and no stop in a crisis."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import CALENDAR, ROOT, Site
from fake_platforms import (
    BSKY_HANDLE,
    BSKY_PASSWORD,
    MASTODON_TOKEN,
    TEASER_ID,
    TEASER_URI,
    Bluesky,
    Mastodon,
    node,
    post_view,
    status,
)
from hub_inbox.model import Source
from hub_inbox.sqlite import SqliteStore
from pytest_httpserver import HTTPServer

POST = "de/minus-30-grad"


def setup(site: Site, server: HTTPServer) -> None:
    base = server.url_for("/").rstrip("/")
    site.calendar.write_text(
        CALENDAR
        + f"""\
channels:
  mastodon:
    type: mastodon
    instance: {base}
    token_env: HUB_TEST_MASTODON_TOKEN
    since: 2026-11-10
  bsky:
    type: bluesky
    service: {base}
    handle_env: HUB_TEST_BSKY_HANDLE
    password_env: HUB_TEST_BSKY_PASSWORD
    since: 2026-11-10
""",
        encoding="utf-8",
    )
    lines = [
        {"post": POST, "channel": "mastodon", "status": "posted", "at": "2026-11-20T09:00:00+01:00",
         "remote_id": TEASER_ID, "url": "https://social.example/@redaktion/1"},
        {"post": POST, "channel": "bsky", "status": "posted", "at": "2026-11-20T09:00:00+01:00",
         "remote_id": TEASER_URI, "url": "https://bsky.app/profile/x/post/3lteaser22222"},
    ]  # fmt: skip
    (site.root / "ledger.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def listen(site: Site, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "listen",
        "--content", str(site.content), "--calendar", str(site.calendar),
        "--ledger", str(site.root / "ledger.jsonl"), "--database", str(site.root / "inbox.sqlite"),
    ]  # fmt: skip
    environment = {
        **os.environ,
        "HUB_TEST_MASTODON_TOKEN": MASTODON_TOKEN,
        "HUB_TEST_BSKY_HANDLE": BSKY_HANDLE,
        "HUB_TEST_BSKY_PASSWORD": BSKY_PASSWORD,
        "HUB_HTTP_READ_TIMEOUT": "2",
        **(env or {}),
    }
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_listen_reads_both_platforms_in_a_crisis_too_and_a_failing_channel_fails_the_run(
    site: Site, httpserver: HTTPServer
) -> None:
    setup(site, httpserver)
    mastodon = Mastodon(httpserver)
    mastodon.descendants = [status("110000000000000011", "20", "leserin", "<p>Gut &amp; wahr</p>", reply_to=TEASER_ID)]
    bluesky = Bluesky(httpserver)
    bluesky.replies = [
        node(post_view("at://did:plc:anna/app.bsky.feed.post/3lanna", "did:plc:anna", "anna.bsky.social", "Ja!", 1))
    ]

    result = listen(site, env={"HUB_CRISIS_STOP": "Rückruf"})  # intake closes, listening goes on
    assert result.returncode == 0, result.stdout + result.stderr
    assert "== mastodon\n   1 Teaser: 1 neu, 0 entfernt; 2 Antworten, 3 geteilt, 7 gefällt" in result.stdout, (
        result.stdout
    )
    assert "== bsky\n   1 Teaser: 1 neu, 0 entfernt; 2 Antworten, 1 geteilt, 4 gefällt" in result.stdout
    store = SqliteStore(site.root / "inbox.sqlite")
    try:
        texts = {item.source: item.text for source in Source for item in store.items(source=source)}
    finally:
        store.close()
    assert texts == {Source.MASTODON: "Gut & wahr", Source.BLUESKY: "Ja!"}

    failed = listen(site, env={"HUB_TEST_MASTODON_TOKEN": "revoked-token-0123456789"})
    assert failed.returncode == 1
    assert "== mastodon\n   1 Teaser: 0 neu, 0 entfernt; 0 Antworten, 0 geteilt, 0 gefällt" in failed.stdout
    assert f"   FEHLER {POST}: GET http" in failed.stdout and "HTTP 401: The access token is invalid" in failed.stdout
    assert "daran wurde nichts geändert" in failed.stdout and "revoked-token-0123456789" not in failed.stdout
    assert "== bsky\n   1 Teaser: 0 neu, 0 entfernt" in failed.stdout

    english = listen(site, env={"HUB_LANG": "en"})
    assert english.returncode == 0 and "1 teaser: 0 new, 0 gone; 2 replies, 3 reposts, 7 likes" in english.stdout
