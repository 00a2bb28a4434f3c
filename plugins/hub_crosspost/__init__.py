"""crosspost: teasers of each new post on the company's channels, exactly once.

In the build: writes the teaser feed of every `feed` channel (`teaser/<name>.xml`
unless the channel sets `path`) from the posts the review gate publishes.
Posting to APIs is `invoke crosspost` (see runner.py), run by CI after a deploy.

Settings: options.py (HUB_CROSSPOST_LEDGER, the ledger file `invoke crosspost` and `invoke publish`
keep).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_core import build_tracking, state
from hub_core.i18n import translator
from hub_review.slots import REVIEW
from pelican import signals

from .channels import CHANNELS

_, ngettext = translator("hub_crosspost")
logger = logging.getLogger(__name__)
PREFIX = "crosspost:"


def compose_for(post: Any, channel: Any, limit: int) -> Any:
    from .teaser import compose

    return compose(post, channel, limit=limit)


def write_feed_channels(pelican: Any) -> None:
    from hub_core.files import write_atomically

    from .feedchannel import teaser_feed
    from .sources import published_posts

    settings = pelican.settings
    review = state.of(settings).get(REVIEW)
    if review is None:
        return
    result = review.result
    feeds = [c for c in result.calendar.section(CHANNELS).values() if c.type == "feed" and c.enabled]
    if not feeds:
        return
    posts = published_posts(result, settings, review.content)
    site_url = settings.get("SITEURL", "")
    for channel in feeds:
        relative = channel.settings["path"]
        data = teaser_feed(
            channel,
            posts,
            compose_for,
            site_name=settings.get("SITENAME", ""),
            site_url=site_url,
            feed_url=f"{site_url.rstrip('/')}/{relative}",
            updated=datetime.now(result.calendar.timezone),
        )
        write_atomically(Path(pelican.output_path) / relative, data)
        logger.info(
            "%s %s",
            PREFIX,
            _("wrote the teaser feed of {channel} to {path}").format(channel=channel.name, path=relative),
        )


CONNECTIONS = ((signals.finalized, write_feed_channels),)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
