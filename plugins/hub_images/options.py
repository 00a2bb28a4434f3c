"""hub_images' settings: the responsive variants, where processed images are kept, social cards."""

from __future__ import annotations

from typing import Any

from hub_core.i18n import translator
from hub_core.options import Option, boolean, describe, each, path_or_none, positive_int, text

_, ngettext = translator("hub_images")


def _quality(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100:
        return None
    return _("expected a whole number from 1 to 100, found {value}").format(value=describe(value))


IMAGE_WIDTHS = Option(
    "HUB_IMAGE_WIDTHS", (480, 960, 1600), each(positive_int, "widths in pixels"), "widths of the responsive variants"
)
IMAGE_FORMATS = Option(
    "HUB_IMAGE_FORMATS", ("webp",), each(text, "formats such as 'webp'"), "extra formats besides the original's"
)
IMAGE_QUALITY = Option("HUB_IMAGE_QUALITY", 80, _quality, "quality of the lossy variants")
IMAGE_CACHE = Option(
    "HUB_IMAGE_CACHE", None, path_or_none, "processed images and social cards; None: `cache/images` beside `content/`"
)
SOCIAL_CARDS = Option("HUB_SOCIAL_CARDS", True, boolean, "a 1200×630 card per post")

OPTIONS = (IMAGE_WIDTHS, IMAGE_FORMATS, IMAGE_QUALITY, IMAGE_CACHE, SOCIAL_CARDS)
