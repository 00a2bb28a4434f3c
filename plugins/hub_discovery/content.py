"""What the discovery outputs read from a post or page, and the site they belong to.

Posts and pages are Pelican content objects (or anything with the same attributes:
title, summary, lang, url, date, modified, authors, team_authors, category, tags,
image, social_card, sponsored, canonical_url, translations); these helpers read
them defensively, since stock Pelican posts lack most of our fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hub_core.sponsored import DEFAULT_SPONSORED_LABEL
from markupsafe import Markup

from .urls import join

# OpenGraph wants territory locales; a language without an entry becomes 'xx_XX'.
DEFAULT_LOCALES: Mapping[str, str] = {"de": "de_DE", "en": "en_US"}
DESCRIPTION_LENGTH = 300  # as the <meta name="description"> of the theme


@dataclass(frozen=True)
class Site:
    """The blog as a whole, as the current template sees it."""

    url: str  # SITEURL: absolute in production, relative in development
    name: str
    description: str
    default_lang: str = "de"
    company_name: str = ""
    company_url: str = ""
    publisher_logo: str = ""  # site-relative raster image (or absolute URL); "" for none
    publisher_logo_size: tuple[int, int] | None = None
    locales: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_LOCALES))
    sponsored_label: str = DEFAULT_SPONSORED_LABEL

    def absolute(self, path: str) -> str:
        return join(self.url, path)

    def locale(self, lang: str) -> str:
        if lang in self.locales:
            return self.locales[lang]
        if "-" in lang or "_" in lang:
            return lang.replace("-", "_")
        return f"{lang}_{lang.upper()}"


def plain_text(html: str | None) -> str:
    """Text of an (escaped or HTML) summary: tags stripped, entities decoded, spaces collapsed."""
    return Markup(html or "").striptags()


def shorten(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """At most `length` characters, cut at a word boundary, with '…'."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–") + "…"


def published(item: Any) -> datetime | None:
    value = getattr(item, "date", None)
    return value if isinstance(value, datetime) else None


def last_modified(item: Any) -> datetime | None:
    """max(date, modified): when the content last changed, never the time of the build."""
    values = [v for v in (published(item), getattr(item, "modified", None)) if isinstance(v, datetime)]
    try:
        return max(values) if values else None
    except TypeError:  # a naive and an aware time (stock Pelican without TIMEZONE): trust `modified`
        return values[-1]


def lang_of(item: Any, default: str) -> str:
    return str(getattr(item, "lang", None) or default)


def translations(item: Any) -> list[Any]:
    return list(getattr(item, "translations", None) or [])


def sponsored_title(item: Any, site: Site) -> str:
    """The title as social networks show it: sponsored posts keep their label, as in <title>."""
    title = str(getattr(item, "title", "") or "")
    sponsored = getattr(item, "sponsored", None)
    if sponsored:
        label = getattr(sponsored, "label", "") or site.sponsored_label
        return f"{label}: {title}"
    return title
