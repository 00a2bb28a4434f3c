"""What hub_feeds hands on during a build (see hub_core/state.py)."""

from __future__ import annotations

from typing import Any

from hub_core.state import Slot

from .model import FeedSpec
from .settings import FeedSettings

# Filled at article_generator_init: HUB_FEEDS, checked.
FEED_SETTINGS: Slot[FeedSettings] = Slot(
    "feed_settings", "hub_feeds", "the checked HUB_FEEDS", on_pages=lambda settings: settings
)
# Filled at article_writer_finalized: the articles generator the feeds are written from at `finalized`,
# once the image pipeline has made the files whose sizes the enclosures state.
FEED_ARTICLES: Slot[Any] = Slot("feed_articles", "hub_feeds", "the articles generator the feeds are written from")
# Filled at article_generator_finalized: every feed with the posts it carries (templates get the
# feeds without their posts, as HUB_FEED_LINKS).
FEED_PLAN: Slot[tuple[FeedSpec, ...]] = Slot("feed_plan", "hub_feeds", "the planned feeds and their posts")
