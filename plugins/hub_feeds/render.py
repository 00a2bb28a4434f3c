"""Atom 1.0 and RSS 2.0 documents from plain data, with feedgen.

Deterministic: the same entries give the same bytes. feedgen stamps the build
time into atom:updated and rss:lastBuildDate unless told otherwise, so both are
set to the newest entry's `updated`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .model import MIME, Entry, FeedMeta


def render_feed(fmt: str, meta: FeedMeta, entries: Sequence[Entry]) -> bytes:
    """One feed document; `entries` newest first (at least one: an empty feed has no `updated`)."""
    if not entries:
        raise ValueError(f"{meta.self_url}: a feed needs at least one entry")
    feed = FeedGenerator()
    if fmt == "rss":
        # RSS <author> must be an e-mail address: names go into dc:creator.
        feed.load_extension("dc", atom=False, rss=True)
    feed.id(meta.id)
    feed.title(meta.title)
    feed.subtitle(meta.subtitle or meta.title)
    feed.language(meta.lang)
    # feedgen's RSS <link> is the last link set: the self link first, then the page.
    feed.link(href=meta.self_url, rel="self", type=MIME[fmt])
    feed.link(href=meta.page_url, rel="alternate", type="text/html")
    if meta.logo:
        feed.logo(meta.logo)
    if meta.icon:
        feed.icon(meta.icon)
    if meta.author and any(not e.authors for e in entries):
        feed.author({"name": meta.author})
    feed.updated(max(e.updated for e in entries))
    for entry in entries:
        _add(feed, entry, fmt, meta.author)
    if fmt == "atom":
        return bytes(feed.atom_str(pretty=True))
    if fmt == "rss":
        return bytes(feed.rss_str(pretty=True))
    raise ValueError(f"unknown feed format {fmt!r}")


def _add(feed: FeedGenerator, entry: Entry, fmt: str, fallback_author: str) -> None:
    item = feed.add_entry(order="append")
    item.id(entry.id)  # also the RSS guid, isPermaLink="false"
    item.title(entry.title)
    links = [{"href": entry.url, "rel": "alternate", "type": "text/html"}]
    if entry.enclosure:
        enclosure = entry.enclosure
        links.append(
            {"href": enclosure.url, "rel": "enclosure", "type": enclosure.type, "length": str(enclosure.length)}
        )
    if fmt == "atom":
        item.register_extension("hub_links", AtomEntryLinks, atom=True, rss=False)
        item.hub_links.links = links
    else:
        item.link(links)  # RSS: <link> and <enclosure>
    item.published(entry.published)
    item.updated(entry.updated)
    if entry.authors:
        item.author([{"name": name} for name in entry.authors])
    creators = entry.authors or ((fallback_author,) if fallback_author else ())
    if fmt == "rss" and creators:
        item.dc.dc_creator(list(creators))
    if entry.categories:
        item.category([{"term": c.term, "label": c.label} for c in entry.categories])
    if entry.summary:
        item.summary(entry.summary)
    item.content(entry.content, type="html")


class AtomEntryLinks:
    """Entry <link>s for Atom. feedgen 1.0 writes them without rel, type and length (it reads
    those from the element it just made; lkiesow/python-feedgen#135, #143), which turns the
    enclosure into a second alternate link: invalid Atom."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_atom(self, entry: Any) -> Any:
        for attributes in self.links:
            xml_elem("link", entry, **attributes)
        return entry

    def extend_rss(self, item: Any) -> Any:
        return item
