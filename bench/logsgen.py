"""Realistic access logs of a busy company blog, for benchmarks, demos and tests (never real ones).

    python -m bench.logsgen OUT [--lines 2000000] [--days 30] [--start 2026-11-01] [--seed 2026]
                                [--site DIR] [--output DIR] [--format combined|cloudfront]

Writes one gzip file per day into OUT, as logrotate delivers them with `dateext`
(`access.log-20261102.gz` holds 2 November, local time), each with its modification time set an
hour back (a delivered log, not one still being written). The same arguments give the same bytes:
every day has its own seeded random stream, so days are generated in parallel (one process per
core) and the result does not depend on how many.

What is in it, per line, roughly as on a real blog (shares of all lines):

- 31% people reading pages: the site's real addresses (`data/published-urls.yaml` of --site, or
  every page of a built --output folder), a few posts much more read than the rest; 5% of those a
  prefetch (`Sec-Purpose: prefetch`), some 304s; referrers: none, our own pages, search engines,
  social networks, a long tail of other sites; 8% come through a teaser link with
  `utm_source=<channel>` of the calendar's channels;
- 20% the assets their pages load (styles, scripts, fonts, images, the search index);
- 30% bots: search engines, SEO and AI crawlers, link previews of Mastodon instances (one agent
  per instance: a long tail), scripts, no agent at all; pages, assets, robots.txt, the sitemap;
- 6% feed fetches: services that report subscribers in the agent (Feedly, Inoreader, NewsBlur,
  Feedbin, The Old Reader), self-hosted readers, browsers; 200 or 304;
- 4% scanners looking for WordPress, `.env`, `.git` (404), half of them with a browser's agent;
- 1.5% people following a dead link (404), 2% our health checks, the rest HEAD requests of link
  checkers and comments posted to the inbox.

Browsers come from a long tail too: the current Chrome, Firefox, Safari and Edge on every
platform, older versions, and in-app browsers (LinkedIn, Xing, Instagram, Facebook) whose agents
name the phone model and app build, about ten thousand distinct agents a month, as judging them
costs per distinct agent. The recommended nginx format (`ops/stats/nginx.conf`: the combined
format plus Sec-Purpose) by default; `--format cloudfront` writes CloudFront standard logs instead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bench import ROOT

BERLIN = ZoneInfo("Europe/Berlin")
SEED = 2026
DAYS = 30
START = date(2026, 11, 1)
LINES = 2_000_000
HOST = "blog.hellwig-antriebe.example"
FORMATS = ("combined", "cloudfront")

# Feeds as pelicanconf.py's HUB_FEEDS names them, and the teaser feeds of the calendar's feed channels.
FEEDS = ("feeds/alle.atom.xml", "feeds/alle.rss.xml", "feeds/en.atom.xml", "feeds/en.rss.xml")
ASSETS = (
    "theme/css/main.css",
    "theme/css/print.css",
    "theme/js/dialog.js",
    "theme/fonts/source-sans-3-regular.woff2",
    "theme/fonts/source-sans-3-semibold.woff2",
    "theme/images/logo.svg",
    "favicon.ico",
    "pagefind/pagefind-ui.js",
    "pagefind/pagefind-ui.css",
    "images/posts/pruefstand-960.webp",
    "images/posts/lehrwerkstatt-960.webp",
    "images/posts/klimaschrank-480.webp",
    "images/team/sroth.jpg",
)
SCANNED = (
    "/wp-login.php",
    "/wp-admin/",
    "/xmlrpc.php",
    "/.env",
    "/.git/config",
    "/phpmyadmin/",
    "/wp-content/plugins/revslider/readme.txt",
    "/admin/config.php",
    "/.aws/credentials",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/cgi-bin/luci",
    "/server-status",
    "/backup.zip",
    "/wp-includes/wlwmanifest.xml",
)

# Kinds of request and their shares of all lines (the module's docstring says why these).
KINDS = (
    ("page", 31.0),
    ("asset", 20.0),
    ("bot", 30.0),
    ("feed", 6.0),
    ("scanner", 4.0),
    ("dead_link", 1.5),
    ("health", 2.0),
    ("head", 5.4),
    ("comment", 0.1),
)

_WINDOWS = ("Windows NT 10.0; Win64; x64", "Windows NT 10.0; WOW64", "Windows NT 6.1; Win64; x64")
_MACS = ("Macintosh; Intel Mac OS X 10_15_7", "Macintosh; Intel Mac OS X 14_6_1", "Macintosh; Intel Mac OS X 13_5")
_LINUXES = ("X11; Linux x86_64", "X11; Ubuntu; Linux x86_64", "X11; Fedora; Linux x86_64")
_PHONES = (
    "SM-S921B", "SM-A546B", "SM-G991B", "SM-A155F", "Pixel 8", "Pixel 7a", "Pixel 9 Pro", "moto g84 5G",
    "2201117TY", "23049PCD8G", "CPH2581", "M2101K6G", "SM-X200", "RMX3771", "XQ-DQ54", "V2250",
)  # fmt: skip
_IOS = ("18_1", "18_0_1", "17_6_1", "17_7", "18_2", "16_7_10", "17_5_1")
_FEED_SERVICES = (
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; {n} subscribers; )",
    "Mozilla/5.0 (compatible; inoreader.com; {n} subscribers)",
    "NewsBlur Feed Fetcher - {n} subscribers - https://www.newsblur.com/site/{id}/hellwig-blog",
    "Feedbin feed-id:{id} - {n} subscribers",
    "Mozilla/5.0 (compatible; theoldreader.com; {n} subscribers; feed-id={id}abc)",
)
_SELF_HOSTED = (
    "Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)",
    "FreshRSS/1.24.3 (Linux; https://freshrss.org)",
    "Tiny Tiny RSS/24.09 (Unsupported) (https://tt-rss.org/)",
    "NetNewsWire (RSS Reader; https://netnewswire.com/)",
    "Thunderbird/128.4.0",
)
_BOTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) "
    "Chrome/116.0.1938.76 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
    "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)",
    "Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; help@moz.com)",
    "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
    "(compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
    "CCBot/2.0 (https://commoncrawl.org/faq/)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 "
    "(compatible; Bytespider; spider-feedback@bytedance.com)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Twitterbot/1.0",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Go-http-client/1.1",
    "Wget/1.21.4",
    "-",
)
_HEALTH = ("Hub-Healthcheck/1.0 (+ops)", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")
_LINK_CHECKERS = ("W3C-checklink/5.0.0 libwww-perl/6.72", "Mozilla/5.0 (compatible; LinkChecker/10.5)")
_SEARCH = ("https://www.google.de/", "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/")
_SOCIAL = ("https://www.linkedin.com/", "https://www.xing.com/", "https://t.co/", "android-app://com.linkedin.android/")
_OTHER_SITES = (
    "https://www.ecosia.org/", "https://www.maschinenmarkt.vogel.de/", "https://www.konstruktionspraxis.vogel.de/",
    "https://www.ihk.de/", "https://forum.antriebstechnik.example/", "https://de.wikipedia.org/",
    "https://news.ycombinator.com/", "https://www.reddit.com/", "https://mail.google.com/", "https://outlook.live.com/",
)  # fmt: skip


@dataclass(frozen=True)
class Site:
    """What the logs are of: the site's page addresses (with their leading slash), feeds, teaser
    channels (the calendar's), its host."""

    pages: tuple[str, ...]
    feeds: tuple[str, ...]
    channels: tuple[str, ...]
    host: str = HOST


def site_from(root: Path = ROOT, output: Path | None = None) -> Site:
    """The sample site's addresses from `root` (its published-urls record and calendar), or every page
    of a built `output` folder; its feeds and channels from the calendar's feed channels."""
    calendar = yaml.safe_load((root / "editorial_calendar.yaml").read_text(encoding="utf-8")) or {}
    channels = tuple(sorted((calendar.get("channels") or {}).keys())) or ("linkedin",)
    feed_channels = [
        name for name, spec in (calendar.get("channels") or {}).items() if (spec or {}).get("type") == "feed"
    ]
    feeds = (*FEEDS, *(f"teaser/{name}.xml" for name in sorted(feed_channels)))
    if output is not None:
        pages = sorted(
            "/" + path.relative_to(output).as_posix().removesuffix("index.html")
            for path in output.rglob("*.html")
            if not path.relative_to(output).as_posix().startswith(("theme/", "pagefind/"))
        )
    else:  # hub_redirects' record: source file → every address it was public under (read as plain YAML)
        record = yaml.safe_load((root / "data" / "published-urls.yaml").read_text(encoding="utf-8")) or {}
        published = record.get("published") or {}
        pages = sorted({"/" + url.lstrip("/") for urls in published.values() for url in urls} | {"/", "/en/"})
    if not pages:
        raise SystemExit(f"no pages found for the logs in {output or root}")
    return Site(tuple(pages), feeds, channels)


def day_lines(total: int, days: int, start: date) -> list[int]:
    """`total` lines shared out over the days: weekdays busier than weekends, the counts summing to total."""
    weights = [1.0 if (start + timedelta(days=n)).weekday() < 5 else 0.55 for n in range(days)]
    scale = total / sum(weights)
    counts = [int(weight * scale) for weight in weights]
    for n in range(total - sum(counts)):
        counts[n % days] += 1
    return counts


# Requests per hour of the local day (office hours and evenings): cumulative weights for random.choices.
_HOURS = tuple(accumulate((2, 1, 1, 1, 1, 2, 4, 7, 10, 11, 11, 10, 9, 10, 10, 9, 8, 7, 7, 7, 6, 5, 4, 3)))


@dataclass(frozen=True)
class _Pools:
    """What does not change from day to day: the pages' popularity, the agents, feed ids, addresses."""

    pages: list[str]
    page_weights: tuple[float, ...]
    browsers: list[str]
    browser_weights: tuple[float, ...]
    mastodon: list[str]
    subscribers: list[tuple[str, str, int, int]]
    ips: list[str]


@lru_cache(maxsize=4)
def _pools(site: Site, seed: int) -> _Pools:
    stable = random.Random(seed)
    pages = list(site.pages)
    stable.shuffle(pages)
    browsers, browser_weights = _browsers(stable)
    mastodon = [
        f"Mastodon/4.{stable.randrange(1, 4)}.{stable.randrange(0, 12)} (http.rb/5.2.0; +https://{_instance(stable, n)}/)"
        for n in range(2500)
    ]
    subscribers = [
        (service, feed, stable.randrange(1, 500), stable.randrange(100_000, 9_999_999))
        for service in _FEED_SERVICES
        for feed in site.feeds[:2]
    ]
    return _Pools(
        pages,
        tuple(accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(pages)))),
        browsers,
        browser_weights,
        mastodon,
        subscribers,
        [_ip(stable.getrandbits(64), n) for n in range(20_000)],
    )


class _Day:
    """One day's random stream and the pools it picks from (agents, addresses, referrers)."""

    def __init__(self, site: Site, day: date, seed: int) -> None:
        self.site = site
        self.rng = random.Random(seed * 100_000 + day.toordinal())
        pools = _pools(site, seed)
        self.pages, self.page_weights = pools.pages, pools.page_weights
        self.browsers, self.browser_weights = pools.browsers, pools.browser_weights
        self.mastodon, self.subscribers, self.ips = pools.mastodon, pools.subscribers, pools.ips
        self.day = day
        midnight = datetime(day.year, day.month, day.day, tzinfo=BERLIN)
        self.offsets = [(midnight + timedelta(hours=hour)).strftime("%z") for hour in range(24)]
        self.prefix = f"{day.day:02d}/{midnight:%b}/{day.year}:"

    def page(self) -> str:
        return self.rng.choices(self.pages, cum_weights=self.page_weights)[0]

    def referrer(self, page: str) -> tuple[str, str]:
        """(referrer, query) of a person's page view."""
        roll = self.rng.random()
        if roll < 0.08:
            channel = self.rng.choice(self.site.channels)
            return (self.rng.choice(_SOCIAL) if channel in ("linkedin", "xing", "x") else "-"), (
                f"?utm_source={channel}&utm_medium=social&utm_campaign=blog"
            )
        if roll < 0.50:
            return "-", ""
        if roll < 0.70:
            return f"https://{self.site.host}{self.page()}", ""
        if roll < 0.88:
            return self.rng.choice(_SEARCH), ""
        if roll < 0.93:
            return self.rng.choice(_SOCIAL), ""
        if roll < 0.97:
            return self.rng.choice(_OTHER_SITES), ""
        return f"https://blog{self.rng.randrange(5000)}.example/2026/linkliste/", ""  # the long tail of sites

    def request(self, kind: str) -> tuple[str, str, str, int, str, str, str]:
        """(method, target, referrer, status, agent, purpose, content type) of one request of `kind`."""
        rng = self.rng
        if kind == "page":
            page = self.page()
            referrer, query = self.referrer(page)
            status = 304 if rng.random() < 0.04 else 200
            purpose = "prefetch" if rng.random() < 0.05 else "-"
            return "GET", page + query, referrer, status, self.browser(), purpose, "text/html"
        if kind == "asset":
            asset = rng.choice(ASSETS)
            status = 304 if rng.random() < 0.3 else 200
            referrer = f"https://{self.site.host}{self.page()}"
            return (
                "GET",
                "/" + asset + ("?v=3" if asset.endswith((".css", ".js")) else ""),
                referrer,
                status,
                (self.browser()),
                "-",
                _content_type(asset),
            )
        if kind == "bot":
            agent = rng.choice(self.mastodon) if rng.random() < 0.15 else rng.choice(_BOTS)
            roll = rng.random()
            if roll < 0.70:
                target, kind_type = self.page(), "text/html"
            elif roll < 0.85:
                target, kind_type = "/" + rng.choice(ASSETS), "image/webp"
            elif roll < 0.93:
                target, kind_type = "/robots.txt", "text/plain"
            else:
                target, kind_type = "/sitemap.xml", "application/xml"
            return "GET", target, "-", 200 if rng.random() < 0.97 else 301, agent, "-", kind_type
        if kind == "feed":
            roll = rng.random()
            if roll < 0.55:
                service, feed, base, feed_id = rng.choice(self.subscribers)
                count = base + (self.day.toordinal() % 7)  # the numbers move a little from day to day
                agent = service.format(n=count, id=feed_id)
            elif roll < 0.85:
                agent, feed = rng.choice(_SELF_HOSTED), rng.choice(self.site.feeds)
            else:
                agent, feed = self.browser(), rng.choice(self.site.feeds)
            status = 304 if rng.random() < 0.6 else 200
            return "GET", "/" + feed, "-", status, agent, "-", "application/atom+xml"
        if kind == "scanner":
            agent = self.browser() if rng.random() < 0.5 else rng.choice(_BOTS[-5:])
            return "GET", rng.choice(SCANNED), "-", 404, agent, "-", "text/html"
        if kind == "dead_link":
            return (
                "GET",
                f"/2019/alter-beitrag-{rng.randrange(300)}/",
                rng.choice(_OTHER_SITES),
                404,
                (self.browser()),
                "-",
                "text/html",
            )
        if kind == "health":
            return "GET", "/", "-", 200, rng.choice(_HEALTH), "-", "text/html"
        if kind == "head":
            return "HEAD", self.page(), "-", 200, rng.choice(_LINK_CHECKERS), "-", "text/html"
        return "POST", "/dialog/", f"https://{self.site.host}{self.page()}", 303, self.browser(), "-", "text/html"

    def browser(self) -> str:
        return self.rng.choices(self.browsers, cum_weights=self.browser_weights)[0]

    def ip(self) -> str:
        return self.ips[int(self.rng.paretovariate(1.2) * 7) % len(self.ips)]


def _browsers(rng: random.Random) -> tuple[list[str], tuple[float, ...]]:
    """About ten thousand browser agents: the common ones often, the long tail (old versions, phones,
    in-app browsers with their build numbers) rarely."""
    head: list[str] = []
    for major in range(128, 132):
        for platform in (*_WINDOWS, *_MACS, *_LINUXES):
            head.append(
                f"Mozilla/5.0 ({platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36"
            )
            head.append(
                f"Mozilla/5.0 ({platform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 "
                f"Safari/537.36 Edg/{major}.0.{2700 + major}.{rng.randrange(40, 99)}"
            )
        head.append(
            f"Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 "
            "Mobile Safari/537.36"
        )
    for version in range(128, 134):
        for platform in (*_WINDOWS, *_MACS[:1], *_LINUXES):
            head.append(f"Mozilla/5.0 ({platform}; rv:{version}.0) Gecko/20100101 Firefox/{version}.0")
    for ios in _IOS:
        ios_major, ios_minor = ios.split("_")[:2]
        head.append(
            f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Version/{ios_major}.{ios_minor} Mobile/15E148 Safari/604.1"
        )
        head.append(
            f"Mozilla/5.0 (iPad; CPU OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            f"Version/{major}.0 Mobile/15E148 Safari/604.1"
        )
    rng.shuffle(head)
    tail: list[str] = []
    for _n in range(10_000):
        phone = rng.choice(_PHONES)
        android = rng.choice((11, 12, 13, 14, 15))
        chrome = f"{rng.randrange(110, 132)}.0.{rng.randrange(5000, 6800)}.{rng.randrange(0, 200)}"
        roll = rng.random()
        if roll < 0.35:
            build = f"{rng.randrange(9, 10)}.{rng.randrange(0, 99)}.{rng.randrange(0, 9)}"
            tail.append(
                f"Mozilla/5.0 (Linux; Android {android}; {phone} Build/UP1A.{rng.randrange(231005, 240905)}.007; wv) "
                f"AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/{chrome} Mobile Safari/537.36 "
                f"[LinkedInApp]/{build}"
            )
        elif roll < 0.55:
            tail.append(
                f"Mozilla/5.0 (Linux; Android {android}; {phone} Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
                f"(KHTML, like Gecko) Version/4.0 Chrome/{chrome} Mobile Safari/537.36 Instagram "
                f"{rng.randrange(300, 360)}.0.0.{rng.randrange(10, 60)}.{rng.randrange(100, 130)} Android "
                f"(33/13; 420dpi; 1080x2400; samsung; {phone}; {rng.randrange(1000, 9999)}; de_DE; "
                f"{rng.randrange(500_000_000, 600_000_000)})"
            )
        elif roll < 0.75:
            ios = rng.choice(_IOS)
            tail.append(
                f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                f"Mobile/22B83 [FBAN/FBIOS;FBAV/{rng.randrange(450, 490)}.0.0.{rng.randrange(10, 70)}.{rng.randrange(100)};"
                f"FBBV/{rng.randrange(600_000_000, 700_000_000)};FBDV/iPhone{rng.randrange(12, 17)},"
                f"{rng.randrange(1, 6)};FBMD/iPhone;FBSN/iOS;FBSV/{ios.replace('_', '.')};FBSS/3;FBCR/;FBID/phone;"
                "FBLC/de_DE;FBOP/5]"
            )
        elif roll < 0.9:
            tail.append(
                f"Mozilla/5.0 (Linux; Android {android}; {phone}) AppleWebKit/537.36 (KHTML, like Gecko) "
                f"SamsungBrowser/{rng.randrange(20, 27)}.0 Chrome/{chrome} Mobile Safari/537.36"
            )
        else:
            tail.append(
                f"Mozilla/5.0 ({rng.choice(_WINDOWS)}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{chrome} "
                "Safari/537.36"
            )
    weights = [1.0 / (rank + 1) ** 1.1 for rank in range(len(head))]
    share = sum(weights) * 0.12 / 0.88 / len(tail)  # the tail: 12% of the browsers' requests
    weights += [share] * len(tail)
    return head + tail, tuple(accumulate(weights))


def _instance(rng: random.Random, number: int) -> str:
    return rng.choice(("social", "mastodon", "toot", "chaos", "norden", "troet", "bonn", "det")) + f"{number}.example"


def _ip(bits: int, number: int) -> str:
    """A made-up client address from 64 random bits: a fifth IPv6 (documentation prefix)."""
    if number % 5 == 0:
        return f"2001:db8:{bits & 0xFFFF:x}:{bits >> 16 & 0xFFFF:x}::{(bits >> 32 & 0xFFFF) | 1:x}"
    return f"{1 + (bits & 0xFF) % 223}.{bits >> 8 & 0xFF}.{bits >> 16 & 0xFF}.{1 + (bits >> 24 & 0xFF) % 254}"


def _content_type(asset: str) -> str:
    suffix = asset.rpartition(".")[2]
    return {
        "css": "text/css",
        "js": "application/javascript",
        "woff2": "font/woff2",
        "svg": "image/svg+xml",
        "ico": "image/x-icon",
        "webp": "image/webp",
        "jpg": "image/jpeg",
    }.get(suffix, "application/octet-stream")


_KIND_NAMES = tuple(name for name, _share in KINDS)
_KIND_WEIGHTS = tuple(accumulate(share for _name, share in KINDS))


def day_text(site: Site, day: date, lines: int, seed: int = SEED, log_format: str = "combined") -> str:
    """The log of one local day: `lines` lines in time order."""
    generator = _Day(site, day, seed)
    rng = generator.rng
    hours = rng.choices(range(24), cum_weights=_HOURS, k=lines)
    moments = sorted(hour * 3600 + rng.randrange(3600) for hour in hours)
    kinds = rng.choices(_KIND_NAMES, cum_weights=_KIND_WEIGHTS, k=lines)
    write = _cloudfront_line if log_format == "cloudfront" else _combined_line
    parts = [_cloudfront_header(day)] if log_format == "cloudfront" else []
    for second, kind in zip(moments, kinds, strict=True):
        parts.append(write(generator, second, generator.request(kind)))
    return "".join(parts)


def _combined_line(generator: _Day, second: int, request: tuple[str, str, str, int, str, str, str]) -> str:
    method, target, referrer, status, agent, purpose, _type = request
    hour, rest = divmod(second, 3600)
    minute, sec = divmod(rest, 60)
    size = 0 if status in (304, 303) else 1200 + (second * 7919) % 48000
    return (
        f"{generator.ip()} - - [{generator.prefix}{hour:02d}:{minute:02d}:{sec:02d} {generator.offsets[hour]}] "
        f'"{method} {target} HTTP/{"2.0" if second % 3 else "1.1"}" {status} {size} "{referrer}" "{agent}" "{purpose}"\n'
    )


_CLOUDFRONT_FIELDS = (
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) "
    "cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken "
    "x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status "
    "fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
    "sc-range-start sc-range-end"
)


def _cloudfront_header(day: date) -> str:
    return f"#Version: 1.0\n#Fields: {_CLOUDFRONT_FIELDS}\n"


def _cloudfront_line(generator: _Day, second: int, request: tuple[str, str, str, int, str, str, str]) -> str:
    """A CloudFront standard log line (UTC, tab-separated, the agent URL-encoded as CloudFront does)."""
    method, target, referrer, status, agent, _purpose, content_type = request
    local = datetime(generator.day.year, generator.day.month, generator.day.day, tzinfo=BERLIN) + timedelta(
        seconds=second
    )
    at = local.astimezone(UTC)
    path, _mark, query = target.partition("?")
    encoded_agent = agent.replace("%", "%25").replace(" ", "%20").replace('"', "%22") if agent != "-" else "-"
    size = 0 if status in (304, 303) else 1200 + (second * 7919) % 48000
    fields = (
        f"{at:%Y-%m-%d}", f"{at:%H:%M:%S}", "FRA56-P1", str(size), generator.ip(), method, "d111111abcdef8.cloudfront.net",
        path, str(status), referrer, encoded_agent, query or "-", "-", "Hit", "bench", generator.site.host, "https",
        "512", "0.002", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-", "-", "50000", "0.002", "Hit",
        content_type, str(size), "-", "-",
    )  # fmt: skip
    return "\t".join(fields) + "\n"


def file_name(day: date, log_format: str = "combined") -> str:
    if log_format == "cloudfront":
        return f"E2EXAMPLE.{day:%Y-%m-%d}-00.bench.gz"
    return f"access.log-{day:%Y%m%d}.gz"


def _write_day(folder: str, site: Site, day: date, lines: int, seed: int, log_format: str, modified: float) -> int:
    text = day_text(site, day, lines, seed, log_format)
    path = Path(folder) / file_name(day, log_format)
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))  # logrotate's gzip -6
    os.utime(path, (modified, modified))
    return lines


def generate(
    folder: Path,
    lines: int = LINES,
    *,
    days: int = DAYS,
    start: date = START,
    seed: int = SEED,
    site: Site | None = None,
    log_format: str = "combined",
    workers: int | None = None,
) -> list[Path]:
    """Daily gzip logs with `lines` lines in all into `folder`; returns the files in day order."""
    if log_format not in FORMATS:
        raise ValueError(f"expected a format of {', '.join(FORMATS)}, found {log_format}")
    site = site or site_from()
    folder.mkdir(parents=True, exist_ok=True)
    counts = day_lines(lines, days, start)
    dates = [start + timedelta(days=n) for n in range(days)]
    modified = time.time() - 3600  # delivered an hour ago: neither still being written nor old enough to delete
    jobs = [
        (str(folder), site, day, count, seed, log_format, modified) for day, count in zip(dates, counts, strict=True)
    ]
    workers = workers or _cores()
    if workers <= 1 or lines < 50_000 or "fork" not in multiprocessing.get_all_start_methods():
        for job in jobs:
            _write_day(*job)
    else:
        with ProcessPoolExecutor(min(workers, days), mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_write_day, *zip(*jobs, strict=True)))
    return [folder / file_name(day, log_format) for day in dates]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lines", type=int, default=LINES, help=f"lines in all (default {LINES:,})")
    parser.add_argument("--days", type=int, default=DAYS, help=f"daily files (default {DAYS})")
    parser.add_argument("--start", type=date.fromisoformat, default=START, help=f"first day (default {START})")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--site", type=Path, default=ROOT, help="site folder with data/published-urls.yaml")
    parser.add_argument("--output", type=Path, help="a built output folder: its pages instead of the record's")
    parser.add_argument("--format", choices=FORMATS, default="combined")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = generate(
        args.folder,
        args.lines,
        days=args.days,
        start=args.start,
        seed=args.seed,
        site=site_from(args.site, args.output),
        log_format=args.format,
    )
    summary = {
        "files": len(files),
        "lines": args.lines,
        "bytes": sum(path.stat().st_size for path in files),
        "seconds": round(time.perf_counter() - started, 2),
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
