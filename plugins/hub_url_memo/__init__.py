"""url_memo: each post's URL and output file computed once per build, not on every access.

Pelican derives `url` and `save_as` from the settings' patterns each time they are read (a copy
of the metadata, the relative source path, the date formatted, the pattern filled in): on a
5,000-post site over 100,000 times a build, seconds of work for the same few strings. Once every
generator has finished its context (`all_generators_finalized`, after which slugs, dates,
categories and languages no longer change) the results are remembered until the build ends.
"""

from __future__ import annotations

from typing import Any

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
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
