"""The parts of a built page the quick preview may replace (pure: text in, text out).

The theme marks them: an element with `data-preview="content"` holds the rendered body of a post
or page, one with `data-preview="title"` its title. The quick preview puts a freshly rendered body
and title between the marked element's tags and leaves every other byte of the page as the last
build wrote it. Found with the standard library's HTML tokenizer, so a `<div>` inside the body, an
attribute containing `>` or a comment holding markup do not end a region early.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise

ATTRIBUTE = "data-preview"


@dataclass(frozen=True)
class Region:
    name: str
    start: int  # offset of the first character after the marked element's start tag
    end: int  # offset of its end tag


@dataclass
class _Open:
    name: str
    tag: str
    start: int
    depth: int = 1


class _Finder(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]
        self.found: list[Region] = []
        self._open: list[_Open] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for region in self._open:
            if region.tag == tag:
                region.depth += 1
        name = dict(attrs).get(ATTRIBUTE)
        if name:
            started = self._offset() + len(self.get_starttag_text() or "")
            self._open.append(_Open(name, tag, started))

    def handle_endtag(self, tag: str) -> None:
        for region in list(self._open):
            if region.tag != tag:
                continue
            region.depth -= 1
            if region.depth == 0:
                self._open.remove(region)
                self.found.append(Region(region.name, region.start, self._offset()))


def regions(html: str) -> dict[str, Region]:
    """Every closed region of the page by name; a name marked twice keeps its first region."""
    finder = _Finder(html)
    finder.feed(html)
    finder.close()
    found: dict[str, Region] = {}
    for region in sorted(finder.found, key=lambda r: r.start):
        found.setdefault(region.name, region)
    return found


def replace_regions(html: str, replacements: Mapping[str, str]) -> str | None:
    """The page with each named region's inside replaced, or None when the page lacks one of them
    or two of them overlap (a theme without the marks gets no quick preview, never a wrong one)."""
    found = regions(html)
    if any(name not in found for name in replacements):
        return None
    chosen = sorted((found[name] for name in replacements), key=lambda region: region.start)
    if any(later.start < earlier.end for earlier, later in pairwise(chosen)):
        return None
    pieces = []
    position = 0
    for region in chosen:
        pieces += [html[position : region.start], replacements[region.name]]
        position = region.end
    pieces.append(html[position:])
    return "".join(pieces)
