"""Search indexing that keeps the build fast: beside the writing, reused when nothing changed, never left half done.

Real builds of a small site. Pagefind runs in a thread while Pelican writes; a kept
bundle is reused for an unchanged site and is the same bytes as a fresh one; a build
that fails (in Pagefind or while writing) leaves no bundle, no staging folder and no
Pagefind process behind.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Site, valid_post
from hub_fast_clean import wait_for_deletion
from hub_search import SearchIndexFailed, cache_folder
from pagefind.service import PagefindService
from pelican import signals
from pelican.log import LimitFilter
from test_search import indexed, with_search

POST = "posts/zahnraeder.md"
POST_URL = "/2026/zahnraeder-im-dauertest/"
OTHER = "posts/werkstatt.md"
OTHER_URL = "/2026/ein-tag-in-der-werkstatt/"
LAST_YEAR = "posts/feilen.md"
LAST_YEAR_DATE = "2025-03-04 09:00 +01:00"
LAST_YEAR_URL = "/2025/feilen-wie-vor-hundert-jahren/"
HANGING_PAGEFIND = "#!/bin/sh\ncat > /dev/null\n"


def write_approved(site: Site, relative: str, title: str, body: str, **fields: str) -> None:
    """A post that goes live (and so into the index): posts without an approval are not searched."""
    site.write(relative, valid_post(title=f'"{title}"', body=body, **fields))
    site.approve(relative)


@pytest.fixture
def blog(site: Site) -> Site:
    write_approved(site, POST, "Zahnräder im Dauertest", "Stirnräder laufen 5.000 Stunden.\n")
    write_approved(site, OTHER, "Ein Tag in der Werkstatt", "Drehen, fräsen, prüfen.\n")
    return site


def build(site: Site, cache: Path | str, **overrides: Any) -> Path:
    return site.build(**with_search(), HUB_SEARCH_CACHE=str(cache), **overrides)


def bundle_bytes(output: Path) -> dict[str, bytes]:
    bundle = output / "pagefind"
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def kept(cache: Path, shard: str = "*") -> list[Path]:
    """The bundles kept in the cache (of one shard, or all)."""
    return sorted(path for path in cache.glob(f"{shard}/*") if len(path.name) == 64) if cache.is_dir() else []


def search_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "hub_search" and "für die Suche erfasst" in r.getMessage()
    ]


def forget(log: pytest.LogCaptureFixture) -> None:
    """Start the next build's log afresh, as if it ran in a process of its own: Pelican
    drops a message it has logged before in this process, and two builds log the same line."""
    log.clear()
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def pagefind_children() -> list[str]:
    """Processes started by this one whose command line or name says pagefind (zombies included)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # ended while we looked
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if int(fields[1]) == os.getpid() and ("pagefind" in cmdline or "pagefind" in name):
            found.append(f"{stat.parent.name} {fields[0]} {cmdline or name}")
    return found


def assert_nothing_left(output: Path) -> None:
    assert not (output / "pagefind").exists()
    assert not list(output.glob(".pagefind-*")), "the half-made bundle is removed"
    assert pagefind_children() == [], "no Pagefind process outlives the build"


@pytest.fixture
def search_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    forget(caplog)
    with caplog.at_level(logging.INFO, logger="hub_search"):
        yield caplog


# ---------------------------------------------------------------------------------------------
# Beside the writing


def test_pagefind_indexes_while_pelican_writes_the_pages(blog: Site, search_log: pytest.LogCaptureFixture) -> None:
    finished_early = []

    def wait_for_the_bundle(generator: Any, writer: Any) -> None:
        """After the posts, before the pages: the bundle is made meanwhile, not after the build."""
        deadline = time.monotonic() + 20
        # The folder Pelican writes into (a staging folder beside output/ until the build succeeded).
        while time.monotonic() < deadline and not finished_early:
            # The last shard's bundle: they are indexed in the order of their names.
            finished_early.extend(Path(writer.output_path).glob(".pagefind-*/de-pages/pagefind-entry.json"))
            time.sleep(0.02)

    signals.article_writer_finalized.connect(wait_for_the_bundle)
    try:
        output = build(blog, "")  # no cache: Pagefind runs
    finally:
        signals.article_writer_finalized.disconnect(wait_for_the_bundle)
    assert finished_early, "Pagefind finished its bundle while Pelican was still writing"
    took = re.search(
        r"Pagefind brauchte ([\d.]+) s, davon ([\d.]+) s, während die Seiten geschrieben wurden",
        search_lines(search_log)[0],
    )
    assert took and took[1] == took[2], "all of Pagefind's time was beside the writing"
    assert set(indexed(output)) == {POST_URL, OTHER_URL, "/impressum/", "/datenschutz/"}


# ---------------------------------------------------------------------------------------------
# Reuse


def test_an_unchanged_site_reuses_the_kept_bundle_which_is_what_pagefind_writes(
    blog: Site, tmp_path: Path, search_log: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "search-cache"
    output = build(blog, cache)
    first = bundle_bytes(output)
    assert [line for line in search_lines(search_log) if "Pagefind brauchte" in line]
    # One bundle per shard: the year of both posts and the pages; only the main one has Pagefind's script.
    assert [path.parent.name for path in kept(cache)] == ["de-2026", "de-pages"]
    assert set(first) >= {"de-2026/pagefind.js", "de-2026/pagefind-entry.json", "de-pages/pagefind-entry.json"}
    assert "de-pages/pagefind.js" not in first
    assert (output / "pagefind").stat().st_mode & 0o777 == 0o755, "the web server may read it"

    forget(search_log)
    build(blog, cache)
    lines = search_lines(search_log)
    assert len(lines) == 1 and "Suchindex wurde wiederverwendet" in lines[0] and "Pagefind brauchte" not in lines[0], (
        lines
    )
    assert bundle_bytes(output) == first
    # Linked from the cache, not written again: the same file.
    entry = next(output.glob("pagefind/de-2026/fragment/*.pf_fragment"))
    in_cache = kept(cache, "de-2026")[0] / "bundle" / entry.relative_to(output / "pagefind" / "de-2026")
    assert entry.stat().st_ino == in_cache.stat().st_ino

    fresh = build(blog, "", OUTPUT_PATH=str(tmp_path / "fresh"))
    assert bundle_bytes(fresh) == first, "a kept bundle is byte for byte a fresh one"
    assert set(indexed(output)) == {POST_URL, OTHER_URL, "/impressum/", "/datenschutz/"}


def test_editing_a_post_indexes_again_and_the_new_word_is_found(
    blog: Site, tmp_path: Path, search_log: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "search-cache"
    output = build(blog, cache)
    assert "Schneckengetriebe" not in indexed(output)[POST_URL]["content"]

    write_approved(blog, POST, "Zahnräder im Dauertest", "Auch das Schneckengetriebe hielt.\n")
    forget(search_log)
    build(blog, cache)
    assert "Pagefind brauchte" in search_lines(search_log)[0]
    assert "Schneckengetriebe" in indexed(output)[POST_URL]["content"]
    assert "Schneckengetriebe" not in indexed(output)[OTHER_URL]["content"]

    # A third version: only the last two bundles of a shard are kept, the one in use among them.
    write_approved(blog, POST, "Zahnräder im Dauertest", "Dann das Kegelradgetriebe.\n")
    build(blog, cache)
    assert len(kept(cache, "de-2026")) == 2 and len(kept(cache, "de-pages")) == 1
    assert "Kegelradgetriebe" in indexed(output)[POST_URL]["content"]
    forget(search_log)
    build(blog, cache)
    assert "Suchindex wurde wiederverwendet" in search_lines(search_log)[0]


def test_an_edit_indexes_only_its_shard_and_gives_what_a_cold_build_gives(
    blog: Site, tmp_path: Path, search_log: pytest.LogCaptureFixture
) -> None:
    write_approved(blog, LAST_YEAR, "Feilen wie vor hundert Jahren", "Feilen, bohren, messen.\n", date=LAST_YEAR_DATE)
    cache = tmp_path / "search-cache"
    output = build(blog, cache)
    assert "Teilindizes neu erfasst: de-2025, de-2026, de-pages; wiederverwendet: 0" in search_lines(search_log)[0]
    shards = {url: page["shard"] for url, page in indexed(output).items()}
    assert shards == {
        LAST_YEAR_URL: "de-2025",
        POST_URL: "de-2026",
        OTHER_URL: "de-2026",
        "/impressum/": "de-pages",
        "/datenschutz/": "de-pages",
    }
    before = bundle_bytes(output)

    write_approved(blog, POST, "Zahnräder im Dauertest", "Auch das Schneckengetriebe hielt.\n")
    forget(search_log)
    build(blog, cache)
    (line,) = search_lines(search_log)
    # Only the edited post's shard went to Pagefind; the other two came from the cache as they were.
    assert "Pagefind brauchte" in line and "Teilindizes neu erfasst: de-2026; wiederverwendet: 2" in line, line
    after = bundle_bytes(output)
    assert "Schneckengetriebe" in indexed(output)[POST_URL]["content"]
    changed = {name.split("/")[0] for name in set(before) | set(after) if before.get(name) != after.get(name)}
    assert changed == {"de-2026"}

    cold = build(blog, "", OUTPUT_PATH=str(tmp_path / "cold"))
    assert after == bundle_bytes(cold), "the edited index is byte for byte a cold build's"


@pytest.mark.parametrize("damage", ["changed file", "no manifest", "missing file"])
def test_a_damaged_kept_bundle_means_indexing_again(
    blog: Site, tmp_path: Path, search_log: pytest.LogCaptureFixture, damage: str
) -> None:
    cache = tmp_path / "search-cache"
    output = build(blog, cache)
    first = bundle_bytes(output)
    entry = kept(cache, "de-2026")[0]
    if damage == "no manifest":
        (entry / "manifest.json").unlink()
    else:
        victim = entry / "bundle" / "pagefind-entry.json"
        victim.unlink()  # not in place: the output holds a hard link to it
        if damage == "changed file":
            victim.write_text(json.dumps({"version": "0", "languages": {}}), encoding="utf-8")
    forget(search_log)
    build(blog, cache)
    assert "Pagefind brauchte" in search_lines(search_log)[0]
    assert [
        r for r in search_log.records if r.levelno == logging.WARNING and "die Suche wird neu erfasst" in r.getMessage()
    ]
    assert bundle_bytes(output) == first
    assert len(kept(cache)) == 2


def test_the_cache_lives_in_pelicans_cache_folder_unless_set() -> None:
    assert cache_folder({"CACHE_PATH": "/srv/cache"}) == Path("/srv/cache/hub-search")
    assert cache_folder({"CACHE_PATH": "/srv/cache", "HUB_SEARCH_CACHE": "/tmp/s"}) == Path("/tmp/s")
    assert cache_folder({"CACHE_PATH": "/srv/cache", "HUB_SEARCH_CACHE": ""}) is None


def test_a_cache_that_cannot_be_written_costs_time_not_the_build(
    blog: Site, tmp_path: Path, search_log: pytest.LogCaptureFixture
) -> None:
    not_a_folder = tmp_path / "search-cache"
    not_a_folder.write_text("a file where the cache folder should be\n", encoding="utf-8")
    output = build(blog, not_a_folder)
    assert "Pagefind brauchte" in search_lines(search_log)[0]
    assert [r for r in search_log.records if r.levelno == logging.WARNING and "kann nicht in" in r.getMessage()]
    assert set(indexed(output)) == {POST_URL, OTHER_URL, "/impressum/", "/datenschutz/"}


# ---------------------------------------------------------------------------------------------
# Failing builds


@pytest.mark.parametrize("failure", ["raises", "hangs"])
def test_a_failing_index_fails_the_build_and_leaves_nothing_behind(
    blog: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    if failure == "raises":

        async def broken(self: PagefindService, config: Any = None) -> Any:
            raise Exception("Invalid config supplied")

        monkeypatch.setattr(PagefindService, "create_index", broken)
        message = r"Pagefind ist fehlgeschlagen: Exception: Invalid config supplied"
    else:
        binary = tmp_path / "pagefind"
        binary.write_text(HANGING_PAGEFIND)
        binary.chmod(0o755)
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
        message = r"Pagefind ist nicht innerhalb von 1 s fertig geworden"
    with pytest.raises(SearchIndexFailed, match=rf"^search: {message}; kein neuer Suchindex wurde geschrieben$"):
        build(blog, tmp_path / "search-cache", HUB_SEARCH_TIMEOUT=1)
    # Nothing half-published: the pages written before the index failed never reach output/.
    assert not (blog.output / "2026" / "zahnraeder-im-dauertest" / "index.html").exists()
    wait_for_deletion()  # the failed build's staging folder is deleted in the background
    assert not list(blog.root.glob(".output.building-*"))
    if blog.output.exists():
        assert_nothing_left(blog.output)
    assert kept(tmp_path / "search-cache") == []


@pytest.mark.parametrize("pagefind", ["real", "hanging"])
def test_a_build_failing_while_writing_stops_the_indexing(
    blog: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pagefind: str
) -> None:
    overrides = tmp_path / "templates"
    overrides.mkdir()
    (overrides / "article.html").write_text("{{ no_such_function() }}\n", encoding="utf-8")
    if pagefind == "hanging":  # certainly still running when the build fails
        binary = tmp_path / "pagefind"
        binary.write_text(HANGING_PAGEFIND)
        binary.chmod(0o755)
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))
    began = time.monotonic()
    with pytest.raises(Exception, match="no_such_function"):
        build(blog, "", THEME_TEMPLATES_OVERRIDES=[str(overrides)], HUB_SEARCH_TIMEOUT=60)
    assert time.monotonic() - began < 30, "the failed build does not wait for Pagefind's timeout"
    assert_nothing_left(blog.output)


def test_a_page_that_was_not_written_is_left_out_of_the_index(
    blog: Site, tmp_path: Path, search_log: pytest.LogCaptureFixture
) -> None:
    def lose_a_page(generator: Any, writer: Any) -> None:  # as if a plugin had withheld it while writing
        (Path(writer.output_path) / POST_URL.strip("/") / "index.html").unlink()

    signals.article_writer_finalized.connect(lose_a_page)
    try:
        output = build(blog, tmp_path / "search-cache")
    finally:
        signals.article_writer_finalized.disconnect(lose_a_page)
    warnings = [r.getMessage() for r in search_log.records if r.levelno == logging.WARNING]
    assert warnings == [
        "search: 2026/zahnraeder-im-dauertest/index.html wurde nicht geschrieben: die Suche wird ohne diese Seite neu erfasst"
    ]
    assert set(indexed(output)) == {OTHER_URL, "/impressum/", "/datenschutz/"}
    assert "3 Seiten für die Suche erfasst" in search_lines(search_log)[0]
    assert not list(output.glob(".pagefind-*"))
