"""Listening, in process: the real readers, merge and SQLite store against loopback Mastodon and Bluesky
servers (fake_platforms.py), with a fake clock so rate-limit waits are measured, not slept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
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
    blocked,
    node,
    not_found,
    post_view,
    status,
)
from hub_crosspost.channels import TEMPLATES, ChannelConfig
from hub_crosspost.clients import credentials_from_env
from hub_crosspost.http import RetryPolicy
from hub_crosspost.ledger import Entry, Status
from hub_inbox.listen.merge import merge
from hub_inbox.listen.run import ListenReport, listen, open_reader
from hub_inbox.listen.text import html_to_text
from hub_inbox.listen.thread import PostedTeaser, Thread
from hub_inbox.model import Counts, Decision, Item, Source, export, read_export
from hub_inbox.model import Status as ItemStatus
from hub_inbox.sqlite import SqliteStore
from pytest_httpserver import HTTPServer

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
POST = "de/minus-30-grad"
ENV = {
    "HUB_TEST_MASTODON_TOKEN": MASTODON_TOKEN,
    "HUB_TEST_BSKY_HANDLE": BSKY_HANDLE,
    "HUB_TEST_BSKY_PASSWORD": BSKY_PASSWORD,
}


def mastodon_channel(server: HTTPServer) -> ChannelConfig:
    settings = {"instance": server.url_for("/").rstrip("/"), "token_env": "HUB_TEST_MASTODON_TOKEN"}
    return ChannelConfig("mastodon", "mastodon", NOW, 1, TEMPLATES["mastodon"], 500, settings=settings)


def bluesky_channel(server: HTTPServer) -> ChannelConfig:
    settings = {
        "service": server.url_for("/").rstrip("/"),
        "handle_env": "HUB_TEST_BSKY_HANDLE",
        "password_env": "HUB_TEST_BSKY_PASSWORD",
    }
    return ChannelConfig("bsky", "bluesky", NOW, 1, TEMPLATES["bluesky"], 300, settings=settings)


LEDGER = {
    (POST, "mastodon"): Entry(
        POST, "mastodon", Status.POSTED, NOW.isoformat(), remote_id=TEASER_ID, url="https://social.example/@redaktion/1"
    ),
    (POST, "bsky"): Entry(POST, "bsky", Status.POSTED, NOW.isoformat(), remote_id=TEASER_URI, url="https://bsky.app/x"),
    ("de/entwurf", "mastodon"): Entry("de/entwurf", "mastodon", Status.FAILED, NOW.isoformat(), error="HTTP 500"),
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "inbox.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


Run = Callable[..., ListenReport]


@pytest.fixture
def run(httpserver: HTTPServer, store: SqliteStore, sleeps: list[float]) -> Run:
    def listen_once(*channels: ChannelConfig, policy: RetryPolicy | None = None) -> ListenReport:
        chosen = channels or (mastodon_channel(httpserver), bluesky_channel(httpserver))
        return listen(
            chosen,
            LEDGER,
            store,
            NOW,
            lambda config, credentials: open_reader(
                config, credentials, sleep=sleeps.append, now=lambda: NOW.timestamp(), policy=policy or RetryPolicy()
            ),
            credentials_from_env,
            ENV,
        )

    return listen_once


def by_id(store: SqliteStore) -> dict[str, Item]:
    return {item.id: item for source in (Source.MASTODON, Source.BLUESKY) for item in store.items(source=source)}


def counts(store: SqliteStore) -> dict[str, Counts]:
    return {source: numbers for dialogue in store.dialogues() for source, numbers in dialogue.counts.items()}


HTML_REPLY = (
    "<p>Danke für den Beitrag! &lt;script&gt;alert(1)&lt;/script&gt; ist bei uns kein Thema.</p>"
    '<p>Zweiter Absatz<br>mit Umbruch und <a href="https://example.org/x" rel="nofollow noopener" target="_blank">'
    '<span class="invisible">https://</span><span class="ellipsis">example.org/sehr-lang</span>'
    '<span class="invisible">e-adresse</span></a></p><script>document.cookie</script>'
)


def mastodon_thread(fake: Mastodon) -> None:
    fake.descendants = [
        status("110000000000000011", "20", "leserin@other.example", HTML_REPLY, reply_to=TEASER_ID, name="Leserin L."),
        status("110000000000000012", OUR_ACCOUNT, "redaktion", "<p>Danke!</p>", reply_to="110000000000000011"),
        status("110000000000000013", "30", "kunde", "<p>Und im Lager?</p>", reply_to="110000000000000011"),
        status(
            "110000000000000014",
            "40",
            "privat@x.example",
            "<p>nur für euch</p>",
            reply_to=TEASER_ID,
            visibility="direct",
        ),
    ]


def test_mastodon_replies_and_counts_land_in_the_store(httpserver: HTTPServer, store: SqliteStore, run: Run) -> None:
    mastodon = Mastodon(httpserver)
    mastodon_thread(mastodon)
    report = run(mastodon_channel(httpserver))
    assert report.ok and [(c.channel, c.teasers, c.new, c.gone) for c in report.channels] == [("mastodon", 1, 2, 0)]
    items = by_id(store)
    first = items["mastodon:https://social.example/@leserin@other.example/110000000000000011"]
    assert (first.post, first.source, first.status, first.parent) == (POST, Source.MASTODON, ItemStatus.PENDING, "")
    assert (first.author, first.handle, first.created) == (
        "Leserin L.",
        "@leserin@other.example",
        datetime(2026, 11, 21, 10, 11, tzinfo=UTC),
    )
    assert first.url == "https://social.example/@leserin@other.example/110000000000000011"
    assert first.text == (
        "Danke für den Beitrag! <script>alert(1)</script> ist bei uns kein Thema.\n\n"
        "Zweiter Absatz\nmit Umbruch und https://example.org/sehr-lange-adresse"
    )
    second = items["mastodon:https://social.example/@kunde/110000000000000013"]
    # A local account gets the instance's host; it answers the first reply (not our own answer between).
    assert (second.handle, second.parent, second.text) == (f"@kunde@{httpserver.host}", first.id, "Und im Lager?")
    assert len(items) == 2  # neither our own answer nor the direct message
    assert counts(store) == {"mastodon": Counts(replies=2, reposts=3, likes=7)}
    assert mastodon.requests == [f"/api/v1/statuses/{TEASER_ID}", f"/api/v1/statuses/{TEASER_ID}/context"]

    again = run(mastodon_channel(httpserver))  # nothing stored twice
    assert [(c.new, c.gone) for c in again.channels] == [(0, 0)] and len(by_id(store)) == 2


def test_a_reply_deleted_on_mastodon_disappears_at_the_next_run_also_from_the_export(
    httpserver: HTTPServer, store: SqliteStore, run: Run
) -> None:
    mastodon = Mastodon(httpserver)
    mastodon_thread(mastodon)
    run(mastodon_channel(httpserver))
    kunde = "mastodon:https://social.example/@kunde/110000000000000013"
    store.decide(kunde, ItemStatus.APPROVED, Decision("anna", NOW, "approve"))
    assert kunde in {item.id for d in read_export(export(store.dialogues(), NOW)).values() for item in d.items}

    mastodon.descendants = [s for s in mastodon.descendants if not s["id"].endswith("13")]
    report = run(mastodon_channel(httpserver))
    assert [(c.new, c.gone) for c in report.channels] == [(0, 1)]
    gone = by_id(store)[kunde]
    assert gone.status is ItemStatus.DELETED
    assert (gone.decisions[-1].by, gone.decisions[-1].action) == ("system", "delete")
    assert gone.decisions[-1].reason == "nicht mehr im Thread auf Mastodon (gelöscht oder das Konto blockiert)"
    assert kunde not in {item.id for d in read_export(export(store.dialogues(), NOW)).values() for item in d.items}
    assert (
        by_id(store)["mastodon:https://social.example/@leserin@other.example/110000000000000011"].status
        is ItemStatus.PENDING
    )


def test_a_429_with_mastodon_s_rate_limit_headers_is_waited_out(
    httpserver: HTTPServer, store: SqliteStore, run: Run, sleeps: list[float]
) -> None:
    mastodon = Mastodon(httpserver)
    mastodon_thread(mastodon)
    reset = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-11-21T10:00:42.000Z"}
    mastodon.failures = [Failure(status=429, headers=reset, times=1)]
    report = run(mastodon_channel(httpserver))
    assert report.ok and sleeps == [42.0]  # until the reset, not our own 1 s backoff
    assert len(by_id(store)) == 2


def test_a_429_from_bluesky_waits_until_ratelimit_reset(
    httpserver: HTTPServer, store: SqliteStore, run: Run, sleeps: list[float]
) -> None:
    bluesky = Bluesky(httpserver)
    bluesky.replies = [
        node(
            post_view("at://did:plc:leser/app.bsky.feed.post/3lreply1", "did:plc:leser", "leser.bsky.social", "Gut!", 5)
        )
    ]
    reset = str(int(NOW.timestamp()) + 30)
    bluesky.failures = [
        Failure(status=429, headers={"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": reset})
    ]
    report = run(bluesky_channel(httpserver))
    assert report.ok and sleeps == [30.0] and len(by_id(store)) == 1


@pytest.mark.parametrize("failure", [Failure(status=502), Failure(delay=1.0)], ids=["5xx", "timeout"])
def test_a_5xx_or_a_timeout_leaves_the_store_as_it_was_and_is_reported(
    httpserver: HTTPServer, store: SqliteStore, run: Run, failure: Failure
) -> None:
    mastodon = Mastodon(httpserver)
    mastodon_thread(mastodon)
    run(mastodon_channel(httpserver))
    before, numbers = by_id(store), counts(store)
    mastodon.descendants = []  # everything deleted, but the platform cannot say so now
    mastodon.teaser["favourites_count"] = 99
    mastodon.failures = [failure]
    policy = RetryPolicy(max_attempts=2, read_timeout=0.3, connect_timeout=0.3)
    report = run(mastodon_channel(httpserver), policy=policy)
    assert not report.ok and report.channels[0].gone == 0
    [(post, why)] = report.channels[0].failed
    assert post == POST and ("HTTP 502" in why if failure.status else "ReadTimeout" in why), why
    assert MASTODON_TOKEN not in why
    assert by_id(store) == before and counts(store) == numbers


def bluesky_thread(fake: Bluesky) -> dict[str, str]:
    uris = {name: f"at://did:plc:{name}/app.bsky.feed.post/3l{name}" for name in ("anna", "bert", "cem", "dora")}
    anna = post_view(uris["anna"], "did:plc:anna", "anna.bsky.social", "Spannend, danke.", 1, "Anna A.")
    bert = post_view(uris["bert"], "did:plc:bert", "bert.bsky.social", "Und was kostet das?", 2, "Bert")
    ours = post_view(f"at://{OUR_DID}/app.bsky.feed.post/3lanswer", OUR_DID, BSKY_HANDLE, "Gute Frage!", 3)
    cem = post_view(uris["cem"], "did:plc:cem", "cem.bsky.social", "Zustimmung.", 4)
    dora = post_view(uris["dora"], "did:plc:dora", "dora.example.com", "Troll.", 5)
    fake.replies = [node(anna, node(bert, node(ours, node(cem)))), node(dora)]
    return uris


def test_bluesky_replies_land_and_deleted_or_blocked_ones_disappear_at_the_next_run(
    httpserver: HTTPServer, store: SqliteStore, run: Run
) -> None:
    bluesky = Bluesky(httpserver)
    uris = bluesky_thread(bluesky)
    report = run(bluesky_channel(httpserver))
    assert report.ok and [(c.channel, c.new, c.gone) for c in report.channels] == [("bsky", 4, 0)]
    assert bluesky.queries == [{"uri": TEASER_URI, "depth": "1000", "parentHeight": "0"}]
    items = by_id(store)
    anna, bert, cem = (items[f"bluesky:{uris[name]}"] for name in ("anna", "bert", "cem"))
    assert (anna.author, anna.handle, anna.text, anna.parent) == (
        "Anna A.",
        "@anna.bsky.social",
        "Spannend, danke.",
        "",
    )
    assert anna.url == "https://bsky.app/profile/anna.bsky.social/post/3lanna"
    assert bert.parent == anna.id and cem.parent == ""  # cem answers our own answer: the post
    assert counts(store) == {"bluesky": Counts(replies=2, reposts=1, likes=4)}

    # Bert deletes his reply (Bluesky keeps a #notFoundPost in its place), we block Dora.
    bluesky.replies = [
        node(bluesky.replies[0]["post"], not_found(uris["bert"])),
        blocked(uris["dora"], "did:plc:dora"),
    ]
    report = run(bluesky_channel(httpserver))
    assert [(c.new, c.gone) for c in report.channels] == [(0, 3)]
    items = by_id(store)
    reasons = {name: items[f"bluesky:{uris[name]}"].decisions[-1].reason for name in ("bert", "cem", "dora")}
    assert reasons == {
        "bert": "auf Bluesky gelöscht",
        "cem": "nicht mehr im Thread auf Bluesky (gelöscht oder das Konto blockiert)",
        "dora": "auf Bluesky blockiert",
    }
    assert {name for name in uris if items[f"bluesky:{uris[name]}"].status is ItemStatus.DELETED} == {
        "bert",
        "cem",
        "dora",
    }
    assert items[f"bluesky:{uris['anna']}"].status is ItemStatus.PENDING


def test_one_failing_channel_does_not_stop_the_other(httpserver: HTTPServer, store: SqliteStore, run: Run) -> None:
    Mastodon(httpserver).failures = [Failure(status=500)]
    bluesky_thread(Bluesky(httpserver))
    report = run(policy=RetryPolicy(max_attempts=1))
    assert [(c.channel, c.ok, c.new) for c in report.channels] == [("mastodon", False, 0), ("bsky", True, 4)]
    assert not report.ok and {item.source for item in by_id(store).values()} == {Source.BLUESKY}


def test_missing_credentials_are_reported_per_channel(httpserver: HTTPServer, store: SqliteStore) -> None:
    report = listen([mastodon_channel(httpserver)], LEDGER, store, NOW, open_reader, credentials_from_env, {})
    assert not report.ok and "HUB_TEST_MASTODON_TOKEN" in report.channels[0].error


def test_nothing_is_judged_gone_for_a_post_whose_thread_was_not_read() -> None:
    teaser = PostedTeaser(POST, "mastodon", Source.MASTODON, "1", "")
    stored = [Item("mastodon:https://x/1", POST, Source.MASTODON, "Hallo", NOW)]
    assert merge([Thread(teaser)], set(), stored, NOW).gone != ()
    unread = merge([Thread(teaser)], {(POST, Source.MASTODON)}, stored, NOW)
    assert unread.gone == () and unread.counts == ()


def test_html_becomes_plain_text_without_markup() -> None:
    assert html_to_text("<p>Eins &amp; zwei</p><p>drei<br/>vier</p>") == "Eins & zwei\n\ndrei\nvier"
    assert html_to_text("<style>p{}</style><p>a <b>fett</b>\n b</p><img src=x onerror=alert(1)>") == "a fett b"
    assert html_to_text("&lt;b&gt;kein Markup&lt;/b&gt;") == "<b>kein Markup</b>"  # typed text, escaped when shown
