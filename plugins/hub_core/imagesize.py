"""Image dimensions for width/height attributes (no layout shift)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .imagefile import ImageFacts, inspect, judged


@lru_cache(maxsize=4096)
def image_size(path: Path) -> tuple[int, int] | None:
    """Width and height of the image at `path` as a browser shows it (EXIF orientation applied), from its
    header only; None for a file that cannot be read (the check `image-file` reports why)."""
    if judged(path.name):
        facts = inspect(path)
        return facts.upright_size if isinstance(facts, ImageFacts) else None
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, UnidentifiedImageError):
        return None
