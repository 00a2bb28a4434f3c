"""Images referenced in a Markdown body: alt text and existence, with line numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

INLINE_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
HTML_IMAGE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
HTML_ATTR = re.compile(r"""(?P<name>[a-zA-Z-]+)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""")
FENCE = re.compile(r"^\s{0,3}(```|~~~)")


@dataclass(frozen=True)
class BodyImage:
    line: int
    src: str
    alt: str | None  # None: an <img> without alt attribute at all

    @property
    def is_local(self) -> bool:
        return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", self.src, re.IGNORECASE)


def body_images(body: str, first_line: int) -> Iterator[BodyImage]:
    """Yield every image in `body`; code blocks are skipped."""
    if "![" not in body and "<img" not in body.lower():
        return  # most posts: no need to walk the lines
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        marker = FENCE.match(line)
        if marker:
            fence = None if fence == marker.group(1) else (fence or marker.group(1))
            continue
        if fence or line.startswith(("    ", "\t")):
            continue
        number = first_line + offset
        for match in INLINE_IMAGE.finditer(line):
            yield BodyImage(number, match.group("src"), match.group("alt"))
        for match in HTML_IMAGE.finditer(line):
            attrs = {
                m.group("name").lower(): m.group("dq") or m.group("sq") or m.group("bare") or ""
                for m in HTML_ATTR.finditer(match.group("attrs"))
            }
            if "src" in attrs:
                yield BodyImage(number, attrs["src"], attrs.get("alt"))
