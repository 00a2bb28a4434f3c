"""Social cards for a whole site: one cached 1200x630 card per post, rendered on all cores."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from hub_core.build_progress import build_progress
from hub_core.files import make_read_only, place
from hub_core.i18n import translator

from .card import CardError, CardStyle, card_key, social_card

_, ngettext = translator("hub_images")


@dataclass(frozen=True)
class CardJob:
    output: str  # path in the site, e.g. images/cards/de/slug.jpg
    title: str
    author: str
    photo: Path | None = None
    focal: tuple[float, float] | None = None
    label: str | None = None


def _render(job: CardJob, style: CardStyle, target: Path) -> str | None:
    try:
        social_card(
            target, title=job.title, author=job.author, style=style, photo=job.photo, focal=job.focal, label=job.label
        )
    except CardError as error:
        return str(error)
    make_read_only(target)  # the site links to it: an in-place write must fail, not change the cache
    return None


def render_cards(
    jobs: Sequence[CardJob], style: CardStyle, cache_dir: Path, workers: int | None = None
) -> tuple[dict[str, Path], list[str]]:
    """Cards by output path, each rendered once per distinct content (cached); errors collected."""
    cached: dict[str, Path] = {}
    misses: dict[Path, CardJob] = {}
    for job in jobs:
        key = card_key(
            title=job.title, author=job.author, style=style, photo=job.photo, focal=job.focal, label=job.label
        )
        target = cache_dir / key[:2] / f"{key}.jpg"
        cached[job.output] = target
        if target not in misses and not _is_cached(target):
            misses[target] = job
    for parent in {target.parent for target in misses}:
        parent.mkdir(parents=True, exist_ok=True)
    # Cards that share a photo side by side: each worker then decodes a photo once for a run of
    # cards (card.py keeps the last few), not once per card. The sort is stable: posts keep their order.
    order = sorted(misses, key=lambda target: str(misses[target].photo or ""))
    count = workers or os.cpu_count() or 1
    results: list[str | None] = []
    with build_progress(len(order), _("Social cards"), unit=_("cards")) as step:
        if len(order) > 4 and count > 1:
            # Chunks cut the round trips to the workers, yet stay small enough to share the work out evenly.
            chunk = max(1, min(32, len(order) // (count * 8)))
            with ProcessPoolExecutor(workers) as pool:
                for result in pool.map(_render, [misses[t] for t in order], repeat(style), order, chunksize=chunk):
                    results.append(result)
                    step()
        else:
            for target in order:
                results.append(_render(misses[target], style, target))
                step()
    failed = dict(zip(order, results, strict=True))
    errors = [error for target in misses if (error := failed[target])]  # in the posts' order
    return {output: path for output, path in cached.items() if path.exists()}, errors


def _is_cached(target: Path) -> bool:
    try:
        make_read_only(target)  # cards cached before cache files were read-only
    except FileNotFoundError:
        return False
    return True


def publish_cards(cards: Mapping[str, Path], output: Path) -> int:
    """Link (or copy) the cards into the site; unchanged ones are left alone. Returns how many were written."""
    return sum(place(source, output / relative) for relative, source in cards.items())
