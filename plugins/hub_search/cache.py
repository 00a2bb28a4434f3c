"""Keep the last finished bundles of every shard, so a shard whose pages did not change is not indexed again.

A shard's bundle is kept under the key of everything that makes it (`bundle_key`): the
Pagefind version, its options, our own post-processing and every page's URL and HTML, in
order. Pagefind writes the same files for the same input (indexer.py makes sure of that),
so a kept bundle is byte for byte what indexing the shard would write now.

Layout: `<cache>/<shard>/<key>/bundle/...` and `<cache>/<shard>/<key>/manifest.json` (size
and sha256 of every file, written last); the last KEEP bundles of each shard are kept. An entry appears by renaming a finished folder, so a reader
sees all of it or nothing; it is checked against its manifest before use, and anything
wrong with it means indexing again, never a failed build. Files are shared with the output
by hard links: nothing ever writes a bundle file in place (a new bundle is a new folder).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from hub_core.files import place
from hub_core.i18n import translator

from .pages import IndexPage

logger = logging.getLogger(__name__)
PREFIX = "search:"
_, ngettext = translator("hub_search")
KEEP = 2  # per shard: e.g. the development and the production site, built in turns
MANIFEST = "manifest.json"
BUNDLE = "bundle"
KEY = re.compile(r"[0-9a-f]{64}")
# Staging folders of builds that were killed (a running build's is minutes old at most), and
# shards no build has used for that long (a language or year that is gone).
STALE_SECONDS = 24 * 3600


def bundle_key(pages: Sequence[IndexPage], pagefind: str, config: Mapping[str, object], bundle_format: str) -> str:
    """sha256 over what makes the bundle; each part is length-prefixed, so no two inputs run together."""
    digest = hashlib.sha256()
    header = json.dumps({"pagefind": pagefind, "config": config, "format": bundle_format}, sort_keys=True)
    for part in (header, *(text for page in pages for text in (page.url, page.html))):
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def files_of(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file below `folder` as (relative POSIX path, path), in a fixed order."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path


def link_tree(source: Path, target: Path) -> None:
    """The files of `source` into the empty folder `target`: hard links where the file system allows, else copies."""
    folders: set[Path] = set()
    for relative, path in files_of(source):
        destination = target / relative
        if destination.parent not in folders:  # made first: place() would try the link, fail, then make it
            destination.parent.mkdir(parents=True, exist_ok=True)
            folders.add(destination.parent)
        place(path, destination)


def _sha256(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def cannot_keep(root: Path, error: OSError) -> str:
    return _("cannot keep the index in {folder}: {reason}").format(folder=root, reason=error)


class BundleCache:
    """The kept bundles in one folder; every method copes with a missing or damaged folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find(self, shard: str, key: str) -> Path | None:
        """The bundle of `shard` kept under `key`, if it is complete and unchanged; a damaged one is removed."""
        entry = self.root / shard / key
        try:
            manifest = json.loads((entry / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            if entry.exists():
                self._discard(entry, _("the kept index {entry} has no readable manifest").format(entry=entry))
            return None
        try:
            expected = {name: (int(size), str(sha)) for name, (size, sha) in manifest["files"].items()}
            found = {name: (path.stat().st_size, path) for name, path in files_of(entry / BUNDLE)}
            sizes_match = expected.keys() == found.keys() and all(
                found[name][0] == size for name, (size, _) in expected.items()
            )
            if not sizes_match or any(_sha256(found[name][1]) != sha for name, (_, sha) in expected.items()):
                self._discard(entry, _("the kept index {entry} does not match its manifest").format(entry=entry))
                return None
            os.utime(entry / MANIFEST)  # recently used: pruned last
        except FileNotFoundError:
            return None  # removed meanwhile by another build's pruning: index again
        except (OSError, ValueError, TypeError, KeyError) as error:
            self._discard(
                entry, _("the kept index {entry} cannot be read ({reason})").format(entry=entry, reason=error)
            )
            return None
        return entry / BUNDLE

    def store(self, shard: str, key: str, bundle: Path) -> None:
        """Keep a finished bundle of `shard` under `key`; a cache that cannot be written only costs the next build time."""
        try:
            (self.root / shard).mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root))
        except OSError as error:
            logger.warning("%s %s", PREFIX, cannot_keep(self.root, error))
            return
        try:
            link_tree(bundle, staging / BUNDLE)
            files = {name: [path.stat().st_size, _sha256(path)] for name, path in files_of(staging / BUNDLE)}
            (staging / MANIFEST).write_text(json.dumps({"key": key, "files": files}, sort_keys=True), encoding="utf-8")
            os.chmod(staging, 0o755)  # mkdtemp makes it private; the cache may be shared by a CI's users
            try:
                staging.rename(self.root / shard / key)
            except OSError:
                if not (self.root / shard / key).is_dir():
                    raise
                # Another build kept the same bundle meanwhile: it is the same bytes.
        except OSError as error:
            logger.warning("%s %s", PREFIX, cannot_keep(self.root, error))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def prune(self, keep: Mapping[str, str]) -> None:
        """At most KEEP bundles per shard, the most recently used; the bundle in `keep` ({shard: key},
        what this build uses) is one of them whatever its date. A shard this build has not used
        goes once it is unused for a day; bundles of the layout before shards go at once."""
        try:
            children = [path for path in self.root.iterdir() if path.is_dir()]
        except OSError:
            return
        now = time.time()
        for child in children:
            if KEY.fullmatch(child.name):  # a whole-site bundle, kept before the index had shards
                shutil.rmtree(child, ignore_errors=True)
            elif child.name.startswith(".tmp-") or child.name not in keep:
                try:
                    if now - child.stat().st_mtime > STALE_SECONDS:
                        shutil.rmtree(child, ignore_errors=True)
                except OSError:
                    pass
            else:
                self._prune_shard(child, keep[child.name])

    def _prune_shard(self, folder: Path, keep: str) -> None:
        try:
            entries = [path for path in folder.iterdir() if KEY.fullmatch(path.name)]
        except OSError:
            return
        used = {}
        for entry in entries:
            try:
                used[entry] = (entry.name == keep, (entry / MANIFEST).stat().st_mtime)
            except OSError:
                used[entry] = (entry.name == keep, 0.0)  # no manifest: damaged, goes first
        for entry in sorted(entries, key=lambda e: used[e], reverse=True)[KEEP:]:
            shutil.rmtree(entry, ignore_errors=True)
        os.utime(folder)  # used by this build: not a shard that is gone

    def _discard(self, entry: Path, problem: str) -> None:
        logger.warning("%s %s", PREFIX, _("{problem}: indexing again").format(problem=problem))
        shutil.rmtree(entry, ignore_errors=True)
