"""A crisis stop closes the comment intake at once: the environment's switch, or a freeze pulled into the
calendar while the inbox runs (no restart). The writer's text comes back; nothing is stored."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from wsgiref.simple_server import WSGIRequestHandler, make_server

from conftest import CALENDAR
from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_dialogue.wsgi import Service, build

SITE = "https://blog.example.de"


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def settings(tmp_path: Path) -> dict[str, object]:
    (tmp_path / "content").mkdir(exist_ok=True)
    posts = tmp_path / "posts.json"
    posts.write_bytes(render_posts_index([IndexedPost("de/a", f"{SITE}/2026/a/", True)]))
    calendar = tmp_path / "editorial_calendar.yaml"
    if not calendar.exists():
        calendar.write_text(CALENDAR, encoding="utf-8")
    return {
        "PATH": str(tmp_path / "content"),
        "SITEURL": SITE,
        "TIMEZONE": "Europe/Berlin",
        "HUB_INBOX_DATABASE": str(tmp_path / "inbox.sqlite"),
        "HUB_INBOX_POSTS": str(posts),
    }


@contextmanager
def serving(service: Service) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, service.application, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/dialog/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        service.store.close()


def comment(base: str, text: str, token: str) -> tuple[int, str]:
    form = {"post": "de/a", "text": text, "token": token, "rendered_at": "2026-11-01T00:00:00+00:00"}
    request = Request(base, data=urlencode(form).encode(), headers={"Origin": SITE})
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def test_the_crisis_switch_in_the_environment_closes_intake_and_gives_the_text_back(tmp_path: Path) -> None:
    service = build(settings(tmp_path), {"HUB_CRISIS_STOP": "Rückruf Baureihe X"})
    with serving(service) as base:
        status, page = comment(base, "Mein Kommentar während der Krise", "k-1")
        assert status == 403 and "geschlossen" in page
        assert "Mein Kommentar während der Krise" in page  # nothing lost: the writer can copy it
        assert "Rückruf" not in page  # the internal reason is for the editors, not the public
        assert service.store.items() == []


def test_a_crisis_freeze_pulled_into_the_calendar_closes_intake_without_a_restart(tmp_path: Path) -> None:
    service = build(settings(tmp_path), {})
    calendar = tmp_path / "editorial_calendar.yaml"
    with serving(service) as base:
        assert comment(base, "Vor der Krise", "k-2")[0] == 200
        calendar.write_text(CALENDAR + "\nfreeze:\n  - from: 2026-11-20\n    reason: Krisenfall\n", encoding="utf-8")
        later = calendar.stat().st_mtime_ns + 1_000_000_000
        os.utime(calendar, ns=(later, later))
        status, page = comment(base, "Während der Krise", "k-3")
        assert status == 403 and "Während der Krise" in page
        calendar.write_text(CALENDAR, encoding="utf-8")  # the crisis is over
        os.utime(calendar, ns=(later + 1_000_000_000, later + 1_000_000_000))
        assert comment(base, "Nach der Krise", "k-4")[0] == 200
    assert [item.text for item in service.store.items()] == ["Vor der Krise", "Nach der Krise"]
