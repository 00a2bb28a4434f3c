"""Make the search bundles beside the build: in a thread, while Pelican writes the pages.

Pelican renders on one core; the `pagefind` binary is another process and indexes on
the other. The thread only feeds it and waits, so it seldom holds the GIL. The index is
one bundle per shard (shards.py): a shard kept in the cache for the same pages is linked,
only the others are indexed. The job ends with every shard's bundle in a hidden folder of
the output (`.pagefind-*/<shard>/`), which the build renames into place as `pagefind/`
once every page is written (`publish`), or removes if the build failed (`abandon`): the
output never holds half an index, and no Pagefind process outlives the build.

Only a language's main shard keeps Pagefind's script, worker and WebAssembly (the search
page loads them from there); the others hold just their index, which is all a merged
bundle is read for. The cache keeps every shard whole, so any of them can become main.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import BundleCache, bundle_key, link_tree
from .indexer import (
    BUNDLE,
    BUNDLE_FORMAT,
    INDEX_CONFIG,
    RUNTIME_FILES,
    IndexingStopped,
    IndexSummary,
    SearchIndexFailed,
    did_not_finish,
    pagefind_version,
    read_summary,
    write_bundles,
)
from .pages import IndexPage
from .shards import main_shards

# Beyond the Pagefind timeout: hashing, checking a kept bundle, linking files, ending the process.
GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class StagedBundle:
    """Every shard's finished bundle in a hidden folder of the output, not yet in place."""

    folder: Path
    summary: IndexSummary  # pages per language, over all shards
    built: tuple[str, ...]  # the shards Pagefind indexed in this build
    reused: tuple[str, ...]  # the shards taken from the cache
    started: float = 0.0  # time.monotonic() when Pagefind started and finished (0 when nothing was built)
    finished: float = 0.0


class IndexJob:
    """The search bundles of `pages`, one per shard, made in a daemon thread (`start`) or right here (`run`)."""

    def __init__(self, pages: Sequence[IndexPage], output: Path, timeout: float, cache: BundleCache | None) -> None:
        self.pages = tuple(pages)
        self.output = output
        self.timeout = timeout
        self.cache = cache
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._began = 0.0
        self._outcome: StagedBundle | BaseException | None = None

    def start(self) -> None:
        self._began = time.monotonic()
        # A daemon: a build that dies without abandon() must not wait for Pagefind at exit
        # (the binary then ends on its own when its stdin closes with this process).
        self._thread = threading.Thread(target=self._work, name="search-index", daemon=True)
        self._thread.start()

    def result(self) -> StagedBundle:
        """Wait for the thread; raise what stopped it (SearchIndexFailed if Pagefind failed)."""
        if self._thread is None:
            raise RuntimeError("IndexJob.result() before start()")
        remaining = self._began + self.timeout + GRACE_SECONDS - time.monotonic()
        self._thread.join(max(0.0, remaining))
        if self._thread.is_alive():
            self.abandon()
            raise SearchIndexFailed(did_not_finish(self.timeout))
        outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome
        assert outcome is not None
        return outcome

    def abandon(self) -> None:
        """The build failed: stop Pagefind, wait briefly for the thread, remove what it made."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(GRACE_SECONDS)
        self._discard()

    def run(self) -> StagedBundle:
        """Make every shard's bundle: link a kept one from the cache, or run Pagefind (and keep its bundle)."""
        self.output.mkdir(parents=True, exist_ok=True)
        shards: dict[str, list[IndexPage]] = {}
        for page in self.pages:
            shards.setdefault(page.shard, []).append(page)
        mains = main_shards((page.lang, page.shard) for page in self.pages)
        staged = self._staging()
        try:
            keys = {}
            reused, to_build = [], []
            for name, pages in sorted(shards.items()):
                if self.cache is not None:
                    keys[name] = bundle_key(pages, pagefind_version(), INDEX_CONFIG, BUNDLE_FORMAT)
                    if self._from_cache(name, keys[name], staged / name):
                        reused.append(name)
                        continue
                to_build.append(name)
            started = finished = 0.0
            if to_build:
                started = time.monotonic()
                write_bundles([(shards[name], staged / name) for name in to_build], self.timeout, self._stop)
                finished = time.monotonic()
            for name in to_build:
                if self.cache is not None:
                    self.cache.store(name, keys[name], staged / name)
            for name in shards:
                if name not in mains:
                    _leave_out_runtime(staged / name)
            if self.cache is not None:
                self.cache.prune(keys)
            summary = _sum(read_summary(staged / name) for name in sorted(shards))
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return StagedBundle(staged, summary, tuple(to_build), tuple(reused), started, finished)

    def _from_cache(self, shard: str, key: str, target: Path) -> bool:
        assert self.cache is not None
        kept = self.cache.find(shard, key)
        if kept is None:
            return False
        try:
            link_tree(kept, target)
            read_summary(target)
            return True
        except (OSError, ValueError):  # pruned by another build meanwhile, or damaged after the check
            shutil.rmtree(target, ignore_errors=True)
            return False

    def _staging(self) -> Path:
        folder = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=self.output))
        os.chmod(folder, 0o755)  # mkdtemp makes it private; as pagefind/ the web server must read it
        return folder

    def _work(self) -> None:
        try:
            outcome: StagedBundle | BaseException = self.run()
        except BaseException as error:  # handed to the build's thread by result()
            outcome = error
        with self._lock:
            self._outcome = outcome
        if self._stop.is_set():  # abandoned while it ran: nobody will publish it
            self._discard()

    def _discard(self) -> None:
        with self._lock:
            outcome, self._outcome = self._outcome, IndexingStopped()
        if isinstance(outcome, StagedBundle):
            shutil.rmtree(outcome.folder, ignore_errors=True)


def _leave_out_runtime(bundle: Path) -> None:
    """A merged shard is read for its index only: Pagefind's script and WebAssembly come from the main one."""
    for pattern in RUNTIME_FILES:
        for path in bundle.glob(pattern):
            path.unlink()  # a link into the cache, which keeps its own


def _sum(summaries: Iterable[IndexSummary]) -> IndexSummary:
    pages: dict[str, int] = {}
    for summary in summaries:
        for lang, count in summary.pages.items():
            pages[lang] = pages.get(lang, 0) + count
    return IndexSummary(dict(sorted(pages.items())))


def publish(staged: StagedBundle, output: Path) -> Path:
    """Put the finished bundle into place as `output/pagefind/`, replacing the old one."""
    target = output / BUNDLE
    if target.exists():
        shutil.rmtree(target)  # unlink: its files may be hard links into the cache
    staged.folder.rename(target)
    return target
