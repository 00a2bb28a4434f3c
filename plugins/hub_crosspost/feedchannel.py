"""`feed` channels: a teaser feed (RSS 2.0) per channel, for schedulers and importers.

Buffer, Hootsuite or Xing's RSS import read it and post the items: no account or
token on our side. Each item's guid is the post URL, so a reader that has seen an
item never takes it again; only posts the gate publishes appear.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from feedgen.feed import FeedGenerator

from .channels import ChannelConfig
from .model import PostInfo, Teaser

NEWEST = 20


def teaser_feed(
    channel: ChannelConfig,
    posts: Sequence[PostInfo],
    compose: Callable[[PostInfo, ChannelConfig, int], Teaser],
    *,
    site_name: str,
    site_url: str,
    feed_url: str,
    updated: datetime,
) -> bytes:
    eligible = [
        p
        for p in posts
        if (channel.since is None or p.date >= channel.since) and (not channel.language or p.lang == channel.language)
    ]
    newest = sorted(eligible, key=lambda p: (p.date, p.key))[-NEWEST:]
    feed = FeedGenerator()
    feed.title(channel.settings.get("title") or f"{site_name} · {channel.name}")
    # feedgen's RSS <link> is the last link set: the self link first, then the site.
    feed.link(href=feed_url, rel="self")
    feed.link(href=site_url or feed_url, rel="alternate")
    feed.description(f"Teaser für {channel.name}")
    feed.language(channel.language or "de")
    feed.generator("hub crosspost")
    feed.lastBuildDate(max((p.date for p in newest), default=updated))
    for post in newest:
        teaser = compose(post, channel, channel.limit)
        entry = feed.add_entry(order="append")
        entry.guid(post.url, permalink=True)
        entry.title(f"{post.sponsored_label}: {post.title}" if post.sponsored_label else post.title)
        entry.link(href=teaser.link)
        entry.description(teaser.text)
        entry.pubDate(post.date)
    return feed.rss_str(pretty=True)
