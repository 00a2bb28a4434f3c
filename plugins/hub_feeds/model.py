"""What a feed is made of, as plain data: no Pelican objects beyond this line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MIME = {"atom": "application/atom+xml", "rss": "application/rss+xml"}


@dataclass(frozen=True)
class Topic:
    """Something a post is filed under that has its own page and feed."""

    kind: str  # "category" | "author" | "tag"
    slug: str
    name: str
    page: str  # the topic page, relative to the site root


@dataclass(frozen=True)
class Post:
    """What deciding which feeds a post goes into needs (its content is made only when writing)."""

    id: str
    lang: str
    published: datetime
    topics: tuple[Topic, ...] = ()


@dataclass(frozen=True)
class Term:
    term: str  # stable identifier (the slug)
    label: str  # what readers see


@dataclass(frozen=True)
class Enclosure:
    url: str
    length: int
    type: str


@dataclass(frozen=True)
class Entry:
    id: str  # tag URI, never changes once published
    title: str
    url: str
    published: datetime
    updated: datetime
    content: str  # HTML, every URL absolute
    authors: tuple[str, ...] = ()
    categories: tuple[Term, ...] = ()
    summary: str | None = None  # plain text
    enclosure: Enclosure | None = None


@dataclass(frozen=True)
class FeedSpec:
    """One feed (in every format): which posts, under which name, written where."""

    kind: str  # "all" | "language" | "category" | "author" | "tag"
    key: str  # "" for all, the language code, or the topic's slug
    lang: str
    title: str
    subtitle: str
    page: str  # the page the feed is the alternate of, relative to the site root ("" = home)
    paths: tuple[tuple[str, str], ...]  # (format, output path)
    post_ids: tuple[str, ...]  # newest first


@dataclass(frozen=True)
class FeedMeta:
    """Feed-level data with absolute URLs, for one format."""

    id: str
    title: str
    subtitle: str
    lang: str
    self_url: str
    page_url: str
    logo: str | None = None
    icon: str | None = None
    author: str = ""  # for entries without one (Atom needs an author everywhere)


@dataclass(frozen=True)
class FeedLink:
    """A <link rel="alternate"> for templates."""

    path: str  # relative to the site root
    type: str
    title: str
    format: str
