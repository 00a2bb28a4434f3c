"""Mastodon's HTML as plain text: what the writer wrote, with its paragraphs and line breaks, and no markup.

The summaries' helpers (hub_import.plain, hub_content.lead) fold every break into one space; a
reply keeps its paragraphs. The result is text, never markup: a `<` the writer typed arrives as
`&lt;` and is kept as the character `<`, which the page escapes like any other text. Elements
whose content is not text for a reader (script, style, templates) are dropped with their content.
Links keep their visible text; Mastodon writes a long link's visible part plus hidden spans
(`class="invisible"`) that together spell the whole address, so all of it is kept.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BREAK = frozenset({"br"})
BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})
DROPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
BLANK_LINES = re.compile(r"\n{3,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped = 0  # depth inside elements whose content is dropped

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED:
            self.dropped += 1
        elif tag in BREAK:
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self.dropped = max(0, self.dropped - 1)
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.dropped:
            # Source line breaks are layout, not the writer's: only <br> and blocks break lines.
            self.parts.append(" ".join(data.split("\n")))


def html_to_text(markup: str) -> str:
    """Plain text of a status's `content`: paragraphs separated by a blank line, spaces tidied."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
