"""image_pipeline: responsive, metadata-free images and a social card per post.

Before anything is read, every image under the static paths is checked and keyed (its header
inspected by the rules `invoke check` applies, hub_core.imagefile: a bad file — empty,
truncated, lying extension, decompression bomb — stops the build with its name before any
image is processed or anything written), and what the cache (by content hash and settings)
does not hold is handed to workers on all cores, which work while Pelican reads and renders
(pool.py). An image some text of the site names (references.py) gets variants at
HUB_IMAGE_WIDTHS in WebP, and in its own format at the one width of the <img> fallback
(process.py: what is made, at what cost, and why); every image is published cleaned: every file
stripped of EXIF/GPS, XMP, IPTC and comments, orientation applied, colour profile kept; an
animation is published with every frame, only its metadata removed. Pages link the variants
from their plan (known from the header), before the files exist; the social cards join the
same workers once the posts are known. The build waits for the files only where their bytes
matter (a feed's enclosure size) and at the end, when a damaged picture still stops it (the
output is replaced only by a build that succeeds, hub_fast_clean). Pelican never copies the raw
files: the cleaned ones and their variants are put into the output at the end, as hard links to
the cache's read-only files (copies where links are impossible). Templates get `responsive` and
`srcset_base` filters; Markdown body images become <picture> elements.

Settings: options.py (HUB_IMAGE_WIDTHS, HUB_IMAGE_FORMATS, HUB_IMAGE_QUALITY, HUB_IMAGE_CACHE,
HUB_SOCIAL_CARDS), and hub_core.sponsored's HUB_SPONSORED_LABEL on the cards.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hub_core import build_tracking, state
from hub_core.i18n import translator
from hub_core.imagefile import static_files
from hub_core.options import read
from hub_core.sponsored import SPONSORED_LABEL
from pelican import signals

from . import options
from .process import source_format
from .responsive import Responsive, prefixed, responsive
from .slots import IMAGE_WORK, IMAGES, SOCIAL_CARDS, Images
from .views import SUFFIXES, cache_dir
from .views import image_settings as _settings

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_images")
PREFIX = "image_pipeline:"
MAX_TEXT_BYTES = 4 << 20  # a larger file (a PDF, a video) is not where images are named


def image_jobs(settings: dict[str, Any]) -> list[tuple[Path, str]]:
    """Every image file under the static paths, as (source, content-relative path)."""
    files = static_files(Path(settings["PATH"]), settings.get("STATIC_PATHS", []), settings.get("IGNORE_FILES", []))
    return [(path, relative) for path, relative in files if path.suffix.lower() in SUFFIXES]


def prepare_images(pelican: Any) -> None:
    """Check and key every image (stop the build on a bad file, before writing), then start the work."""
    from hub_core.errors import BuildStopped

    from .cache import prepare
    from .pool import ImageWork
    from .references import named_images

    settings = pelican.settings
    jobs = image_jobs(settings)
    named = named_images([relative for _, relative in jobs], _texts(settings, {path for path, _ in jobs}))
    image_settings = _settings(settings)
    prepared = prepare(jobs, image_settings, cache_dir(settings), named.__contains__)
    for error in prepared.errors:
        logger.error("%s %s", PREFIX, error)
    if prepared.errors:
        stopped = ngettext(
            "{count} image cannot be published; nothing was written",
            "{count} images cannot be published; nothing was written",
            len(prepared.errors),
        )
        raise BuildStopped(f"{PREFIX} {stopped.format(count=len(prepared.errors))}")
    work = ImageWork(prepared, image_settings, cache_dir(settings), cache_dir(settings) / "site")
    build = state.of(settings)
    build.at_end(work.close)  # a failed build leaves no work running
    work.start()
    views = {
        relative: responsive(image.plan, source_format(relative) or "jpeg")
        for relative, image in prepared.images.items()
        if image.variants
    }
    build.put(IMAGES, Images(work.processed, work.staging, views.get, views))
    build.put(IMAGE_WORK, work)


def _texts(settings: dict[str, Any], images: set[Path]) -> Iterator[str]:
    """Every text that may name an image: the content folder's files, the templates, the calendar, the settings."""
    content = Path(settings["PATH"])
    folders = [content, *(Path(p) for p in settings.get("THEME_TEMPLATES_OVERRIDES", []))]
    if settings.get("THEME"):
        folders.append(Path(settings["THEME"]) / "templates")
    # HUB_CALENDAR as hub_content resolves it (beside content/ unless set); read here, not imported:
    # hub_content depends on this plugin.
    calendar = settings.get("HUB_CALENDAR") or "editorial_calendar.yaml"
    files = [Path(calendar) if Path(calendar).is_absolute() else content.parent / calendar]
    for folder in folders:
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file() and p not in images)
    for file in files:
        try:
            if file.stat().st_size <= MAX_TEXT_BYTES:
                yield file.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue  # unreadable: it names nothing we can know of
    yield from _strings(settings)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


def add_filters(generator: Any) -> None:
    env = getattr(generator, "env", None)
    images = state.of(generator.settings).get(IMAGES)
    if env is None or images is None:
        return
    lookup = images.picture_of
    env.filters["responsive"] = lambda path: lookup(str(path))
    env.filters["srcset_base"] = lambda srcset, base: prefixed(srcset, base or ".")


def skip_raw_copies(generator: Any) -> None:
    """Pelican would copy the originals with all their metadata: we write cleaned files instead."""
    images = state.of(generator.settings).get(IMAGES)
    processed = images.processed if images else {}
    # In place: Pelican copies what context["staticfiles"] holds, the same list object. A new list
    # would leave the raw files (GPS and all) to be copied, and in a kept output that copy would
    # write through the hard link of the previous build into the cache.
    generator.staticfiles[:] = [
        s for s in generator.staticfiles if s.relative_source_path.replace(os.sep, "/") not in processed
    ]


def publish_images(pelican: Any) -> None:
    """Wait for the work, stop on what failed, then put the cleaned originals, their variants and the
    social cards into the output."""
    from hub_core.errors import BuildStopped
    from hub_core.files import place

    from .cards import publish_cards

    output = Path(pelican.output_path)
    build = state.of(pelican.settings)
    work = build.get(IMAGE_WORK)
    if work is None:
        return
    results, errors, card_errors = work.finish()
    for error in errors:
        logger.error("%s %s", PREFIX, error)
    for card_error in card_errors:
        logger.error("%s %s", PREFIX, card_error)
    if errors:
        stopped = ngettext(
            "{count} image cannot be published; nothing was written",
            "{count} images cannot be published; nothing was written",
            len(errors),
        )
        raise BuildStopped(f"{PREFIX} {stopped.format(count=len(errors))}")
    if card_errors:
        stopped = ngettext(
            "{count} social card could not be made; nothing was written",
            "{count} social cards could not be made; nothing was written",
            len(card_errors),
        )
        raise BuildStopped(f"{PREFIX} {stopped.format(count=len(card_errors))}")
    cards = build.get(SOCIAL_CARDS) or {}
    if cards:
        written = publish_cards(cards, output)
        shown = ngettext(
            "{count} social card written, {total} in all", "{count} social cards written, {total} in all", written
        )
        logger.info("%s %s", PREFIX, shown.format(count=written, total=len(cards)))
    if not results:
        return
    # Hard links into the cache (copies where links are impossible), no longer copies: place() never
    # writes through an existing file, the cache's files are read-only, and an image entry changed
    # anyway (by root, who ignores the mode) has another size or time, then fails its hash check and is
    # made again.
    written = sum(
        place(work.staging / variant.path, output / variant.path)
        for processed in results.values()
        for variant in processed.variants
    )
    shown = ngettext(
        "{count} image file written, {total} images in all",
        "{count} image files written, {total} images in all",
        written,
    )
    logger.info("%s %s", PREFIX, shown.format(count=written, total=len(results)))


def make_cards(generator: Any) -> None:
    """A social card per published post (and one for the site): `article.social_card` for the theme."""
    from .card import CardStyle
    from .cards import CardJob, plan_cards

    settings = generator.settings
    build = state.of(settings)
    work = build.get(IMAGE_WORK)
    if not read(options.SOCIAL_CARDS, settings) or work is None:
        return
    content = Path(settings["PATH"])
    company = settings.get("COMPANY", {}).get("name") or settings.get("SITENAME", "")
    style = CardStyle(company=company)
    articles = list(generator.articles) + list(generator.translations)
    jobs = [CardJob("images/cards/site.jpg", settings.get("SITENAME", ""), company)]
    for article in articles:
        image = getattr(article, "image", None)
        sponsored = getattr(article, "sponsored", None)
        output = f"images/cards/{article.lang}/{article.slug}.jpg"
        jobs.append(
            CardJob(
                output,
                article.title,
                ", ".join(author.name for author in getattr(article, "authors", [])),
                content / image.path if image else None,
                image.focal if image else None,
                (sponsored.label or read(SPONSORED_LABEL, settings)) if sponsored else None,
            )
        )
        article.social_card = output
    plan = plan_cards(jobs, style, cache_dir(settings) / "cards", _settings(settings).widths)
    work.add_cards(plan.misses, style)  # rendered beside the rest of the build; waited for at the end
    build.put(SOCIAL_CARDS, plan.cached)
    generator.context["SITE_SOCIAL_CARD"] = "images/cards/site.jpg"


CONNECTIONS = (
    (signals.get_generators, prepare_images),
    (signals.generator_init, add_filters),
    (signals.static_generator_finalized, skip_raw_copies),
    (signals.article_generator_finalized, make_cards),
    (signals.finalized, publish_images),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)


__all__ = ["Responsive", "register"]
