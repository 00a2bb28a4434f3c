"""Redirect pages recognised in a build, for storage that can redirect by itself (pure).

hub_redirects writes a small HTML page at every old address of a post, moving the reader on with
`<meta http-equiv="refresh" content="0; url=...">`. A folder or rsync target serves that page as
it is. S3 can do better: an object with WebsiteRedirectLocation is answered by the bucket's website
endpoint with a 301 to that location, which search engines and link checkers follow too; the page
stays the object's body, for the REST endpoint and anything that ignores the header.

The page is recognised by its refresh alone, so hub_publish needs nothing from the plugin that
wrote it; only an immediate refresh (delay 0) counts, and only in a small page.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser

from .headers import is_html

LARGEST_PAGE = 8192  # bytes: a redirect page is a few hundred; a real page is not searched
REFRESH = re.compile(r"^\s*0+\s*[;,]\s*url\s*=\s*['\"]?([^'\"\s]+)['\"]?\s*$", re.IGNORECASE)


class _Refresh(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.url: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta" or self.url is not None:
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if values.get("http-equiv", "").lower() == "refresh":
            match = REFRESH.match(values.get("content", ""))
            if match:
                self.url = match[1]


def refresh_target(data: bytes) -> str | None:
    """The URL an immediate `<meta http-equiv="refresh">` in `data` sends to, or None."""
    if len(data) > LARGEST_PAGE or b"refresh" not in data.lower():
        return None
    parser = _Refresh()
    parser.feed(data.decode("utf-8", errors="replace"))
    parser.close()
    return parser.url


def redirect_location(key: str, data: bytes) -> str | None:
    """WebsiteRedirectLocation for the object `key` (its full key in the bucket) holding `data`:
    None unless it is a redirect page. S3 accepts an absolute URL or a path from the bucket's root,
    so a relative target is resolved against the object's folder."""
    if not is_html(key):
        return None
    url = refresh_target(data)
    if url is None:
        return None
    if url.startswith(("http://", "https://", "/")):
        return url
    resolved = posixpath.normpath(posixpath.join("/" + posixpath.dirname(key), url))
    return resolved + "/" if url.endswith("/") and resolved != "/" else resolved
