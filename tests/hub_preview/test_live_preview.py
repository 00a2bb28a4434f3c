"""`invoke serve`'s preview for real: a loopback server, builds in subprocesses, headless Chromium.

Each test starts the preview on a small site in a temporary folder (its own copy of the theme, so
a test may edit a template), opens a post and changes a file the way an author does: saving it.
"""

from __future__ import annotations

import shutil
import socket
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromium import Chromium, Tab
from conftest import ROOT, Site, valid_post
from hub_preview.build import pelican_command
from hub_preview.quick import QuickRenderer
from hub_preview.server import Preview, PreviewConfig
from hub_preview.watch import Sources

# The page is rebuilt and reloaded within this many seconds of saving (a build of the small site
# takes about 1 to 3 s on a busy machine, most of it starting Python and Pelican).
RELOADED_WITHIN = 10.0
POST = "2026/erster/"


@dataclass
class Running:
    preview: Preview
    url: str
    site: Site
    theme: Path
    log: list[str]

    def open(self, browser: Chromium, relative: str = POST) -> Tab:
        tab = browser.open(self.url + relative)
        # The first build may still run: its "being built" page reloads into the post.
        tab.wait_for("document.querySelector('main#inhalt') !== null", seconds=30)
        tab.evaluate("window.hubNotReloaded = true")  # gone once the page reloads
        return tab


def reloaded_with(tab: Tab, condition: str) -> float:
    """Seconds until the page reloaded and `condition` (JavaScript) holds."""
    started = time.monotonic()
    tab.wait_for(f"!window.hubNotReloaded && ({condition})", seconds=RELOADED_WITHIN)
    return time.monotonic() - started


def text_shown(text: str) -> str:
    return f"(document.body?.innerText ?? '').includes({text!r})"  # no body while the page reloads


@pytest.fixture
def running(site: Site, tmp_path: Path) -> Iterator[Running]:
    site.write("posts/erster.md", valid_post(title='"Erster Beitrag"', slug="erster", body="Der alte Text.\n"))
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "hub", theme)
    cache = site.root / "cache"
    sources = Sources(
        content=site.content,
        calendar=site.calendar,
        theme=theme,
        settings=(ROOT / "pelicanconf.py",),
        plugins=ROOT / "plugins",
        written=(site.output, cache),
    )
    overrides = {"HUB_CALENDAR": str(site.calendar), "THEME": str(theme), "CACHE_PATH": str(cache)}
    command = pelican_command(site.content, site.output, ROOT / "pelicanconf.py", overrides)
    quick = QuickRenderer(ROOT / "pelicanconf.py", site.content, site.output, overrides)  # as `invoke serve`
    log: list[str] = []
    config = PreviewConfig(sources, site.output, command, cwd=site.root, port=0, quick=quick)
    preview = Preview(config, echo=log.append)
    url = preview.start()
    try:
        yield Running(preview, url, site, theme, log)
    finally:
        preview.stop()
    # The reload script lives in the server's responses only: the files are what the build wrote.
    written = [page for page in site.output.rglob("*.html") if "/__hub/" in page.read_text(encoding="utf-8")]
    assert site.html_files() and not written


def test_saving_a_post_reloads_the_open_page_with_the_new_text(running: Running, browser: Chromium) -> None:
    tab = running.open(browser)
    assert tab.evaluate(text_shown("Der alte Text."))
    post = running.site.content / "posts" / "erster.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Der alte Text.", "Der neue Text."), encoding="utf-8")
    # First the quick page: the new text in the last build's page, saying that the rest follows …
    reloaded_with(tab, f"{text_shown('Der neue Text.')} && document.querySelector('[data-hub-quick]') !== null")
    assert tab.evaluate(text_shown("Schnellvorschau: Der neue Text ist zu sehen"))
    assert not tab.evaluate(text_shown("Der alte Text."))
    # … then, by itself, the page as the rebuild wrote it.
    tab.evaluate("window.hubNotReloaded = true")
    reloaded_with(tab, f"{text_shown('Der neue Text.')} && document.querySelector('[data-hub-quick]') === null")
    assert any(line.startswith("Geändert: content/posts/erster.md.") for line in running.log), running.log
    assert any(line.startswith("Schnellvorschau von 1 Seite in ") for line in running.log), running.log


def test_saving_the_calendar_rebuilds_and_reloads(running: Running, browser: Chromium) -> None:
    tab = running.open(browser)
    assert tab.evaluate(text_shown("Jana Döring"))
    calendar = running.site.calendar
    calendar.write_text(calendar.read_text(encoding="utf-8").replace("Jana Döring", "Jana Dörr"), encoding="utf-8")
    reloaded_with(tab, text_shown("Jana Dörr"))


def test_saving_a_theme_template_rebuilds_and_reloads(running: Running, browser: Chromium) -> None:
    tab = running.open(browser)
    base = running.theme / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    assert '<p class="site-footer__copy">' in text
    base.write_text(text.replace('<p class="site-footer__copy">', '<p class="site-footer__copy">Vorschau-Test '))
    reloaded_with(tab, "document.querySelector('.site-footer__copy')?.textContent.startsWith('Vorschau-Test')")


def test_a_broken_post_shows_the_german_error_until_it_is_fixed(running: Running, browser: Chromium) -> None:
    tab = running.open(browser)
    post = running.site.content / "posts" / "erster.md"
    good = post.read_text(encoding="utf-8")
    post.write_text(good.replace("authors: [jdoe]", "authors: [niemand]"), encoding="utf-8")
    reloaded_with(tab, "document.querySelector('h1')?.textContent === 'Die Website konnte nicht erzeugt werden'")
    problems = tab.evaluate(
        "Array.from(document.querySelectorAll('.hub-problems li'), (li) => ({"
        " where: li.querySelector('.hub-problem-location')?.textContent ?? '',"
        " text: li.querySelector('.hub-problem-text').textContent }))"
    )
    assert {"where": "content/posts/erster.md:4", "text": problems[0]["text"]} == problems[0], problems
    assert "niemand" in problems[0]["text"] and "unknown-author" in problems[0]["text"]
    assert "Beheben Sie die folgenden Fehler" in tab.evaluate("document.body.innerText")
    # The failed build kept the last good pages in output/; the next good build brings the post back.
    assert "Der alte Text." in (running.site.output / POST / "index.html").read_text(encoding="utf-8")
    tab.evaluate("window.hubNotReloaded = true")
    post.write_text(good.replace("Der alte Text.", "Wieder in Ordnung."), encoding="utf-8")
    reloaded_with(tab, text_shown("Wieder in Ordnung."))
    assert tab.evaluate("document.querySelector('main#inhalt') !== null")


def test_the_preview_answers_on_the_loopback_address_only(running: Running) -> None:
    port = int(running.url.rsplit(":", 1)[1].strip("/"))
    deadline = time.monotonic() + 30
    while running.preview.status.now().builds == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    with urllib.request.urlopen(running.url + POST) as response:
        assert response.status == 200 and b"/__hub/reload.js" in response.read()
    # Bound to 127.0.0.1 itself, not to every address: another address of this machine is refused.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", port), timeout=5):
        pass
