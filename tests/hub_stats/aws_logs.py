"""Generated AWS access logs for the tests, written the way CloudFront and S3 write them (per their
documentation): never a real log. Each request carries a made-up client IP, so a test can check that
it never reaches a Hit."""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import quote

# The header of standard logging (legacy), as documented (standard-logs-reference, "Log file fields").
CLOUDFRONT_FIELDS = (
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) "
    "cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol "
    "cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
    "cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte "
    "x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end"
)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
FEED_READER = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers; like FeedFetcher-Google)"
OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
DEPLOYER = "arn:aws:iam::123456789012:user/hub-deploy"


@dataclass(frozen=True)
class Request:
    """One request as the visitor sent it: `path` and `query` as on the wire (percent-encoded)."""

    at: datetime
    path: str
    query: str = ""
    method: str = "GET"
    status: int = 200
    referrer: str = ""
    agent: str = BROWSER
    content_type: str = "text/html"
    ip: str = "203.0.113.77"
    extra: dict[str, str] = field(default_factory=dict)


def at(hour: int, minute: int = 0, second: int = 0, day: int = 3) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


# --- CloudFront ----------------------------------------------------------------------------------


def _cf_request_part(value: str) -> str:
    """CloudFront encodes what the visitor sent once more: a `%20` is logged as `%2520`."""
    return quote(value, safe="/?&=:;+,@!$'()*~-._") if value else "-"


def _cf_header(value: str, *, twice: bool = False) -> str:
    """Headers: URL-encoded; older files encode space, quote and backslash twice (`%2520`)."""
    if not value:
        return "-"
    encoded = quote(value, safe="/?&=:;+,@!$'()*~-._")
    if twice:
        encoded = encoded.replace("%20", "%2520").replace("%22", "%2522").replace("%5C", "%255C")
    return encoded


def cloudfront_line(request: Request, *, twice: bool = False) -> str:
    values = {
        "date": request.at.strftime("%Y-%m-%d"),
        "time": request.at.strftime("%H:%M:%S"),
        "x-edge-location": "FRA56-P1",
        "sc-bytes": "5120",
        "c-ip": request.ip,
        "cs-method": request.method,
        "cs(Host)": "d111111abcdef8.cloudfront.net",
        "cs-uri-stem": _cf_request_part(request.path),
        "sc-status": str(request.status),
        "cs(Referer)": _cf_header(request.referrer),
        "cs(User-Agent)": _cf_header(request.agent, twice=twice),
        "cs-uri-query": _cf_request_part(request.query),
        "cs(Cookie)": "-",
        "x-edge-result-type": "Hit",
        "x-edge-request-id": "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
        "x-host-header": "blog.example.de",
        "cs-protocol": "https",
        "cs-bytes": "420",
        "time-taken": "0.003",
        "x-forwarded-for": "-",
        "ssl-protocol": "TLSv1.3",
        "ssl-cipher": "TLS_AES_128_GCM_SHA256",
        "x-edge-response-result-type": "Hit",
        "cs-protocol-version": "HTTP/2.0",
        "fle-status": "-",
        "fle-encrypted-fields": "-",
        "c-port": "51234",
        "time-to-first-byte": "0.002",
        "x-edge-detailed-result-type": "Hit",
        "sc-content-type": _cf_header(request.content_type),
        "sc-content-len": "4998",
        "sc-range-start": "-",
        "sc-range-end": "-",
        **request.extra,
    }
    return "\t".join(values[name] for name in CLOUDFRONT_FIELDS.split())


def cloudfront_log(requests: list[Request], *, twice: bool = False, extra_lines: tuple[str, ...] = ()) -> str:
    lines = ["#Version: 1.0", f"#Fields: {CLOUDFRONT_FIELDS}"]
    lines += [cloudfront_line(request, twice=twice) for request in requests]
    lines += extra_lines
    return "\n".join(lines) + "\n"


def cloudfront_gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), mtime=0)


def cloudfront_name(distribution: str, hour: datetime, unique: str) -> str:
    """`<distribution>.YYYY-MM-DD-HH.<unique>.gz`, as CloudFront names what it delivers."""
    return f"{distribution}.{hour:%Y-%m-%d-%H}.{unique}.gz"


# --- S3 server access logs -------------------------------------------------------------------------


def s3_line(
    request: Request,
    *,
    operation: str = "",
    key: str = "",
    requester: str = "-",
    bucket: str = "blog-example",
    uri: str | None = None,
) -> str:
    """A record as S3 writes it; the website endpoint by default (its URI is the visitor's path)."""
    operation = operation or f"WEBSITE.{request.method}.OBJECT"
    target = request.path + (f"?{request.query}" if request.query else "")
    quoted_uri = f'"{request.method} {target} HTTP/1.1"' if uri is None else uri
    error = {404: "NoSuchKey", 403: "AccessDenied"}.get(request.status, "-")
    return " ".join(
        (
            OWNER,
            bucket,
            request.at.strftime("[%d/%b/%Y:%H:%M:%S +0000]"),
            request.ip,
            requester,
            "3E57427F3EXAMPLE",
            operation,
            key or "-",
            quoted_uri,
            str(request.status),
            error,
            "2662",
            "2662",
            "12",
            "11",
            f'"{request.referrer or "-"}"',
            f'"{request.agent or "-"}"',
            "-",
            "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
            "-" if requester == "-" else "SigV4",
            "-" if requester == "-" else "ECDHE-RSA-AES128-GCM-SHA256",
            "-" if requester == "-" else "AuthHeader",
            f"{bucket}.s3-website.eu-central-1.amazonaws.com",
            "-" if requester == "-" else "TLSv1.2",
            "-",
            "-",
            "eu-central-1",
        )
    )
