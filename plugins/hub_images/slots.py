"""What hub_images hands the other plugins during a build (see hub_core/state.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from hub_core.state import Slot

from .process import Processed
from .responsive import Responsive


@dataclass(frozen=True)
class Images:
    """The processed image files: what the feeds, the Markdown reader and the theme show."""

    processed: Mapping[str, Processed]  # by content-relative path
    staging: Path  # the folder the variants are linked from into the output
    picture_of: Callable[[str], Responsive | None]  # content-relative path -> its <picture> sources


# Filled at get_generators (before anything is read).
IMAGES: Slot[Images] = Slot(
    "images", "hub_images", "the processed images", on_pages=lambda images: (images.processed, images.staging)
)
# Filled at article_generator_finalized: output path -> the card's file in the cache.
SOCIAL_CARDS: Slot[Mapping[str, Path]] = Slot("social_cards", "hub_images", "the social cards", on_pages=dict)
