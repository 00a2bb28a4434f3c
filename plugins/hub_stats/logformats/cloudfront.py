"""CloudFront standard logs: W3C extended log files, one request per line, the columns named by the file.

    #Version: 1.0
    #Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) ...
    2026-11-03	09:15:02	FRA56-P1	5120	192.0.2.1	GET	d111.cloudfront.net	/blog/a/	200	-	Mozilla/5.0%20(X11...

Standard logging (legacy) writes 33 tab-separated columns in a fixed order; standard logging (v2) lets
the owner pick fields (also from the real-time log's names: `timestamp`, `cs-user-agent`,
`cs-referer`), their order and the delimiter. So the parser is built from the file's own `#Fields:`
line, and built again where a file (say, several concatenated) declares new fields. A file without a
header whose lines have the 33 legacy columns is read with the legacy order.

What CloudFront writes is URL-encoded, and a `%` of the request is encoded once more (`%2520` is a
`%20` the visitor sent). Path and query are decoded once, which gives them as the visitor sent them,
like a web server's log. Headers (User-Agent, Referer, Content-Type) are decoded to their text; their
space, quote and backslash are documented as encoded twice (`%2520`, `%2522`, `%255C`), newer files
encode them once. The client's IP address (`c-ip`) and cookies are never read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

from hub_core.i18n import translator

from ..model import Hit, Malformed

if TYPE_CHECKING:  # the package imports this module to list it in FORMATS
    from . import Parser

_, ngettext = translator("hub_stats")

FIELDS_DIRECTIVE = "#Fields:"
# Standard logging (legacy): the columns in their documented order (standard-logs-reference).
LEGACY_FIELDS = (
    "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem",
    "sc-status", "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type",
    "x-edge-request-id", "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for",
    "ssl-protocol", "ssl-cipher", "x-edge-response-result-type", "cs-protocol-version", "fle-status",
    "fle-encrypted-fields", "c-port", "time-to-first-byte", "x-edge-detailed-result-type",
    "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
)  # fmt: skip
# What a Hit needs, by the names both generations of CloudFront logging use for it.
ROLES = {
    "date": "date",
    "time": "time",
    "timestamp": "timestamp",  # v2 with real-time fields: seconds since 1970, with milliseconds
    "timestamp(ms)": "timestamp_ms",
    "cs-method": "method",
    "cs-uri-stem": "path",
    "cs-uri-query": "query",
    "sc-status": "status",
    "cs(Referer)": "referrer",
    "cs-referer": "referrer",
    "cs(User-Agent)": "agent",
    "cs-user-agent": "agent",
    "sc-content-type": "content_type",
}
# v2 lets the owner choose the delimiter; W3C's own is the tab. Values are URL-encoded, so none of
# these occurs inside one.
DELIMITERS = ("\t", " ", "|", ",", ";")
MISSING = -1


@dataclass(frozen=True)
class Layout:
    """Where each part of a Hit is in a line; MISSING where the file does not have it."""

    width: int  # how many fields a line has
    delimiter: str
    date: int
    time: int
    timestamp: int
    timestamp_ms: int
    method: int
    path: int
    query: int
    status: int
    referrer: int
    agent: int
    content_type: int
    exact: bool = True  # False: a headerless legacy file, which may have more columns than we know

    @classmethod
    def of(cls, names: Sequence[str], delimiter: str, *, exact: bool = True) -> Layout | None:
        """The layout of these column names, or None if they lack what counting needs."""
        where = {role: MISSING for role in set(ROLES.values())}
        for index, name in enumerate(names):
            role = ROLES.get(name)
            if role is not None and where[role] == MISSING:
                where[role] = index
        has_time = (where["date"] != MISSING and where["time"] != MISSING) or (
            where["timestamp"] != MISSING or where["timestamp_ms"] != MISSING
        )
        needed = ("method", "path", "status", "agent")
        if not has_time or any(where[role] == MISSING for role in needed):
            return None
        return cls(width=len(names), delimiter=delimiter, exact=exact, **where)


class CloudFrontFormat:
    name = "cloudfront"

    def detect(self, head: Sequence[str]) -> bool:
        return _layout(head) is not None

    def parser(self, head: Sequence[str]) -> Parser:
        layout = _layout(head)
        if layout is None:
            raise ValueError("not a CloudFront standard log")
        return _parser(layout)


FORMAT = CloudFrontFormat()


def _layout(head: Sequence[str]) -> Layout | None:
    """From the last `#Fields:` line of the head and the first line after it; or, without one, the
    legacy columns if the first line has them."""
    names: list[str] | None = None
    sample = ""
    for line in head:
        if line.startswith(FIELDS_DIRECTIVE):
            names, sample = line[len(FIELDS_DIRECTIVE) :].split(), ""
        elif line.startswith("#"):
            continue
        elif line.strip() and not sample:
            sample = line
    if names is not None:
        return Layout.of(names, _delimiter(sample, len(names)))
    if sample and _looks_legacy(sample.split("\t")):
        return Layout.of(LEGACY_FIELDS, "\t", exact=False)
    return None


def _delimiter(sample: str, width: int) -> str:
    for delimiter in DELIMITERS:
        if sample.count(delimiter) == width - 1:
            return delimiter
    return "\t"  # no line yet to tell from, or one that is malformed anyway


def _looks_legacy(fields: list[str]) -> bool:
    if len(fields) < len(LEGACY_FIELDS):
        return False
    day, time = fields[0], fields[1]
    return (
        len(day) == 10
        and day[4] == "-"
        and day[7] == "-"
        and len(time) == 8
        and time[2] == ":"
        and fields[8].isdigit()
        and fields[5].isalpha()
    )


def _parser(first: Layout) -> Parser:
    """The file's parser: its lines by the layout of the `#Fields:` line above them."""
    lines = _lines_of(first)

    def parse(line: str) -> Hit | None:
        nonlocal lines
        if line[:1] == "#":
            if line.startswith(FIELDS_DIRECTIVE):  # a new header: the lines below follow it
                names = line[len(FIELDS_DIRECTIVE) :].split()
                lines = _lines_of(Layout.of(names, first.delimiter) or first)
            return None
        return lines(line)

    return parse


def _lines_of(layout: Layout) -> Parser:
    """A parser of request lines in one layout. Speed matters (a busy month is 10 million lines), so
    the indexes are plain local names, and a missing column reads a "-" appended to the fields."""
    width, delimiter, exact = layout.width, layout.delimiter, layout.exact
    day, time, method, path, query, status = (
        layout.date,
        layout.time,
        layout.method,
        layout.path,
        layout.query,
        layout.status,
    )
    referrer, agent, content_type = layout.referrer, layout.agent, layout.content_type
    has_day = day != MISSING and time != MISSING
    moment = datetime.fromisoformat
    decode = unquote

    def parse(line: str) -> Hit | None:
        line = line.rstrip("\r\n")
        if not line:
            return None
        fields = line.split(delimiter)
        if len(fields) != width and (exact or len(fields) < width):
            raise Malformed(_("expected {expected} fields, found {found}").format(expected=width, found=len(fields)))
        fields.append("-")  # what MISSING (-1) reads
        try:
            at = moment(f"{fields[day]}T{fields[time]}+00:00") if has_day else _timestamp(layout, fields)
        except (ValueError, OverflowError, OSError):
            raise _bad_time(layout, fields) from None
        stem = fields[path]
        asked = fields[query]
        return Hit(
            at=at,
            method=fields[method],
            path=decode(stem) if "%" in stem else stem,
            query="" if asked == "-" else decode(asked) if "%" in asked else asked,
            status=status_of(fields[status]),
            referrer=_header(fields[referrer]),
            agent=_header(fields[agent]),
            content_type=_header(fields[content_type]),
        )

    return parse


def _timestamp(layout: Layout, fields: list[str]) -> datetime:
    """v2's real-time fields: seconds (with milliseconds) or milliseconds since 1970."""
    if layout.timestamp != MISSING:
        return datetime.fromtimestamp(float(fields[layout.timestamp]), UTC)
    return datetime.fromtimestamp(int(fields[layout.timestamp_ms]) / 1000, UTC)


def _bad_time(layout: Layout, fields: list[str]) -> Malformed:
    found = " ".join(
        fields[index] for index in (layout.date, layout.time, layout.timestamp, layout.timestamp_ms) if index != MISSING
    )
    return Malformed(_("expected a date and time such as 2026-11-03 09:15:02, found {found}").format(found=found))


def status_of(value: str) -> int:
    """An HTTP status (CloudFront logs 000 for a request the viewer gave up on)."""
    if len(value) == 3 and value.isdigit():
        return int(value)
    raise Malformed(_("expected an HTTP status such as 200, found {found}").format(found=value))


@lru_cache(maxsize=65536)
def _header(value: str) -> str:
    """A header's text: few distinct values in many lines, so decoded once each (the cache)."""
    if value == "-":
        return ""
    if "%25" in value:
        value = value.replace("%2520", " ").replace("%2522", '"').replace("%255C", "\\").replace("%255c", "\\")
    return unquote(value) if "%" in value else value
