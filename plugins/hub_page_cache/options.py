"""hub_page_cache's setting: where rendered pages are kept."""

from __future__ import annotations

import os

from hub_core.options import Derived, Option, path_or_none

PAGE_CACHE = Option(
    "HUB_PAGE_CACHE",
    Derived("`CACHE_PATH/hub-pages`", lambda s: os.path.join(s.get("CACHE_PATH", "cache"), "hub-pages")),
    path_or_none,
    'rendered pages; `""` turns the cache off (see "Build speed")',
)

OPTIONS = (PAGE_CACHE,)
