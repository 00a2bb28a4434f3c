"""What hub_discovery hands on during a build (see hub_core/state.py)."""

from __future__ import annotations

from collections.abc import Sequence

from hub_core.state import Slot

from .sitemap import Entry

# Filled at all_generators_finalized, only when SITEURL is absolute (development writes no sitemap).
# No page shows it (sitemap.xml is written at `finalized`, not by a template): a new post must not
# render every page again.
SITEMAP_ENTRIES: Slot[Sequence[Entry]] = Slot("sitemap_entries", "hub_discovery", "the sitemap's URLs")
