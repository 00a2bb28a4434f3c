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
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from urllib.parse import unquote

# What separates file names in Markdown, HTML, YAML or a template: whitespace, separators, quotes, brackets.
_SEPARATORS = r"\s/\\\"'()<>\[\]{}|,;=*`"
# A file name as it stands in such a text.
_NAME = re.compile(f"[^{_SEPARATORS}]+")
_SEPARATOR = re.compile(f"[{_SEPARATORS}]")


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
    candidates = _candidates(wanted)
    found: set[str] = set()
    joined = []
    for text in texts:
        folded = unquote(text).casefold()
        if unusual:
            joined.append(folded)
        if candidates is None:
            continue
        for word in _words_ending(candidates, folded):
            for candidate in (word, _variant_prefix(word)):
                if candidate in wanted:
                    found.update(wanted[candidate])
    if unusual:
        everything = "\n".join(joined)
        found.update(relative for name, relative in unusual if name in everything)
    return found


def _candidates(wanted: Iterable[str]) -> re.Pattern[str] | None:
    """The words of a text that can name a wanted image: those ending as a wanted name or a variant does.

    A text holds thousands of words and a few image names: looking for the few endings (`.jpg`,
    `-jpg-`) at a word's end and only then for the word's start costs a fraction of splitting the
    text into words. Every word that equals a wanted name ends with that name's ending.
    """
    endings = {_ending(name) for name in wanted}
    if not endings:
        return None
    endings |= _VARIANT_ENDINGS
    alternatives = "|".join(re.escape(ending) for ending in sorted(endings, key=lambda e: (-len(e), e)))
    return re.compile(f"(?:{alternatives})(?![^{_SEPARATORS}])")


def _words_ending(endings: re.Pattern[str], text: str) -> Iterator[str]:
    """The words of `text` that end with a match of `endings` (which only matches at a word's end)."""
    for match in endings.finditer(text):
        start = match.start()
        while start > 0 and not _SEPARATOR.match(text, start - 1):
            start -= 1
        yield text[start : match.end()]


def _ending(name: str) -> str:
    """`foo.jpg` -> `.jpg`, `foo-jpg-` -> `-jpg-`: a short tail the name ends with (else the whole name)."""
    start = name.rfind("-", 0, len(name) - 1) if name.endswith("-") else name.rfind(".")
    return name[start:] if start > 0 else name


_VARIANT_FORMATS = ("jpg", "png", "webp", "gif")
_VARIANT = re.compile(rf"^(.+-(?:jpg|jpeg|png|webp|gif)-)[0-9]+\.(?:{'|'.join(_VARIANT_FORMATS)})$")
_VARIANT_ENDINGS = frozenset(f".{suffix}" for suffix in _VARIANT_FORMATS)


def _variant_prefix(word: str) -> str:
    """`foo-jpg-480.webp` -> `foo-jpg-` (how a variant names its source), else the word itself."""
    match = _VARIANT.match(word)
    return match.group(1) if match else word
