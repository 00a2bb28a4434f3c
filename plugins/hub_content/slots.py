"""What hub_content hands the other plugins during a build (see hub_core/state.py)."""

from __future__ import annotations

from hub_core.render_cache import RenderCache
from hub_core.state import Slot

from .loader import SiteCheck

# Filled at get_generators; the review gate, the readers and the theme's team read it.
SITE_CHECK: Slot[SiteCheck] = Slot("site_check", "hub_content", "the checked content and calendar")
# Filled at get_generators; the readers render through it, closed when the build ends.
MARKDOWN_CACHE: Slot[RenderCache] = Slot("markdown_cache", "hub_content", "the rendered-Markdown cache")
