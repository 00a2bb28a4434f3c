"""The reply notice's double opt-in end to end: a comment posted to a real inbox on loopback (real SQLite
file), the mails sent by the notifier (hub_dialogue.writer_mail, `invoke inbox-notify`) to a real SMTP
server on loopback, the confirm and unsubscribe links opened and pressed like a browser does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

import pytest
from hub_dialogue.notify import SmtpMailer, SmtpSettings
from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_dialogue.writer_mail import WriterLinks, notify_writers
from hub_inbox.app import Intake, IntakeConfig
from hub_inbox.model import Decision, Item, Source, Status
from hub_inbox.optin import CONFIRMED, EXPIRED, OPTIN_MAIL, REPLY_NOTICE, UNSUBSCRIBED
from hub_inbox.posts import read_posts
from hub_inbox.server import in_thread, make
from hub_inbox.spam import SpamRules
from hub_inbox.sqlite import SqliteStore
from smtp_server import SmtpServer, smtp_server

BLOG = "https://blog.example.de"
POST = IndexedPost("de/neu", f"{BLOG}/2026/neu/", True, category="Produkte", title="Der neue Antrieb")
SECRET = "s3cr3t-for-tests"
RENDERED = 1_000_000.0
NOW = datetime.fromtimestamp(RENDERED + 60, UTC)
DAYS = 7


@dataclass
class Inbox:
    url: str
    store: SqliteStore
    database: Path
    server: SmtpServer

    def send(self, **fields: str) -> str:
        form = {
            "post": POST.key,
            "text": "Wie laut ist der Antrieb im Betrieb? Und wie viel Strom braucht er im Leerlauf bei Frost?",
            "name": "Karla K.",
            "email": "karla@example.org",
            "token": "t-1",
            "rendered_at": datetime.fromtimestamp(RENDERED, UTC).isoformat(),
            "website": "",
        }
        form.update(fields)
        request = Request(f"{self.url}/dialog/", data=urlencode(form).encode(), headers={"Origin": BLOG})
        with urlopen(request) as response:
            return str(response.read().decode())

    def notify(self, now: datetime = NOW) -> tuple[list[object], int]:
        mailer = SmtpMailer(SmtpSettings("127.0.0.1", self.server.port, "Blog <blog@example.de>", starttls=False))
        try:
            posts = read_posts(render_posts_index([POST]).decode())
            # the links point at the inbox as readers reach it (HUB_INBOX_PUBLIC_URL): here, the loopback server
            mails, wiped = notify_writers(
                self.store, posts, now, mailer, WriterLinks(f"{self.url}/dialog/", SECRET), DAYS
            )
            return list(mails), wiped
        finally:
            mailer.close()

    def open(self, url: str, *, post: dict[str, str] | None = None, origin: str = "") -> tuple[int, str, str]:
        """GET the link, or POST its form; status, outcome and page."""
        data = urlencode(post).encode() if post is not None else None
        request = Request(url, data=data, headers={"Origin": origin or self.url} if data else {})
        try:
            with urlopen(request) as response:
                return response.status, response.headers["X-Hub-Outcome"], response.read().decode()
        except HTTPError as error:
            return error.code, error.headers["X-Hub-Outcome"], error.read().decode()


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Inbox]:
    posts_file = tmp_path / "output" / "dialog" / "posts.json"
    posts_file.parent.mkdir(parents=True)
    posts_file.write_bytes(render_posts_index([POST]))
    database = tmp_path / "var" / "inbox.sqlite"
    store = SqliteStore(database)
    config = IntakeConfig(posts_file=posts_file, origins=(BLOG,), rules=SpamRules(minimum_seconds=3), secret=SECRET)
    app = Intake(config, store, clock=lambda: RENDERED + 60)
    server = make(app, "127.0.0.1", 0, log=False)
    thread = in_thread(server)
    try:
        with smtp_server() as smtp:
            yield Inbox(f"http://127.0.0.1:{server.server_port}", store, database, smtp)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        store.close()


def link_in(body: str, page: str) -> str:
    [found] = [line for line in body.splitlines() if re.fullmatch(rf"http://\S+/dialog/{page}\?\S+", line)]
    return found


def form_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def answer(inbox: Inbox, comment: Item, *, approved: bool) -> Item:
    staff = Item("staff:1", POST.key, Source.STAFF, "Er ist leiser als ein Kühlschrank.", NOW, parent=comment.id)
    inbox.store.add(staff)
    first = inbox.store.approve(staff.id, Decision("sroth", NOW, "approve"))
    if approved:  # the second editor's approval makes it public (four-eyes)
        return inbox.store.approve(staff.id, Decision("kberg", NOW, "approve"), status=Status.APPROVED)
    return first


def test_one_confirmation_mail_the_link_asks_the_button_confirms_then_one_reply_notice(inbox: Inbox) -> None:
    page = inbox.send()
    assert "Erst nachdem Sie ihn bestätigt haben" in page
    [comment] = inbox.store.items()
    assert comment.email == "karla@example.org" and not comment.email_confirmed
    assert inbox.server.received == []  # nothing is mailed inside the request

    # The notifier sends the confirmation mail once, in German, naming the post and quoting a short excerpt.
    inbox.notify()
    inbox.notify()
    [mail] = inbox.server.received
    assert mail.recipients == ("karla@example.org",)
    message = mail.message
    assert message["Subject"] == "Bitte bestätigen: Benachrichtigung, wenn wir Ihren Kommentar beantworten"
    body = message.get_content()
    assert "Beitrag „Der neue Antrieb“" in body and "„Wie laut ist der Antrieb im Betrieb?" in body
    assert "bei Frost" not in body  # only an excerpt of what anyone could have typed
    assert f"nach {DAYS} Tagen" in body
    assert [d.action for d in inbox.store.get(comment.id).decisions] == [OPTIN_MAIL]

    # An answer before the confirmation: nothing goes to the unconfirmed address.
    answer(inbox, comment, approved=True)
    inbox.notify()
    assert len(inbox.server.received) == 1

    confirm = link_in(body, "bestaetigen")
    # Opening the link changes nothing (mail scanners open links): it shows a button.
    status, outcome, page = inbox.open(confirm)
    assert (status, outcome) == (200, "confirm-ask")
    assert "E-Mail-Adresse bestätigen" in page and 'method="post"' in page
    assert not inbox.store.get(comment.id).email_confirmed
    # A wrong key, or the button on another site, confirms nothing.
    status, outcome, _page = inbox.open(f"{inbox.url}/dialog/bestaetigen", post={**form_of(confirm), "key": "0" * 32})
    assert (status, outcome) == (403, "optin-refused")
    status, outcome, _page = inbox.open(
        f"{inbox.url}/dialog/bestaetigen", post=form_of(confirm), origin="https://evil.example"
    )
    assert (status, outcome) == (403, "origin")
    assert not inbox.store.get(comment.id).email_confirmed
    # The button confirms.
    status, outcome, page = inbox.open(f"{inbox.url}/dialog/bestaetigen", post=form_of(confirm))
    assert (status, outcome) == (200, "confirmed")
    assert inbox.store.get(comment.id).email_confirmed

    # Now the one reply notice, with the post's link and the unsubscribe link; once.
    inbox.notify()
    inbox.notify()
    assert len(inbox.server.received) == 2
    notice = inbox.server.received[1].message
    assert notice["To"] == "karla@example.org"
    assert notice["Subject"] == "Antwort auf Ihren Kommentar zu „Der neue Antrieb“"
    body = notice.get_content()
    assert f"{POST.url}#kommentare" in body
    assert [d.action for d in inbox.store.get(comment.id).decisions] == [OPTIN_MAIL, CONFIRMED, REPLY_NOTICE]

    # The unsubscribe link asks, the button wipes the address; the comment stays.
    unsubscribe = link_in(body, "abmelden")
    status, outcome, _page = inbox.open(unsubscribe)
    assert (status, outcome) == (200, "unsubscribe-ask")
    assert inbox.store.get(comment.id).email == "karla@example.org"
    # The confirm key does not open the unsubscribe page.
    status, outcome, _page = inbox.open(f"{inbox.url}/dialog/abmelden", post=form_of(confirm))
    assert (status, outcome) == (403, "optin-refused")
    status, outcome, page = inbox.open(f"{inbox.url}/dialog/abmelden", post=form_of(unsubscribe))
    assert (status, outcome) == (200, "email-deleted")
    wiped = inbox.store.get(comment.id)
    assert (wiped.email, wiped.email_confirmed, wiped.text != "") == ("", False, True)
    assert wiped.decisions[-1].action == UNSUBSCRIBED
    inbox.store.close()
    stored = b"".join(path.read_bytes() for path in inbox.database.parent.iterdir())
    assert b"karla@example.org" not in stored


def test_a_reply_notice_waits_for_the_second_approval(inbox: Inbox) -> None:
    inbox.send()
    [comment] = inbox.store.items()
    inbox.store.confirm_email(comment.id, Decision("writer", NOW, CONFIRMED))
    staff = answer(inbox, comment, approved=False)
    inbox.notify()  # confirmed already: no confirmation mail; the answer is not public yet: no notice
    assert inbox.server.received == []
    inbox.store.approve(staff.id, Decision("kberg", NOW, "approve"), status=Status.APPROVED)
    inbox.notify()
    inbox.notify()
    assert [m.message["Subject"] for m in inbox.server.received] == [
        "Antwort auf Ihren Kommentar zu „Der neue Antrieb“"
    ]


def test_unconfirmed_addresses_are_wiped_after_the_days_and_never_mailed_again(inbox: Inbox) -> None:
    inbox.send()
    inbox.send(token="t-2", email="", text="Ohne Adresse")
    [comment, _other] = inbox.store.items()
    inbox.notify()
    assert len(inbox.server.received) == 1  # only the comment with an address
    _mails, wiped = inbox.notify(NOW + timedelta(days=DAYS) - timedelta(seconds=1))
    assert wiped == 0 and inbox.store.get(comment.id).email == "karla@example.org"
    _mails, wiped = inbox.notify(NOW + timedelta(days=DAYS))
    assert wiped == 1
    gone = inbox.store.get(comment.id)
    assert (gone.email, gone.decisions[-1].action, gone.status) == ("", EXPIRED, Status.PENDING)
    assert len(inbox.server.received) == 1


def test_spam_gets_no_mail_and_a_link_without_its_key_is_refused(inbox: Inbox) -> None:
    inbox.send(website="http://casino.example")  # the honeypot: stored as spam, answered like a comment
    inbox.notify()
    assert inbox.server.received == []
    status, outcome, _page = inbox.open(f"{inbox.url}/dialog/bestaetigen?id=web:1&key=")
    assert (status, outcome) == (403, "optin-refused")
