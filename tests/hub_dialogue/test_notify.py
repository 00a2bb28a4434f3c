"""The notifier (hub_dialogue/notify.py, `invoke inbox-notify`): notices by e-mail to a real SMTP server on
loopback and to a webhook on loopback, each sent once across runs, the escalation before the deadline,
a refused e-mail reported and tried again. Real SQLite files, the calendar as the user writes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import BERLIN, ROOT, Site
from hub_content.calendar import Calendar, parse_calendar
from hub_dialogue.notify import MAIL, SmtpMailer, SmtpSettings, notify
from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_dialogue.routing import ESCALATE, ROUTE
from hub_inbox.model import Item, Source
from hub_inbox.posts import read_posts
from hub_inbox.sqlite import SqliteStore
from pytest_httpserver import HTTPServer
from smtp_server import SmtpServer, smtp_server

TEAM = """\
timezone: Europe/Berlin
team:
  - {id: sroth, name: Sabine Roth, role: Leitung, email: s.roth@example.com, rights: [editor], approves: all}
  - {id: maydin, name: Murat Aydin, role: Technik, email: m.aydin@example.com, rights: [author]}
  - {id: tberger, name: Tom Berger, role: Vertrieb, rights: [author]}
cadence:
  weekdays: [mon, tue, wed, thu, fri]
  hours: "08:00-18:00"
dialogue:
  respond_within: 8h
  escalate_after: 6h
  lead: sroth
  routes:
    - {categories: [Produkte], to: maydin}
    - {topics: [Lieferzeit], to: tberger}
  default: sroth
"""
POSTS = [
    IndexedPost("de/neu", "https://blog.example.de/2026/neu/", True, category="Produkte", title="Der neue Antrieb")
]
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)  # business hours 08–18: deadline 17:00, escalation 15:00


def at(hour: int, minute: int = 0) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute)


def calendar(extra: str = "") -> Calendar:
    book, findings = parse_calendar(TEAM + extra, display_path="editorial_calendar.yaml", content_root=Path("."))
    assert [f for f in findings if f.level.value == "error"] == []
    return book


def comment(store: SqliteStore, text: str = "Wie laut ist der Antrieb im Betrieb?", **fields: object) -> Item:
    item = Item(
        id=str(fields.get("id", "web:1")),
        post=str(fields.get("post", "de/neu")),
        source=Source.WEB,
        text=text,
        created=MONDAY,
        author=str(fields.get("author", "Karla K.")),
        email="karla@example.org",
    )
    store.add(item)
    return item


def run(store: SqliteStore, book: Calendar, server: SmtpServer, now: datetime) -> list[object]:
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", server.port, "Blog <blog@example.de>", starttls=False))
    try:
        posts = read_posts(render_posts_index(POSTS).decode())
        return list(notify(store, book, posts, now, mailer, None))
    finally:
        mailer.close()


def test_the_routed_person_is_mailed_once_and_the_lead_before_the_deadline(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "inbox.sqlite")
    comment(store)
    book = calendar()
    with smtp_server() as server:
        first = run(store, book, server, at(9, 30))
        assert len(server.received) == 1
        mail = server.received[0]
        assert mail.recipients == ("m.aydin@example.com",)  # the Produkte route
        assert mail.message["Subject"] == "Neuer Kommentar zu „Der neue Antrieb“"
        body = mail.message.get_content()
        assert "Wie laut ist der Antrieb im Betrieb?" in body and "Von: Karla K." in body
        assert "Antwort fällig bis: 23.11.2026 17:00 Uhr" in body
        assert "https://blog.example.de/2026/neu/" in body
        assert "karla@example.org" not in body  # the writer's address never leaves the inbox
        assert mail.message["Auto-Submitted"] == "auto-generated"
        # A second run an hour later: nothing new, nothing twice.
        assert run(store, book, server, at(10, 30)) == [] and len(server.received) == 1
        # 15:00 (six business hours): the lead hears of it, before the 17:00 deadline, once.
        assert run(store, book, server, at(14, 59)) == []
        escalated = run(store, book, server, at(15, 0))
        assert len(server.received) == 2 and len(escalated) == 1
        lead = server.received[1]
        assert lead.recipients == ("s.roth@example.com",)
        assert lead.message["Subject"] == "Noch unbeantwortet: Kommentar zu „Der neue Antrieb“"
        assert "ist noch nicht beantwortet; zuständig ist Murat Aydin." in lead.message.get_content()
        assert run(store, book, server, at(16, 0)) == [] and len(server.received) == 2
    log = [(d.action, d.by, d.reason) for d in store.get("web:1").decisions]  # type: ignore[union-attr]
    assert log == [(ROUTE, "system", f"maydin, {MAIL}"), (ESCALATE, "system", f"sroth, {MAIL}")]
    assert [d.noted for d in first] == [True]  # type: ignore[attr-defined]


def test_an_escalation_after_a_weekend_counts_business_hours(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "inbox.sqlite")
    store.add(
        Item(
            "web:fri", "de/neu", Source.WEB, "Gibt es eine Lieferzeit?", MONDAY - timedelta(days=3, hours=-7), author=""
        )
    )  # Friday 16:00: two hours on Friday, four on Monday → escalation Monday 12:00
    with smtp_server() as server:
        run(store, calendar(), server, MONDAY - timedelta(days=2))  # Saturday: the routing notice only
        assert [r.recipients for r in server.received] == [("m.aydin@example.com",)]
        assert "Von: (ohne Namen)" in server.received[0].message.get_content()
        run(store, calendar(), server, at(11, 59))
        assert len(server.received) == 1
        run(store, calendar(), server, at(12, 0))
        assert [r.recipients for r in server.received][1:] == [("s.roth@example.com",)]


def test_a_refused_mail_is_reported_not_noted_and_sent_on_the_next_run(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "inbox.sqlite")
    comment(store)
    with smtp_server() as server:
        server.refuse = "451 4.3.0 Postfach voll, später erneut versuchen"
        failed = run(store, calendar(), server, at(9, 30))
        assert server.received == []
        assert [d.noted for d in failed] == [False]  # type: ignore[attr-defined]
        problem = failed[0].problems[0]  # type: ignore[attr-defined]
        assert problem.startswith("E-Mail an maydin: ") and "451" in problem and "127.0.0.1" in problem
        assert store.get("web:1").decisions == ()  # type: ignore[union-attr]
        server.refuse = ""
        again = run(store, calendar(), server, at(10, 0))
        assert [d.noted for d in again] == [True] and len(server.received) == 1  # type: ignore[attr-defined]


def test_a_closed_mail_server_is_reported(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "inbox.sqlite")
    comment(store)
    with smtp_server() as server:
        port = server.port
    mailer = SmtpMailer(SmtpSettings("127.0.0.1", port, "blog@example.de", starttls=False, timeout=2))
    posts = read_posts(render_posts_index(POSTS).decode())
    [delivery] = notify(store, calendar(), posts, at(9, 30), mailer, None)
    assert not delivery.noted and "der Mailserver 127.0.0.1" in delivery.problems[0]


# `invoke inbox-notify` as cron runs it: the webhook channel, German output, exit codes.

CHAT = """\
channels:
  redaktion-chat:
    type: webhook
    format: slack
    url_env: HUB_TEST_CHAT_URL
    since: 2026-11-10
"""


def inbox_notify(site: Site, now: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "inbox-notify", "--now", now,
        "--content", str(site.content), "--calendar", str(site.calendar),
        "--database", str(site.root / "inbox.sqlite"), "--posts", str(site.root / "posts.json"),
    ]  # fmt: skip
    environment = {**os.environ, "HUB_HTTP_READ_TIMEOUT": "2", **env}
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


@pytest.fixture
def chat_site(site: Site) -> Site:
    site.calendar.write_text(TEAM.replace("  default: sroth\n", "  default: sroth\n  webhook: redaktion-chat\n") + CHAT)
    (site.root / "posts.json").write_bytes(render_posts_index(POSTS))
    store = SqliteStore(site.root / "inbox.sqlite")
    comment(store, "Wann kommt die Lieferzeit-Info?", id="web:2", post="de/neu")
    store.close()
    return site


def test_invoke_inbox_notify_posts_to_the_webhook_once(chat_site: Site, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    env = {"HUB_TEST_CHAT_URL": httpserver.url_for("/hook")}
    first = inbox_notify(chat_site, "2026-11-23 09:30", env)
    assert first.returncode == 0, first.stderr
    assert "gesendet: neuer Kommentar für maydin: web:2 (de/neu) per Webhook" in first.stdout
    assert "1 Benachrichtigung gesendet, 0 fehlgeschlagen" in first.stdout
    [(request, _response)] = httpserver.log
    text = json.loads(request.data)["text"]
    assert "Wann kommt die Lieferzeit-Info?" in text and "Karla K." in text and "17:00 Uhr" in text
    second = inbox_notify(chat_site, "2026-11-23 10:00", env)
    assert second.returncode == 0, second.stderr
    assert "0 Benachrichtigungen gesendet, 0 fehlgeschlagen" in second.stdout
    assert len(httpserver.log) == 1


def test_invoke_inbox_notify_without_a_way_fails_and_keeps_the_notice(chat_site: Site) -> None:
    result = inbox_notify(chat_site, "2026-11-23 09:30", {"HUB_TEST_CHAT_URL": ""})
    assert result.returncode == 1
    assert "HUB_TEST_CHAT_URL" in result.stderr
    assert "NICHT GESENDET: neuer Kommentar für maydin: web:2 (de/neu); beim nächsten Lauf erneut" in result.stdout
    store = SqliteStore(chat_site.root / "inbox.sqlite")
    assert store.get("web:2").decisions == ()  # type: ignore[union-attr]
