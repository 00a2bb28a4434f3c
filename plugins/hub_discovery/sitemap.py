"""sitemap.xml (sitemaps.org 0.9) from plain entries: no Pelican, no clock, no file system.

The same entries give the same bytes: entries are sorted by URL and `lastmod` comes
from the content (date, modified), never from the time of the build.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class Entry:
    """One URL of the site as search engines should know it."""

    loc: str  # absolute URL
    save_as: str  # the output file it is served from (checked to exist before writing)
    lastmod: datetime | None = None
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, absolute URL), itself included


def w3c_datetime(value: datetime | date) -> str:
    """W3C Datetime as sitemaps want it: seconds and offset, or the day alone when there is no offset."""
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def newest(values: Iterable[datetime | None]) -> datetime | None:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def render_sitemap(entries: Iterable[Entry]) -> bytes:
    """The sitemap document, UTF-8, one <url> per distinct loc, sorted by loc."""
    unique = {entry.loc: entry for entry in entries}
    # Names written as the document shows them (prefix and xmlns attributes by hand): ElementTree's
    # namespace handling would need a global prefix registry and cannot mix in unqualified attributes.
    namespaces = {"xmlns": SITEMAP_NS}
    if any(entry.alternates for entry in unique.values()):
        namespaces["xmlns:xhtml"] = XHTML_NS
    root = ET.Element("urlset", namespaces)
    for loc in sorted(unique):
        entry = unique[loc]
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = entry.loc
        if entry.lastmod is not None:
            ET.SubElement(url, "lastmod").text = w3c_datetime(entry.lastmod)
        for hreflang, href in entry.alternates:
            ET.SubElement(url, "xhtml:link", {"rel": "alternate", "hreflang": hreflang, "href": href})
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()
