"""Generated access logs in the common and combined formats of nginx and Apache (never real ones).

Every line carries an IP address and (combined) a User-Agent, as real logs do, so a test can check
that neither survives the counting.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PYTHON_REQUESTS = "python-requests/2.32.3"
HEALTHCHECK = "Hub-Healthcheck/1.0 (+ops)"
FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 462 subscribers; )"
FEEDBIN = "Feedbin feed-id:1697787 - 102 subscribers"
FEEDBIN_OTHER = "Feedbin feed-id:2200001 - 7 subscribers"
INOREADER = "Mozilla/5.0 (compatible; inoreader.com; 114 subscribers)"
NEWSBLUR = (
    "NewsBlur Feed Fetcher - 27 subscribers - https://www.newsblur.com/site/7704055/hellwig-blog"
    ' (\\"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)\\")'
)
OLD_READER = "Mozilla/5.0 (compatible; theoldreader.com; 3 subscribers; feed-id=cead6c3a837650eeefd8fe4a)"
MINIFLUX = "Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)"

IPV4 = "203.0.113.77"
IPV6 = "2001:db8:85a3::8a2e:370:7334"
BERLIN_WINTER = timezone(timedelta(hours=1))


def stamp(at: datetime) -> str:
    """nginx's $time_local: 21/Nov/2026:10:00:00 +0100."""
    return at.strftime("%d/%b/%Y:%H:%M:%S %z")


def combined(
    at: datetime,
    path: str,
    *,
    status: int = 200,
    agent: str = FIREFOX,
    referrer: str = "-",
    method: str = "GET",
    size: int | None = 5120,
    purpose: str | None = None,
    ip: str = IPV4,
    user: str = "-",
) -> str:
    """One line of the combined format; with `purpose`, the log_format we recommend (Sec-Purpose last)."""
    line = (
        f'{ip} - {user} [{stamp(at)}] "{method} {path} HTTP/1.1" {status} {"-" if size is None else size}'
        f' "{referrer}" "{agent}"'
    )
    return line if purpose is None else f'{line} "{purpose}"'


def common(at: datetime, path: str, *, status: int = 200, method: str = "GET", ip: str = IPV4) -> str:
    return f'{ip} - - [{stamp(at)}] "{method} {path} HTTP/1.1" {status} 2326'


def write_log(path: Path, lines: Iterable[str], *, packed: bool = False, modified: datetime | None = None) -> Path:
    """A log file as a server delivers it: lines ending in a newline, gzip when `packed` (whatever
    the file is called), with its modification time set (the retention goes by it)."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if packed else data)
    if modified is not None:
        os.utime(path, (modified.timestamp(), modified.timestamp()))
    return path
