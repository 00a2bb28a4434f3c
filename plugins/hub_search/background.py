"""Make the search bundle beside the build: in a thread, while Pelican writes the pages.

Pelican renders on one core; the `pagefind` binary is another process and indexes on
the other. The thread only feeds it and waits, so it seldom holds the GIL. The job ends
with a finished bundle in a hidden folder of the output (`.pagefind-*`), which the build
renames into place once every page is written (`publish`), or removes if the build
failed (`abandon`): the output never holds half a bundle, and no Pagefind process
outlives the build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .cache import BundleCache, bundle_key, link_tree
from .indexer import (
    BUNDLE,
    BUNDLE_FORMAT,
    INDEX_CONFIG,
    IndexingStopped,
    IndexSummary,
    SearchIndexFailed,
    did_not_finish,
    pagefind_version,
    read_summary,
    write_bundle,
)
from .pages import IndexPage

# Beyond the Pagefind timeout: hashing, checking a kept bundle, linking files, ending the process.
GRACE_SECONDS = 30.0


@dataclass(frozen=True)
class StagedBundle:
    """A finished bundle in a hidden folder of the output, not yet in place."""

    folder: Path
    summary: IndexSummary
    reused: bool  # taken from the cache: Pagefind did not run
    started: float = 0.0  # time.monotonic() when Pagefind started and finished (0 when reused)
    finished: float = 0.0


class IndexJob:
    """One search bundle for `pages`, made in a daemon thread (`start`) or right here (`run`)."""

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
        """Make the bundle: link a kept one from the cache, or run Pagefind (and keep its bundle)."""
        self.output.mkdir(parents=True, exist_ok=True)
        key = None
        if self.cache is not None:
            key = bundle_key(self.pages, pagefind_version(), INDEX_CONFIG, BUNDLE_FORMAT)
            reused = self._from_cache(key)
            if reused is not None:
                return reused
        staged = self._staging()
        try:
            started = time.monotonic()
            summary = write_bundle(self.pages, staged, self.timeout, self._stop)
            finished = time.monotonic()
            if self.cache is not None and key is not None:
                self.cache.store(key, staged)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return StagedBundle(staged, summary, reused=False, started=started, finished=finished)

    def _from_cache(self, key: str) -> StagedBundle | None:
        assert self.cache is not None
        kept = self.cache.find(key)
        if kept is None:
            return None
        staged = self._staging()
        try:
            link_tree(kept, staged)
            return StagedBundle(staged, read_summary(staged), reused=True)
        except (OSError, ValueError):  # pruned by another build meanwhile, or damaged after the check
            shutil.rmtree(staged, ignore_errors=True)
            return None

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


def publish(staged: StagedBundle, output: Path) -> Path:
    """Put the finished bundle into place as `output/pagefind/`, replacing the old one."""
    target = output / BUNDLE
    if target.exists():
        shutil.rmtree(target)  # unlink: its files may be hard links into the cache
    staged.folder.rename(target)
    return target
