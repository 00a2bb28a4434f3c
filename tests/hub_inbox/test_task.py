"""`invoke inbox` as a user starts it: a server on 127.0.0.1 with the SQLite file and posts file it is given."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_inbox.model import Status
from hub_inbox.sqlite import SqliteStore

ROOT = Path(__file__).resolve().parents[2]


def test_invoke_inbox_serves_the_form_and_stores_a_comment(tmp_path: Path) -> None:
    posts = tmp_path / "posts.json"
    posts.write_bytes(render_posts_index([IndexedPost("de/a", "http://localhost:8000/de/a/", True)]))
    database = tmp_path / "inbox.sqlite"
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "inbox", "--port", "0"]
    calendar = tmp_path / "editorial_calendar.yaml"
    calendar.write_text(
        "timezone: Europe/Berlin\nteam:\n  - {id: sroth, name: Sabine Roth, role: Leitung, rights: [editor]}\n"
        "dialogue:\n  words: [Casino, Viagra]\n",
        encoding="utf-8",
    )
    command += ["--database", str(database), "--posts", str(posts), "--calendar", str(calendar)]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=dict(os.environ)
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "beenden mit Strg+C" in line, line
        found = re.search(r"http://127\.0\.0\.1:(\d+)/dialog/", line)
        assert found, line
        base = found.group(0)
        with urlopen(f"{base}comment?post=de/a", timeout=30) as response:
            page = response.read().decode()
        assert "Kommentar schreiben" in page
        token = re.search(r'name="token" value="([0-9a-f]+)"', page)
        assert token
        form = {"post": "de/a", "text": "Hallo", "token": token.group(1), "rendered_at": "2026-01-01T00:00:00+00:00"}
        request = Request(
            base,
            data=urlencode(form).encode(),
            headers={"Origin": "http://localhost:8000"},  # a page of `invoke serve`
        )
        with urlopen(request, timeout=30) as response:
            assert "Danke, Ihr Kommentar wird geprüft" in response.read().decode()
        # The calendar's word list reaches the intake: answered alike, stored as spam.
        spam = {**form, "text": "Bestes CASINO im Netz", "token": token.group(1) + "0"}
        request = Request(base, data=urlencode(spam).encode(), headers={"Origin": "http://localhost:8000"})
        with urlopen(request, timeout=30) as response:
            assert "Danke, Ihr Kommentar wird geprüft" in response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)
    store = SqliteStore(database)
    [item] = store.items(status=Status.PENDING)
    assert (item.post, item.text) == ("de/a", "Hallo")
    [spam_item] = store.items(status=Status.SPAM)
    assert spam_item.text == "Bestes CASINO im Netz"
    assert [(d.action, d.reason) for d in spam_item.decisions] == [("spam", "word-list")]
