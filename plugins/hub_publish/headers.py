"""Content-Type and Cache-Control for each file of the built site, from its path alone (pure).

Storage such as S3 serves an object with the headers it was uploaded with, so they are
decided here rather than by a web server's configuration.

Caching has three levels:
- Fingerprinted files (Pagefind's index chunks, named after a hash of their content)
  never change under their name: cached for a year and marked immutable.
- Images under images/ keep their name when replaced, but are replaced rarely: a day,
  so an exchanged photo shows everywhere by the next day while pages stay fast.
- Everything else, above all HTML, feeds, sitemap, robots.txt, the search entry files
  (pagefind.js, pagefind-entry.json, the wasm files) and the theme's CSS and JS, which
  keep their names across changes: five minutes, then revalidated, so a correction or a
  withdrawn post is live everywhere within minutes.
"""

from __future__ import annotations

from pathlib import PurePosixPath

LONG = "public, max-age=31536000, immutable"
IMAGES = "public, max-age=86400"
SHORT = "public, max-age=300, must-revalidate"

DEFAULT_TYPE = "application/octet-stream"
# Text types carry their charset: Pelican and Pagefind write UTF-8, and without the parameter
# browsers guess (German umlauts then turn into mojibake). JSON and XML are left without it:
# JSON is UTF-8 by definition, and XML declares its encoding in its first line.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    # Pagefind's own formats (compressed by Pagefind itself, so no Content-Encoding).
    ".pagefind": DEFAULT_TYPE,
    ".pf_fragment": DEFAULT_TYPE,
    ".pf_index": DEFAULT_TYPE,
    ".pf_meta": DEFAULT_TYPE,
    ".pf_filter": DEFAULT_TYPE,
}
FEED_TYPES = {
    ".atom.xml": "application/atom+xml; charset=utf-8",
    ".rss.xml": "application/rss+xml; charset=utf-8",
}
SEARCH_FOLDER = "pagefind"
# Pagefind names these after a hash of their content; pagefind.js, pagefind-entry.json and
# wasm.<lang>.pagefind keep their names from build to build.
FINGERPRINTED_SUFFIXES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
IMAGE_FOLDER = "images"
# In every shard's bundle (pagefind/<shard>/pagefind-entry.json, see hub_search/shards.py).
SEARCH_ENTRY = "pagefind-entry.json"


def content_type(path: str) -> str:
    """The Content-Type for `path` (relative, with forward slashes); unknown kinds are binary."""
    name = PurePosixPath(path).name.lower()
    for suffix, kind in FEED_TYPES.items():
        if name.endswith(suffix):
            return kind
    return TYPES.get(PurePosixPath(name).suffix, DEFAULT_TYPE)


def cache_control(path: str) -> str:
    """The Cache-Control for `path`: see the module's docstring for the three levels."""
    if is_fingerprinted(path):
        return LONG
    if PurePosixPath(path).parts[:1] == (IMAGE_FOLDER,):
        return IMAGES
    return SHORT


def is_fingerprinted(path: str) -> bool:
    """True for files whose name changes whenever their content does."""
    parts = PurePosixPath(path).parts
    return parts[:1] == (SEARCH_FOLDER,) and parts[-1].lower().endswith(FINGERPRINTED_SUFFIXES)


def is_html(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in (".html", ".htm")


def is_announcement(path: str) -> bool:
    """True for files that point readers, crawlers or the search at pages: feeds, the
    sitemap and other XML, and Pagefind's entry file (which names the current index)."""
    parts = PurePosixPath(path).parts
    return PurePosixPath(path).suffix.lower() == ".xml" or (parts[:1] == (SEARCH_FOLDER,) and parts[-1] == SEARCH_ENTRY)
