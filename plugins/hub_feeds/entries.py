"""Entry fields that must never drift: the id, `updated`, and URLs that work outside the site."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urljoin

import lxml.html

# Attributes holding one URL; srcset holds several.
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action", "formaction", "data", "longdesc", "background")
# Void in HTML5, unknown to libxml2's HTML 4 parser: it would nest what follows inside them.
HTML5_VOID = ("source", "track", "wbr")
SLUG_SAFE = re.compile(r"[^A-Za-z0-9._~/-]")


def tag_uri(domain: str, published: datetime, lang: str, slug: str) -> str:
    """RFC 4151 tag URI: the date of first publication and the post's language and slug.

    Not the URL: a changed URL pattern or domain must not make readers see every post again.
    """
    specific = SLUG_SAFE.sub("-", f"{lang}/{slug}")
    return f"tag:{domain},{published:%Y-%m-%d}:{specific}"


def entry_updated(published: datetime, modified: datetime | None, approvals: Iterable[datetime]) -> datetime:
    """When readers last saw a change: publication, the `modified` date, or the newest valid approval.

    An approval stays valid only while what readers see is unchanged (its fingerprint), so
    a re-approval marks a content change; a rebuild changes none of these.
    """
    return max([published, *([modified] if modified else []), *approvals])


def absolutize_html(html: str, base: str) -> str:
    """Every URL in `html` (href, src, srcset, …) made absolute against `base` (the post's URL)."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _unnest_void_elements(root)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        for name in URL_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                element.set(name, urljoin(base, value.strip()))
        srcset = element.get("srcset")
        if srcset is not None:
            element.set("srcset", absolutize_srcset(srcset, base))
    text = lxml.html.tostring(root, encoding="unicode")
    for name in HTML5_VOID:
        text = text.replace(f"</{name}>", "")
    return text[len("<div>") : -len("</div>")]


def absolutize_srcset(srcset: str, base: str) -> str:
    if "data:" in srcset:
        return srcset  # data URLs contain commas; they are absolute anyway
    candidates = []
    for candidate in srcset.split(","):
        parts = candidate.split()
        if parts:
            candidates.append(" ".join([urljoin(base, parts[0]), *parts[1:]]))
    return ", ".join(candidates)


def _unnest_void_elements(root: lxml.html.HtmlElement) -> None:
    """<source><img></source> as libxml2 builds it → <source><img>, as browsers read it."""
    for element in list(root.iter(*HTML5_VOID)):
        children = list(element)
        if not children and not element.text:
            continue
        parent = element.getparent()
        if parent is None:
            continue
        tail = element.tail
        element.tail, element.text = element.text, None
        position = parent.index(element)
        for offset, child in enumerate(children, 1):
            parent.insert(position + offset, child)
        last = children[-1] if children else element
        last.tail = (last.tail or "") + (tail or "") or None
