"""The platforms' counts per day: the listener's readers against loopback Mastodon and Bluesky servers
(fake_platforms.py) that speak the documented APIs, with a fake clock so rate-limit waits are
measured, not slept; the day files written by the real FiguresStore; `invoke platform-counts` as a
cron job runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import CALENDAR, ROOT, Site
from fake_platforms import (
    BSKY_HANDLE,
    BSKY_PASSWORD,
    MASTODON_TOKEN,
    OUR_ACCOUNT,
    OUR_DID,
    TEASER_ID,
    TEASER_URI,
    Bluesky,
    Failure,
    Mastodon,
    post_view,
    status,
)
from hub_crosspost.channels import TEMPLATES, ChannelConfig
from hub_crosspost.http import RetryPolicy
from hub_crosspost.ledger import Entry, Status
from hub_inbox.listen.run import open_reader
from hub_stats.model import PlatformDay, Reactions
from hub_stats.platforms import PlatformReport, fetch_platform_day
from hub_stats.store import FiguresStore
from pytest_httpserver import HTTPServer

DAY_ONE = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
DAY_TWO = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
POST = "de/minus-30-grad"
OTHER = "de/lagerhalle"
SECOND_ID = "110000000000000099"
SECOND_URI = f"at://{OUR_DID}/app.bsky.feed.post/3lsecond3333"
ENV = {
    "HUB_TEST_MASTODON_TOKEN": MASTODON_TOKEN,
    "HUB_TEST_BSKY_HANDLE": BSKY_HANDLE,
    "HUB_TEST_BSKY_PASSWORD": BSKY_PASSWORD,
}


def channel(name: str, kind: str, **settings: str) -> ChannelConfig:
    return ChannelConfig(name, kind, DAY_ONE, 1, TEMPLATES[kind], 500, settings=settings)


def mastodon_channel(server: HTTPServer) -> ChannelConfig:
    return channel(
        "mastodon", "mastodon", instance=server.url_for("/").rstrip("/"), token_env="HUB_TEST_MASTODON_TOKEN"
    )


def bluesky_channel(server: HTTPServer) -> ChannelConfig:
    base = server.url_for("/").rstrip("/")
    return channel(
        "bsky", "bluesky", service=base, handle_env="HUB_TEST_BSKY_HANDLE", password_env="HUB_TEST_BSKY_PASSWORD"
    )


def posted(post: str, name: str, remote_id: str = "") -> Entry:
    return Entry(post, name, Status.POSTED, DAY_ONE.isoformat(), remote_id=remote_id, url="https://example.org/t")


LEDGER = {
    (POST, "mastodon"): posted(POST, "mastodon", TEASER_ID),
    (OTHER, "mastodon"): posted(OTHER, "mastodon", SECOND_ID),
    (POST, "bsky"): posted(POST, "bsky", TEASER_URI),
    (OTHER, "bsky"): posted(OTHER, "bsky", SECOND_URI),
    (POST, "blog-feed"): posted(POST, "blog-feed"),
    (POST, "linkedin"): posted(POST, "linkedin", "urn:li:share:1"),
    (POST, "x"): posted(POST, "x", "1860000000000000000"),
    (POST, "chat"): posted(POST, "chat"),
    ("de/entwurf", "mastodon"): Entry("de/entwurf", "mastodon", Status.FAILED, DAY_ONE.isoformat(), error="HTTP 500"),
}


def platforms(server: HTTPServer) -> tuple[Mastodon, Bluesky]:
    mastodon, bluesky = Mastodon(server), Bluesky(server)
    mastodon.others[SECOND_ID] = status(SECOND_ID, OUR_ACCOUNT, "redaktion", "<p>Zweiter</p>", reply_to="")
    mastodon.others[SECOND_ID].update(replies_count=0, reblogs_count=1, favourites_count=5)
    bluesky.others[SECOND_URI] = post_view(SECOND_URI, OUR_DID, BSKY_HANDLE, "Zweiter", 9)
    bluesky.others[SECOND_URI].update(replyCount=1, repostCount=0, likeCount=2)
    return mastodon, bluesky


Fetch = Callable[..., PlatformReport]


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def figures(tmp_path: Path) -> FiguresStore:
    return FiguresStore(tmp_path / "stats")


@pytest.fixture
def fetch(httpserver: HTTPServer, figures: FiguresStore, sleeps: list[float]) -> Fetch:
    def fetch_once(now: datetime, policy: RetryPolicy | None = None, environ: dict[str, str] = ENV) -> PlatformReport:
        channels = [
            mastodon_channel(httpserver),
            bluesky_channel(httpserver),
            channel("blog-feed", "feed"),
            channel("linkedin", "linkedin", organization="urn:li:organization:1", token_env="HUB_TEST_LINKEDIN"),
            channel("x", "x", token_env="HUB_TEST_X"),
        ]
        return fetch_platform_day(
            channels,
            LEDGER,
            figures,
            now,
            environ,
            open_reader=lambda config, credentials: open_reader(
                config, credentials, sleep=sleeps.append, now=lambda: now.timestamp(), policy=policy or RetryPolicy()
            ),
        )

    return fetch_once


def day_file(figures: FiguresStore, moment: datetime) -> dict[str, object]:
    return json.loads(figures.platform_file(moment.date()).read_text(encoding="utf-8"))


def test_two_days_give_two_files_and_a_second_run_the_same_day_replaces_its_numbers(
    httpserver: HTTPServer, figures: FiguresStore, fetch: Fetch
) -> None:
    mastodon, bluesky = platforms(httpserver)
    report = fetch(DAY_ONE)
    assert report.complete and not report.failed and report.saved and (report.wanted, report.fetched) == (4, 4)
    assert day_file(figures, DAY_ONE) == {
        "version": 1,
        "day": "2026-11-21",
        "posts": {
            OTHER: {
                "bsky": {"replies": 1, "reposts": 0, "likes": 2},
                "mastodon": {"replies": 0, "reposts": 1, "likes": 5},
            },
            POST: {
                "bsky": {"replies": 2, "reposts": 1, "likes": 4},
                "mastodon": {"replies": 2, "reposts": 3, "likes": 7},
            },
        },
    }
    runs = {run.channel: run for run in report.channels}
    assert (runs["mastodon"].teasers, runs["mastodon"].fetched, runs["mastodon"].reactions) == (
        2,
        2,
        Reactions(2, 4, 12),
    )
    assert runs["bsky"].reactions == Reactions(3, 1, 6)
    # The light calls: Mastodon's status without its context, Bluesky's thread without replies.
    assert mastodon.requests == [f"/api/v1/statuses/{SECOND_ID}", f"/api/v1/statuses/{TEASER_ID}"]
    assert [query["depth"] for query in bluesky.queries] == ["0", "0"]
    # Said why, in German: channels whose platform gives no counts (and one no longer configured).
    assert {name: runs[name].skipped for name in ("blog-feed", "linkedin", "x", "chat")} == {
        "blog-feed": "ein Feed hat keine Zahlen",
        "linkedin": "LinkedIn nennt Zahlen nur mit Lesezugriff auf die Beiträge der Unternehmensseite, den Hub nicht anfragt",
        "x": "X nennt Zahlen nur mit kostenpflichtigem Lesezugriff, den Hub nicht nutzt",
        "chat": "der Kanal steht nicht mehr unter den Kanälen des Redaktionskalenders",
    }
    assert all(runs[name].teasers == 1 and runs[name].ok for name in ("blog-feed", "linkedin", "x", "chat"))

    mastodon.teaser.update(replies_count=4, favourites_count=11)
    bluesky.teaser.update(likeCount=9)
    fetch(DAY_TWO)
    assert sorted(path.name for path in figures.folder.glob("platforms/*/*.json")) == [
        "2026-11-21.json",
        "2026-11-22.json",
    ]
    first = figures.platform_day(DAY_ONE.date())
    second = figures.platform_day(DAY_TWO.date())
    assert first is not None and second is not None
    assert first.posts[POST]["mastodon"] == Reactions(2, 3, 7)  # the first day stays as it was fetched
    assert second.posts[POST] == {"mastodon": Reactions(4, 3, 11), "bsky": Reactions(2, 1, 9)}

    mastodon.teaser.update(reblogs_count=6)
    fetch(DAY_TWO + timedelta(hours=8))  # later the same day: the newer numbers replace
    again = figures.platform_day(DAY_TWO.date())
    assert again is not None and again.posts[POST]["mastodon"] == Reactions(4, 6, 11)
    assert len(list(figures.folder.glob("platforms/*/*.json"))) == 2
    assert [day.day for day in figures.platform_days(DAY_ONE.date(), DAY_TWO.date())] == [
        DAY_ONE.date(),
        DAY_TWO.date(),
    ]


def test_a_429_beyond_the_budget_stops_that_channel_and_keeps_its_numbers_of_today_the_other_is_updated(
    httpserver: HTTPServer, figures: FiguresStore, fetch: Fetch, sleeps: list[float]
) -> None:
    mastodon, bluesky = platforms(httpserver)
    fetch(DAY_ONE)
    mastodon.teaser.update(favourites_count=50)
    bluesky.teaser.update(likeCount=40)
    later = DAY_ONE + timedelta(hours=4)
    reset = (later + timedelta(minutes=10)).isoformat().replace("+00:00", "Z")
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}
    mastodon.failures = [Failure(status=429, headers=headers)]
    mastodon.requests.clear()

    report = fetch(later)
    runs = {run.channel: run for run in report.channels}
    assert not report.failed and not report.complete and report.saved
    assert len(mastodon.requests) == 1 and sleeps == []  # asked once, not waited 10 minutes, the rest not asked
    assert (runs["mastodon"].fetched, runs["mastodon"].not_asked) == (0, 1)
    [(post, why)] = runs["mastodon"].failed
    assert post == OTHER and "HTTP 429" in why and "Anfragelimit" in why and MASTODON_TOKEN not in why, why
    day = figures.platform_day(DAY_ONE.date())
    assert day is not None and report.kept == 2
    assert {post: channels["mastodon"] for post, channels in day.posts.items()} == {
        POST: Reactions(2, 3, 7),  # as the morning's run fetched them
        OTHER: Reactions(0, 1, 5),
    }
    assert day.posts[POST]["bsky"] == Reactions(2, 1, 40)


def test_a_429_within_the_budget_is_waited_out_until_bluesky_s_reset(
    httpserver: HTTPServer, figures: FiguresStore, fetch: Fetch, sleeps: list[float]
) -> None:
    _mastodon, bluesky = platforms(httpserver)
    reset = str(int(DAY_ONE.timestamp()) + 30)
    bluesky.failures = [
        Failure(status=429, headers={"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": reset})
    ]
    report = fetch(DAY_ONE)
    assert report.complete and sleeps == [30.0]


@pytest.mark.parametrize("failure", [Failure(status=502), Failure(delay=1.0)], ids=["5xx", "timeout"])
def test_a_5xx_or_a_timeout_leaves_that_channel_out_on_a_first_run_and_the_other_is_saved(
    httpserver: HTTPServer, figures: FiguresStore, fetch: Fetch, failure: Failure
) -> None:
    _mastodon, bluesky = platforms(httpserver)
    bluesky.failures = [failure, failure]  # the first teaser's two attempts
    report = fetch(DAY_ONE, RetryPolicy(max_attempts=2, base_delay=0.0, read_timeout=0.3, connect_timeout=0.3))
    runs = {run.channel: run for run in report.channels}
    [(_post, why)] = runs["bsky"].failed
    assert ("HTTP 502" in why if failure.status else "ReadTimeout" in why) and "aufgegeben" in why, why
    assert runs["bsky"].not_asked == 1 and runs["mastodon"].ok and not report.failed
    day = figures.platform_day(DAY_ONE.date())
    # Nothing is made up for Bluesky: no earlier numbers today, so it is not in today's file.
    assert day is not None and {channel for channels in day.posts.values() for channel in channels} == {"mastodon"}


def test_a_teaser_deleted_on_the_platform_fails_alone(
    httpserver: HTTPServer, figures: FiguresStore, fetch: Fetch
) -> None:
    mastodon, _bluesky = platforms(httpserver)
    del mastodon.others[SECOND_ID]
    report = fetch(DAY_ONE)
    runs = {run.channel: run for run in report.channels}
    assert runs["mastodon"].fetched == 1 and runs["mastodon"].not_asked == 0
    [(post, why)] = runs["mastodon"].failed
    assert post == OTHER and "HTTP 404: Record not found" in why
    day = figures.platform_day(DAY_ONE.date())
    assert day is not None and set(day.posts[POST]) == {"mastodon", "bsky"} and set(day.posts[OTHER]) == {"bsky"}


def test_nothing_fetched_at_all_fails_the_run_and_writes_nothing(
    httpserver: HTTPServer, figures: FiguresStore, fetch: Fetch
) -> None:
    platforms(httpserver)
    report = fetch(DAY_ONE, environ={})  # no credentials in the environment
    assert report.failed and not report.saved and report.fetched == 0
    assert "HUB_TEST_MASTODON_TOKEN" in {run.channel: run for run in report.channels}["mastodon"].error
    assert not figures.platform_file(DAY_ONE.date()).exists()


def test_a_ledger_without_teasers_on_counting_platforms_is_no_failure(figures: FiguresStore) -> None:
    report = fetch_platform_day([channel("blog-feed", "feed")], {}, figures, DAY_ONE, {})
    assert not report.failed and not report.saved and report.wanted == 0


def test_a_day_file_reads_back(figures: FiguresStore) -> None:
    day = PlatformDay(DAY_ONE.date(), {POST: {"mastodon": Reactions(1, 2, 3)}})
    figures.save_platform_day(day)
    assert figures.platform_day(DAY_ONE.date()) == day


# `invoke platform-counts`, as cron runs it.


def setup_site(site: Site, server: HTTPServer) -> None:
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
  blog-feed:
    type: feed
""",
        encoding="utf-8",
    )
    lines = [entry.to_json() for key, entry in LEDGER.items() if key[1] in ("mastodon", "bsky", "blog-feed")]
    (site.root / "ledger.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def platform_counts(site: Site, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "platform-counts",
        "--content", str(site.content), "--calendar", str(site.calendar), "--ledger", str(site.root / "ledger.jsonl"),
    ]  # fmt: skip
    environment = {**os.environ, **ENV, "HUB_HTTP_READ_TIMEOUT": "2", **(env or {})}
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_the_task_prints_german_per_channel_writes_the_day_and_fails_only_when_nothing_came(
    site: Site, httpserver: HTTPServer
) -> None:
    setup_site(site, httpserver)
    platforms(httpserver)
    result = platform_counts(site)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "== mastodon\n   2 Teaser: 2 abgeholt; 2 Antworten, 4 geteilt, 12 gefällt" in out, out
    assert "== bsky\n   2 Teaser: 2 abgeholt; 3 Antworten, 1 geteilt, 6 gefällt" in out
    assert "== blog-feed\n   1 Teaser: übersprungen, ein Feed hat keine Zahlen" in out
    [written] = (site.root / "data" / "stats" / "platforms").glob("*/*.json")
    assert f"Zahlen vom {written.stem}: {written} (committen Sie die Datei)" in out
    assert json.loads(written.read_text(encoding="utf-8"))["posts"][POST]["mastodon"] == {
        "replies": 2,
        "reposts": 3,
        "likes": 7,
    }

    partly = platform_counts(site, env={"HUB_TEST_MASTODON_TOKEN": "revoked-token-0123456789"})
    assert partly.returncode == 0, partly.stdout + partly.stderr  # Bluesky came: the run is no failure
    assert f"   FEHLER {OTHER}: GET http" in partly.stdout and "HTTP 401" in partly.stdout
    assert "revoked-token-0123456789" not in partly.stdout
    assert "2 Teaser konnten jetzt nicht abgeholt werden: ihre Zahlen eines früheren Laufs von heute bleiben" in (
        partly.stdout
    )

    nothing = platform_counts(site, env={"HUB_TEST_MASTODON_TOKEN": "", "HUB_TEST_BSKY_PASSWORD": ""})
    assert nothing.returncode == 1, nothing.stdout + nothing.stderr
    assert "nicht ausgeführt: Kanal mastodon: Umgebungsvariable HUB_TEST_MASTODON_TOKEN ist leer" in nothing.stdout
    assert "Es konnten keine Zahlen abgeholt werden; die Zahlen vom" in nothing.stdout

    english = platform_counts(site, env={"HUB_LANG": "en"})
    assert english.returncode == 0 and "2 teasers: 2 fetched; 2 replies, 4 reposts, 12 likes" in english.stdout


def test_invoke_stats_fetches_the_platform_counts_too_unless_told_not_to(site: Site, httpserver: HTTPServer) -> None:
    setup_site(site, httpserver)
    platforms(httpserver)
    # invoke stats reads the configured ledger: HUB_CROSSPOST_LEDGER's default beside content/
    (site.root / "data").mkdir(exist_ok=True)
    (site.root / "data" / "crosspost-ledger.jsonl").write_bytes((site.root / "ledger.jsonl").read_bytes())
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "stats",
        "--content", str(site.content), "--calendar", str(site.calendar),
    ]  # fmt: skip
    environment = {**os.environ, **ENV, "HUB_HTTP_READ_TIMEOUT": "2"}

    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "HUB_STATS_LOGS ist nicht gesetzt" in result.stdout
    assert "Zahlen der Plattformen:\n== mastodon\n   2 Teaser: 2 abgeholt" in result.stdout, result.stdout
    assert len(list((site.root / "data" / "stats" / "platforms").glob("*/*.json"))) == 1

    skipped = subprocess.run(
        [*command, "--no-platforms"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert skipped.returncode == 0 and "Plattformen" not in skipped.stdout, skipped.stdout
