"""What a request is: a page, a feed, a file; who asked: a reader, a bot, our own health check;
where the reader came from: a channel's teaser, another site.

The rules (Rules) are plain values from the settings, so a worker process can get them; the Judge
built from them answers each question once per distinct value (an address, a User-Agent, a
referring host) and remembers the answer: a log has millions of lines but few distinct agents and
addresses, so judging costs a dictionary lookup per line. Every cache is emptied when it grows too
big, which keeps memory flat however long the log is.

Addresses are named as our built site names them: decoded (`/2026/größe/`, not `/2026/gr%C3%B6%C3%9Fe/`),
without the query, a folder's `index.html` as the folder (`/2026/slug/`), with the leading slash of
the request (the site's own path, when SITEURL has one, included).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

from hub_core.options import read
from hub_feeds.settings import parse_settings

from .options import HEALTH_AGENTS, SITE_HOST
from .robots import Robots

# What an address is (Judge.address).
PAGE = "page"  # an HTML page by its address: ends in / or .html
FILE = "file"  # anything else (styles, images, downloads), unless the log's content type says HTML
FEED = "feed"  # one of the site's feeds
NEVER = "never"  # our own tools (search index, comment inbox) and addresses outside the site: never a page

# Why a request is not a view (DayFigures.filtered).
HEALTH = "health"
BOT = "bot"
PREFETCH = "prefetch"
METHOD = "method"
STATUS = "status"
ASSET = "asset"
FEED_FETCH = "feed"

# Feeds of the teaser channels (hub_crosspost: a `feed` channel writes teaser/<name>.xml).
TEASER_FEEDS = ("teaser/{name}.xml",)
# Below the site: the search index (Pagefind) and the comment inbox (hub_inbox) are tools, not pages.
NOT_PAGES = ("pagefind/", "dialog/")
_CACHE_LIMIT = 200_000

# Feed readers that report their subscribers in the User-Agent, and the name we keep for them
# (formats as the services send them, e.g. "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462
# subscribers; )", "Feedbin feed-id:1697787 - 102 subscribers", "NewsBlur Feed Fetcher - 27
# subscribers - https://www.newsblur.com/site/7704055/…", "Mozilla/5.0 (compatible; inoreader.com; 114
# subscribers)", "Mozilla/5.0 (compatible; theoldreader.com; 1 subscribers; feed-id=cead6c…)").
# Self-hosted readers (Miniflux, FreshRSS, Tiny Tiny RSS) report no number: one installation is one
# reader or a few, and without the IP address, which we do not keep, installations cannot be told apart.
SERVICES = (
    ("feedly", "feedly"),
    ("inoreader", "inoreader"),
    ("newsblur", "newsblur"),
    ("feedbin", "feedbin"),
    ("theoldreader", "theoldreader"),
    ("bazqux", "bazqux"),
    ("netvibes", "netvibes"),
    ("feedspot", "feedspot"),
    ("feedhq", "feedhq"),
    ("bloglines", "bloglines"),
    ("newsgator", "newsgator"),
    ("feedfetcher-google", "google"),
    ("dreamwidth", "dreamwidth"),
    ("livejournal", "livejournal"),
)
_SUBSCRIBERS = re.compile(r"\b(\d{1,9}) (?:subscribers?|readers?)\b", re.IGNORECASE)
_FEED_ID = re.compile(r"feed-?id[:=] ?([A-Za-z0-9_-]{1,40})|/site/(\d{1,20})/", re.IGNORECASE)
_PRODUCT = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,39}")
_ESCAPED_BYTE = re.compile(r"\\x([0-9A-Fa-f]{2})")
_URL_HOST = re.compile(r"https?://([A-Za-z0-9.-]{1,100})", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """What the judging needs from the settings: plain values (a worker process can get them)."""

    own_hosts: tuple[str, ...] = ()  # our hosts, lower case, without www.: a visit from there is no referrer
    base: str = "/"  # the site's path below its host (SITEURL's path), with slashes on both ends
    feeds: tuple[str, ...] = ()  # feed path patterns below base ("feeds/{lang}.{format}.xml")
    health_agents: tuple[str, ...] = ()


def rules_from(settings: Mapping[str, Any]) -> Rules:
    """The rules of a site: its host (HUB_STATS_SITE_HOST, else SITEURL's), its feeds (HUB_FEEDS
    with its defaults, and the teaser feeds), our health checks (HUB_STATS_HEALTH_AGENTS)."""
    siteurl = urlsplit(str(settings.get("SITEURL") or ""))
    host = read(SITE_HOST, settings) or siteurl.hostname or ""
    feeds = parse_settings(settings.get("HUB_FEEDS"))[0].paths.values()
    return Rules(
        own_hosts=(_bare(host),) if host else (),
        base="/" + siteurl.path.strip("/") + "/" if siteurl.path.strip("/") else "/",
        feeds=(*feeds, *TEASER_FEEDS),
        health_agents=tuple(read(HEALTH_AGENTS, settings)),
    )


def _bare(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _pattern(path: str) -> str:
    """A feed path pattern as a regular expression: each {placeholder} one path segment's worth."""
    parts = []
    for literal, name, _spec, _conversion in Formatter().parse(path):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(r"[^/]+")
    return "".join(parts)


class Judge:
    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self._robots = Robots(rules.health_agents)
        self._own = frozenset(rules.own_hosts)
        patterns = "|".join(_pattern(path) for path in rules.feeds)
        self._feed = re.compile(f"(?:{patterns})").fullmatch if patterns else None
        self._addresses: dict[str, tuple[str, str]] = {}
        self._agents: dict[str | None, str | None] = {}
        self._subscriptions: dict[str, tuple[str, int] | None] = {}
        self._hosts: dict[str, str | None] = {}

    # -- the address ------------------------------------------------------------------------------
    def address(self, raw: str) -> tuple[str, str]:
        """(PAGE, FILE, FEED or NEVER, the address as the site names it) of a requested path."""
        known = self._addresses.get(raw)
        if known is None:
            if len(self._addresses) > _CACHE_LIMIT:
                self._addresses.clear()
            known = self._addresses[raw] = self._judge_address(raw)
        return known

    def _judge_address(self, raw: str) -> tuple[str, str]:
        path = raw
        if not path.startswith("/"):  # the absolute form (a proxy's "GET http://host/path") or noise
            scheme = path.find("://")
            if scheme < 0:
                path = "/" + path
            else:
                slash = path.find("/", scheme + 3)
                path = path[slash:] if slash >= 0 else "/"
        if "\\x" in path:  # nginx writes bytes outside ASCII as \xC3: back to the bytes, like %C3
            path = _ESCAPED_BYTE.sub(r"%\1", path)
        if "%" in path:
            path = unquote(path, errors="replace")
        if path.endswith("/index.html"):
            path = path[: -len("index.html")]
        base = self.rules.base
        if not path.startswith(base):
            return NEVER, path
        below = path[len(base) :]
        if self._feed is not None and self._feed(below):
            return FEED, path
        if below.startswith(NOT_PAGES):
            return NEVER, path
        if below == "" or below.endswith(("/", ".html", ".htm")):
            return PAGE, path
        return FILE, path

    # -- the agent -----------------------------------------------------------------------------------
    def who(self, agent: str | None) -> str | None:
        """HEALTH, BOT, or None for a person. No agent logged at all (the common log format): a
        person, as nothing tells otherwise."""
        if agent in self._agents:
            return self._agents[agent]
        if len(self._agents) > _CACHE_LIMIT:
            self._agents.clear()
        if agent is None:
            verdict = None
        elif self._robots.is_health_check(agent):
            verdict = HEALTH
        elif self._robots.is_bot(agent) or _SUBSCRIBERS.search(agent):
            verdict = BOT
        else:
            verdict = None
        self._agents[agent] = verdict
        return verdict

    def subscription(self, agent: str) -> tuple[str, int] | None:
        """(reader service, subscribers) that a feed reader reports, or None. The service is its
        name ("feedly"), with the reader's own feed id where it sends one ("feedbin#1697787"): one
        service may follow a feed under several addresses, each with its own subscribers."""
        if agent in self._subscriptions:
            return self._subscriptions[agent]
        if len(self._subscriptions) > _CACHE_LIMIT:
            self._subscriptions.clear()
        found = _SUBSCRIBERS.search(agent)
        result = None
        if found:
            service = _service(agent)
            feed_id = _FEED_ID.search(agent)
            if feed_id:
                service += "#" + (feed_id.group(1) or feed_id.group(2))
            result = (service, int(found.group(1)))
        self._subscriptions[agent] = result
        return result

    # -- where the reader came from -------------------------------------------------------------------
    def referrer(self, referrer: str) -> str | None:
        """The referring site's host; None for no referrer, our own pages, and an IP address (no site
        name, and an address is what we never keep)."""
        scheme = referrer.find("://")
        if scheme < 0:
            return None
        rest = referrer[scheme + 3 :]
        end = len(rest)
        for mark in "/?#":
            at = rest.find(mark)
            if 0 <= at < end:
                end = at
        netloc = rest[:end]
        if netloc in self._hosts:
            return self._hosts[netloc]
        if len(self._hosts) > _CACHE_LIMIT:
            self._hosts.clear()
        host = _host(netloc)
        if host is not None and _bare(host) in self._own:
            host = None
        self._hosts[netloc] = host
        return host

    @staticmethod
    def channel(query: str) -> str | None:
        """The teaser's channel: `utm_source` of the query (our teaser links carry the channel's name)."""
        if "utm_source=" not in query:
            return None
        for part in query.split("&"):
            if part.startswith("utm_source="):
                value = unquote_plus(part[len("utm_source=") :], errors="replace").strip()
                return value[:64] or None
        return None

    @staticmethod
    def prefetch(purpose: str) -> bool:
        """Sec-Purpose `prefetch` / `prefetch;prerender`, Purpose `prefetch`, X-Moz `prefetch`: the
        browser fetched the page in case it is opened; nobody has read it yet."""
        lowered = purpose.lower()
        return "prefetch" in lowered or "prerender" in lowered


def _service(agent: str) -> str:
    """A reader service's name: known ones by name, others by the host their agent names, else its
    first word (a product name, never the whole agent)."""
    lowered = agent.lower()
    for part, name in SERVICES:
        if part in lowered:
            return name
    url = _URL_HOST.search(agent)
    if url:
        return _bare(url.group(1))
    product = _PRODUCT.match(agent.removeprefix("Mozilla/5.0 (compatible; "))
    return product.group(0).lower() if product else "other"


def _host(netloc: str) -> str | None:
    host = netloc.rpartition("@")[2].lower()
    if host.startswith("["):  # [2001:db8::1]:443
        return None
    host = host.partition(":")[0].rstrip(".")
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host
    return None
