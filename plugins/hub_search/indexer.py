"""Run Pagefind over the search pages and leave a finished bundle in a folder.

The pages are handed to Pagefind's Python API, which drives the `pagefind` binary
shipped in the `pagefind[bin]` package (`pagefind --service`, talking over its
stdin and stdout). Only what the bundle will be is decided here; where it is kept
and when it goes into the output is the caller's business (see background.py).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from hub_core.build_progress import build_progress
from hub_core.errors import BuildStopped
from hub_core.i18n import translator
from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .pages import IndexPage

_, ngettext = translator("hub_search")

BUNDLE = "pagefind"
# Pagefind's options that shape the bundle (the output path does not: it is where, not what).
INDEX_CONFIG: IndexConfig = {}
# What we do to Pagefind's output after it is written: part of the cache key, so bump it when that changes.
BUNDLE_FORMAT = "hub-search 1: sorted entry languages, no Pagefind UI files"
# Pagefind's ready-made interfaces and its highlighting script, written with every bundle.
UNUSED_FILES = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
# Pagefind's script, worker and WebAssembly: what a search page loads from the bundle it starts with
# (the same files in every bundle of one Pagefind version, the WebAssembly per language).
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
# Pages on their way to Pagefind at once: enough that it never waits for Python, few enough
# that 5,000 pages are not all held in the pipe's buffer at the same time.
IN_FLIGHT = 64
# How often a running index looks whether the build has given up on it.
STOP_POLL_SECONDS = 0.1


class SearchIndexFailed(BuildStopped):
    """Pagefind could not build the index: the build fails rather than publish a broken search."""


class IndexingStopped(Exception):
    """The build failed while the index was being made: the half-made bundle is not wanted."""


@dataclass(frozen=True)
class IndexSummary:
    pages: dict[str, int]  # pages per language, as Pagefind counted them

    @property
    def total(self) -> int:
        return sum(self.pages.values())


def pagefind_version() -> str:
    """What makes the bundle besides the pages: the API and binary packages, or another binary."""
    versions = []
    for package in ("pagefind", "pagefind_bin"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} none")
    # The API's own override: another binary may write another bundle.
    versions.append(f"binary {os.environ.get('PAGEFIND_BINARY_PATH', 'packaged')}")
    return ", ".join(versions)


def did_not_finish(timeout: float) -> str:
    return _("Pagefind did not finish within {seconds} s").format(seconds=f"{timeout:g}")


def write_bundle(
    pages: Sequence[IndexPage], folder: Path, timeout: float, stop: threading.Event | None = None
) -> IndexSummary:
    """Index `pages` into the empty folder `folder` (see `write_bundles`)."""
    return write_bundles([(pages, folder)], timeout, stop)[0]


def write_bundles(
    bundles: Sequence[tuple[Sequence[IndexPage], Path]], timeout: float, stop: threading.Event | None = None
) -> list[IndexSummary]:
    """Index each list of pages into its own empty folder, one after the other in one Pagefind
    process (one start for all shards); raise SearchIndexFailed with the reason, or
    IndexingStopped once `stop` is set (the Pagefind process is ended either way)."""
    counts = _run(bundles, timeout, stop or threading.Event())
    summaries = []
    for (pages, folder), indexed in zip(bundles, counts, strict=True):
        if indexed != len(pages):
            counted = ngettext(
                "Pagefind indexed {indexed} of {count} page",
                "Pagefind indexed {indexed} of {count} pages",
                len(pages),
            )
            raise SearchIndexFailed(counted.format(indexed=indexed, count=len(pages)))
        summaries.append(_tidy(folder))
    return summaries


def _tidy(folder: Path) -> IndexSummary:
    written = _entry_when_written(folder / "pagefind-entry.json")
    summary = _summary_of(written)
    # Pagefind lists the languages in hash-map order, different on every run: fix the order.
    (folder / "pagefind-entry.json").write_text(
        json.dumps(written, sort_keys=True, separators=(",", ":")), encoding="utf-8"
    )
    for unused in UNUSED_FILES:  # the theme brings its own search page and script
        for path in folder.glob(unused):
            path.unlink()
    return summary


def read_summary(bundle: Path) -> IndexSummary:
    return _summary_of(json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")))


def _summary_of(entry: Any) -> IndexSummary:
    languages = entry.get("languages") or {}
    return IndexSummary({lang: int(info.get("page_count", 0)) for lang, info in sorted(languages.items())})


# Pagefind answers the write request while its own process may still be writing the entry file: on a
# loaded machine the file was read empty (a JSONDecodeError in a build). Wait for it while the process
# lives (_entry_written), and once more when tidying.
ENTRY_WAIT_SECONDS = 30.0


async def _entry_written(entry: Path) -> None:
    """Until the entry file reads as JSON, or the wait is over (then _tidy reports what it found)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + ENTRY_WAIT_SECONDS
    while loop.time() < deadline:
        try:
            json.loads(entry.read_text(encoding="utf-8"))
            return
        except (OSError, ValueError):
            await asyncio.sleep(0.05)


def _entry_when_written(entry: Path) -> Any:
    deadline = time.monotonic() + ENTRY_WAIT_SECONDS
    while True:
        try:
            return json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            if time.monotonic() >= deadline:
                raise SearchIndexFailed(
                    _("Pagefind wrote no readable {file}: {error}").format(file=entry.name, error=error)
                ) from None
            time.sleep(0.05)


def _run(bundles: Sequence[tuple[Sequence[IndexPage], Path]], timeout: float, stop: threading.Event) -> list[int]:
    try:
        return asyncio.run(_until_done_or_stopped(bundles, timeout, stop))
    except (IndexingStopped, SearchIndexFailed):
        raise
    except Exception as error:  # the API raises bare Exceptions with Pagefind's message
        raise SearchIndexFailed(
            _("Pagefind failed: {error}").format(error=f"{type(error).__name__}: {error}")
        ) from error


async def _until_done_or_stopped(
    bundles: Sequence[tuple[Sequence[IndexPage], Path]], timeout: float, stop: threading.Event
) -> list[int]:
    work = asyncio.ensure_future(_index(bundles))
    deadline = asyncio.get_running_loop().time() + timeout
    while not work.done():
        # A threading.Event, not an asyncio one: the build sets it from its own thread.
        if stop.is_set() or asyncio.get_running_loop().time() >= deadline:
            work.cancel()
            await asyncio.wait({work})  # lets _index end the Pagefind process
            if not work.cancelled():
                work.exception()  # failed at that very moment: the timeout or the stop is what is reported
            if stop.is_set():
                raise IndexingStopped()
            raise SearchIndexFailed(did_not_finish(timeout))
        await asyncio.wait({work}, timeout=STOP_POLL_SECONDS)
    return work.result()


async def _index(bundles: Sequence[tuple[Sequence[IndexPage], Path]]) -> list[int]:
    """Every bundle's pages in the given order, a few at a time: Pagefind takes its requests one
    after the other, in the order they arrive, so the bundle is the same as if each page waited
    for the one before. Handing it a folder instead lets it read pages in parallel, in a
    different order every time. Each bundle is an index of its own in the same process, written
    before the next begins: what it holds depends on its own pages only."""
    service = _Service()
    sending: deque[asyncio.Future[Any]] = deque()
    counts = []
    try:
        await service.launch()
        total = sum(len(pages) for pages, _folder in bundles)
        with build_progress(total, _("Search index"), unit=_("pages")) as step:
            for pages, folder in bundles:
                index = await service.create_index(IndexConfig(**INDEX_CONFIG, output_path=str(folder)))
                count = 0
                for page in pages:
                    # Tasks start in the order they are made, and each writes its request before it waits.
                    sending.append(asyncio.ensure_future(index.add_html_file(content=page.html, url=page.url)))
                    if len(sending) >= IN_FLIGHT:
                        await sending.popleft()
                        count += 1
                        step()
                while sending:
                    await sending.popleft()
                    count += 1
                    step()
                await index.write_files()
                # While Pagefind still runs: it answers before its writer is done, and ending the
                # process (the next shard's delete, stop() below) may cut the last files short.
                await _entry_written(folder / "pagefind-entry.json")
                await index.delete_index()  # its pages leave Pagefind's memory before the next shard's come
                counts.append(count)
    finally:
        for request in sending:
            if request.done() and not request.cancelled():
                request.exception()  # the first failure is reported; later ones must not be logged as unretrieved
            request.cancel()
        await service.stop()
    return counts


class _Service(PagefindService):
    """Pagefind's service with two repairs, for pagefind 1.5 (requirements/runtime.in pins it,
    tests/hub_search/test_pagefind_pin.py checks that what they rely on is still there).

    Its reader sleeps 0.1 s before each answer it reads: 5,000 pages would take 500 s,
    however fast the binary is. And its close() waits for every request to be answered
    and skips ending the process when one was cancelled (a timeout, a failed build):
    stop() ends it for sure. Both use the API's internals (_backend, _responses)."""

    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None
        try:
            while True:
                answer = json.loads(base64.b64decode((await stdout.readuntil(b","))[:-1]))
                if answer is not None:
                    self._settle(answer)
        except asyncio.IncompleteReadError:
            # The process ended: every request still waiting fails now, not at the timeout.
            ended = Exception(f"the pagefind process ended (exit code {await self._backend.wait()})")
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(ended)

    def _settle(self, answer: dict[str, Any]) -> None:
        payload = answer["payload"]
        message_id = answer.get("message_id")
        if message_id is None and (original := payload.get("original_message")):
            # Pagefind could not read the request; it names it only inside the original message.
            message_id = json.loads(original).get("message_id")
        future = self._responses.pop(message_id, None) if message_id is not None else None
        if future is None or future.done():
            return
        if payload["type"] == "Error":
            future.set_exception(Exception(payload["message"], payload.get("original_message")))
        else:
            future.set_result(payload)

    async def stop(self) -> None:
        """End the reader and the process: closing its stdin ends Pagefind; kill it if not."""
        poll = getattr(self, "_poll_task", None)
        if poll is not None:
            poll.cancel()
        backend: asyncio.subprocess.Process | None = getattr(self, "_backend", None)
        if backend is None:
            return
        if backend.stdin is not None:
            backend.stdin.transport.abort()  # close() would wait for a hung process to read what is queued
        try:
            await asyncio.wait_for(backend.wait(), 2)
        except TimeoutError:
            backend.kill()
            await backend.wait()
