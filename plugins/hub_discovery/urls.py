"""Site-relative paths to URLs, the way the templates write them ("{{ SITEURL }}/{{ url }}")."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# Everything that may stand unencoded in a URL (RFC 3986 reserved and unreserved, plus '%' for
# what is encoded already): a plain ASCII URL passes unchanged, anything else is percent-encoded.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def is_absolute(siteurl: str) -> bool:
    """True for production's 'https://host[/path]', false for development's '' or '..'."""
    parts = urlsplit(siteurl or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def join(siteurl: str, path: str) -> str:
    """The URL of a site-relative `path`; an absolute `path` (canonical_url) is kept."""
    if is_absolute(path):
        return quote(path, safe=URL_SAFE)
    return quote(f"{(siteurl or '').rstrip('/')}/{path.lstrip('/')}", safe=URL_SAFE)


def url_of_file(save_as: str) -> str:
    """The site-relative URL of an output file: folders end in '/', 'index.html' is left out."""
    if save_as == "index.html":
        return ""
    if save_as.endswith("/index.html"):
        return save_as.removesuffix("index.html")
    return save_as


def site_path(siteurl: str) -> str:
    """The path part of SITEURL ('' or '/blog'): robots.txt rules must start with it."""
    return urlsplit(siteurl or "").path.rstrip("/")
