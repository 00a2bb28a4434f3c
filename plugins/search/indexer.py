"""Run Pagefind over the search documents and put its bundle into the output.

The documents are written to a temporary folder laid out like the site (so Pagefind
derives each result's URL from its path) and indexed in one call of Pagefind's Python
API, which drives the `pagefind` binary shipped in the `pagefind[bin]` package. The
new bundle replaces the old one only when indexing succeeded.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from content_model import ContentCheckFailed
from pagefind.index import IndexConfig, PagefindIndex

from .documents import SearchDocument

BUNDLE = "pagefind"
# Pagefind's ready-made interfaces and its highlighting script, written with every bundle.
UNUSED_FILES = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")


class SearchIndexFailed(ContentCheckFailed):
    """Pagefind could not build the index: the build fails rather than publish a broken search."""


@dataclass(frozen=True)
class IndexSummary:
    pages: dict[str, int]  # pages per language, as Pagefind counted them

    @property
    def total(self) -> int:
        return sum(self.pages.values())


def build_index(documents: Sequence[SearchDocument], output: Path, timeout: float) -> IndexSummary:
    """Index `documents` into `output/pagefind/`; raise SearchIndexFailed with the reason."""
    output.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=output))
    try:
        indexed = _run(documents, staged, timeout)
        if indexed != len(documents):
            raise SearchIndexFailed(f"Pagefind indexed {indexed} of {len(documents)} page(s)")
        summary = _summary(staged)
        # Pagefind lists the languages in hash-map order, different on every run: fix the order.
        entry = staged / "pagefind-entry.json"
        entry.write_text(
            json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True, separators=(",", ":")),
            encoding="utf-8",
        )
        for unused in UNUSED_FILES:  # the theme brings its own search page and script
            for path in staged.glob(unused):
                path.unlink()
        target = output / BUNDLE
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    finally:
        if staged.exists():
            shutil.rmtree(staged)
    return summary


def _run(documents: Sequence[SearchDocument], bundle: Path, timeout: float) -> int:
    try:
        return asyncio.run(asyncio.wait_for(_index(documents, bundle), timeout))
    except TimeoutError:
        raise SearchIndexFailed(f"Pagefind did not finish within {timeout:g} s") from None
    except Exception as error:  # the API raises bare Exceptions with Pagefind's message
        raise SearchIndexFailed(f"Pagefind failed: {type(error).__name__}: {error}") from error


async def _index(documents: Sequence[SearchDocument], bundle: Path) -> int:
    """One page after the other, in a fixed order: Pagefind numbers pages in the order they
    arrive, so the same site gives the same files (a deploy of an unchanged site uploads nothing).
    Handing it a folder lets it read pages in parallel, in a different order every time."""
    config = IndexConfig(output_path=str(bundle))
    count = 0
    async with PagefindIndex(config) as index:  # writes the bundle when the block ends without error
        for document in sorted(documents, key=lambda d: d.save_as):
            url = "/" + document.save_as.removesuffix("index.html")
            await index.add_html_file(content=document.html(), url=url)
            count += 1
    return count


def _summary(bundle: Path) -> IndexSummary:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = entry.get("languages") or {}
    return IndexSummary({lang: int(info.get("page_count", 0)) for lang, info in sorted(languages.items())})
