"""The comment intake on a real server (wsgiref on loopback, port 0) with a real SQLite file, posted
to with urllib the way a browser sends a form without JavaScript: every bad input gets a German page
with its status code and keeps the text; spam never becomes PENDING; a double submit stores once."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from bs4 import BeautifulSoup
from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_inbox.app import Intake, IntakeConfig
from hub_inbox.model import Status
from hub_inbox.postgres import PostgresStore
from hub_inbox.server import in_thread, make
from hub_inbox.spam import SpamRules
from hub_inbox.sqlite import SqliteStore
from hub_inbox.stores import ClosableStore

BLOG = "https://blog.example.de"
POST_URL = f"{BLOG}/de/minus-30-grad/"
RENDERED = 1_000_000.0  # when the test's forms were rendered (the clock starts 60 s later)


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


@dataclass
class Clock:
    now: float = RENDERED + 60

    def __call__(self) -> float:
        return self.now


@dataclass
class Inbox:
    url: str
    store: ClosableStore
    database: Path
    posts_file: Path
    clock: Clock
    app: Intake

    def send(self, origin: str | None = BLOG, **fields: str) -> tuple[int, dict[str, str], BeautifulSoup]:
        """POST the comment form as a browser does; the status, headers and the page."""
        form = {
            "post": "de/minus-30-grad",
            "text": "Sehr interessant, danke!",
            "name": "",
            "email": "",
            "token": "t-1",
            "rendered_at": iso(RENDERED),
            "website": "",
        }
        form.update(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if origin:
            headers["Origin"] = origin
        # where the form under a post (hub_dialogue's, action HUB_DIALOGUE_URL) sends it
        request = Request(f"{self.url}/dialog/", data=urlencode(form).encode(), headers=headers)
        return read(request)

    def get(self, query: str) -> tuple[int, dict[str, str], BeautifulSoup]:
        return read(Request(f"{self.url}/dialog/comment?{query}"))


def read(request: Request) -> tuple[int, dict[str, str], BeautifulSoup]:
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), BeautifulSoup(response.read(), "html.parser")
    except HTTPError as error:
        return error.code, dict(error.headers), BeautifulSoup(error.read(), "html.parser")


@contextmanager
def running(
    tmp_path: Path,
    rules: SpamRules,
    *,
    busy_timeout: float = 5.0,
    keep_spam: bool = True,
    secret: str = "",
    behind_proxy: bool = False,
    database_url: str = "",
) -> Iterator[Inbox]:
    """The inbox on loopback; on SQLite in tmp_path, or on the PostgreSQL database at `database_url`."""
    posts_file = tmp_path / "output" / "dialog" / "posts.json"
    posts_file.parent.mkdir(parents=True)
    # written as the build writes it (hub_dialogue), read by the inbox
    posts_file.write_bytes(
        render_posts_index(
            [IndexedPost("de/minus-30-grad", POST_URL, True), IndexedPost("de/alt", f"{BLOG}/de/alt/", False)]
        )
    )
    database = tmp_path / "var" / "inbox.sqlite"
    store: ClosableStore
    if database_url:
        store = PostgresStore(database_url, busy_timeout=busy_timeout)
    else:
        store = SqliteStore(database, busy_timeout=busy_timeout)
    clock = Clock()
    config = IntakeConfig(
        posts_file=posts_file,
        origins=(BLOG,),
        rules=rules,
        retry_after=7,
        keep_spam=keep_spam,
        secret=secret,
        behind_proxy=behind_proxy,
    )
    app = Intake(config, store, clock=clock, monotonic=clock)
    server = make(app, "127.0.0.1", 0, log=False)
    thread = in_thread(server)
    try:
        yield Inbox(f"http://127.0.0.1:{server.server_port}", store, database, posts_file, clock, app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        store.close()


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Inbox]:
    rules = SpamRules(minimum_seconds=3, first_time_links=1, words=("Casino", "billige Uhren"))
    with running(tmp_path, rules) as started:
        yield started


def text_of(page: BeautifulSoup) -> str:
    main = page.find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def outcome(page: BeautifulSoup) -> str:
    main = page.find("main")
    assert main is not None
    return str(main["data-outcome"])


def kept_text(page: BeautifulSoup) -> str:
    area = page.find("textarea", attrs={"name": "text"})
    assert area is not None, "the form comes back"
    return area.get_text()


def test_a_comment_is_stored_pending_and_thanked_in_german_with_a_link_back(inbox: Inbox) -> None:
    status, headers, page = inbox.send(text="Gute Frage:\r\nWie kalt wird es?", name="Anna", email="anna@example.com")
    assert status == 200
    assert outcome(page) == "received"
    assert page.find("h1").get_text() == "Danke, Ihr Kommentar wird geprüft"
    assert page.find("a", id="hub-inbox-back")["href"] == POST_URL
    assert page.find("html")["lang"] == "de"
    assert headers["Cache-Control"] == "no-store"
    [item] = inbox.store.items()
    assert (item.post, item.status, item.text, item.author) == (
        "de/minus-30-grad",
        Status.PENDING,
        "Gute Frage:\nWie kalt wird es?",
        "Anna",
    )
    # Without HUB_INBOX_SECRET no confirmation link can be signed: the address is not kept, and the page says so.
    assert item.email == "" and not item.email_confirmed
    assert "wurde Ihre E-Mail-Adresse nicht gespeichert" in page.select_one("#hub-inbox-optin-note").get_text()
    # no address of the writer anywhere in the database file
    with sqlite3.connect(inbox.database) as db:
        dump = "\n".join(db.iterdump())
    assert "127.0.0.1" not in dump


def test_the_same_form_sent_twice_is_stored_once_and_says_so(inbox: Inbox) -> None:
    assert inbox.send()[0] == 200
    status, _headers, page = inbox.send()
    assert status == 200 and outcome(page) == "duplicate"
    assert "nicht doppelt gespeichert" in text_of(page)
    assert len(inbox.store.items()) == 1
    # another reader of a static page with the same token, writing something else, is a new comment
    assert outcome(inbox.send(text="Etwas anderes")[2]) == "received"
    assert len(inbox.store.items()) == 2


def test_empty_and_oversized_text_come_back_in_the_form(inbox: Inbox) -> None:
    status, _headers, page = inbox.send(text="   \r\n ")
    assert (status, outcome(page)) == (422, "empty")
    assert "Bitte schreiben Sie einen Kommentar." in text_of(page)
    long = "x" * 5001
    status, _headers, page = inbox.send(text=long)
    assert (status, outcome(page)) == (413, "too-long")
    assert "bis zu 5000 Zeichen haben; Ihrer hat 5001" in text_of(page)
    assert kept_text(page) == long
    assert inbox.store.items() == []


def test_a_body_far_beyond_the_limit_is_refused_before_it_is_read(inbox: Inbox) -> None:
    status, _headers, page = inbox.send(text="x" * 40_000)
    assert (status, outcome(page)) == (413, "too-long")


def test_an_unknown_or_unpublished_post_and_a_closed_thread_are_refused_showing_the_text(inbox: Inbox) -> None:
    status, _headers, page = inbox.send(post="de/gibt-es-nicht", text="Mein Text")
    assert (status, outcome(page)) == (404, "unknown-post")
    assert "keinen veröffentlichten Beitrag „de/gibt-es-nicht“" in text_of(page)
    assert page.find("textarea", id="hub-inbox-kept").get_text() == "Mein Text"
    status, _headers, page = inbox.send(post="de/alt", text="Zu spät")
    assert (status, outcome(page)) == (403, "closed")
    assert "Kommentare zu diesem Beitrag sind geschlossen." in text_of(page)
    assert page.find("textarea", id="hub-inbox-kept").get_text() == "Zu spät"
    assert inbox.store.items() == []


def test_the_posts_file_is_read_again_when_the_build_changes_it(inbox: Inbox) -> None:
    inbox.posts_file.write_bytes(render_posts_index([IndexedPost("de/minus-30-grad", POST_URL, False)]))
    assert inbox.send()[0] == 403


def test_only_the_blogs_origin_and_the_inbox_itself_may_post(inbox: Inbox) -> None:
    status, _headers, page = inbox.send(origin="https://evil.example")
    assert (status, outcome(page)) == (403, "origin")
    assert "nicht von unserer Website gesendet" in text_of(page)
    assert inbox.send(origin=None)[0] == 403  # neither Origin nor Referer
    assert inbox.send(origin="null")[0] == 403
    assert inbox.store.items() == []
    assert inbox.send(origin=inbox.url, token="own")[0] == 200  # the inbox's own form page
    # a browser that sends only a Referer
    request = Request(
        f"{inbox.url}/dialog/comment",
        data=urlencode(
            {"post": "de/minus-30-grad", "text": "Per Referer", "token": "r", "rendered_at": iso(1)}
        ).encode(),
        headers={"Referer": POST_URL},
    )
    inbox.clock.now = 100.0
    assert read(request)[0] == 200
    assert len(inbox.store.items()) == 2


def test_the_honeypot_stores_spam_and_answers_like_a_real_comment(inbox: Inbox) -> None:
    status, _headers, page = inbox.send(website="http://spam.example")
    assert (status, outcome(page)) == (200, "received")
    [item] = inbox.store.items()
    assert item.status is Status.SPAM
    assert item.decisions[0].reason == "honeypot"
    assert inbox.store.items(status=Status.PENDING) == []


def test_a_form_sent_too_fast_comes_back_to_send_again_and_then_goes_through(inbox: Inbox) -> None:
    inbox.clock.now = RENDERED + 1
    status, _headers, page = inbox.send(text="Schnell geschrieben")
    assert (status, outcome(page)) == (422, "too-fast")
    assert kept_text(page) == "Schnell geschrieben"
    assert inbox.store.items() == []
    fresh = page.find("input", attrs={"name": "rendered_at"})["value"]
    assert fresh == iso(RENDERED + 1)
    inbox.clock.now += 5
    assert inbox.send(text="Schnell geschrieben", rendered_at=fresh)[0] == 200
    assert inbox.send(rendered_at="", token="no-time")[0] == 422  # no rendered-at time: a bot
    assert inbox.send(rendered_at="gestern", token="bad-time")[0] == 422
    naive = datetime.fromtimestamp(RENDERED, UTC).replace(tzinfo=None).isoformat()
    assert inbox.send(rendered_at=naive, token="naive")[0] == 200  # read as UTC
    inbox.clock.now = RENDERED - 10
    assert inbox.send(token="future")[0] == 422  # a time in the future is made up


def test_links_of_a_first_time_writer_and_listed_words_are_spam(inbox: Inbox) -> None:
    two_links = "Siehe https://a.example und www.b.example"
    assert inbox.send(text=two_links, token="l1")[0] == 200
    assert inbox.send(text="Heute im CASINO gewinnen", token="w1")[0] == 200
    assert inbox.send(text="Billige   Uhren", token="w2")[0] == 200  # not the phrase: spacing differs
    assert inbox.send(text="Casinos sind kein Thema", token="w3")[0] == 200  # a whole word only
    assert inbox.send(text="Eine Quelle: https://a.example", token="l0")[0] == 200
    by_text = {item.text: item for item in inbox.store.items()}
    assert by_text[two_links].status is Status.SPAM and by_text[two_links].decisions[0].reason == "links"
    assert by_text["Heute im CASINO gewinnen"].decisions[0].reason == "word-list"
    assert by_text["Billige   Uhren"].status is Status.PENDING
    assert by_text["Casinos sind kein Thema"].status is Status.PENDING
    assert by_text["Eine Quelle: https://a.example"].status is Status.PENDING


def test_a_writer_with_an_approved_comment_may_post_links(tmp_path: Path) -> None:
    rules = SpamRules(minimum_seconds=3, first_time_links=1)
    with running(tmp_path, rules, secret="s3cr3t") as inbox:  # a secret: addresses are kept (double opt-in)
        _writer_with_approved_comment_may_post_links(inbox)


def _writer_with_approved_comment_may_post_links(inbox: Inbox) -> None:
    from hub_inbox.model import Decision

    inbox.send(text="Erster Kommentar", email="anna@example.com", token="a1")
    [first] = inbox.store.items()
    inbox.store.decide(first.id, Status.APPROVED, Decision("redaktion", first.created, "approve"))
    inbox.send(text="https://a.example https://b.example", email="anna@example.com", token="a2")
    inbox.send(text="https://a.example https://b.example", email="ben@example.com", token="b1")
    statuses = {item.email: item.status for item in inbox.store.items() if "https" in item.text}
    assert statuses == {"anna@example.com": Status.PENDING, "ben@example.com": Status.SPAM}


def test_spam_can_be_dropped_instead_of_stored(tmp_path: Path) -> None:
    with running(tmp_path, SpamRules(), keep_spam=False) as inbox:
        assert inbox.send(website="x")[0] == 200
        assert inbox.store.items() == []


def test_the_rate_limit_counts_per_network_in_memory_and_forgets(tmp_path: Path) -> None:
    with running(tmp_path, SpamRules(per_network=3, window_seconds=60)) as inbox:
        for number in range(3):
            assert inbox.send(token=f"r{number}")[0] == 200
        status, headers, page = inbox.send(token="r3", text="Noch einer")
        assert (status, outcome(page)) == (429, "rate-limit")
        assert headers["Retry-After"] == "60"
        assert "Anfragelimit" in text_of(page)
        assert kept_text(page) == "Noch einer"
        assert len(inbox.store.items()) == 3
        assert inbox.app.limiter.networks() == 1
        inbox.clock.now += 61
        assert inbox.send(token="r3", text="Noch einer")[0] == 200
        inbox.clock.now += 61
        inbox.app.limiter.allow("192.0.2.1", inbox.clock.now)
        assert inbox.app.limiter.networks() == 1  # loopback's window is over: forgotten


def test_a_locked_database_answers_503_with_retry_after_and_the_text_stays(tmp_path: Path) -> None:
    with running(tmp_path, SpamRules(), busy_timeout=0.2) as inbox:
        other = sqlite3.connect(inbox.database, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            status, headers, page = inbox.send(text="Wichtiger Gedanke", name="Anna", token="busy")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert (status, outcome(page)) == (503, "busy")
        assert headers["Retry-After"] == "7"
        assert page.find("h1").get_text() == "Bitte erneut senden"
        assert kept_text(page) == "Wichtiger Gedanke"
        form = page.find("form")
        assert form["action"] == "/dialog/"
        assert form.find("input", attrs={"name": "token"})["value"] == "busy"
        assert form.find("input", attrs={"name": "name"})["value"] == "Anna"
        # sent again, as the page offers: stored once
        again = {field["name"]: field.get("value", "") for field in form.find_all("input")}
        again["text"] = kept_text(page)
        assert inbox.send(origin=inbox.url, **again)[0] == 200
        assert inbox.send(origin=inbox.url, **again)[2].find("main")["data-outcome"] == "duplicate"
        assert [item.text for item in inbox.store.items()] == ["Wichtiger Gedanke"]


def test_the_form_page_has_a_fresh_token_and_time_and_plain_html(inbox: Inbox) -> None:
    status, _headers, page = inbox.get("post=de/minus-30-grad")
    assert status == 200
    assert page.find("h1").get_text() == "Kommentar schreiben"
    assert page.find("a", id="hub-inbox-back")["href"] == POST_URL
    assert page.find("script") is None
    assert page.find("input", attrs={"name": "rendered_at"})["value"] == iso(inbox.clock.now)
    assert len(page.find("input", attrs={"name": "token"})["value"]) == 32
    assert page.find("div", class_="hub-inbox-trap")["aria-hidden"] == "true"
    assert inbox.get("post=de/nichts")[0] == 404
    assert inbox.get("post=de/alt")[0] == 403
    assert read(Request(f"{inbox.url}/dialog/anderes"))[0] == 404
    status, headers, _page = read(Request(f"{inbox.url}/dialog/"))
    assert (status, headers["Allow"]) == (405, "POST")
    # the form page's own address takes the comment too
    form = {"post": "de/minus-30-grad", "text": "Über die Formularseite", "token": "p", "rendered_at": iso(1)}
    request = Request(f"{inbox.url}/dialog/comment", data=urlencode(form).encode(), headers={"Origin": BLOG})
    assert read(request)[0] == 200


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
def test_200_comments_from_20_parallel_clients_are_all_stored_once(
    tmp_path: Path, database: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("postgres_url") if database == "postgres" else ""
    with running(tmp_path, SpamRules(per_network=10_000), database_url=url) as inbox:
        failures: list[str] = []

        def client(number: int) -> None:
            for index in range(10):
                text = f"Kommentar {number}-{index}"
                status, _headers, page = inbox.send(text=text, token=f"c{number}-{index}")
                if status != 200 or outcome(page) != "received":
                    failures.append(f"{text}: {status}")
                if index % 3 == 0:  # a double click now and then
                    status, _headers, page = inbox.send(text=text, token=f"c{number}-{index}")
                    if outcome(page) != "duplicate":
                        failures.append(f"{text} twice: {status} {outcome(page)}")

        threads = [threading.Thread(target=client, args=(number,)) for number in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        texts = sorted(item.text for item in inbox.store.items())
        assert texts == sorted(f"Kommentar {n}-{i}" for n in range(20) for i in range(10))
        assert all(item.status is Status.PENDING for item in inbox.store.items())
