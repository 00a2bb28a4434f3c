"""Rendered files by call key, on disk: an index (key → files) and the files' bytes by content hash.

A blob and the output file it came from or went to are one file (a hard link; a copy where the
cache and the output are on different file systems), so reusing a page costs one system call.
Blobs are read-only: a tool that writes into an output file in place fails loudly instead of
changing the cache, and the writer replaces output files instead of writing into them. A damaged
index means an empty cache, never a failed build.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from hub_core.files import make_read_only, place, replace_atomically
from hub_core.i18n import translator

_, ngettext = translator("hub_page_cache")

INDEX = "index.json"
FORMAT = 1
KEEP_UNUSED_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class Rendered:
    relative: str  # the file Pelican wrote, relative to the output folder
    blob: Path


class PageStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problem: str | None = None
        self._entries: dict[str, dict[str, object]] = {}
        self.template_facts: dict[str, list] = {}  # type: ignore[type-arg]  # see templates.py
        self._used: set[str] = set()
        self._changed = False
        try:
            loaded = json.loads((folder / INDEX).read_text(encoding="utf-8"))
            if loaded.get("format") == FORMAT and isinstance(loaded.get("entries"), dict):
                self._entries = loaded["entries"]
                facts = loaded.get("templates")
                self.template_facts = facts if isinstance(facts, dict) else {}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as error:
            self.problem = _("{file} unreadable ({reason}); starting empty").format(file=folder / INDEX, reason=error)

    def get(self, key: str) -> list[Rendered] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            files = [Rendered(str(relative), self._blob_path(str(digest))) for relative, digest in entry["files"]]  # type: ignore[attr-defined]
        except (TypeError, ValueError):
            return None
        if not all(f.blob.is_file() for f in files):
            return None
        self._used.add(key)
        return files

    def put(self, key: str, files: Iterable[tuple[str, Path]]) -> None:
        """Keep the files just written (relative name, path in the output) under `key`."""
        listed = []
        for relative, written in files:
            digest = hashlib.sha256(written.read_bytes()).hexdigest()
            blob = self._blob_path(digest)
            if not blob.is_file():
                blob.parent.mkdir(parents=True, exist_ok=True)
                place(written, blob, read_only_copy=True)
                make_read_only(blob)  # a link: the output file shares the mode
            listed.append([relative, digest])
        self._entries[key] = {"files": listed}
        self._used.add(key)
        self._changed = True

    def save(self, now: float | None = None) -> None:
        """Record what this build used; forget entries unused for 30 days and their blobs."""
        now = time.time() if now is None else now
        for key in self._used:
            self._entries[key]["used"] = int(now)
        stale = [key for key, entry in self._entries.items() if now - float(entry.get("used", 0)) > KEEP_UNUSED_SECONDS]  # type: ignore[arg-type]
        for key in stale:
            del self._entries[key]
        if not (self._used or stale or self._changed):
            return
        index = {"format": FORMAT, "entries": self._entries, "templates": self.template_facts}
        replace_atomically(self.folder / INDEX, lambda stream: stream.write(json.dumps(index).encode("utf-8")))
        if stale:
            self._remove_unreferenced_blobs()

    def _remove_unreferenced_blobs(self) -> None:
        referenced = {digest for entry in self._entries.values() for _, digest in entry["files"]}  # type: ignore[attr-defined]
        for blob in (self.folder / "blobs").glob("*/*"):
            if blob.name not in referenced:
                blob.unlink(missing_ok=True)

    def _blob_path(self, digest: str) -> Path:
        if len(digest) != 64:
            raise ValueError(digest)
        return self.folder / "blobs" / digest[:2] / digest
