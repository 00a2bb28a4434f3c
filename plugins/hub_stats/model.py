"""What the figures are made of: a request as the counting needs it (Hit) and one day's figures
(DayFigures), plus the platforms' counts of one day (PlatformDay).

Privacy by construction: a Hit holds the User-Agent only until it is judged (bots, feed readers,
health checks) and never an IP address; DayFigures holds paths, channel names, referring hosts and
numbers, nothing that tells one reader from another. Both the JSON form and the merge live here, so
every writer and reader of `data/stats/` agrees on them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

FIGURES_VERSION = 1


class Malformed(ValueError):
    """A log line that is not what its format says; counted and reported, never fatal."""


class Hit(NamedTuple):
    """One request of an access log. `path` without the query string, `query` without the `?`.

    A NamedTuple, not a frozen dataclass: one is made per log line, ten million a month, and a
    frozen dataclass takes four times as long to make (its __init__ sets each field through
    object.__setattr__); a tuple is just as immutable."""

    at: datetime  # aware
    method: str
    path: str
    query: str
    status: int
    referrer: str  # the Referer header as logged; "" or "-" when none
    agent: str | None  # judged, then dropped: never stored; None: the format logs none (common log format)
    content_type: str = ""  # where the log has it (CloudFront: sc-content-type)
    purpose: str = ""  # Sec-Purpose / Purpose / X-Moz where the log has it ("prefetch")


@dataclass
class DayFigures:
    """One day (UTC) of counting. Every field is a count; keys are paths, channels, hosts, reasons.

    views:        page views by people: GET, 2xx, an HTML page (path as requested, query removed)
    channels:     of those, views that came through a teaser: utm_source → path → views
    referrers:    of those, views referred by another site: host → views
    feeds:        feed fetches by anyone (feed readers are bots): feed path → fetches
    subscribers:  what feed readers report in their User-Agent: feed path → reader service → subscribers
                  (the day's highest report per service)
    not_found:    404s: path → count
    filtered:     requests not counted as views, by reason (bot, prefetch, health, method, status, asset)
    malformed:    lines that could not be read
    sources:      the log files folded into this day (short digests, store.py): a file read twice, or
                  re-read after a crash, counts once
    """

    day: date
    views: Counter[str] = field(default_factory=Counter)
    channels: dict[str, Counter[str]] = field(default_factory=dict)
    referrers: Counter[str] = field(default_factory=Counter)
    feeds: Counter[str] = field(default_factory=Counter)
    subscribers: dict[str, dict[str, int]] = field(default_factory=dict)
    not_found: Counter[str] = field(default_factory=Counter)
    filtered: Counter[str] = field(default_factory=Counter)
    malformed: int = 0
    sources: set[str] = field(default_factory=set)

    def add(self, other: DayFigures) -> None:
        """Fold another reading of the same day in (a second log file, a late log)."""
        if other.day != self.day:
            raise ValueError(f"cannot add {other.day} to {self.day}")
        self.views.update(other.views)
        for channel, paths in other.channels.items():
            self.channels.setdefault(channel, Counter()).update(paths)
        self.referrers.update(other.referrers)
        self.feeds.update(other.feeds)
        for feed, services in other.subscribers.items():
            mine = self.subscribers.setdefault(feed, {})
            for service, count in services.items():
                mine[service] = max(mine.get(service, 0), count)
        self.not_found.update(other.not_found)
        self.filtered.update(other.filtered)
        self.malformed += other.malformed
        self.sources |= other.sources

    @property
    def total_views(self) -> int:
        return sum(self.views.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FIGURES_VERSION,
            "day": self.day.isoformat(),
            "views": _sorted(self.views),
            "channels": {channel: _sorted(paths) for channel, paths in sorted(self.channels.items())},
            "referrers": _sorted(self.referrers),
            "feeds": _sorted(self.feeds),
            "subscribers": {feed: dict(sorted(s.items())) for feed, s in sorted(self.subscribers.items())},
            "not_found": _sorted(self.not_found),
            "filtered": _sorted(self.filtered),
            "malformed": self.malformed,
            "sources": sorted(self.sources),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DayFigures:
        if data.get("version") != FIGURES_VERSION:
            raise ValueError(f"expected figures version {FIGURES_VERSION}, found {data.get('version')!r}")
        return cls(
            day=date.fromisoformat(data["day"]),
            views=Counter(data.get("views", {})),
            channels={channel: Counter(paths) for channel, paths in data.get("channels", {}).items()},
            referrers=Counter(data.get("referrers", {})),
            feeds=Counter(data.get("feeds", {})),
            subscribers={feed: dict(s) for feed, s in data.get("subscribers", {}).items()},
            not_found=Counter(data.get("not_found", {})),
            filtered=Counter(data.get("filtered", {})),
            malformed=int(data.get("malformed", 0)),
            sources=set(data.get("sources", ())),
        )


def _sorted(counts: Counter[str]) -> dict[str, int]:
    """Stable files: the same figures give the same bytes, so a commit shows only what changed."""
    return {key: counts[key] for key in sorted(counts) if counts[key]}


@dataclass(frozen=True)
class Reactions:
    """A teaser's counts on its platform at the moment they were fetched (numbers only, never who)."""

    replies: int = 0
    reposts: int = 0
    likes: int = 0

    @property
    def total(self) -> int:
        return self.replies + self.reposts + self.likes


@dataclass
class PlatformDay:
    """The platforms' counts as fetched on one day: post key → channel → reactions (running totals)."""

    day: date
    posts: dict[str, dict[str, Reactions]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FIGURES_VERSION,
            "day": self.day.isoformat(),
            "posts": {
                post: {channel: vars(reactions) for channel, reactions in sorted(channels.items())}
                for post, channels in sorted(self.posts.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlatformDay:
        if data.get("version") != FIGURES_VERSION:
            raise ValueError(f"expected figures version {FIGURES_VERSION}, found {data.get('version')!r}")
        return cls(
            day=date.fromisoformat(data["day"]),
            posts={
                post: {channel: Reactions(**numbers) for channel, numbers in channels.items()}
                for post, channels in data.get("posts", {}).items()
            },
        )
