"""Social cards for a whole site: one cached 1200x630 card per post, rendered on all cores."""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .card import CardError, CardStyle, card_key, social_card


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
        if not target.exists():
            misses.setdefault(target, job)
    errors: list[str] = []
    for target in misses:
        target.parent.mkdir(parents=True, exist_ok=True)
    if len(misses) > 4 and (workers or os.cpu_count() or 1) > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = pool.map(_render, misses.values(), [style] * len(misses), misses.keys())
            errors = [error for error in results if error]
    else:
        errors = [
            error for job, target in zip(misses.values(), misses, strict=True) if (error := _render(job, style, target))
        ]
    return {output: path for output, path in cached.items() if path.exists()}, errors


def publish_cards(cards: dict[str, Path], output: Path) -> int:
    """Copy the cards into the site; unchanged ones are left alone."""
    written = 0
    for relative, source in cards.items():
        target = output / relative
        if target.exists() and filecmp.cmp(source, target, shallow=False):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written += 1
    return written
