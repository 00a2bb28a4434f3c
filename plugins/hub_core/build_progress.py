"""Progress of long work inside a build (image variants, social cards, the search index).

hub_core.progress shows it (a bar at a terminal, a plain line now and then in CI); here the build's
own wish is respected: `pelican --quiet` (errors only) shows no progress, and work with nothing to
do shows none either. Plain lines never start with a file's path, so a log read line by line keeps
one line per finding (hub_core.build_log).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from .progress import Step, progress


def _nothing(count: int = 1) -> None:
    return None


@contextmanager
def build_progress(total: int, label: str, *, unit: str = "") -> Iterator[Step]:
    """`progress(total, label, unit=unit)` unless the build is quiet or `total` is 0; yields `step`."""
    if total <= 0 or logging.getLogger().getEffectiveLevel() > logging.WARNING:
        yield _nothing
        return
    with progress(total, label, unit=unit) as step:
        yield step
