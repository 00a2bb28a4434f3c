"""Privacy by construction, on the sample site as readers get it: a production build that counts from
the logs (HUB_STATS_LOGS set, so its privacy page passes `stats-privacy-notice` as an error-level check),
served from loopback and read in headless Chromium. Nothing is stored in the reader's browser, no
request leaves the site, and the only scripts are the ones we ship."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from chromium import Chromium, local_server
from conftest import build_sample

# The home page, a post with its comment form, the search page running a search, the privacy page.
PAGES = ["/", "/2026/dauerlauf-pruefstand/", "/suche/?q=Ausbildung", "/datenschutz/"]
# Everything the page's own storage APIs hold, as the page sees it.
STORED = """(async () => ({
  cookie: document.cookie,
  local: localStorage.length,
  session: sessionStorage.length,
  databases: (await indexedDB.databases()).map((db) => db.name),
  caches: await caches.keys(),
}))()"""
NOTHING = {"cookie": "", "local": 0, "session": 0, "databases": [], "caches": []}
# The scripts we ship: the search page's module (it loads Pagefind's files from pagefind/); JSON-LD
# is data, never run. Anything else in a page is someone else's script.
OUR_SCRIPT = re.compile(r"^https?://[^/]+/theme/js/search\.js$")
# Every script file in the output: ours and Pagefind's bundles, one per shard (its module, worker, WebAssembly).
OUR_SCRIPT_FILES = re.compile(
    r"^(theme/js/search\.js|pagefind/[\w-]+/[\w.-]+\.(js|mjs|wasm)|pagefind/[\w-]+/wasm\.[\w-]+\.pagefind)$"
)
TRACKERS = ("google-analytics", "googletagmanager", "gtag(", "matomo", "_paq", "plausible", "umami", "hotjar", "fbq(")


@pytest.fixture(scope="module")
def counting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The sample's production build with counting on (an error in its privacy page would stop it)."""
    folder = tmp_path_factory.mktemp("counting")
    (folder / "logs").mkdir()
    output = folder / "out"
    with local_server(output) as base:
        build_sample(output, prod=True, SITEURL=base, HUB_STATS_LOGS=str(folder / "logs"))
        yield output, base


@pytest.fixture(scope="module")
def visited(counting: tuple[Path, str], browser: Chromium) -> dict[str, dict[str, Any]]:
    """Each page opened in its own tab, and once it has done what it does, what the browser holds."""
    _, base = counting
    seen: dict[str, dict[str, Any]] = {}
    for path in PAGES:
        tab = browser.open(base + path)
        if path.startswith("/suche/"):
            tab.results("Ausbildung")  # the search ran: Pagefind's worker, index and fragments loaded
        seen[path] = {
            "stored": tab.evaluate(STORED),
            "form": tab.evaluate("document.querySelector('form.dialogue__form') !== null"),
            "results": tab.evaluate("document.querySelectorAll('#search-results > li').length"),
        }
    return seen


def test_the_sample_privacy_page_passes_its_check_and_tells_readers(counting: tuple[Path, str]) -> None:
    output, _ = counting
    page = BeautifulSoup((output / "datenschutz" / "index.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(" ", strip=True) for h in page.select("main h2")]
    assert "5. Reichweitenmessung ohne Cookies" in headings
    assert headings.index("5. Reichweitenmessung ohne Cookies") == headings.index("4. Hosting und Server-Logfiles") + 1


@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_stored_in_the_readers_browser(visited: dict[str, dict[str, Any]], path: str) -> None:
    assert visited[path]["stored"] == NOTHING


def test_the_pages_did_what_readers_do_there(visited: dict[str, dict[str, Any]]) -> None:
    """The checks above ran where it matters: on the post with its comment form and after a real search."""
    assert visited["/2026/dauerlauf-pruefstand/"]["form"] is True
    assert visited["/suche/?q=Ausbildung"]["results"] > 0


def test_the_browser_holds_no_cookie_for_any_site(visited: dict[str, dict[str, Any]], browser: Chromium) -> None:
    # The browser's own cookie jar, over every origin (HttpOnly cookies included, which pages cannot see).
    assert browser.call("Storage.getCookies")["cookies"] == []


def test_no_request_leaves_the_loopback_origin(
    visited: dict[str, dict[str, Any]], counting: tuple[Path, str], browser: Chromium
) -> None:
    _, base = counting
    asked = browser.requests
    assert any("/pagefind/" in url for url in asked) and any(url.endswith("/theme/js/search.js") for url in asked)
    assert browser.requests_leaving(base) == []


def test_the_site_runs_only_the_scripts_we_ship(counting: tuple[Path, str]) -> None:
    output, _ = counting
    foreign = []
    for page in sorted(output.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for script in BeautifulSoup(html, "html.parser").find_all("script"):
            source, kind = script.get("src"), script.get("type")
            ours = (source is None and kind == "application/ld+json") or (
                source is not None and kind == "module" and OUR_SCRIPT.match(source)
            )
            if not ours:
                foreign.append(f"{page.relative_to(output)}: {script}"[:200])
        lowered = html.lower()
        foreign += [f"{page.relative_to(output)}: {name}" for name in TRACKERS if name in lowered]
    assert foreign == []
    files = sorted(
        path.relative_to(output).as_posix()
        for path in output.rglob("*")
        if path.suffix in (".js", ".mjs", ".wasm", ".pagefind") and path.is_file()
    )
    assert "theme/js/search.js" in files and any(name.startswith("pagefind/") for name in files)
    assert [name for name in files if not OUR_SCRIPT_FILES.match(name)] == []
