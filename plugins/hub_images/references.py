"""Which images anything in the site names: those get responsive variants, the others only their cleaned original.

An image nobody links needs no variants, but it is still published (Pelican publishes every
static file, and a link from outside the site may point at it). Whether an image is linked is
judged from the text of the content folder, the theme's templates, the calendar and the
settings, before anything is read, so the answer is the same in every build of the same
files. It errs on the safe side: a name found anywhere counts, in a draft too, and so does a
variant's name (`foo-jpg-480.webp` names `foo.jpg`). A page asking for the variants of an
image named nowhere (a path a template puts together) gets none: the plain original, which
always exists (see hub_images.add_filters and the Markdown reader).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote

# A file name as it stands in Markdown, HTML, YAML or a template: no separators, quotes or brackets.
_NAME = re.compile(r"[^\s/\\\"'()<>\[\]{}|,;=*`]+")


def named_images(relatives: Iterable[str], texts: Iterable[str]) -> set[str]:
    """The images among `relatives` (content-relative paths) whose file name, or a variant's, occurs in `texts`."""
    wanted: dict[str, list[str]] = {}  # a name as it may be written (case-folded) -> the images it names
    unusual: list[tuple[str, str]] = []  # names with characters a word never holds: looked for as text
    for relative in relatives:
        path = PurePosixPath(relative)
        for name in (path.name, f"{path.stem}-{path.suffix.lstrip('.')}-"):
            folded = name.casefold()
            if _NAME.fullmatch(folded.rstrip("-")):
                wanted.setdefault(folded, []).append(relative)
            else:
                unusual.append((folded, relative))
    found: set[str] = set()
    joined = []
    for text in texts:
        folded = unquote(text).casefold()
        if unusual:
            joined.append(folded)
        for word in _NAME.findall(folded):
            for candidate in (word, _variant_prefix(word)):
                if candidate in wanted:
                    found.update(wanted[candidate])
    if unusual:
        everything = "\n".join(joined)
        found.update(relative for name, relative in unusual if name in everything)
    return found


_VARIANT = re.compile(r"^(.+-(?:jpg|jpeg|png|webp|gif)-)[0-9]+\.(?:jpg|png|webp|gif)$")


def _variant_prefix(word: str) -> str:
    """`foo-jpg-480.webp` -> `foo-jpg-` (how a variant names its source), else the word itself."""
    match = _VARIANT.match(word)
    return match.group(1) if match else word
