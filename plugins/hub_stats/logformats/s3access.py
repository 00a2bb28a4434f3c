"""S3 server access logs: what a bucket that serves the site as a static website records.

    <owner> <bucket> [06/Feb/2019:00:00:38 +0000] <remote ip> <requester> <request id> <operation> <key>
        "<request-uri>" <status> <error code> <bytes sent> <object size> <total time> <turn-around time>
        "<referer>" "<user-agent>" <version id> <host id> ... (S3 adds fields at the end over time)

Space-separated; only the time, the request and the two headers may hold spaces, and they are
bracketed or quoted. The same bucket also logs our own deploys (REST.PUT.OBJECT, REST.HEAD.OBJECT),
listings and lifecycle work; none of that is a visitor. A visitor is a request to the website
endpoint (WEBSITE.GET.OBJECT, WEBSITE.HEAD.OBJECT: HEAD is judged later like any method) or an
anonymous REST.GET.OBJECT (a public bucket read without the website endpoint). Every other line is
no request to count: the parser returns None for it, as for a comment.

The path is what the visitor asked for: the Request-URI of a website request (`/blog/a/`, which S3
serves from the key `blog/a/index.html`). A REST request names the bucket in its URI or its host,
so its path is the key (`/` + key). Where a website request has no URI, the key stands in for it
(`blog/a/index.html` → `/blog/a/`). The remote IP and the requester are only looked at, never kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from hub_core.i18n import translator

from ..model import Hit, Malformed
from .cloudfront import status_of

if TYPE_CHECKING:  # the package imports this module to list it in FORMATS
    from . import Parser

_, ngettext = translator("hub_stats")

OPERATION_KINDS = ("REST.", "WEBSITE.", "BATCH.", "S3.", "SOAP.")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTHS = {name: f"{number:02}" for number, name in enumerate(MONTH_NAMES, 1)}
INDEX_DOCUMENT = "index.html"  # what Pelican writes for a folder's address, and S3's index document
ANONYMOUS = "-"


class S3AccessFormat:
    name = "s3"

    def detect(self, head: Sequence[str]) -> bool:
        lines = [line for line in head if line.strip()]
        return bool(lines) and 2 * sum(map(_looks_like_s3, lines)) > len(lines)

    def parser(self, head: Sequence[str]) -> Parser:
        return parse


FORMAT = S3AccessFormat()


def _looks_like_s3(line: str) -> bool:
    parts = line.split(" ", 9)
    return (
        len(parts) == 10
        and len(parts[2]) == 21
        and parts[2][0] == "["
        and len(parts[3]) == 6
        and parts[3][-1] == "]"
        and parts[7].startswith(OPERATION_KINDS)
        and parts[7].count(".") >= 2
        and parts[9][:1] in ('"', "-")
    )


def parse(line: str) -> Hit | None:
    parts = line.rstrip("\r\n").split(" ", 9)
    if len(parts) != 10:
        if not line.strip():
            return None
        raise Malformed(_("expected the fields of an S3 server access log, found {found}").format(found=_short(line)))
    operation = parts[7]
    kind, _dot, rest = operation.partition(".")
    if rest.endswith(".OBJECT") and (kind == "WEBSITE" or (operation == "REST.GET.OBJECT" and parts[5] == ANONYMOUS)):
        return _hit(parts, website=kind == "WEBSITE")
    if kind + "." not in OPERATION_KINDS or not rest:
        raise Malformed(_("expected an S3 operation such as WEBSITE.GET.OBJECT, found {found}").format(found=operation))
    return None  # our deploys, listings, lifecycle: no visitor


def _hit(parts: list[str], *, website: bool) -> Hit:
    at = _moment(parts[2], parts[3])
    rest = parts[9]
    if rest[:1] == '"':
        request, quote, after = rest[1:].partition('"')
        if not quote:
            raise Malformed(_("expected a quoted Request-URI, found {found}").format(found=_short(rest)))
    else:  # `-`: S3 logged no Request-URI
        request, _space, after = rest.partition(" ")
        after = " " + after
    words = request.split(" ")
    if len(words) == 3 and words[1][:1] == "/":  # GET /blog/a/?utm_source=mastodon HTTP/1.1
        method, target = words[0], words[1]
    elif request in ("-", ""):
        method, target = parts[7].split(".")[1], ""
    else:
        raise Malformed(
            _("expected a Request-URI such as GET /blog/a/ HTTP/1.1, found {found}").format(found=_short(request))
        )
    # after: ` 200 - 113 - 7 - "referer" "user agent" - more fields`; an agent may hold a quote itself
    pieces = after.split('"')
    if len(pieces) < 5:
        raise Malformed(_("expected a quoted Referer and User-Agent, found {found}").format(found=_short(after)))
    numbers = pieces[0].split(None, 1)
    if website and target:
        path, _mark, query = target.partition("?")
    else:
        path, query = _path_of_key(parts[8], website=website), target.partition("?")[2]
    if path[:1] != "/":
        raise Malformed(_("expected a path such as /blog/a/, found {found}").format(found=_short(path)))
    referrer = pieces[1]
    agent = '"'.join(pieces[3:-1]) if len(pieces) > 5 else pieces[3]
    return Hit(
        at=at,
        method=method,
        path=path,
        query=query,
        status=status_of(numbers[0] if numbers else ""),
        referrer="" if referrer == "-" else referrer,
        agent="" if agent == "-" else agent,
    )


def _path_of_key(key: str, *, website: bool) -> str:
    """The address S3 serves a key at: `a/b.html` at `/a/b.html`; on the website endpoint, a folder's
    index document at the folder (`blog/a/index.html` at `/blog/a/`)."""
    if key in ("-", ""):
        return ""
    if website and (key == INDEX_DOCUMENT or key.endswith("/" + INDEX_DOCUMENT)):
        key = key[: -len(INDEX_DOCUMENT)]
    return "/" + key


def _moment(stamp: str, offset: str) -> datetime:
    """`[06/Feb/2019:00:00:38` `+0000]` → an aware datetime (as ISO text: fromisoformat is fast)."""
    try:
        if stamp[0] != "[" or stamp[3] != "/" or stamp[7] != "/" or stamp[12] != ":" or offset[-1] != "]":
            raise ValueError(stamp)
        month = MONTHS[stamp[4:7]]
        return datetime.fromisoformat(f"{stamp[8:12]}-{month}-{stamp[1:3]}T{stamp[13:21]}{offset[:3]}:{offset[3:5]}")
    except (KeyError, ValueError, IndexError):
        raise Malformed(
            _("expected a time such as [06/Feb/2019:00:00:38 +0000], found {found}").format(found=f"{stamp} {offset}")
        ) from None


def _short(text: str) -> str:
    """A malformed line is quoted in the report: its start is enough, and it may hold an IP address
    further on (the report is kept, the line is not)."""
    text = text.strip()
    return text if len(text) <= 40 else text[:40] + "…"
