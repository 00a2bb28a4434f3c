"""hub_feeds' setting: HUB_FEEDS, judged by settings.parse_settings (every mistake at once).

HUB_UID_DOMAIN, the authority of the entry ids, is hub_review's setting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hub_core.options import Option

from .settings import parse_settings


def _feeds(value: Any) -> str | None:
    return "\n".join(parse_settings(value)[1]) or None


def _feeds_warnings(value: Any) -> Sequence[str]:
    return parse_settings(value)[2]


FEEDS = Option(
    "HUB_FEEDS",
    None,
    _feeds,
    "feed paths per kind (`None` = off), `formats`, `max_items` (20), `dev_siteurl`; see `pelicanconf.py`",
    warnings=_feeds_warnings,
)

OPTIONS = (FEEDS,)
