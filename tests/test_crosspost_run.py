"""`invoke crosspost` end to end, as CI runs it, against local servers that speak Mastodon's and a chat webhook's API."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from conftest import CALENDAR, ROOT, Site, valid_post
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TOKEN = "mastodon-secret-token-0123456789"
HOOK_PATH = "/hooks/T0000/B0000/webhook-secret-0123456789"
NOW = "2026-11-21 10:00"


def channels(server: HTTPServer, *, since: str = "2026-11-10", max_per_run: int = 3, hook: bool = False) -> str:
    text = f"""\
channels:
  mastodon:
    type: mastodon
    instance: {server.url_for("/").rstrip("/")}
    token_env: HUB_TEST_MASTODON_TOKEN
    since: {since}
    max_per_run: {max_per_run}
"""
    if hook:
        text += f"""\
  intranet:
    type: webhook
    format: slack
    url_env: HUB_TEST_HOOK
    since: {since}
"""
    return text


class Mastodon:
    """A Mastodon instance's statuses endpoint, deduplicating by Idempotency-Key as Mastodon does."""

    def __init__(self) -> None:
        self.statuses: dict[str, dict] = {}  # idempotency key -> status
        self.requests: list[dict] = []
        self.kill_pid: int | None = None  # simulate a crash of the client right after the post

    def __call__(self, request: Request) -> Response:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = request.get_json()
        key = request.headers["Idempotency-Key"]
        self.requests.append({"key": key, **body})
        if key not in self.statuses:
            number = str(100 + len(self.statuses))
            self.statuses[key] = {"id": number, "url": f"https://social.example/@hellwig/{number}", **body}
        if self.kill_pid is not None:
            os.kill(self.kill_pid, signal.SIGKILL)  # the post exists, the client dies before its ledger line
            self.kill_pid = None
        return Response(json.dumps(self.statuses[key]), status=200, content_type="application/json")


@pytest.fixture
def mastodon(httpserver: HTTPServer) -> Mastodon:
    fake = Mastodon()
    httpserver.expect_request("/api/v1/statuses", method="POST").respond_with_handler(fake)
    httpserver.expect_request("/api/v2/instance").respond_with_json(
        {"configuration": {"statuses": {"max_characters": 500, "characters_reserved_per_url": 23}}}
    )
    return fake


def write_posts(site: Site) -> None:
    site.write("posts/alt.md", valid_post(title='"Alter Beitrag"', slug="alt", date="2026-11-02 09:00 +01:00"))
    for day, slug in ((16, "montag"), (17, "dienstag"), (18, "mittwoch")):
        site.write(
            f"posts/{slug}.md",
            valid_post(title=f'"Neu am {slug}"', slug=slug, date=f"2026-11-{day} 09:00 +01:00", teaser='"Ein Teaser."'),
        )
    site.write("posts/offen.md", valid_post(title='"Nicht freigegeben"', slug="offen", date="2026-11-19 09:00 +01:00"))
    site.write("posts/zukunft.md", valid_post(title='"Zukunft"', slug="zukunft", date="2026-11-25 09:00 +01:00"))
    for slug in ("alt", "montag", "dienstag", "mittwoch", "zukunft"):
        site.approve(f"posts/{slug}.md")


def crosspost(site: Site, *args: str, env: dict[str, str] | None = None, popen: bool = False):
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "crosspost",
        "--content", str(site.content), "--calendar", str(site.calendar),
        "--ledger", str(site.root / "ledger.jsonl"), "--now", NOW, *args,
    ]  # fmt: skip
    environment = {**os.environ, "HUB_TEST_MASTODON_TOKEN": TOKEN, **(env or {})}
    if popen:
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def ledger(site: Site) -> list[dict]:
    path = site.root / "ledger.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_each_new_post_goes_out_once_and_the_backlog_never(
    site: Site, httpserver: HTTPServer, mastodon: Mastodon
) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver), encoding="utf-8")
    write_posts(site)
    first = crosspost(site)
    assert first.returncode == 0, first.stdout + first.stderr
    posted = [r["status"].split("\n")[0] for r in mastodon.requests]
    assert posted == ["Ein Teaser.", "Ein Teaser.", "Ein Teaser."] and len(mastodon.statuses) == 3
    links = [r["status"] for r in mastodon.requests]
    assert "/2026/montag/?utm_source=mastodon&utm_medium=social&utm_campaign=blog" in links[0]  # oldest first
    assert all(r["language"] == "de" and r["visibility"] == "public" for r in mastodon.requests)
    # Not the backlog (before `since`), not the unapproved post, not the future one.
    assert not any(slug in " ".join(links) for slug in ("/alt/", "/offen/", "/zukunft/"))
    assert [e["status"] for e in ledger(site)] == ["pending", "posted"] * 3
    assert ledger(site)[1]["url"] == "https://social.example/@hellwig/100"
    second = crosspost(site)
    assert second.returncode == 0 and len(mastodon.requests) == 3
    assert "nothing new" in second.stdout
    for output in (first.stdout, first.stderr, second.stdout, (site.root / "ledger.jsonl").read_text()):
        assert TOKEN not in output


def test_at_most_max_per_run_oldest_first(site: Site, httpserver: HTTPServer, mastodon: Mastodon) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=2), encoding="utf-8")
    write_posts(site)
    first = crosspost(site)
    assert len(mastodon.requests) == 2 and "1 more due: next run" in first.stdout
    crosspost(site)
    assert len(mastodon.requests) == 3
    assert "/mittwoch/" in mastodon.requests[-1]["status"]


def test_a_crash_after_the_post_is_retried_with_the_same_key(
    site: Site, httpserver: HTTPServer, mastodon: Mastodon
) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=1), encoding="utf-8")
    write_posts(site)
    process = crosspost(site, popen=True)
    mastodon.kill_pid = process.pid
    process.wait(timeout=120)
    assert process.returncode == -signal.SIGKILL
    assert [e["status"] for e in ledger(site)] == ["pending"]  # the post went out, its answer never arrived
    rerun = crosspost(site)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert len(mastodon.requests) == 2 and mastodon.requests[0]["key"] == mastodon.requests[1]["key"]
    assert len(mastodon.statuses) == 1  # Mastodon deduplicated: posted exactly once
    assert [e["status"] for e in ledger(site)] == ["pending", "pending", "posted"]


def test_an_uncertain_webhook_post_waits_for_an_editor(site: Site, httpserver: HTTPServer, mastodon: Mastodon) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=1, hook=True), encoding="utf-8")
    write_posts(site)
    hook_calls: list[dict] = []

    def slow_hook(request: Request) -> Response:
        hook_calls.append(request.get_json())
        import time

        time.sleep(3)  # longer than the client's read timeout: the message may have arrived
        return Response("ok")

    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_handler(slow_hook)
    env = {"HUB_TEST_HOOK": httpserver.url_for(HOOK_PATH), "HUB_HTTP_READ_TIMEOUT": "1"}
    first = crosspost(site, "--channel", "intranet", env=env)
    assert len(hook_calls) == 1
    assert first.returncode == 1 and "WAITING de/montag" in first.stdout
    again = crosspost(site, "--channel", "intranet", env=env)
    assert len(hook_calls) == 1, "an uncertain webhook post must not be sent blindly again"
    assert "--resolve de/montag@intranet=posted|retry|skip" in again.stdout
    resolved = crosspost(site, "--resolve", "de/montag@intranet=posted")
    assert resolved.returncode == 0 and "resolved by an editor: posted" in resolved.stdout
    for output in (first.stdout, first.stderr, again.stdout, (site.root / "ledger.jsonl").read_text()):
        assert "webhook-secret" not in output


def test_one_failing_channel_does_not_stop_the_others(site: Site, httpserver: HTTPServer, mastodon: Mastodon) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=1, hook=True), encoding="utf-8")
    write_posts(site)
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("invalid_payload", status=400)
    result = crosspost(site, env={"HUB_TEST_HOOK": httpserver.url_for(HOOK_PATH)})
    assert result.returncode == 1
    assert "posted de/montag" in result.stdout and "FAILED de/montag" in result.stdout
    assert len(mastodon.statuses) == 1
    missing = crosspost(site, env={"HUB_TEST_MASTODON_TOKEN": ""})
    assert "environment variable HUB_TEST_MASTODON_TOKEN is empty" in missing.stdout or "not set" in missing.stdout


def test_a_freeze_or_the_crisis_switch_stops_all_cross_posting(
    site: Site, httpserver: HTTPServer, mastodon: Mastodon
) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver), encoding="utf-8")
    write_posts(site)
    result = crosspost(site, env={"HUB_CRISIS_STOP": "Rückruf"})
    assert result.returncode == 0 and "STOPPED" in result.stdout and "Rückruf" in result.stdout
    assert mastodon.requests == [] and ledger(site) == []


def test_dry_run_sends_nothing_and_shows_lengths(site: Site, httpserver: HTTPServer, mastodon: Mastodon) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver), encoding="utf-8")
    write_posts(site)
    result = crosspost(site, "--dry-run", env={"HUB_TEST_MASTODON_TOKEN": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "-- de/montag  (" in result.stdout and "/500)" in result.stdout
    assert mastodon.requests == [] and ledger(site) == []


def test_the_build_writes_a_teaser_feed_per_feed_channel(site: Site) -> None:
    from lxml import etree

    site.calendar.write_text(
        CALENDAR + "channels:\n  xing:\n    type: feed\n    since: 2026-11-10\n    template: '{teaser} {link}'\n",
        encoding="utf-8",
    )
    write_posts(site)
    site.write(
        "posts/anzeige.md",
        valid_post(
            title='"Partnerbeitrag"', slug="anzeige", date="2026-11-18 11:00 +01:00", sponsored="{partner: Voltara}"
        ),
    )
    site.approve("posts/anzeige.md")
    output = site.build(prod=True)
    feed = etree.fromstring((output / "teaser/xing.xml").read_bytes())
    items = feed.findall("channel/item")
    guids = [item.findtext("guid") for item in items]
    assert guids == [
        f"https://blog.hellwig-antriebe.example/2026/{slug}/" for slug in ("montag", "dienstag", "mittwoch", "anzeige")
    ]
    assert all("utm_source=xing&utm_medium=social" in item.findtext("link") for item in items)
    sponsored = items[-1]
    assert sponsored.findtext("title") == "Anzeige: Partnerbeitrag"
    assert sponsored.findtext("description").startswith("Anzeige")
    assert feed.find("channel/{http://www.w3.org/2005/Atom}link").get("href").endswith("/teaser/xing.xml")
    assert feed.findtext("channel/link") == "https://blog.hellwig-antriebe.example"
