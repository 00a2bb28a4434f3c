"""The writer's and the reader's rights on a real inbox (loopback, real SQLite file): the private
delete link, the report form (DSA notice-and-action), and no IP address in the database file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request

import pytest
from hub_inbox.model import Decision, Status
from hub_inbox.privacy import delete_key
from hub_inbox.spam import SpamRules
from test_intake import BLOG, Inbox, read, running, text_of

SECRET = "s3cr3t-for-tests"
RULES = SpamRules(minimum_seconds=3)


@pytest.fixture
def inbox(tmp_path: Path):
    with running(tmp_path, RULES, secret=SECRET) as started:
        yield started


def post_form(inbox: Inbox, path: str, fields: dict[str, str], origin: str | None) -> tuple[int, dict, object]:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin:
        headers["Origin"] = origin
    return read(Request(f"{inbox.url}{path}", data=urlencode(fields).encode(), headers=headers))


def test_the_thanks_page_gives_a_private_link_that_deletes_the_writers_comment(inbox: Inbox) -> None:
    status, _headers, page = inbox.send(text="Bitte später löschen", name="Karla K.", email="karla@example.org")
    assert status == 200
    [item] = inbox.store.items()
    link = page.select_one("#hub-inbox-delete")
    assert link is not None and "privaten Link" in text_of(page)
    url = urlsplit(link["href"])
    assert url.path == "/dialog/loeschen"
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query == {"id": item.id, "key": delete_key(SECRET, item.id)}

    # Opening the link deletes nothing (mail scanners open links): it asks.
    status, headers, page = read(Request(f"{inbox.url}{url.path}?{url.query}"))
    assert (status, headers["X-Hub-Outcome"]) == (200, "delete-confirm")
    assert inbox.store.get(item.id).status is Status.PENDING
    assert page.select_one("#hub-inbox-quoted").get_text() == "Bitte später löschen"

    # A wrong key, or a POST from elsewhere, deletes nothing.
    status, headers, _page = post_form(inbox, "/dialog/loeschen", {"id": item.id, "key": "0" * 32}, inbox.url)
    assert (status, headers["X-Hub-Outcome"]) == (403, "delete-refused")
    status, headers, _page = post_form(inbox, "/dialog/loeschen", query, "https://evil.example")
    assert (status, headers["X-Hub-Outcome"]) == (403, "origin")
    assert inbox.store.get(item.id).text == "Bitte später löschen"

    # The button on the inbox's own page deletes: text, name and e-mail wiped, the decision logged.
    status, headers, page = post_form(inbox, "/dialog/loeschen", query, inbox.url)
    assert (status, headers["X-Hub-Outcome"]) == (200, "deleted")
    assert "Kommentar gelöscht" in text_of(page)
    deleted = inbox.store.get(item.id)
    assert (deleted.status, deleted.text, deleted.author, deleted.email) == (Status.DELETED, "", "", "")
    assert [(d.by, d.action) for d in deleted.decisions] == [("writer", "delete")]
    assert deleted.decisions[-1].reason
    # Again: said so, nothing changes.
    status, headers, _page = post_form(inbox, "/dialog/loeschen", query, inbox.url)
    assert headers["X-Hub-Outcome"] == "deleted-already"
    assert b"Bitte sp" not in inbox.database.read_bytes()


def test_without_a_secret_no_link_is_offered_and_the_page_says_how_to_ask(tmp_path: Path) -> None:
    with running(tmp_path, RULES) as inbox:
        status, _headers, page = inbox.send()
        assert status == 200
        assert page.select_one("#hub-inbox-delete") is None
        assert "schreiben Sie an die Redaktion" in page.select_one("#hub-inbox-delete-note").get_text()
        [item] = inbox.store.items()
        status, headers, _page = read(Request(f"{inbox.url}/dialog/loeschen?id={item.id}&key="))
        assert (status, headers["X-Hub-Outcome"]) == (403, "delete-refused")


def approve(inbox: Inbox) -> str:
    inbox.send(text="Ein fragwürdiger Kommentar", name="Troll")
    [item] = inbox.store.items()
    at = datetime(2026, 11, 19, tzinfo=UTC)
    inbox.store.approve(item.id, Decision("eeditor", at, "approve"))
    inbox.store.decide(item.id, Status.APPROVED, Decision("eeditor", at, "approve"))
    return item.id


def test_a_report_records_the_reason_and_puts_the_comment_back_before_the_moderators(inbox: Inbox) -> None:
    item_id = approve(inbox)
    assert not inbox.store.get(item_id).reported
    status, headers, page = read(Request(f"{inbox.url}/dialog/melden?{urlencode({'item': item_id})}"))
    assert (status, headers["X-Hub-Outcome"]) == (200, "report-form")
    assert page.find("script") is None
    assert "Troll: Ein fragwürdiger Kommentar" in " ".join(page.select_one("#hub-inbox-quoted").get_text().split())
    assert len(page.select('input[name="ground"]')) == 5
    # From another site: refused (CSRF).
    fields = {"item": item_id, "ground": "insult", "reason": "Beleidigt einen Kollegen."}
    status, headers, _page = post_form(inbox, "/dialog/melden", fields, "https://evil.example")
    assert (status, headers["X-Hub-Outcome"]) == (403, "origin")
    # Without a reason: the form again, with what was written.
    status, headers, page = post_form(inbox, "/dialog/melden", {**fields, "reason": " "}, inbox.url)
    assert (status, headers["X-Hub-Outcome"]) == (422, "report-again")
    assert page.select_one('input[value="insult"]').has_attr("checked")
    status, headers, page = post_form(inbox, "/dialog/melden", fields, BLOG)
    assert (status, headers["X-Hub-Outcome"]) == (200, "reported")
    assert "Danke für Ihre Meldung" in text_of(page)
    item = inbox.store.get(item_id)
    assert item.status is Status.APPROVED and item.reported  # still shown, back in the moderators' view
    assert (item.decisions[-1].by, item.decisions[-1].action, item.decisions[-1].reason) == (
        "reader",
        "report",
        "insult: Beleidigt einen Kollegen.",
    )
    # A moderator's decision settles it; the report stays in the log.
    inbox.store.decide(item_id, Status.REJECTED, Decision("eeditor", datetime.now(UTC), "reject", "Beleidigung"))
    assert not inbox.store.get(item_id).reported


def test_only_shown_comments_can_be_reported(inbox: Inbox) -> None:
    inbox.send()
    [item] = inbox.store.items()  # pending: not on the site
    status, headers, _page = read(Request(f"{inbox.url}/dialog/melden?{urlencode({'item': item.id})}"))
    assert (status, headers["X-Hub-Outcome"]) == (404, "report-unknown")
    status, headers, _page = read(Request(f"{inbox.url}/dialog/melden?item=web:nope"))
    assert status == 404


def test_no_ip_address_reaches_the_database_file(tmp_path: Path) -> None:
    forwarded = "203.0.113.77"
    with running(tmp_path, RULES, secret=SECRET, behind_proxy=True) as inbox:
        for number in range(3):
            request_fields = {
                "post": "de/minus-30-grad",
                "text": f"Kommentar {number}",
                "token": f"t-{number}",
                "rendered_at": "1970-01-12T13:45:00+00:00",
                "email": "leser@example.org",
            }
            headers = {"Origin": BLOG, "X-Forwarded-For": f"198.51.100.9, {forwarded}"}
            status, _h, _p = read(
                Request(f"{inbox.url}/dialog/", data=urlencode(request_fields).encode(), headers=headers)
            )
            assert status == 200
        item_id = approve_first(inbox)
        post_form(inbox, "/dialog/melden", {"item": item_id, "ground": "spam", "reason": "Werbung"}, BLOG)
        assert len(inbox.store.items()) == 3
        inbox.store.close()
    stored = b"".join(path.read_bytes() for path in inbox.database.parent.iterdir())  # the file, -wal, -shm
    assert b"Kommentar 1" in stored  # the scan reads what is stored
    for address in (b"127.0.0.1", forwarded.encode(), b"198.51.100.9", b"203.0.113", b"127.0.0"):
        assert address not in stored, address


def approve_first(inbox: Inbox) -> str:
    item = inbox.store.items()[0]
    at = datetime(2026, 11, 19, tzinfo=UTC)
    inbox.store.decide(item.id, Status.APPROVED, Decision("eeditor", at, "approve"))
    return item.id
