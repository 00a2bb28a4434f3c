"""The image and card work of one build, on all cores, beside Pelican instead of before it.

Started as soon as the images are checked and keyed (prepare): the workers make the missing
entries while Pelican reads and renders, since pages only need to know which files there will
be (the plan, from each header), not the files. The cards join the same pool once the posts are
known; the cards of a photo whose variants are still waiting are rendered in the same task,
from the same decoded pixels. The build waits only where a file's bytes are needed: a feed's
enclosure size (`processed[relative]`) and, at the end, putting everything into the output.

Knows nothing of Pelican: the plugin (__init__.py) drives it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from hub_core.build_progress import build_progress
from hub_core.i18n import translator
from PIL import Image

from .cache import Prepared, _Entry, build_file, died, materialise, unexpected
from .card import CardStyle, PhotoPixels, decoded_photo, photo_request
from .cards import CardJob, render_batch
from .process import ImageError, ImageSettings, Processed

_, ngettext = translator("hub_images")


@dataclass(frozen=True)
class CardBatch:
    """Cards of one photo (or a run of cards without one), rendered in one task."""

    cards: tuple[tuple[CardJob, Path], ...]
    style: CardStyle
    widths: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    """What a task made: the image's entry (or why not) and, per card, an error text or None."""

    entry: _Entry | None = None
    error: ImageError | None = None
    cards: tuple[str | None, ...] = ()


def image_task(
    source: Path,
    relative: str,
    settings: ImageSettings,
    cache_dir: Path,
    key: str,
    variants: bool,
    batch: CardBatch | None = None,
) -> Outcome:
    """Runs in a worker: an image's entry and, if given, the cards of the same photo from its pixels."""
    pixels: list[PhotoPixels] = []
    data_request = photo_request(source.read_bytes(), settings.widths) if batch is not None else None

    def keep_pixels(image: Image.Image, request: tuple[int, int] | None) -> None:
        # The cards' photo is decoded at the same size (photo_request) unless the variants' decode
        # is too small for a card; only then do the cards decode the photo themselves.
        if request == data_request:
            pixels.append(decoded_photo(image, request))

    try:
        entry = build_file(source, relative, settings, cache_dir, key, variants, keep_pixels if batch else None)
        outcome = Outcome(entry)
    except ImageError as error:
        outcome = Outcome(error=error)
    except Exception as error:
        outcome = Outcome(error=unexpected(source, error))
    if batch is None:
        return outcome
    cards = render_batch(batch.cards, batch.style, batch.widths, pixels[0] if pixels else None)
    return Outcome(outcome.entry, outcome.error, tuple(cards))


def card_task(batch: CardBatch) -> Outcome:
    """Runs in a worker: cards whose photo (if any) has no image task waiting."""
    return Outcome(cards=tuple(render_batch(batch.cards, batch.style, batch.widths)))


@dataclass
class _Task:
    future: Future[Outcome]
    key: str | None = None  # the image entry it makes
    cards: tuple[Path, ...] = ()  # the cards it renders, in order


@dataclass
class ImageWork:
    """The running work of one build. `start()` returns at once; `finish()` waits for everything."""

    prepared: Prepared
    settings: ImageSettings
    cache_dir: Path
    staging: Path  # where the images' files are linked for the output
    workers: int = 0  # 0: every core
    _pool: ProcessPoolExecutor | None = None
    _tasks: list[_Task] = field(default_factory=list)
    _by_key: dict[str, _Task] = field(default_factory=dict)
    _done: dict[str, Processed] = field(default_factory=dict)
    _card_targets: dict[Path, CardJob] = field(default_factory=dict)

    def start(self) -> None:
        """Hand every missing entry to the workers, in the order given (see prepare)."""
        for key in self.prepared.misses:
            self._submit(_Task(self._submit_image(key), key))

    def add_cards(self, misses: Mapping[Path, CardJob], style: CardStyle) -> None:
        """Render these cards (cache file -> job, in the posts' order) with the images' work."""
        widths = tuple(self.settings.widths)
        self._card_targets.update(misses)
        by_photo: dict[Path | None, list[tuple[CardJob, Path]]] = {}
        for target, job in misses.items():
            by_photo.setdefault(job.photo, []).append((job, target))
        waiting = {Path(image.source): key for key, image in self.prepared.misses.items() if image.variants}
        for photo, cards in by_photo.items():
            if photo is None:
                # Cards without a photo take a few milliseconds each: a handful per task.
                for start in range(0, len(cards), 16):
                    batch = CardBatch(tuple(cards[start : start + 16]), style, widths)
                    self._card_only(batch)
                continue
            batch = CardBatch(tuple(cards), style, widths)
            key = waiting.get(Path(photo))
            task = self._by_key.get(key) if key else None
            if key is not None and task is not None and task.future.cancel():
                # Not started yet: the variants and the cards of this photo become one task, one decode.
                future = self._submit_image(key, batch)
                self._tasks.remove(task)
                self._submit(_Task(future, key, tuple(target for _, target in cards)))
            else:
                self._card_only(batch)

    @property
    def processed(self) -> Mapping[str, Processed]:
        """Every image's files by content-relative path; reading one waits for its files to be made."""
        return _Finished(self)

    def processed_image(self, relative: str) -> Processed:
        if relative not in self._done:
            image = self.prepared.images[relative]
            entry = self.prepared.entries.get(image.key)
            if entry is None:
                outcome = _result(self._by_key[image.key], image.source)
                if outcome.error is not None:
                    raise ImageError(str(image.source), outcome.error.problem)
                assert outcome.entry is not None
                entry = outcome.entry
            self._done[relative] = materialise(image, entry, self.cache_dir, self.staging)
        return self._done[relative]

    def finish(self) -> tuple[dict[str, Processed], list[ImageError], list[str]]:
        """Wait for all the work: every image's files, the images that failed, the cards that failed."""
        failed: dict[str, ImageError] = {}
        card_errors: dict[Path, str] = {}
        image_tasks = [task for task in self._tasks if task.key is not None]
        with build_progress(len(image_tasks), _("Image variants"), unit=_("images")) as step:
            for task in image_tasks:
                self._settle(task, failed, card_errors)
                step()
        card_tasks = [task for task in self._tasks if task.key is None]
        with build_progress(sum(len(task.cards) for task in card_tasks), _("Social cards"), unit=_("cards")) as step:
            for task in card_tasks:
                self._settle(task, failed, card_errors)
                step(len(task.cards))
        self.close()
        results: dict[str, Processed] = {}
        errors: list[ImageError] = []
        for relative, image in self.prepared.images.items():
            if image.key in failed:
                # Reported under each job's own name: the same bytes may have been built under another.
                errors.append(ImageError(str(image.source), failed[image.key].problem))
            else:
                results[relative] = self.processed_image(relative)
        # In the posts' order, as the cards were asked for.
        return results, errors, [card_errors[target] for target in self._card_targets if target in card_errors]

    def close(self) -> None:
        """Stop: nothing waiting is started any more (a failed build must not wait for minutes of work)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _settle(self, task: _Task, failed: dict[str, ImageError], card_errors: dict[Path, str]) -> None:
        if task.key is not None:
            source = self.prepared.misses[task.key].source
        else:
            source = self._card_targets[task.cards[0]].photo or task.cards[0]
        outcome = _result(task, source)
        if task.key is not None and outcome.error is not None:
            failed[task.key] = outcome.error
        for target, error in zip(task.cards, outcome.cards or (None,) * len(task.cards), strict=True):
            if error is not None:
                card_errors[target] = error

    def _submit_image(self, key: str, batch: CardBatch | None = None) -> Future[Outcome]:
        image = self.prepared.misses[key]
        return self._executor().submit(
            image_task, image.source, image.relative, self.settings, self.cache_dir, key, image.variants, batch
        )

    def _card_only(self, batch: CardBatch) -> None:
        self._submit(_Task(self._executor().submit(card_task, batch), None, tuple(t for _, t in batch.cards)))

    def _submit(self, task: _Task) -> None:
        self._tasks.append(task)
        if task.key is not None:
            self._by_key[task.key] = task

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers or _cores())
        return self._pool


def _result(task: _Task, source: Path) -> Outcome:
    try:
        return task.future.result()
    except BrokenProcessPool:
        error = died(source)
    except Exception as failure:  # the task's own errors are in its Outcome: this is the pool's
        error = unexpected(source, failure)
    return Outcome(error=error, cards=tuple(str(error) for _ in task.cards))


class _Finished(Mapping[str, Processed]):
    """`ImageWork.processed`: the keys at once, each value once its files are made."""

    def __init__(self, work: ImageWork) -> None:
        self._work = work

    def __getitem__(self, relative: str) -> Processed:
        if relative not in self._work.prepared.images:
            raise KeyError(relative)
        try:
            return self._work.processed_image(relative)
        except ImageError:
            # The build stops on it once all the work is done (finish); until then, what was planned.
            return self._work.prepared.images[relative].plan

    def __iter__(self) -> Iterator[str]:
        return iter(self._work.prepared.images)

    def __len__(self) -> int:
        return len(self._work.prepared.images)

    def __contains__(self, relative: object) -> bool:
        return relative in self._work.prepared.images


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours CPU limits of containers and taskset
    except AttributeError:  # not on macOS or Windows
        return os.cpu_count() or 1
