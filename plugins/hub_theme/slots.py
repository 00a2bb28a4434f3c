"""What hub_theme hands on during a build (see hub_core/state.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub_core.state import Slot

from .languages import LanguageListings


@dataclass(frozen=True)
class LanguagePages:
    """The listings of every language, and the posts each listing of another language shows."""

    listings: LanguageListings
    members: Mapping[tuple[str, str, str], tuple[Any, ...]]  # (kind, lang, slug) -> posts, newest first


# Filled at article_generator_finalized. Pages see the listings (navigation, language switch), not
# the posts of each: those reach a listing through its own call's arguments.
LANGUAGE_PAGES: Slot[LanguagePages] = Slot(
    "language_pages", "hub_theme", "the listings per language", on_pages=lambda pages: pages.listings
)
