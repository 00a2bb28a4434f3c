"""Overdue comments in `invoke review` and the editors' dashboard: read from a real inbox file (read-only);
no database means no section and no error."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from conftest import BERLIN, CALENDAR, ROOT, Site, valid_post
from hub_inbox.model import Item, Source
from hub_inbox.sqlite import SqliteStore

DIALOGUE = """\
cadence:
  weekdays: [mon, tue, wed, thu, fri]
  hours: "08:00-18:00"
dialogue:
  respond_within: 8h
  lead: eeditor
  routes:
    - {categories: [Technik], to: jdoe}
"""


def inbox(site: Site) -> Path:
    """The default HUB_INBOX_DATABASE beside content/: one comment overdue, one not yet, one answered."""
    path = site.root / "var" / "inbox.sqlite"
    store = SqliteStore(path)
    # Thursday 09:00: eight business hours end Thursday 17:00, before the suite's Saturday 10:00.
    store.add(Item("web:late", "de/erster", Source.WEB, "Warum so spät?", datetime(2026, 11, 19, 9, tzinfo=BERLIN),
                   author="Karla K."))  # fmt: skip
    # Saturday 09:00: the deadline is Monday 16:00.
    store.add(Item("web:fresh", "de/erster", Source.WEB, "Neu", datetime(2026, 11, 21, 9, tzinfo=BERLIN)))
    store.add(Item("staff:1", "de/erster", Source.STAFF, "Antwort", datetime(2026, 11, 18, 9, tzinfo=BERLIN)))
    store.close()
    return path


def blog(site: Site) -> Site:
    site.calendar.write_text(CALENDAR + DIALOGUE, encoding="utf-8")
    site.write("posts/erster.md", valid_post(slug="erster", title='"Warum Antriebe brummen"'))
    site.approve("posts/erster.md")
    return site


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_dashboard_lists_overdue_comments_and_leaves_the_database_as_it_was(site: Site) -> None:
    database = inbox(blog(site))
    before = digest(database)
    output = site.build()
    page = site.html("redaktion/index.html")
    section = page.select_one("#kommentare")
    assert section is not None and section.h2.get_text() == "Überfällige Kommentare"
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in section.select("tbody tr")]
    assert rows == [
        ["Warum Antriebe brummen", "web", "Jana Döring", "19.11.2026 09:00", "19.11.2026 17:00", "web:late"]
    ]
    assert section.caption.get_text() == "1 Kommentar hat die Antwortfrist überschritten"
    html = (output / "redaktion" / "index.html").read_text(encoding="utf-8")
    assert "Warum so spät?" not in html and "Karla" not in html  # no text, no writer's name
    assert digest(database) == before


def test_no_database_no_section_and_no_error(site: Site) -> None:
    blog(site)
    site.build()
    assert site.html("redaktion/index.html").select_one("#kommentare") is None
    assert not (site.root / "var").exists()  # reading did not create a database


def review(site: Site) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "invoke", "-r", str(ROOT), "review",
        "--content", str(site.content), "--calendar", str(site.calendar),
    ]  # fmt: skip
    environment = {**os.environ, "CI": "true"}
    return subprocess.run(command, cwd=site.root, env=environment, capture_output=True, text=True, timeout=120)


def test_invoke_review_lists_overdue_comments_after_the_table(site: Site) -> None:
    inbox(blog(site))
    result = review(site)
    assert "1 Kommentar hat die Frist überschritten:" in result.stdout, result.stdout + result.stderr
    assert "   Warum Antriebe brummen: web:late (web) für Jana Döring, fällig 19.11.2026 17:00" in result.stdout
    assert "web:fresh" not in result.stdout and "staff:1" not in result.stdout


def test_invoke_review_without_a_database_says_nothing_of_comments(site: Site) -> None:
    blog(site)
    result = review(site)
    assert "Kommentar" not in result.stdout + result.stderr and "Traceback" not in result.stderr
