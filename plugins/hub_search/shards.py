"""How the search index is split into shards: one Pagefind bundle per language and year.

Pagefind has no incremental mode: a bundle is made from all of its pages at once. So the
index is cut into bundles that change rarely and independently, and an edit rebuilds only
the bundle holding the edited post; the search page loads one of them and merges the rest
in the reader's browser (Pagefind's `mergeIndex`), ranking the hits of all of them together.

- Per year of the post: an edit is almost always to a recent post, and a year holds a
  hundred or so posts on a busy blog, so a rebuild indexes a few hundred pages, not all.
  The current year is a shard of its own like every other; pages (no date) are one more.
- Per language: Pagefind picks, in a merged bundle, the index of the search page's
  language, but falls back to the largest one when a bundle has none in that language,
  and every merged bundle is searched with the main bundle's stemmer. One language per
  shard, and the search page of a language merges only that language's shards: a German
  page never shows English hits, and each hit is found with its own language's stemming.

Every function here is plain data: names, languages and dates in, names out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PAGES = "pages"  # the shard of a language's pages (Impressum, Über uns): no date
NOT_IN_A_NAME = re.compile(r"[^a-z0-9]+")


def shard_name(lang: str, date: str) -> str:
    """The shard of a document: `<lang>-<year>` for a post (ISO date), `<lang>-pages` for a page."""
    language = NOT_IN_A_NAME.sub("-", lang.lower()).strip("-") or "unknown"
    year = date[:4] if re.fullmatch(r"\d{4}", date[:4]) else PAGES
    return f"{language}-{year}"


def by_language(shards: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """{lang: its shard names}, from (lang, shard name) pairs: the newest year first, pages last.

    The first is the main shard of the language: the search page loads Pagefind's script and
    WebAssembly from it and merges the others; the newest year is the one most searched for.
    """
    found: dict[str, set[str]] = {}
    for lang, name in shards:
        found.setdefault(lang, set()).add(name)
    return {lang: sorted(names, key=_newest_first) for lang, names in sorted(found.items())}


def main_shards(shards: Iterable[tuple[str, str]]) -> set[str]:
    """The shards a search page loads Pagefind from: each keeps Pagefind's script and WebAssembly."""
    return {names[0] for names in by_language(shards).values() if names}


def _newest_first(name: str) -> tuple[int, str]:
    year = name.rsplit("-", 1)[-1]
    return (-int(year), name) if year.isdigit() else (1, name)
