"""url_memo: each post's URL and output file computed once per build, not on every access.

Pelican derives `url` and `save_as` from the settings' patterns each time they are read (a copy
of the metadata, the relative source path, the date formatted, the pattern filled in): on a
5,000-post site over 100,000 times a build, seconds of work for the same few strings. Once every
generator has finished its context (`all_generators_finalized`, after which slugs, dates,
categories and languages no longer change) the results are remembered until the build ends.

Slugs are remembered too: Pelican slugifies the name of every tag, category and author object, and
each post gets its own objects (thousands per build for a few dozen names), each slugify a Unicode
normalisation, a transliteration and a regular expression per substitution. Its result depends on
nothing but its arguments, so it is remembered by them for the process.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import pelican.contents
import pelican.urlwrappers
from hub_core import build_tracking
from pelican import signals
from pelican.contents import Content

_compute = Content.get_url_setting
_remembered: dict[tuple[int, str], str] | None = None


def _get_url_setting(self: Content, key: str) -> str:
    memo = _remembered
    if memo is None:
        return _compute(self, key)
    # id() is safe as a key: the generators hold every post until the build ends, when this is cleared.
    entry = (id(self), key)
    found = memo.get(entry)
    if found is None:
        found = memo[entry] = _compute(self, key)
    return found


_slugify = pelican.urlwrappers.slugify
SLUG_MEMO_SIZE = 1 << 16


def _remembered_slugify(
    value: str, regex_subs: Iterable[tuple[str, str]] = (), preserve_case: bool = False, use_unicode: bool = False
) -> str:
    try:
        subs = tuple((source, replacement) for source, replacement in regex_subs)
        return _slug_of(str(value), subs, preserve_case, use_unicode)
    except (TypeError, ValueError):  # substitutions of another shape: Pelican says what is wrong
        return _slugify(value, regex_subs, preserve_case, use_unicode)


@functools.lru_cache(maxsize=SLUG_MEMO_SIZE)
def _slug_of(value: str, regex_subs: tuple[tuple[str, str], ...], preserve_case: bool, use_unicode: bool) -> str:
    # `str(value)`: a Markup name and its text slugify alike (slugify wraps either in Markup).
    return _slugify(value, regex_subs, preserve_case, use_unicode)


def start(_generators: Any) -> None:
    global _remembered
    _remembered = {}


def stop(_pelican: Any) -> None:
    global _remembered
    _remembered = None


CONNECTIONS = (
    (signals.initialized, stop),  # a build that failed before `finalized` left it on
    (signals.all_generators_finalized, start),
    (signals.finalized, stop),
)


def register() -> None:
    build_tracking.track_builds()
    Content.get_url_setting = _get_url_setting  # type: ignore[method-assign]
    # Where Pelican's posts, tags, categories and authors look it up (imported by name). Not in
    # pelican.utils: a reference to Pelican's slugify must stay picklable by its name.
    for module in (pelican.urlwrappers, pelican.contents):
        module.slugify = _remembered_slugify  # type: ignore[attr-defined]
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
