"""Pagefind is held to the minor version the indexer was written for, and what the indexer relies on is there.

hub_search/indexer.py repairs Pagefind's Python API through its internals (`_Service`: the reader loop
that replaces the API's own, the futures kept by message id, the process) and tidies the bundle Pagefind
writes (pagefind-entry.json, the interface files it deletes). A new Pagefind may change any of these
without a word: the build would still pass, only slower, or with files the theme does not want. Each
test here fails with what changed, so whoever raises the pin in requirements/runtime.in knows what to
look at in indexer.py; then WRITTEN_FOR moves with the pin.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import subprocess
import threading
from importlib import metadata
from pathlib import Path

import pytest
from conftest import ROOT
from hub_search import indexer
from hub_search.indexer import RUNTIME_FILES, UNUSED_FILES, _Service
from hub_search.pages import IndexPage
from pagefind.index import IndexConfig, PagefindIndex
from pagefind.service import PagefindService, get_executable
from pagefind.service.types import InternalResponseError, InternalResponseType

WRITTEN_FOR = "1.5"  # the Pagefind minor version indexer.py was written and checked against
PACKAGES = ("pagefind", "pagefind-bin")  # the Python API and the package with the binary
LOOK_AT = "look at hub_search/indexer.py (_Service, write_bundles) before raising the pin"


def test_the_pin_installed_and_locked_is_the_version_the_indexer_was_written_for() -> None:
    pins = re.findall(r"^pagefind\[bin\]==(\S+)$", (ROOT / "requirements/runtime.in").read_text(), re.M)
    assert pins == [f"{WRITTEN_FOR}.*"], (
        f"requirements/runtime.in allows pagefind {pins or 'in any version'}; the indexer was written for "
        f"{WRITTEN_FOR}.*: {LOOK_AT}, then set WRITTEN_FOR in {Path(__file__).name}"
    )
    lock = (ROOT / "requirements/runtime.lock").read_text()
    for package in PACKAGES:
        locked = re.findall(rf"^{package}==(\S+)", lock, re.M)
        installed = metadata.version(package)
        assert len(locked) == 1 and locked[0].startswith(f"{WRITTEN_FOR}."), (
            f"requirements/runtime.lock pins {package} {locked}, not {WRITTEN_FOR}.x: run make lock"
        )
        assert installed == locked[0], f"{package} {installed} is installed, the lock says {locked[0]}: run make"
    binary = get_executable()
    assert binary is not None, "pagefind-bin no longer supplies a binary that pagefind.service finds"
    answer = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30)
    assert answer.stdout.split() == ["pagefind", metadata.version("pagefind-bin")], (
        f"the binary says {answer.stdout.strip()!r}, the package is {metadata.version('pagefind-bin')}"
    )


def test_the_service_internals_the_indexer_repairs_are_still_there() -> None:
    fields = inspect.get_annotations(PagefindService)
    for name in ("_backend", "_responses", "_poll_task"):
        assert name in fields, f"PagefindService has no {name} any more (it has {sorted(fields)}): {LOOK_AT}"
    for method in ("launch", "send", "create_index", "_wait_for_responses"):
        assert callable(getattr(PagefindService, method, None)), f"PagefindService.{method} is gone: {LOOK_AT}"
    send = inspect.getsource(PagefindService.send)
    assert "self._responses[message_id] = future" in send, (
        f"PagefindService.send no longer keeps each request's future in _responses by message id: {LOOK_AT}"
    )
    assert '_encode(req) + b","' in send, f"requests are no longer base64 JSON ended by a comma: {LOOK_AT}"
    # _Service._settle reads Pagefind's error answers with these names.
    assert InternalResponseType.ERROR.value == "Error", f"error answers are now {InternalResponseType.ERROR.value!r}"
    error_fields = set(inspect.get_annotations(InternalResponseError))
    assert {"type", "message", "original_message"} <= error_fields, f"an error answer now has {sorted(error_fields)}"
    assert "output_path" in inspect.get_annotations(IndexConfig), "IndexConfig has no output_path any more"
    parameters = inspect.signature(PagefindIndex.add_html_file).parameters
    assert {"content", "url"} <= set(parameters), f"add_html_file now takes {list(parameters)}: {LOOK_AT}"


def test_the_repaired_reader_is_the_one_that_runs() -> None:
    """launch() must start our _wait_for_responses: if the API renamed its reader, ours would never run
    and every page would wait 0.1 s again (5,000 pages: 500 s), with nothing else failing."""

    async def reader_started_by_launch() -> str:
        service = _Service()
        try:
            await service.launch()
            return service._poll_task.get_coro().__qualname__
        finally:
            await service.stop()

    assert asyncio.run(reader_started_by_launch()) == "_Service._wait_for_responses", (
        f"PagefindService.launch no longer starts _wait_for_responses as _poll_task: {LOOK_AT}"
    )


@pytest.fixture
def raw_bundle(tmp_path: Path) -> Path:
    """What Pagefind itself writes for two pages in two languages, before write_bundle tidies it."""
    pages = [
        IndexPage("a/index.html", "/a/", '<html lang="de"><body><main><h1>Zahnräder</h1></main></body></html>'),
        IndexPage("b/index.html", "/b/", '<html lang="en"><body><main><h1>Gears</h1></main></body></html>'),
    ]
    assert indexer._run([(pages, tmp_path)], 60, threading.Event()) == [2]
    return tmp_path


def test_the_bundle_has_the_files_and_fields_the_indexer_tidies(raw_bundle: Path) -> None:
    entry = json.loads((raw_bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry.get("languages") or {}) == {"de", "en"}, (
        f"pagefind-entry.json no longer lists the languages as a map (found {sorted(entry)}): read_summary, write_bundle"
    )
    counts = {lang: info.get("page_count") for lang, info in entry["languages"].items()}
    assert counts == {"de": 1, "en": 1}, f"page_count per language is now {counts}: read_summary"
    names = sorted(p.name for p in raw_bundle.iterdir())
    for pattern in UNUSED_FILES:
        assert list(raw_bundle.glob(pattern)), (
            f"Pagefind writes no {pattern} any more (it wrote {names}): UNUSED_FILES in indexer.py would delete "
            "nothing, and a renamed interface file would be published"
        )
    for pattern in RUNTIME_FILES:
        assert list(raw_bundle.glob(pattern)), (
            f"Pagefind writes no {pattern} any more (it wrote {names}): RUNTIME_FILES in indexer.py names what "
            "only a language's main shard keeps"
        )
    # The search page loads one shard and merges the others into it (themes/hub/static/js/search.js).
    assert "mergeIndex" in (raw_bundle / "pagefind.js").read_text(encoding="utf-8")
