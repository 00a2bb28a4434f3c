"""`invoke crosspost` end to end, as CI runs it, against local servers that speak Mastodon's, LinkedIn's and a chat
webhook's API; runs that need many retries go in process, with the real runner and clients but a fake clock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CALENDAR, ROOT, Site, valid_post
from hub_crosspost import compose_for
from hub_crosspost.channels import TEMPLATES, ChannelConfig
from hub_crosspost.clients import credentials_from_env, make_client
from hub_crosspost.ledger import Entry, Ledger, Status
from hub_crosspost.model import PostInfo
from hub_crosspost.runner import RunReport, Services, run_channels
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

TOKEN = "mastodon-secret-token-0123456789"
LINKEDIN_TOKEN = "linkedin-secret-token-0123456789"
HOOK_PATH = "/hooks/T0000/B0000/webhook-secret-0123456789"
NOW = "2026-11-21 10:00"


def channels(
    server: HTTPServer, *, since: str = "2026-11-10", max_per_run: int = 3, hook: bool = False, linkedin: bool = False
) -> str:
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
    if linkedin:
        text += f"""\
  linkedin-page:
    type: linkedin
    api: {server.url_for("/").rstrip("/")}
    organization: "urn:li:organization:123456"
    token_env: HUB_TEST_LINKEDIN_TOKEN
    since: {since}
"""
    return text


class Mastodon:
    """A Mastodon instance's statuses endpoint, deduplicating by Idempotency-Key as Mastodon does."""

    def __init__(self) -> None:
        self.statuses: dict[str, dict] = {}  # idempotency key -> status
        self.requests: list[dict] = []
        self.kill_pid: int | None = None  # simulate a crash of the client right after the post
        self.fail_after_create: list[int] = []  # answered in turn once the status exists (a gateway's 502)

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
        if self.fail_after_create:
            return Response("<html><h1>502 Bad Gateway</h1></html>", status=self.fail_after_create.pop(0))
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
    assert "nichts Neues" in second.stdout
    for output in (first.stdout, first.stderr, second.stdout, (site.root / "ledger.jsonl").read_text()):
        assert TOKEN not in output


def test_at_most_max_per_run_oldest_first(site: Site, httpserver: HTTPServer, mastodon: Mastodon) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=2), encoding="utf-8")
    write_posts(site)
    first = crosspost(site)
    assert len(mastodon.requests) == 2 and "1 weiterer Beitrag fällig: beim nächsten Lauf" in first.stdout
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
    assert first.returncode == 1 and "WARTET de/montag" in first.stdout
    again = crosspost(site, "--channel", "intranet", env=env)
    # (The next post, dienstag, goes out and may reach the slow hook by now: count montag's.)
    assert sum("/montag/" in call["text"] for call in hook_calls) == 1, (
        "an uncertain webhook post must not be sent blindly again"
    )
    assert "--resolve de/montag@intranet=posted|retry|skip" in again.stdout
    resolved = crosspost(site, "--resolve", "de/montag@intranet=posted")
    assert resolved.returncode == 0 and "von der Redaktion geklärt: posted" in resolved.stdout
    for output in (first.stdout, first.stderr, again.stdout, (site.root / "ledger.jsonl").read_text()):
        assert "webhook-secret" not in output


def test_one_failing_channel_does_not_stop_the_others(site: Site, httpserver: HTTPServer, mastodon: Mastodon) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=1, hook=True), encoding="utf-8")
    write_posts(site)
    httpserver.expect_request(HOOK_PATH, method="POST").respond_with_data("invalid_payload", status=400)
    result = crosspost(site, env={"HUB_TEST_HOOK": httpserver.url_for(HOOK_PATH)})
    assert result.returncode == 1
    assert "gesendet de/montag" in result.stdout and "FEHLGESCHLAGEN de/montag" in result.stdout
    assert len(mastodon.statuses) == 1
    missing = crosspost(site, env={"HUB_TEST_MASTODON_TOKEN": ""})
    assert "Kanal mastodon: Umgebungsvariable HUB_TEST_MASTODON_TOKEN ist leer" in missing.stdout, missing.stdout


def test_a_freeze_or_the_crisis_switch_stops_all_cross_posting(
    site: Site, httpserver: HTTPServer, mastodon: Mastodon
) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver), encoding="utf-8")
    write_posts(site)
    result = crosspost(site, env={"HUB_CRISIS_STOP": "Rückruf"})
    assert result.returncode == 0 and "GESTOPPT: Der Krisenschalter ist an (Rückruf" in result.stdout, result.stdout
    assert "Es werden keine Cross-Posts gesendet" in result.stdout
    english = crosspost(site, env={"HUB_CRISIS_STOP": "Rückruf", "HUB_LANG": "en"})
    assert "STOPPED: the crisis switch is on (Rückruf" in english.stdout and "nothing is cross-posted" in english.stdout
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


# --- Ambiguous answers: the platform took the post, the answer said 502 ------------------


class TakesThen502:
    """LinkedIn's posts endpoint or a chat webhook: takes the post; a gateway answers 502 for the first."""

    def __init__(self, success: Response) -> None:
        self.received: list[str] = []
        self.success = success

    def __call__(self, request: Request) -> Response:
        self.received.append(request.get_data(as_text=True))
        if len(self.received) == 1:
            return Response("<html><h1>502 Bad Gateway</h1></html>", status=502)
        return self.success


@pytest.mark.parametrize(
    ("channel", "path", "success"),
    [
        ("linkedin-page", "/rest/posts", Response("", status=201, headers={"x-restli-id": "urn:li:share:72600"})),
        ("intranet", HOOK_PATH, Response("ok")),
    ],
    ids=["linkedin", "webhook"],
)
def test_a_502_after_the_post_took_effect_waits_for_an_editor_where_nothing_deduplicates(
    site: Site, httpserver: HTTPServer, mastodon: Mastodon, channel: str, path: str, success: Response
) -> None:
    site.calendar.write_text(CALENDAR + channels(httpserver, max_per_run=1, hook=True, linkedin=True), encoding="utf-8")
    write_posts(site)
    platform = TakesThen502(success)
    httpserver.expect_request(path, method="POST").respond_with_handler(platform)
    env = {"HUB_TEST_HOOK": httpserver.url_for(HOOK_PATH), "HUB_TEST_LINKEDIN_TOKEN": LINKEDIN_TOKEN}
    resolve = f"--resolve de/montag@{channel}=posted|retry|skip"

    def montag_sent() -> int:
        return sum("/montag/" in body for body in platform.received)

    first = crosspost(site, "--channel", channel, env=env)
    assert montag_sent() == 1 and len(platform.received) == 1, "a 502 to a post nobody deduplicates is not repeated"
    assert first.returncode == 1 and "WARTET de/montag" in first.stdout
    assert "HTTP 502" in first.stdout and "vielleicht veröffentlicht" in first.stdout and resolve in first.stdout
    assert [e["status"] for e in ledger(site)] == ["pending"]

    again = crosspost(site, "--channel", channel, env=env)
    assert montag_sent() == 1, "an uncertain post must not be sent blindly by the next run either"
    assert again.returncode == 1 and resolve in again.stdout
    assert "gesendet de/dienstag" in again.stdout  # the channel itself goes on

    resolved = crosspost(site, "--resolve", f"de/montag@{channel}=posted")
    assert resolved.returncode == 0 and "von der Redaktion geklärt: posted" in resolved.stdout

    settled = crosspost(site, "--channel", channel, env=env)
    assert settled.returncode == 0 and "nichts Neues" in settled.stdout, settled.stdout + settled.stderr
    assert montag_sent() == 1
    assert [e["status"] for e in ledger(site) if e["post"] == "de/montag"] == ["pending", "posted"]
    for output in (first.stdout, first.stderr, again.stdout, settled.stdout, (site.root / "ledger.jsonl").read_text()):
        assert "webhook-secret" not in output and LINKEDIN_TOKEN not in output


AT = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
MONTAG = PostInfo(
    key="de/montag",
    title="Neu am montag",
    url="https://blog.hellwig-antriebe.example/2026/montag/",
    date=datetime(2026, 11, 16, 8, 0, tzinfo=UTC),
    teaser="Ein Teaser.",
)


def run_in_process(server: HTTPServer, book: Ledger, at: datetime) -> RunReport:
    """One run for the Mastodon channel with the real runner and client; retries do not really wait."""
    channel = ChannelConfig(
        "mastodon",
        "mastodon",
        datetime(2026, 11, 10, tzinfo=UTC),
        1,
        TEMPLATES["mastodon"],
        500,
        settings={"instance": server.url_for("/").rstrip("/"), "token_env": "HUB_TEST_MASTODON_TOKEN"},
    )
    services = Services(
        compose=compose_for,
        make_client=lambda config, credentials: make_client(config, credentials, sleep=lambda _: None),
        read_credentials=credentials_from_env,
        environ={"HUB_TEST_MASTODON_TOKEN": TOKEN},
    )
    return run_channels([channel], [MONTAG], book, at, services)


def test_a_502_after_mastodon_created_the_status_gives_one_status(
    httpserver: HTTPServer, mastodon: Mastodon, tmp_path: Path
) -> None:
    mastodon.fail_after_create = [502, 502, 504, 502]  # every attempt of the first run
    book = Ledger.load(tmp_path / "ledger.jsonl")

    first = run_in_process(httpserver, book, AT)

    (run,) = first.channels
    assert len(mastodon.requests) == 4 and len(mastodon.statuses) == 1
    assert [key for key, _ in run.waiting] == ["de/montag"]
    assert "ein Lauf innerhalb von 50 Minuten sendet ihn mit demselben Schlüssel erneut" in run.waiting[0][1]
    assert [entry.status for entry in book.entries] == [Status.PENDING]

    second = run_in_process(httpserver, book, AT + timedelta(minutes=20))

    assert second.ok, second.channels
    assert len(mastodon.statuses) == 1, "the second run must reuse the key, not post a second status"
    assert {request["key"] for request in mastodon.requests} == {book.entries[0].idempotency_key}
    assert book.entries[-1].status is Status.POSTED
    assert book.entries[-1].url == "https://social.example/@hellwig/100"


def test_mastodon_s_hour_counts_from_the_key_s_first_use(
    httpserver: HTTPServer, mastodon: Mastodon, tmp_path: Path
) -> None:
    book = Ledger.load(tmp_path / "ledger.jsonl")
    key = "0f0e0d0c0b0a09080706050403020100"
    for minutes in (55, 10):  # first sent 55 minutes ago, repeated (answer lost again) 10 minutes ago
        book.append(Entry("de/montag", "mastodon", Status.PENDING, (AT - timedelta(minutes=minutes)).isoformat(), key))

    report = run_in_process(httpserver, book, AT)

    (run,) = report.channels
    assert mastodon.requests == [], "after Mastodon's hour the same key no longer protects a repeat"
    ((post, why),) = run.waiting
    assert post == "de/montag" and "vor 55 min" in why and "nach 50 Minuten" in why
    assert "--resolve de/montag@mastodon=posted|retry|skip" in why


def test_a_post_with_its_own_url_is_cross_posted_with_that_url(site: Site) -> None:
    site.calendar.write_text(
        CALENDAR + "channels:\n  xing:\n    type: feed\n    since: 2026-11-10\n    template: '{teaser} {link}'\n",
        encoding="utf-8",
    )
    site.write(
        "posts/aktion.md",
        valid_post(title='"Sommeraktion"', slug="aktion", url="aktion/sommer/", save_as="aktion/sommer/index.html"),
    )
    site.approve("posts/aktion.md")
    output = site.build(prod=True)
    url = "https://blog.hellwig-antriebe.example/aktion/sommer/"
    canonical = site.html("aktion/sommer/index.html").find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == url  # Pelican's URL of the post
    from lxml import etree

    feed = etree.fromstring((output / "teaser/xing.xml").read_bytes())
    assert [item.findtext("guid") for item in feed.findall("channel/item")] == [url]
