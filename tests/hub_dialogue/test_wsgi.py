"""hub_dialogue.wsgi as a production WSGI server loads it: `application` built from the settings file and
the environment named in its docstring, serving real requests (wsgiref on loopback)."""

from __future__ import annotations

import importlib
import threading
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import Request, urlopen
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from hub_dialogue.posts_index import IndexedPost, render_posts_index
from hub_inbox.sqlite import SqliteStore


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_wsgi_module_serves_the_inbox_from_the_settings_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posts = tmp_path / "posts.json"
    posts.write_bytes(render_posts_index([IndexedPost("de/a", "https://blog.example.de/2026/a/", True)]))
    database = tmp_path / "var" / "inbox.sqlite"
    (tmp_path / "content").mkdir()  # Pelican's settings reader wants the content folder (the checkout's)
    settings = tmp_path / "inboxconf.py"
    settings.write_text(
        "\n".join(
            (
                'SITEURL = "https://blog.example.de"',
                'PATH = "content"',
                'DEFAULT_LANG = "de"',
                'TIMEZONE = "Europe/Berlin"',
                f"HUB_INBOX_DATABASE = {str(database)!r}",
                f"HUB_INBOX_POSTS = {str(posts)!r}",
                'HUB_DIALOGUE_URL = "/dialog/"',
            )
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("HUB_INBOX_SETTINGS", str(settings))
    monkeypatch.setenv("HUB_INBOX_SECRET", "geheim")
    wsgi = importlib.reload(importlib.import_module("hub_dialogue.wsgi"))
    application = wsgi.application
    assert wsgi.application is application  # built once
    server = make_server("127.0.0.1", 0, application, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}/dialog/"
        with urlopen(f"{base}comment?post=de/a", timeout=30) as response:
            assert response.status == 200 and "Kommentar schreiben" in response.read().decode()
        form = {"post": "de/a", "text": "Über WSGI", "token": "w-1", "rendered_at": "2026-01-01T00:00:00+00:00"}
        request = Request(base, data=urlencode(form).encode(), headers={"Origin": "https://blog.example.de"})
        with urlopen(request, timeout=30) as response:
            page = response.read().decode()
        assert "Danke, Ihr Kommentar wird geprüft" in page
        assert f"{base}loeschen?id=web" in page  # the secret came from the environment
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        application.store.close()
    [item] = SqliteStore(database).items()
    assert (item.post, item.text) == ("de/a", "Über WSGI")


def test_importing_the_module_opens_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HUB_INBOX_SETTINGS", str(tmp_path / "missing.py"))
    wsgi = importlib.reload(importlib.import_module("hub_dialogue.wsgi"))
    assert callable(wsgi.build)
    with pytest.raises(AttributeError):
        wsgi.something_else  # noqa: B018
