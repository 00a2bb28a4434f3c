"""The moderators' pages on a real inbox (wsgiref on loopback, port 0) with a real SQLite file and
a real editorial calendar: login, the category's editors, reasons, CSRF, four eyes for staff
answers, the log, and the export holding exactly what was approved; then the same in Chromium."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from chromium import Chromium
from hub_content.calendar import parse_calendar
from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_inbox.app import Intake, IntakeConfig
from hub_inbox.model import Item, Source, Status, export
from hub_inbox.moderation import Moderation
from hub_inbox.passwords import hash_password, verify_password
from hub_inbox.server import in_thread, make
from hub_inbox.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
BLOG = "https://blog.example.de"
PASSWORD = "Winterreifen-2026"
CALENDAR = """\
timezone: Europe/Berlin
team:
  - id: sroth
    name: Sabine Roth
    role: Redakteurin
    rights: [author, editor]
    approves: [Technik]
  - id: kberg
    name: Kai Berg
    role: Redakteur
    rights: [editor]
    approves: [Technik]
  - id: lwagner
    name: Lena Wagner
    role: Personalreferentin
    rights: [editor]
    approves: [Karriere]
  - id: azubi
    name: Max Muster
    role: Auszubildender
    rights: [author]
"""
CREATED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@dataclass
class Client:
    """A browser without JavaScript: keeps its cookie, sends Origin, does not follow redirects."""

    base: str
    cookie: str = ""
    origin: str | None = None
    set_cookies: list[str] = field(default_factory=list)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin if self.origin is not None else self.base
            if not headers["Origin"]:
                del headers["Origin"]
        connection.request(method, "/dialog/redaktion/" + path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self.set_cookies.append(value)
                pair = value.split(";")[0]
                self.cookie = "" if "Max-Age=0" in value else pair
        connection.close()
        return response.status, dict(response.getheaders()), text

    def get(self, path: str = "") -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post(self, path: str, **form: str) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, form)

    def login(self, member: str, password: str = PASSWORD) -> int:
        status, _headers, _page = self.post("anmelden", member=member, password=password)
        return status

    def csrf(self) -> str:
        status, _headers, page = self.get()
        assert status == 200, page
        found = re.search(r'name="csrf" value="([^"]+)"', page)
        assert found
        return found.group(1)

    def decide(self, item: str, action: str, reason: str = "") -> int:
        return self.post("entscheiden", csrf=self.csrf(), item=item, action=action, reason=reason)[0]


@dataclass
class Inbox:
    url: str
    store: SqliteStore

    def client(self) -> Client:
        return Client(self.url)

    def comment(self, item_id: str, post: str = "de/winterreifen", text: str = "Wann kommt das Update?") -> Item:
        item = Item(item_id, post, Source.WEB, text, CREATED, author="Karla K.")
        assert self.store.add(item)
        return item

    def status(self, item_id: str) -> Status:
        item = self.store.get(item_id)
        assert item is not None
        return item.status


@contextmanager
def running(tmp_path: Path) -> Iterator[Inbox]:
    posts_file = tmp_path / "output" / "dialog" / "posts.json"
    posts_file.parent.mkdir(parents=True)
    posts_file.write_bytes(
        render_posts_index(
            [
                IndexedPost("de/winterreifen", f"{BLOG}/de/winterreifen/", True, "Technik"),
                IndexedPost("de/ausbildung", f"{BLOG}/de/ausbildung/", True, "Karriere"),
            ]
        )
    )
    calendar, findings = parse_calendar(CALENDAR, display_path="editorial_calendar.yaml", content_root=tmp_path)
    assert findings == []
    store = SqliteStore(tmp_path / "var" / "inbox.sqlite")
    for member in ("sroth", "kberg", "lwagner", "azubi"):
        store.set_password(member, hash_password(PASSWORD), CREATED)
    config = IntakeConfig(posts_file=posts_file, origins=(BLOG,))
    app = Intake(config, store, routes=(Moderation(config, calendar, store),))
    server = make(app, "127.0.0.1", 0, log=False)
    thread = in_thread(server)
    try:
        yield Inbox(f"http://127.0.0.1:{server.server_port}", store)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        store.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Inbox]:
    with running(tmp_path) as started:
        yield started


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$") and first != second and PASSWORD not in first
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password("winterreifen-2026", first)
    assert not verify_password(PASSWORD, "") and not verify_password(PASSWORD, "scrypt$x")


def test_login_is_needed_and_a_wrong_password_is_refused(inbox: Inbox) -> None:
    client = inbox.client()
    status, headers, _page = client.get()
    assert (status, headers["Location"]) == (303, "/dialog/redaktion/anmelden")
    status, _headers, page = client.get("anmelden")
    soup = BeautifulSoup(page, "html.parser")
    assert status == 200 and soup.find("h1").get_text() == "Anmeldung zur Moderation"
    assert soup.find("label", attrs={"for": "hub-moderation-password"}) is not None

    for member, password in (("sroth", "falsch-falsch-falsch"), ("niemand", PASSWORD), ("azubi", PASSWORD)):
        status, _headers, page = client.post("anmelden", member=member, password=password)
        assert status == 401, member
        assert "Anmeldung fehlgeschlagen" in page
        assert client.cookie == ""
    assert client.get()[0] == 303

    assert client.login("sroth") == 303
    [cookie] = client.set_cookies
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/dialog/redaktion/" in cookie
    assert "Secure" not in cookie  # plain http on loopback; over https it is set
    status, _headers, page = client.get()
    assert status == 200 and "Sabine Roth (sroth)" in page

    # Logging out ends the session on the server: the old cookie opens nothing.
    old = client.cookie
    assert client.post("abmelden", csrf=client.csrf())[0] == 303
    client.cookie = old
    assert client.get()[0] == 303


def test_an_editor_of_the_category_approves_and_another_is_refused(inbox: Inbox) -> None:
    inbox.comment("web:1")
    inbox.comment("web:2", post="de/ausbildung", text="Gibt es Praktika?")
    wagner = inbox.client()
    assert wagner.login("lwagner") == 303
    status, _headers, page = wagner.request(
        "POST", "entscheiden", {"csrf": wagner.csrf(), "item": "web:1", "action": "approve"}
    )
    assert status == 403
    problem = BeautifulSoup(page, "html.parser").find(id="hub-moderation-problem").get_text()
    assert problem == "Nicht möglich: Lena Wagner (lwagner) darf Karriere freigeben, nicht „Technik“"
    assert inbox.status("web:1") is Status.PENDING
    assert wagner.decide("web:2", "approve") == 303
    assert inbox.status("web:2") is Status.APPROVED

    roth = inbox.client()
    roth.login("sroth")
    assert roth.decide("web:1", "approve") == 303
    item = inbox.store.get("web:1")
    assert item is not None and item.status is Status.APPROVED
    assert [(d.by, d.action) for d in item.decisions] == [("sroth", "approve")]
    # Decided once: the queue no longer offers it, and a second decision is refused.
    assert roth.decide("web:1", "spam") == 403
    assert "web:1" not in roth.get()[2]


def test_a_rejection_needs_a_reason_and_the_log_shows_who_and_when(inbox: Inbox) -> None:
    inbox.comment("web:1")
    client = inbox.client()
    client.login("kberg")
    status, _headers, page = client.post("entscheiden", csrf=client.csrf(), item="web:1", action="reject", reason=" ")
    assert status == 422 and "Bitte geben Sie einen Grund" in page
    assert inbox.status("web:1") is Status.PENDING
    assert client.decide("web:1", "reject", "Werbung für ein fremdes Produkt") == 303
    assert inbox.status("web:1") is Status.REJECTED
    status, _headers, page = client.get("verlauf?item=web%3A1")
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in BeautifulSoup(page, "html.parser").select("#hub-moderation-log tbody tr")
    ]
    assert status == 200
    assert len(rows) == 1 and rows[0][0] == "Kai Berg (kberg)" and rows[0][2] == "abgelehnt"
    assert rows[0][3] == "Werbung für ein fremdes Produkt" and rows[0][1].startswith("2026-")


def test_every_post_needs_the_sessions_token_and_the_right_origin(inbox: Inbox) -> None:
    inbox.comment("web:1")
    client = inbox.client()
    client.login("sroth")
    status, headers, _page = client.post("entscheiden", item="web:1", action="approve")
    assert status == 403 and headers["X-Hub-Outcome"] == "csrf"
    assert client.post("entscheiden", csrf="geraten", item="web:1", action="approve")[0] == 403
    assert client.post("antworten", post="de/winterreifen", parent="", text="Hallo")[0] == 403
    token = client.csrf()
    client.origin = "https://evil.example"
    status, headers, _page = client.post("entscheiden", csrf=token, item="web:1", action="approve")
    assert status == 403 and headers["X-Hub-Outcome"] == "origin"
    client.origin = ""  # no Origin, no Referer
    assert client.post("entscheiden", csrf=token, item="web:1", action="approve")[0] == 403
    assert inbox.status("web:1") is Status.PENDING
    assert inbox.store.items(source=Source.STAFF) == []


def test_a_staff_answer_needs_a_second_editor_and_the_export_holds_exactly_the_approved(inbox: Inbox) -> None:
    inbox.comment("web:1")
    inbox.comment("web:2", text="Noch eine Frage")
    inbox.comment("web:3", text="Spam? Nein, Kritik.")
    roth, berg = inbox.client(), inbox.client()
    roth.login("sroth")
    berg.login("kberg")
    assert roth.decide("web:1", "approve") == 303
    assert roth.decide("web:3", "reject", "Beleidigung") == 303
    form = {"csrf": roth.csrf(), "token": "t1", "post": "", "parent": "web:1", "text": "Im Dezember, versprochen."}
    assert roth.request("POST", "antworten", form)[0] == 303
    assert roth.request("POST", "antworten", form)[0] == 303  # a double click stores one answer
    [answer] = inbox.store.items(source=Source.STAFF)
    assert (answer.post, answer.parent, answer.author, answer.status) == (
        "de/winterreifen",
        "web:1",
        "Sabine Roth",
        Status.PENDING,
    )
    assert [a.by for a in answer.approvals] == ["sroth"]  # writing it is the writer's approval
    # The writer cannot make it public alone.
    status, _headers, page = roth.request(
        "POST", "entscheiden", {"csrf": roth.csrf(), "item": answer.id, "action": "approve"}
    )
    assert status == 403 and "Vier-Augen-Prinzip" in page
    assert inbox.status(answer.id) is Status.PENDING
    queue = BeautifulSoup(berg.get()[2], "html.parser")
    card = queue.find("article", attrs={"data-item": answer.id})
    assert card is not None and "1 weitere Freigabe nötig" in card.get_text()
    assert berg.decide(answer.id, "approve") == 303
    assert inbox.status(answer.id) is Status.APPROVED
    decided = inbox.store.get(answer.id)
    assert decided is not None
    assert [(d.by, d.action) for d in decided.decisions] == [
        ("sroth", "write"),
        ("sroth", "approve"),
        ("kberg", "approve"),
    ]

    exported = json.loads(export(inbox.store.dialogues(), CREATED))
    ids = {item["id"] for post in exported["posts"].values() for item in post["items"]}
    assert ids == {"web:1", answer.id}


def test_invoke_inbox_password_stores_a_hash_only(tmp_path: Path) -> None:
    calendar = tmp_path / "editorial_calendar.yaml"
    calendar.write_text(CALENDAR, encoding="utf-8")
    database = tmp_path / "inbox.sqlite"

    def set_password(member: str, typed: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "inbox-password", "--as", member]
        command += ["--database", str(database), "--calendar", str(calendar)]
        return subprocess.run(command, cwd=ROOT, input=typed, capture_output=True, text=True, env=dict(os.environ))

    done = set_password("sroth", f"{PASSWORD}\n{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert "Passwort von Sabine Roth (sroth) gesetzt" in done.stdout
    stored = SqliteStore(database).password("sroth")
    assert verify_password(PASSWORD, stored) and PASSWORD.encode() not in database.read_bytes()

    differing = set_password("kberg", f"{PASSWORD}\nanderes-Passwort\n")
    assert differing.returncode == 1 and "unterscheiden sich" in differing.stderr
    short = set_password("kberg", "kurz\nkurz\n")
    assert short.returncode == 1 and "mindestens 10 Zeichen" in short.stderr
    author = set_password("azubi", f"{PASSWORD}\n{PASSWORD}\n")
    assert author.returncode == 2 and "„azubi“ ist kein Teammitglied" in author.stderr
    assert SqliteStore(database).password("kberg") == SqliteStore(database).password("azubi") == ""


def test_in_chromium_log_in_approve_answer_and_a_colleague_approves(inbox: Inbox, browser: Chromium) -> None:
    inbox.comment("web:1")
    base = f"{inbox.url}/dialog/redaktion/"

    def log_in(member: str) -> None:
        tab.wait_for("document.getElementById('hub-moderation-login') !== null")
        tab.evaluate(
            f"document.getElementById('hub-moderation-member').value = {json.dumps(member)};"
            f"document.getElementById('hub-moderation-password').value = {json.dumps(PASSWORD)};"
            "document.querySelector('#hub-moderation-login button').click()"
        )
        tab.wait_for(f"(document.getElementById('hub-moderation-who') || {{}}).textContent?.includes('({member})')")

    tab = browser.open(base)  # no session: the login page
    log_in("sroth")
    card = "document.querySelector('article[data-item=\"web:1\"]')"
    tab.wait_for(f"{card} !== null")
    tab.evaluate(f"{card}.querySelector('button.hub-moderation-approve').click()")
    tab.wait_for("document.getElementById('hub-moderation-notice')?.textContent.includes('Freigegeben')")
    assert inbox.status("web:1") is Status.APPROVED

    # Answer the post (the comment is decided, so it has left the queue).
    tab.evaluate(
        "document.getElementById('hub-moderation-post-choice').value = 'de/winterreifen';"
        "document.getElementById('hub-moderation-answer-post-text').value = 'Danke für Ihr Interesse!';"
        "document.querySelector('#hub-moderation-answer-post-text').form.querySelector('button').click()"
    )
    tab.wait_for("document.getElementById('hub-moderation-notice')?.textContent.includes('Antwort gespeichert')")
    [answer] = inbox.store.items(source=Source.STAFF)
    assert (answer.post, answer.status, answer.text) == ("de/winterreifen", Status.PENDING, "Danke für Ihr Interesse!")

    tab.evaluate("document.getElementById('hub-moderation-logout').click()")
    log_in("kberg")
    staff = f"document.querySelector('article[data-item=\"{answer.id}\"]')"
    tab.wait_for(f"{staff} !== null")
    tab.evaluate(f"{staff}.querySelector('button.hub-moderation-approve').click()")
    tab.wait_for("document.getElementById('hub-moderation-notice')?.textContent.includes('Freigegeben')")
    assert inbox.status(answer.id) is Status.APPROVED
    tab.evaluate("document.getElementById('hub-moderation-logout').click()")
    tab.wait_for("document.getElementById('hub-moderation-login') !== null")
