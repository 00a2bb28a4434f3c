"""Site search: the Pagefind index of a real build, and the search page in a real browser.

The sample site is built with production settings, served from 127.0.0.1 and searched
in headless Chromium (Debian's `chromium` package), driven over the DevTools protocol
on a pipe: a query is typed into the search field and the rendered results are read
back. Without Chromium the browser tests are skipped; the index tests always run.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import conftest
import pytest
from bs4 import BeautifulSoup
from chromium import Chromium
from conftest import ROOT, Site, valid_post
from hub_fast_clean import wait_for_deletion
from hub_search import SearchIndexFailed
from pelican.settings import read_settings

SEARCH_SETTINGS: dict[str, Any] = {"SEARCH_URL": "suche/", "SEARCH_SAVE_AS": "suche/index.html"}
IN_REVIEW = "content/posts/2026/minus-30-grad-wie-getriebemotoren-im-klimaschrank-anlaufen.md"
SCHEDULED_SLUG = "bewerbungsphase-2027-so-laeuft-der-weg-zum-ausbildungsplatz-bei-hellwig"


def with_search(prod: bool = False) -> dict[str, Any]:
    """Overrides that add the search plugin and page to the project's settings (until pelicanconf.py has them)."""
    base = read_settings(str(ROOT / ("publishconf.py" if prod else "pelicanconf.py")))
    plugins = base["PLUGINS"] if "hub_search" in base["PLUGINS"] else [*base["PLUGINS"], "hub_search"]
    templates = base["DIRECT_TEMPLATES"]
    templates = templates if "search" in templates else [*templates, "search"]
    return {"PLUGINS": plugins, "DIRECT_TEMPLATES": templates, **SEARCH_SETTINGS}


def build_sample(output: Path, prod: bool, **overrides: Any) -> None:
    conftest.build_sample(output, prod, **{**with_search(prod), **overrides})


def indexed(output: Path) -> dict[str, dict[str, Any]]:
    """Every page in the Pagefind bundles (one per shard) by URL: its language, shard, text, metadata and filters."""
    pages = {}
    for fragment in (output / "pagefind").glob("*/fragment/*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        page = json.loads(data)
        page["lang"] = fragment.name.split("_")[0]
        page["shard"] = fragment.parent.parent.name
        pages[page["url"]] = page
    return pages


def url_of(output: Path, html_file: Path) -> str:
    return "/" + html_file.parent.relative_to(output).as_posix() + "/"


@pytest.fixture(scope="module")
def development(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("search-dev") / "out"
    build_sample(output, prod=False)
    return output


# ---------------------------------------------------------------------------------------------
# The index


def test_index_holds_every_published_post_and_page_and_nothing_else(served: tuple[Path, str]) -> None:
    output, _ = served
    pages = indexed(output)
    posts = [*output.glob("2026/*/index.html"), *output.glob("en/2026/*/index.html")]
    assert len(posts) >= 16
    legal_and_about = [output / slug / "index.html" for slug in ("ueber-uns", "impressum", "datenschutz")]
    # Listings, the search pages and the 404 page are not indexed: exactly the posts and pages are.
    assert set(pages) == {url_of(output, page) for page in posts + legal_and_about}
    # One bundle per language and year, pages apart: each holds one language.
    counts: dict[str, dict[str, int]] = {}
    for entry_file in sorted((output / "pagefind").glob("*/pagefind-entry.json")):
        entry = json.loads(entry_file.read_text(encoding="utf-8"))
        counts[entry_file.parent.name] = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert counts == {"de-2026": {"de": len(pages) - 5}, "de-pages": {"de": 3}, "en-2026": {"en": 2}}
    assert {url: page["shard"] for url, page in pages.items() if page["shard"] != "de-2026"} == {
        **{url: "en-2026" for url in pages if url.startswith("/en/")},
        **{f"/{slug}/": "de-pages" for slug in ("ueber-uns", "impressum", "datenschutz")},
    }
    assert {page["lang"] for url, page in pages.items() if url.startswith("/en/")} == {"en"}
    first_week = pages["/2026/erste-woche-in-der-lehrwerkstatt-ein-jahr-spaeter/"]
    assert first_week["meta"]["title"] == "Erste Woche in der Lehrwerkstatt – ein Jahr später"
    assert first_week["meta"]["date"] == "2026-10-06"
    assert first_week["meta"]["category"] == "Ausbildung & Karriere"
    assert first_week["meta"]["author"] == "Jonas Weber"
    # Only the body: no navigation, footer or author box in the indexed text.
    assert "Hauptnavigation" not in first_week["content"] and "Lüdenscheid" not in first_week["content"]
    sponsored = [page for page in pages.values() if page["meta"].get("label")]
    assert [page["meta"]["label"] for page in sponsored] == ["Anzeige"]
    assert "date" not in pages["/impressum/"]["meta"] and "author" not in pages["/impressum/"]["meta"]


def test_posts_that_are_not_published_are_never_indexed(served: tuple[Path, str], development: Path) -> None:
    production, _ = served
    assert "status: review" in (ROOT / IN_REVIEW).read_text(encoding="utf-8")
    for output in (production, development):
        text = " ".join(page["content"] for page in indexed(output).values())
        assert "Klimaschrank" not in text
        assert not [url for url in indexed(output) if "klimaschrank" in url or SCHEDULED_SLUG in url]
    # Development renders them with a banner, and the dashboard: still not in the index.
    scheduled = development / "2026" / SCHEDULED_SLUG / "index.html"
    assert scheduled.is_file() and "status-banner" in scheduled.read_text(encoding="utf-8")
    assert list(development.glob("entwuerfe/**/*klimaschrank*/index.html"))
    assert (development / "redaktion").is_dir()
    assert not [url for url in indexed(development) if url.startswith(("/entwuerfe/", "/redaktion/"))]


def test_search_pages_work_without_javascript_and_load_nothing_from_elsewhere(served: tuple[Path, str]) -> None:
    output, base = served
    german = BeautifulSoup((output / "suche" / "index.html").read_text(encoding="utf-8"), "html.parser")
    english = BeautifulSoup((output / "en" / "search" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert german.html["lang"] == "de" and english.html["lang"] == "en"
    for page in (german, english):
        form = page.select_one('form[role="search"]')
        assert form["method"] == "get" and form["action"] == ""
        field = form.select_one('input[type="search"][name="q"]')
        assert page.select_one(f'label[for="{field["id"]}"]')
        assert page.select_one('[role="status"]') and page.select_one("noscript")
        assert form["data-pagefind"] == f"{base}/pagefind/"
        loaded = [tag.get("src") or tag.get("href") for tag in page.select("script[src], link[href], img[src]")]
        assert loaded and all(url.startswith(base + "/") for url in loaded), loaded
    # Each page loads its language's shards, the newest year first (Pagefind's script comes from it).
    assert german.select_one("form[data-search]")["data-shards"] == "de-2026 de-pages"
    assert english.select_one("form[data-search]")["data-shards"] == "en-2026"
    assert english.select_one("form label").get_text() == "Search term"
    assert english.select_one('.search__languages a[hreflang="de"]')["href"] == f"{base}/suche/"
    script = (output / "theme" / "js" / "search.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", script)
    # The footer links the search page in the reader's language.
    german_post = BeautifulSoup(
        (output / "2026/dauerlauf-pruefstand/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    english_post = next(output.glob("en/2026/*/index.html")).read_text(encoding="utf-8")
    assert german_post.select_one(f'.site-footer a[href="{base}/suche/"]').get_text() == "Suche"
    assert f'href="{base}/en/search/"' in english_post


def test_development_search_page_finds_the_index_relative_to_itself(development: Path) -> None:
    german = BeautifulSoup((development / "suche" / "index.html").read_text(encoding="utf-8"), "html.parser")
    english = BeautifulSoup((development / "en/search/index.html").read_text(encoding="utf-8"), "html.parser")
    assert german.select_one("form[data-search]")["data-pagefind"] == "../pagefind/"
    assert english.select_one("form[data-search]")["data-pagefind"] == "../../pagefind/"
    bundles = development / "pagefind"
    for main in ("de-2026", "en-2026"):
        assert (bundles / main / "pagefind.js").is_file() and (bundles / main / "pagefind-worker.js").is_file()
        assert (bundles / main / f"wasm.{main[:2]}.pagefind").is_file()
    # A merged shard is read for its index only: no second copy of Pagefind's script and WebAssembly.
    assert (bundles / "de-pages" / "pagefind-entry.json").is_file()
    assert not list((bundles / "de-pages").glob("*.js")) and not list((bundles / "de-pages").glob("wasm.*"))
    assert not list(bundles.rglob("*ui*")), "Pagefind's own interfaces are not published"


@pytest.mark.parametrize(
    ("pagefind", "message"),
    [
        (None, r"Pagefind ist fehlgeschlagen: FileNotFoundError: .*no-such-pagefind"),
        ("#!/bin/sh\ncat > /dev/null\n", r"Pagefind ist nicht innerhalb von 1 s fertig geworden"),
    ],
    ids=["missing", "hanging"],
)
def test_a_failing_indexer_fails_the_build(
    site: Site, monkeypatch: pytest.MonkeyPatch, pagefind: str | None, message: str
) -> None:
    site.write("posts/beitrag.md", valid_post())
    binary = site.root / ("pagefind" if pagefind else "no-such-pagefind")
    if pagefind:
        binary.write_text(pagefind)
        binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    with pytest.raises(SearchIndexFailed, match=rf"^search: {message}.*; kein neuer Suchindex wurde geschrieben"):
        site.build(**with_search(), HUB_SEARCH_TIMEOUT=1)
    # A failed build writes nothing (hub_fast_clean): no output/, no half-made bundle beside it.
    wait_for_deletion()
    assert not site.output.exists()
    assert not list(site.root.rglob(".pagefind-*")) and not list(site.root.glob(".output.*"))


def test_a_failing_indexer_is_reported_in_english_for_an_english_team(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.write("posts/beitrag.md", valid_post())
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(site.root / "no-such-pagefind"))
    expected = r"^search: Pagefind failed: FileNotFoundError: .*no-such-pagefind.*; no new search index was written"
    with pytest.raises(SearchIndexFailed, match=expected):
        site.build(**with_search(), HUB_LANG="en")
    wait_for_deletion()


# ---------------------------------------------------------------------------------------------
# In the browser


def titles(found: dict[str, Any]) -> list[str]:
    return [result["title"] for result in found["results"]]


def test_typing_a_query_lists_the_trainees_posts(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    tab = browser.open(f"{base}/suche/")
    tab.evaluate("document.querySelector('input[name=q]').focus()")
    tab.type("Ausbildung")
    found = tab.results("Ausbildung")
    assert "Erste Woche in der Lehrwerkstatt – ein Jahr später" in titles(found)
    assert "Teil 1 der Abschlussprüfung: So bereite ich mich vor" in titles(found)
    assert found["status"] == f"{len(found['results'])} Treffer für „Ausbildung“"
    assert not [title for title in titles(found) if "Minus 30 Grad" in title]
    assert found["address"] == f"{base}/suche/?q=Ausbildung"
    first_week = next(r for r in found["results"] if r["title"].startswith("Erste Woche"))
    assert first_week["href"] == f"{base}/2026/erste-woche-in-der-lehrwerkstatt-ein-jahr-spaeter/"
    assert "Ausbildung & Karriere" in first_week["meta"] and "6. Oktober 2026" in first_week["meta"]
    assert any(mark.lower().startswith("ausbildung") for result in found["results"] for mark in result["marks"])


def test_german_stemming_finds_pruefung_for_pruefungen(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    source = (ROOT / "content/posts/2026/teil-1-der-abschlusspruefung-so-bereite-ich-mich-vor.md").read_text()
    assert "Prüfung" in source and "Prüfungen" not in source
    # Also the form's own path: the address carries the query, the page answers it on load.
    found = browser.open(f"{base}/suche/?q=Pr%C3%BCfungen").results("Prüfungen")
    assert "Teil 1 der Abschlussprüfung: So bereite ich mich vor" in titles(found)
    assert found["status"].endswith("Treffer für „Prüfungen“")


def test_many_hits_come_ten_at_a_time(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    tab = browser.open(f"{base}/suche/?q=die")
    found = tab.results("die")
    total = int(found["status"].split()[0])
    assert total > 10 and len(found["results"]) == 10
    tab.evaluate("document.getElementById('search-more').click()")
    tab.wait_for(f"document.querySelectorAll('#search-results > li').length === {min(total, 20)}")
    assert tab.evaluate("document.activeElement.href") == tab.evaluate(
        "document.querySelectorAll('#search-results h2 a')[10].href"
    )
    assert tab.evaluate("document.getElementById('search-more').hidden") == (total <= 20)


def test_the_post_in_review_is_not_found(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    tab = browser.open(f"{base}/suche/")
    tab.evaluate("document.querySelector('input[name=q]').focus()")
    tab.type("Klimaschrank")
    found = tab.results("Klimaschrank")
    assert found == {
        "status": "Keine Treffer für „Klimaschrank“",
        "address": f"{base}/suche/?q=Klimaschrank",
        "results": [],
    }


def test_the_english_page_searches_the_english_posts(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    found = browser.open(f"{base}/en/search/?q=endurance").results("endurance")
    assert titles(found) == ["The endurance test bench: 5,000 hours under load"]
    assert found["status"] == "1 result for “endurance”"
    assert found["results"][0]["href"].startswith(f"{base}/en/2026/")


def all_results(tab: Any, query: str) -> dict[str, Any]:
    """Every hit of the search, pressing "more" until the list is complete."""
    found = tab.results(query)
    while not tab.evaluate("document.getElementById('search-more').hidden"):
        shown = len(found["results"])
        tab.evaluate("document.getElementById('search-more').click()")
        tab.wait_for(f"document.querySelectorAll('#search-results > li').length > {shown}")
        found = tab.results(query)
    return found


def test_one_search_finds_hits_of_every_shard_of_its_language_and_no_other(
    served: tuple[Path, str], browser: Chromium
) -> None:
    output, base = served
    pages = indexed(output)
    asked_before = len(browser.requests)
    german = all_results(browser.open(f"{base}/suche/?q=Hellwig"), "Hellwig")
    german_hits = {result["href"].removeprefix(base) for result in german["results"]}
    # The same hits a single index would give: every German post and page that names the company.
    assert german_hits == {url for url, page in pages.items() if page["lang"] == "de" and "Hellwig" in page["content"]}
    assert {pages[url]["shard"] for url in german_hits} == {"de-2026", "de-pages"}
    assert german["status"] == f"{len(german_hits)} Treffer für „Hellwig“"
    asked = browser.requests[asked_before:]
    assert [url for url in asked if "/pagefind/de-pages/fragment/" in url], "a hit's excerpt came from the merged shard"
    assert not [url for url in asked if "/pagefind/en-" in url], "the German page loads no English shard"
    # Language is the filter the shards give: the English page finds only the English posts.
    english = all_results(browser.open(f"{base}/en/search/?q=Hellwig"), "Hellwig")
    english_hits = {result["href"].removeprefix(base) for result in english["results"]}
    assert english_hits == {url for url, page in pages.items() if page["lang"] == "en" and "Hellwig" in page["content"]}
    assert english_hits and {pages[url]["shard"] for url in english_hits} == {"en-2026"}
    # The reader's browser keeps nothing.
    tab = browser.open(f"{base}/suche/?q=Hellwig")
    assert tab.results("Hellwig")["results"]
    assert tab.evaluate("[document.cookie, localStorage.length, sessionStorage.length]") == ["", 0, 0]


def test_no_request_leaves_the_site(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    browser.open(f"{base}/suche/?q=Ausbildung").results("Ausbildung")
    assert [url for url in browser.requests if re.search(r"/pagefind/[\w-]+/fragment/", url)], (
        "the search's requests were logged"
    )
    assert browser.requests_leaving(base) == []
