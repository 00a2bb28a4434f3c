"""hub_search's settings: how long Pagefind may take, where the last bundles are kept.

Pelican's own SEARCH_SAVE_AS and the plugin's SEARCH_LANG_URL / SEARCH_LANG_SAVE_AS (not HUB_*) are
described in the package's docstring.
"""

from __future__ import annotations

import os

from hub_core.options import Derived, Option, path_or_none, positive_number

SEARCH_TIMEOUT = Option("HUB_SEARCH_TIMEOUT", 120, positive_number, "seconds Pagefind may take before the build fails")
SEARCH_CACHE = Option(
    "HUB_SEARCH_CACHE",
    Derived("`CACHE_PATH/hub-search`", lambda s: os.path.join(s.get("CACHE_PATH", "cache"), "hub-search")),
    path_or_none,
    'the last two bundles of each search shard; `""` runs Pagefind on every build (see "Build speed")',
)

OPTIONS = (SEARCH_TIMEOUT, SEARCH_CACHE)
