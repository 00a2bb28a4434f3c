"""What hub_search hands on during a build (see hub_core/state.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hub_core.state import Slot


@dataclass(frozen=True)
class SearchPage:
    """A search page: the language whose index it searches, its URL and its file."""

    lang: str
    url: str
    save_as: str


@dataclass(frozen=True)
class SearchContent:
    """What may be searched (Pelican's posts and pages) and where the search pages are."""

    documents: Sequence[Any]
    pages: Sequence[SearchPage]


# Filled at all_generators_finalized.
SEARCH: Slot[SearchContent] = Slot(
    "search", "hub_search", "the searchable content", on_pages=lambda search: search.pages
)
