"""Social cards for a whole site: one cached 1200x630 card per post, rendered on all cores.

The build hands its cards to the image pipeline's pool (pool.py), where the cards of a photo are
rendered in one task, with the photo's variants when those are still to be made (one decode for
both); `render_cards` is the same work on a pool of its own, for callers outside a build.
"""

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

from .card import CardError, CardStyle, PhotoPixels, card_key, social_card

_, ngettext = translator("hub_images")


@dataclass(frozen=True)
class CardJob:
    output: str  # path in the site, e.g. images/cards/de/slug.jpg
    title: str
    author: str
    photo: Path | None = None
    focal: tuple[float, float] | None = None
    label: str | None = None


@dataclass(frozen=True)
class CardPlan:
    """Where every card of a build is kept (by output path), and those still to be rendered."""

    cached: dict[str, Path]  # output path -> the card's file in the cache
    misses: dict[Path, CardJob]  # the card's file in the cache -> a job that renders it, in the posts' order


def plan_cards(jobs: Sequence[CardJob], style: CardStyle, cache_dir: Path, widths: Sequence[int] = ()) -> CardPlan:
    """Each card's file in the cache (by its content's key) and which of them are missing."""
    cached: dict[str, Path] = {}
    misses: dict[Path, CardJob] = {}
    widths = tuple(widths)
    for job in jobs:
        key = card_key(
            title=job.title,
            author=job.author,
            style=style,
            photo=job.photo,
            focal=job.focal,
            label=job.label,
            widths=widths,
        )
        target = cache_dir / key[:2] / f"{key}.jpg"
        cached[job.output] = target
        if target not in misses and not _is_cached(target):
            misses[target] = job
    for parent in {target.parent for target in misses}:
        parent.mkdir(parents=True, exist_ok=True)
    return CardPlan(cached, misses)


def render_batch(
    batch: Sequence[tuple[CardJob, Path]], style: CardStyle, widths: Sequence[int], pixels: PhotoPixels | None = None
) -> list[str | None]:
    """Render cards (in a worker); `pixels`: their common photo, already decoded. An error text or None each."""
    return [_render(job, style, target, tuple(widths), pixels) for job, target in batch]


def _render(
    job: CardJob, style: CardStyle, target: Path, widths: tuple[int, ...] = (), pixels: PhotoPixels | None = None
) -> str | None:
    try:
        social_card(
            target,
            title=job.title,
            author=job.author,
            style=style,
            photo=job.photo,
            focal=job.focal,
            label=job.label,
            widths=widths,
            pixels=pixels if job.photo is not None else None,
        )
    except CardError as error:
        return str(error)
    make_read_only(target)  # the site links to it: an in-place write must fail, not change the cache
    return None


def render_cards(
    jobs: Sequence[CardJob],
    style: CardStyle,
    cache_dir: Path,
    workers: int | None = None,
    widths: Sequence[int] = (),
) -> tuple[dict[str, Path], list[str]]:
    """Cards by output path, each rendered once per distinct content (cached); errors collected."""
    plan = plan_cards(jobs, style, cache_dir, widths)
    misses = plan.misses
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
                for result in pool.map(
                    _render, [misses[t] for t in order], repeat(style), order, repeat(tuple(widths)), chunksize=chunk
                ):
                    results.append(result)
                    step()
        else:
            for target in order:
                results.append(_render(misses[target], style, target, tuple(widths)))
                step()
    failed = dict(zip(order, results, strict=True))
    errors = [error for target in misses if (error := failed[target])]  # in the posts' order
    return {output: path for output, path in plan.cached.items() if path.exists()}, errors


def _is_cached(target: Path) -> bool:
    try:
        make_read_only(target)  # cards cached before cache files were read-only
    except FileNotFoundError:
        return False
    return True


def publish_cards(cards: Mapping[str, Path], output: Path) -> int:
    """Link (or copy) the cards into the site; unchanged ones are left alone. Returns how many were written."""
    return sum(place(source, output / relative) for relative, source in cards.items())
