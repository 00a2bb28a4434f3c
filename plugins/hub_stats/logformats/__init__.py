"""The access log formats `invoke stats` reads, detected from the file itself.

A format looks at the first lines of a file (`detect`) and, if they are its own, gives a parser for
that file's lines (`parser`): CloudFront's and other W3C-style logs declare their columns in a
`#Fields:` header, so the parser is built from the header the file has. A parser turns one line into
a Hit, returns None for a line that is no request (a comment, a header), and raises model.Malformed
for a line that should be a request and is not. Pure: text in, Hits out.

Adding a format: a module here with one object that has `name`, `detect` and `parser`, listed in
FORMATS (most specific first: the combined format would read many things).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from ..model import Hit
from . import cloudfront, s3access
from .combined import COMBINED, COMMON

Parser = Callable[[str], "Hit | None"]


class LogFormat(Protocol):
    name: str  # for people and the read log: "cloudfront", "s3", "combined", "common"

    def detect(self, head: Sequence[str]) -> bool:
        """Whether these first lines (up to 20, newline removed) are this format's."""
        ...

    def parser(self, head: Sequence[str]) -> Parser:
        """A parser for every line of the file whose first lines are `head`."""
        ...


FORMATS: tuple[LogFormat, ...] = (
    cloudfront.FORMAT,
    s3access.FORMAT,
    COMBINED,
    COMMON,
)


def detect(head: Sequence[str]) -> LogFormat | None:
    """The first format that recognises the file; None: no format we read (reported, not guessed)."""
    return next((candidate for candidate in FORMATS if candidate.detect(head)), None)
