"""What hub_images hands the other plugins during a build (see hub_core/state.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hub_core.state import Slot

from .process import Processed
from .responsive import Responsive

if TYPE_CHECKING:
    from .pool import ImageWork


@dataclass(frozen=True)
class Images:
    """The processed image files: what the feeds, the Markdown reader and the theme show."""

    # By content-relative path, every image; reading one waits until its files are made (its sizes in bytes).
    processed: Mapping[str, Processed]
    staging: Path  # the folder the variants are linked from into the output
    picture_of: Callable[[str], Responsive | None]  # content-relative path -> its <picture> sources
    # What pages show of the images with variants (known before the files exist), by content-relative path.
    views: Mapping[str, Responsive]


# Filled at get_generators (before anything is read).
IMAGES: Slot[Images] = Slot(
    "images", "hub_images", "the processed images", on_pages=lambda images: (dict(images.views), images.staging)
)
# Filled at get_generators: the images' and cards' work, running until `finalized` waits for it.
IMAGE_WORK: Slot[ImageWork] = Slot("image_work", "hub_images", "the running image and card work")
# Filled at article_generator_finalized: output path -> the card's file in the cache. Pages show a
# card by its address only (`article.social_card`, SITE_SOCIAL_CARD, both in what the page cache
# digests); the files are placed at `finalized`. So a new post's card renders no other page again.
SOCIAL_CARDS: Slot[Mapping[str, Path]] = Slot("social_cards", "hub_images", "the social cards")
