"""The common and combined log formats of nginx and Apache.

    common:    %h %l %u %t "%r" %>s %b
    combined:  %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"

The combined format may carry one more quoted field: the request's purpose, so that prefetches and
prerenders are not counted as views. The log_format we recommend for nginx (ops/stats/nginx.conf):

    log_format hub_stats '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                         '"$http_referer" "$http_user_agent" "$http_sec_purpose"';

(`$http_purpose` or `$http_x_moz` in that place work as well: any value naming prefetch or prerender.)

The remote address is matched but never captured: it does not reach the Hit. Quoted fields may hold
escaped quotes (Apache writes `\\"`, nginx `\\x22`); a missing size is `-`; IPv6 addresses are one
field like any other. Speed matters (a busy month is ten million lines): one regular expression per
line, and the timestamp is parsed once per minute of the log, not once per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta, timezone

from hub_core.i18n import translator

from ..model import Hit, Malformed

_, ngettext = translator("hub_stats")

# A quoted field: anything but a quote or a backslash, or a backslash and the character it escapes.
_QUOTED = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
# host, identity, user (may be quoted by some servers), [time], "request", status, size.
_START = r'\S+ \S+ (?:"[^"]*"|\S+) \[([^\]]+)\] ' + _QUOTED + r" (\d{3}) (?:\d+|-)"
COMMON_LINE = re.compile(_START + r"\s*$")
COMBINED_LINE = re.compile(_START + " " + _QUOTED + " " + _QUOTED + r"(?: " + _QUOTED + r")?\s*$")

_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
)}  # fmt: skip
_SECONDS = {f"{second:02d}": timedelta(seconds=second) for second in range(61)}  # 60: a leap second
_HEAD_SHARE = 0.5  # at least half of the first lines must be ours: a few broken lines do not hide a log


class _Format:
    def __init__(self, name: str, line: re.Pattern[str], has_agent: bool) -> None:
        self.name = name
        self._line = line
        self._has_agent = has_agent

    def detect(self, head: Sequence[str]) -> bool:
        lines = [line for line in head if line.strip()]
        if not lines:
            return False
        matching = sum(1 for line in lines if self._line.match(line))
        return matching >= max(1, len(lines) * _HEAD_SHARE)

    def parser(self, head: Sequence[str]) -> Callable[[str], Hit | None]:
        return _LineParser(self._line, self._has_agent)


class _LineParser:
    """One file's parser: a callable with the file's timestamp cache."""

    def __init__(self, line: re.Pattern[str], has_agent: bool) -> None:
        self._match = line.match
        self._has_agent = has_agent
        self._minutes: dict[str, datetime] = {}

    def __call__(self, line: str) -> Hit | None:
        found = self._match(line)
        if found is None:
            if not line.strip():
                return None
            raise Malformed(_why(line, self._has_agent))
        if self._has_agent:
            stamp, request, status, referrer, agent, purpose = found.groups()
        else:
            stamp, request, status = found.groups()
            referrer, agent, purpose = "", None, ""
        # The moment, in UTC: parsed once per minute of the log, the seconds added (inline: per line).
        base = self._minutes.get(stamp[:17] + stamp[20:])
        if base is None:
            base = self._minute(stamp)
        second = _SECONDS.get(stamp[18:20])
        if second is None:
            raise Malformed(_("time: expected 10/Oct/2026:13:55:36 +0200, found {found}").format(found=stamp))
        at = base + second  # a tenth of the time of base.replace(second=...)
        method, _space, target = request.partition(" ")
        if " HTTP/" in target:  # "GET /path HTTP/1.1"; HTTP/0.9 had no version
            target = target.rpartition(" ")[0]
        path, _mark, query = target.partition("?")
        return Hit(
            at,
            method,
            path,
            query,
            int(status),
            "" if referrer == "-" else referrer,
            agent,
            "",
            "" if not purpose or purpose == "-" else purpose,
        )

    def _minute(self, stamp: str) -> datetime:
        if len(self._minutes) > 100_000:  # a log spanning months: keep memory flat
            self._minutes.clear()
        base = self._minutes[stamp[:17] + stamp[20:]] = _minute(stamp)
        return base


def _minute(stamp: str) -> datetime:
    try:
        if len(stamp) != 26 or stamp[2] != "/" or stamp[6] != "/" or stamp[11:18:3] != ":::" or stamp[20] != " ":
            raise ValueError(stamp)
        sign = {"+": 1, "-": -1}[stamp[21]]
        offset = timedelta(hours=int(stamp[22:24]), minutes=int(stamp[24:26])) * sign
        local = datetime(
            int(stamp[7:11]),
            _MONTHS[stamp[3:6]],
            int(stamp[0:2]),
            int(stamp[12:14]),
            int(stamp[15:17]),
            tzinfo=timezone(offset),
        )
    except (KeyError, ValueError):
        raise Malformed(_("time: expected 10/Oct/2026:13:55:36 +0200, found {found}").format(found=stamp)) from None
    return local.astimezone(UTC)


def _why(line: str, has_agent: bool) -> str:
    """A short reason for a line that is not ours (only for broken lines, so it may be slow)."""
    if "[" not in line or "]" not in line:
        return _("no time in [brackets]")
    after = line.split("]", 1)[1].lstrip()
    if not after.startswith('"') or after.count('"') < 2:
        return _("no quoted request after the time")
    rest = re.sub(r'^"(?:[^"\\]|\\.)*"', "", after).split()
    if not rest or not re.fullmatch(r"\d{3}", rest[0]):
        return _("no three-digit status after the request")
    if len(rest) < 2 or not re.fullmatch(r"\d+|-", rest[1]):
        return _("no size (or -) after the status")
    if has_agent:
        return _("expected a quoted referrer and user agent after the size")
    return _("unexpected text after the size")


COMBINED = _Format("combined", COMBINED_LINE, has_agent=True)
COMMON = _Format("common", COMMON_LINE, has_agent=False)
