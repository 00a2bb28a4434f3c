"""Image dimensions for width/height attributes (no layout shift)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError


@lru_cache(maxsize=4096)
def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of the image at `path` (header only, no decoding), or None."""
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None
