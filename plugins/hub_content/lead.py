"""The lead above a post's body: what the author wrote as summary, unless the body opens with it.

Pelican makes a summary from the body's opening when none is written; shown as a lead, that
repeats the first paragraph (and its first image) word for word. Imported posts often carry an
excerpt that is their first paragraph, too. Pure: HTML in, the lead's HTML or None out.
"""

from __future__ import annotations

import html
import re

TAG = re.compile(r"<[^>]+>")
IMAGE = re.compile(r"<(figure|picture)\b.*?</\1\s*>|<img\b[^>]*>", re.IGNORECASE | re.DOTALL)
SPACE = re.compile(r"\s+")
# The endings of shortened excerpts: "…", "[…]", "...", "[...]", "Weiterlesen".
ELLIPSIS = re.compile(r"\s*(\[?(…|\.\.\.)\]?)\s*$")
# How much of the body's opening is compared: enough for any lead, little work for long posts.
OPENING_CHARACTERS = 4000


def plain_text(markup: str) -> str:
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", markup))).strip()


def lead_of(summary: str | None, body: str) -> str | None:
    """The summary as lead, without images, or None if there is none or the body already says it."""
    if not summary:
        return None
    lead = IMAGE.sub("", summary).strip()
    text = ELLIPSIS.sub("", plain_text(lead))
    if not text:
        return None
    opening = plain_text(body[:OPENING_CHARACTERS])
    if opening.casefold().startswith(text.casefold()):
        return None
    return lead
