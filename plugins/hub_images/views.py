"""The image settings, the cache's place, and what a page shows of one image, without a build (pure).

The build plans every image at once (cache.prepare, in the adapter); the quick preview
(hub_preview/quick.py) renders one post outside a build and asks here for the `<picture>` sources
of the images it names, planned by the same rules from the same settings and cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hub_core.imagefile import EXTENSION_FORMATS
from hub_core.options import read

from . import options
from .process import ImageSettings, source_format
from .responsive import Responsive, responsive

SUFFIXES = tuple(EXTENSION_FORMATS)


def image_settings(settings: dict[str, Any]) -> ImageSettings:
    return ImageSettings(
        widths=tuple(read(options.IMAGE_WIDTHS, settings)),
        formats=tuple(read(options.IMAGE_FORMATS, settings)),
        quality=int(read(options.IMAGE_QUALITY, settings)),
    )


def cache_dir(settings: dict[str, Any]) -> Path:
    configured = read(options.IMAGE_CACHE, settings)
    return Path(configured) if configured else Path(settings["PATH"]).parent / "cache" / "images"


def picture_view(settings: dict[str, Any], relative: str) -> Responsive | None:
    """What a page shows of one image (its <picture> sources) as a build plans it, from the image's
    header and the cache, no pixel decoded. None for a file that is no image of the site or gets
    no variants."""
    from .cache import prepare

    source = Path(settings["PATH"]) / relative
    if source.suffix.lower() not in SUFFIXES or not source.is_file():
        return None
    prepared = prepare([(source, relative)], image_settings(settings), cache_dir(settings))
    image = prepared.images.get(relative)
    if image is None or not image.variants:
        return None
    return responsive(image.plan, source_format(relative) or "jpeg")
