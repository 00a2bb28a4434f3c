"""Plain text from a summary written in HTML, Markdown or reStructuredText: our summaries are
plain text (never HTML), shown as they are in listings, feeds and search results."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

MD_REFERENCE = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
RST_LINK = re.compile(r"`([^`<]+?)\s*(?:<[^>]*>)?`_{1,2}")
RST_ROLE = re.compile(r":[a-z-]+:`([^`]*)`")
RST_MARKUP = re.compile(r"(\*\*|\*|``)(?=\S)(.+?)(?<=\S)\1")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")


def html_to_text(text: str) -> str:
    parser = _Text()
    parser.feed(text)
    parser.close()
    return " ".join("".join(parser.parts).split())


def plain_text(text: str, markup: str) -> str:
    """`text` without markup, whitespace folded to single spaces."""
    if markup == "markdown":
        text = MD_REFERENCE.sub(r"\1", text)
        text = MD_EMPHASIS.sub(r"\2", text)
        return html_to_text(text) if "<" in text else " ".join(html.unescape(text).split())
    if markup == "rst":
        text = RST_ROLE.sub(r"\1", RST_LINK.sub(r"\1", text))
        return " ".join(RST_MARKUP.sub(r"\2", text).split())
    return html_to_text(text)
