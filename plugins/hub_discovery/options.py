"""hub_discovery's settings: where sitemap.xml and robots.txt go and what they leave out, the publisher
logo named in structured data, the OpenGraph locales."""

from __future__ import annotations

from typing import Any

from hub_core.i18n import translator
from hub_core.options import Option, describe, mapping, text, text_or_none, texts

_, ngettext = translator("hub_discovery")

DEFAULT_EXCLUDE = ("redaktion/", "entwuerfe/")  # the editors' dashboard, drafts


def _size(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(n, int) and n > 0 for n in value):
        return None
    return _("expected (width, height) in pixels such as (600, 60), or None, found {value}").format(
        value=describe(value)
    )


def _mapping_or_none(value: Any) -> str | None:
    return None if value is None else mapping(value)


SITEMAP_SAVE_AS = Option(
    "HUB_SITEMAP_SAVE_AS", "sitemap.xml", text, 'where production builds write the sitemap; `""` for none'
)
ROBOTS_SAVE_AS = Option(
    "HUB_ROBOTS_SAVE_AS", "robots.txt", text, 'where production builds write robots.txt; `""` for none'
)
SITEMAP_EXCLUDE = Option("HUB_SITEMAP_EXCLUDE", DEFAULT_EXCLUDE, texts, "folders kept out of the sitemap")
ROBOTS_DISALLOW = Option(
    "HUB_ROBOTS_DISALLOW",
    tuple(f"/{folder}" for folder in DEFAULT_EXCLUDE),
    texts,
    "paths robots.txt asks crawlers to leave alone",
)
PUBLISHER_LOGO = Option(
    "HUB_PUBLISHER_LOGO",
    None,
    text_or_none,
    "raster logo named as publisher in structured data; None: the site's social card",
)
PUBLISHER_LOGO_SIZE = Option(
    "HUB_PUBLISHER_LOGO_SIZE", None, _size, "(width, height) of HUB_PUBLISHER_LOGO; the card's 1200×630 without one"
)
OG_LOCALES = Option(
    "HUB_OG_LOCALES",
    None,
    _mapping_or_none,
    'OpenGraph locale per language, over `{"de": "de_DE", "en": "en_US"}`',
)

OPTIONS = (
    SITEMAP_SAVE_AS,
    ROBOTS_SAVE_AS,
    SITEMAP_EXCLUDE,
    ROBOTS_DISALLOW,
    PUBLISHER_LOGO,
    PUBLISHER_LOGO_SIZE,
    OG_LOCALES,
)
