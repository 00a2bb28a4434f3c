"""The comment inbox inside `invoke serve`'s preview: one process, one loopback port, /dialog/ to the inbox.

A real preview (builds in subprocesses) with the inbox `invoke serve` mounts (hub_dialogue.wsgi.build
with the development settings, the posts file of the preview's output, the database in var/): a
comment sent through the form of the built article, as a browser without JavaScript sends it.
"""

from __future__ import annotations

import sqlite3
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.error import HTTPError
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from chromium import Chromium
from conftest import ROOT, Site, valid_post
from hub_dialogue.wsgi import Service, build
from hub_preview.build import pelican_command
from hub_preview.mount import Mount
from hub_preview.server import Preview, PreviewConfig
from hub_preview.watch import Sources

POST = "2026/erster/"


@dataclass
class Running:
    preview: Preview
    url: str
    site: Site
    service: Service
    log: list[str]

    def built(self) -> None:
        deadline = time.monotonic() + 60
        while self.preview.status.now().builds == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.preview.status.now().failure is None, self.log


def start(site: Site, *, inbox: bool = True) -> tuple[Preview, Service, list[str]]:
    """The preview as `invoke serve` assembles it, on any free port."""
    site.write("posts/erster.md", valid_post(title='"Erster Beitrag"', slug="erster", body="Ein Text.\n"))
    cache = site.root / "cache"
    sources = Sources(
        content=site.content,
        calendar=site.calendar,
        theme=ROOT / "themes" / "hub",
        settings=(ROOT / "pelicanconf.py",),
        plugins=ROOT / "plugins",
        written=(site.output, cache),
    )
    overrides = {"HUB_CALENDAR": str(site.calendar), "CACHE_PATH": str(cache)}
    command = pelican_command(site.content, site.output, ROOT / "pelicanconf.py", overrides)
    # tasks.serve: the development settings; the database from HUB_INBOX_DATABASE (var/ beside content/).
    service = build(site.settings(), {}, extra_origins=("http://localhost:8000",))
    mounted = Mount(service.application.config.prefix, service.application, service.moderation.base)
    log: list[str] = []
    config = PreviewConfig(sources, site.output, command, cwd=site.root, port=0, inbox=mounted if inbox else None)
    return Preview(config, echo=log.append), service, log


@pytest.fixture
def running(site: Site) -> Iterator[Running]:
    preview, service, log = start(site)
    url = preview.start(preview._announce)
    try:
        yield Running(preview, url, site, service, log)
    finally:
        preview.stop()
        service.store.close()


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("X-Hub-Outcome", ""), response.read().decode()
    except HTTPError as error:
        return error.code, error.headers.get("X-Hub-Outcome", ""), error.read().decode()


def test_a_comment_sent_through_the_articles_form_lands_in_the_inbox_database(running: Running) -> None:
    running.built()
    status, _outcome, article = fetch(running.url + POST)
    assert status == 200
    form = BeautifulSoup(article, "html.parser").select_one("form.dialogue__form")
    assert form is not None, article
    fields = {field["name"]: field.get("value", "") for field in form.select("input, textarea")}
    fields.update(text="Eine Frage aus der Vorschau: gilt das auch für Baureihe X?", name="Karla K.")
    action = urljoin(running.url + POST, str(form["action"]))
    assert urlsplit(action).netloc == urlsplit(running.url).netloc  # the preview's own port: one process
    origin = running.url.rstrip("/")  # what a browser sends with the form
    status, outcome, page = fetch(action, urlencode(fields).encode(), {"Origin": origin})
    assert (status, outcome) == (200, "received"), page
    assert "Danke, Ihr Kommentar wird geprüft" in page
    assert "/__hub/reload.js" not in page  # the inbox's pages are no build output: no reload script
    database = running.site.root / "var" / "inbox.sqlite"
    assert running.service.store.path == database
    with sqlite3.connect(database) as connection:
        texts = [row[0] for row in connection.execute("SELECT text FROM items")]
    assert texts == ["Eine Frage aus der Vorschau: gilt das auch für Baureihe X?"]
    # The pages of the site are still the preview's, with its reload script.
    status, _outcome, article = fetch(running.url + POST)
    assert status == 200 and "/__hub/reload.js" in article


def test_a_reader_without_javascript_comments_in_the_preview(running: Running, browser: Chromium) -> None:
    running.built()
    tab = browser.open(running.url)
    tab.call("Emulation.setScriptExecutionDisabled", {"value": True})  # the reader's browser, scripts off
    tab.call("Page.navigate", {"url": running.url + POST})
    tab.wait_for("document.querySelector('form.dialogue__form') !== null && document.readyState === 'complete'")
    # Evaluations run as DevTools, not as the page: the reader types and presses the button.
    tab.evaluate(
        "(() => { const f = document.querySelector('form.dialogue__form');"
        " f.elements.text.value = 'Aus dem Browser'; f.querySelector('[type=submit]').click(); })()"
    )
    tab.wait_for("document.body?.innerText.includes('Danke, Ihr Kommentar wird geprüft')", seconds=30)
    assert tab.evaluate("location.href") == running.url + "dialog/"
    assert [item.text for item in running.service.store.items()] == ["Aus dem Browser"]


def test_a_form_from_another_origin_is_refused(running: Running) -> None:
    running.built()
    fields = {"post": "de/erster", "text": "Von woanders", "token": "t-1", "rendered_at": "2026-11-21T09:00:00+01:00"}
    status, outcome, page = fetch(
        running.url + "dialog/", urlencode(fields).encode(), {"Origin": "https://evil.example"}
    )
    assert (status, outcome) == (403, "origin") and "kommentieren Sie dort" in page
    assert running.service.store.items() == []


def test_the_moderation_login_answers_under_dialog_redaktion_and_is_announced(running: Running) -> None:
    status, _outcome, page = fetch(running.url + "dialog/redaktion/anmelden")
    assert status == 200 and "Anmelden" in page and "/__hub/reload.js" not in page
    status, _outcome, page = fetch(running.url + "dialog/redaktion/")  # redirected to the login
    assert status == 200 and "Anmelden" in page
    shown = running.url.replace("127.0.0.1", "localhost")
    assert f"Moderation: {shown}dialog/redaktion/" in running.log, running.log


def test_without_the_inbox_the_preview_serves_the_pages_only(site: Site) -> None:
    preview, service, log = start(site, inbox=False)
    url = preview.start()
    try:
        status, _outcome, _page = fetch(url + "dialog/", b"text=x", {"Origin": url.rstrip("/")})
        assert status == 501
        assert not any("Moderation" in line for line in log)
    finally:
        preview.stop()
        service.store.close()
