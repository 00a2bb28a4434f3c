"""A content-addressed cache, so an unchanged image is never processed twice across builds.

An entry is keyed by the image's bytes, the settings, the promised format and
the pipeline's version; it does not depend on the image's path, so renaming or
copying an image costs nothing. Entries live in `<cache>/<key[:2]>/<key>/` as
the produced files plus `manifest.json`; an entry without a manifest does not
exist. Outputs are hard links to the cached files, so the files are
read-only and every one is checked against its recorded hash before reuse:
root ignores the mode, and a careless writer of the output directory could
change them in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

import PIL
from hub_core.build_progress import build_progress
from hub_core.files import make_read_only, place, write_atomically
from hub_core.i18n import translator
from hub_core.imagefile import ImageFacts, ImageProblem, inspect_data
from hub_core.progress import Step
from PIL import Image

from .process import (
    ImageError,
    ImageSettings,
    Processed,
    Variant,
    planned,
    process_data,
    same_files,
    source_format,
    unreadable,
    variant_of,
    variant_path,
)

_, ngettext = translator("hub_images")
# Bump whenever process.py would write different files for the same input.
# 2: WebP at libwebp method 2 (was 4); the original's format at the fallback width alone.
# 3: WebP at method 4 again (the readers' bytes before a cold build's CPU), the rest as in 2.
PIPELINE_VERSION = "3"
_MANIFEST = "manifest.json"
# The files' stamps when their hashes last matched (_still_verified): beside the manifest.
_VERIFIED = "verified.json"
RACY_NS = 2_000_000_000  # files younger than this are hashed again next time


@dataclass(frozen=True)
class _File:
    name: str
    full_size: bool
    width: int
    height: int
    format: str
    bytes_size: int
    sha256: str


@dataclass(frozen=True)
class _Entry:
    width: int
    height: int
    files: tuple[_File, ...]


def cache_key(data: bytes, relative: str, settings: ImageSettings, variants: bool = True) -> str:
    """The key of an image's entry; the promised format is part of it, so a JPEG named .png still fails.
    An entry of the cleaned original alone (`variants` False) is an entry of its own."""
    digest = hashlib.sha256(data).hexdigest()
    made = settings.key() if variants else f"original only;max_pixels={settings.max_pixels}"
    # Pillow's version is included so an upgrade (new encoder, fixed metadata handling) re-encodes everything.
    parts = (PIPELINE_VERSION, PIL.__version__, made, str(source_format(relative)), digest)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def cached_process(source: Path, relative: str, out_dir: Path, settings: ImageSettings, cache_dir: Path) -> Processed:
    """`process_image` that reuses the cached result of the same bytes and settings."""
    data = _read(source)
    entry_dir = _entry_dir(cache_dir, _checked_key(data, source, relative, settings)[0])
    entry = _load(entry_dir) or _build(data, str(source), relative, settings, entry_dir)
    return _materialise(entry, entry_dir, relative, out_dir)


@dataclass(frozen=True)
class Planned:
    """One image of a build: where it comes from, its entry's key and the files it will have."""

    source: Path
    relative: str
    key: str
    variants: bool  # False: the cleaned original alone
    plan: Processed  # the files, from the header (sizes in bytes not known yet)


@dataclass(frozen=True)
class Prepared:
    """Every image of a build checked and keyed; what the cache holds, and what is still to be made."""

    images: dict[str, Planned]  # by content-relative path, in the jobs' order
    entries: dict[str, _Entry]  # the cache's hits, by key
    misses: dict[str, Planned]  # one image per key still to be made (the same bytes under two names: once)
    errors: list[ImageError]


def prepare(
    jobs: Sequence[tuple[Path, str]],
    settings: ImageSettings,
    cache_dir: Path,
    wants_variants: Callable[[str], bool] = lambda relative: True,
) -> Prepared:
    """Check every (source, relative) job's header, key it and look it up in the cache; no pixel decoded.

    Every file is read and its header inspected first (hub_core.imagefile: the check's
    rules). If any file is refused there, nothing is to be processed: a bad file
    stops the build in seconds, not after minutes of work on the good ones.
    """
    errors = _collisions(jobs)
    images: dict[str, Planned] = {}
    for index, (source, relative) in enumerate(jobs):
        if index in errors:
            continue
        variants = wants_variants(relative)
        try:
            # Only keys are kept, not bytes: a site's images together may not fit in memory.
            key, facts = _checked_key(_read(source), source, relative, settings, variants)
        except ImageError as error:
            errors[index] = error
            continue
        images[relative] = Planned(
            source, relative, key, variants, planned(relative, facts, settings, variants=variants)
        )
    if errors:
        return Prepared({}, {}, {}, [errors[index] for index in sorted(errors)])
    entries: dict[str, _Entry] = {}
    misses: dict[str, Planned] = {}
    for image in images.values():
        if image.key in entries or image.key in misses:
            continue
        if (entry := _load(_entry_dir(cache_dir, image.key))) is not None:
            entries[image.key] = entry
        else:
            misses[image.key] = image
    return Prepared(images, entries, misses, [])


def process_all(
    jobs: Sequence[tuple[Path, str]],
    out_dir: Path,
    settings: ImageSettings,
    cache_dir: Path,
    workers: int | None = None,
) -> tuple[dict[str, Processed], list[ImageError]]:
    """Process every (source, relative) job, cache misses in parallel; every error is collected, none raised."""
    prepared = prepare(jobs, settings, cache_dir)
    if prepared.errors:
        return {}, prepared.errors
    misses = {key: (image.source, image.relative, image.variants) for key, image in prepared.misses.items()}
    built, failed = _build_all(misses, settings, cache_dir, workers)
    entries = {**prepared.entries, **built}
    return collect(prepared, entries, failed, cache_dir, out_dir)


def collect(
    prepared: Prepared, entries: Mapping[str, _Entry], failed: Mapping[str, ImageError], cache_dir: Path, out_dir: Path
) -> tuple[dict[str, Processed], list[ImageError]]:
    """Every image's files put in `out_dir` from its entry; the images that failed, in the jobs' order."""
    results: dict[str, Processed] = {}
    errors: list[ImageError] = []
    for relative, image in prepared.images.items():
        if image.key in failed:
            # Reported under each job's own name: the same bytes may have been built under another.
            errors.append(ImageError(str(image.source), failed[image.key].problem))
        else:
            results[relative] = materialise(image, entries[image.key], cache_dir, out_dir)
    return results, errors


def materialise(image: Planned, entry: _Entry, cache_dir: Path, out_dir: Path) -> Processed:
    """The image's files linked into `out_dir` from its entry; they must be those its plan promised."""
    made = _materialise(entry, _entry_dir(cache_dir, image.key), image.relative, out_dir)
    if not same_files(image.plan, made):
        # Pages link the planned files before they exist: a difference is a bug here, never the user's.
        raise RuntimeError(f"{image.relative}: the files made differ from the plan: {made} != {image.plan}")
    return made


def _checked_key(
    data: bytes, source: Path, relative: str, settings: ImageSettings, variants: bool = True
) -> tuple[str, ImageFacts]:
    """The cache key of a file whose header passes the check's rules, and its facts; else the problem,
    as an ImageError.

    Inspected under its own name on every build, hit or miss: the advice names the real file
    (entries are built under a neutral one), and a hit never excuses a file the rules refuse.
    """
    facts = inspect_data(data, PurePosixPath(relative).name, max_pixels=settings.max_pixels)
    if isinstance(facts, ImageProblem):
        raise ImageError(str(source), facts.describe())
    return cache_key(data, relative, settings, variants), facts


def _build_all(
    misses: dict[str, tuple[Path, str, bool]], settings: ImageSettings, cache_dir: Path, workers: int | None
) -> tuple[dict[str, _Entry], dict[str, ImageError]]:
    """Build the missing entries: what was built, and what failed, by key."""
    with build_progress(len(misses), _("Image variants"), unit=_("images")) as step:
        return _build_each(misses, settings, cache_dir, workers or _cores(), step)


def _build_each(
    misses: dict[str, tuple[Path, str, bool]], settings: ImageSettings, cache_dir: Path, workers: int, step: Step
) -> tuple[dict[str, _Entry], dict[str, ImageError]]:
    built: dict[str, _Entry] = {}
    failed: dict[str, ImageError] = {}
    if workers == 1 or len(misses) <= 1:
        # A pool's start-up costs more than it saves for a single image.
        for key, (source, relative, variants) in misses.items():
            try:
                built[key] = build_file(source, relative, settings, cache_dir, key, variants)
            except ImageError as error:
                failed[key] = error
            except Exception as error:
                failed[key] = unexpected(source, error)
            step()
        return built, failed
    with ProcessPoolExecutor(max_workers=min(workers, len(misses))) as pool:
        futures: dict[str, Future[_Entry]] = {
            key: pool.submit(build_file, source, relative, settings, cache_dir, key, variants)
            for key, (source, relative, variants) in misses.items()
        }
        for key, future in futures.items():
            try:
                built[key] = future.result()
            except ImageError as error:
                failed[key] = error
            except BrokenProcessPool:
                failed[key] = died(misses[key][0])
            except Exception as error:
                failed[key] = unexpected(misses[key][0], error)
            step()
    return built, failed


def died(source: Path) -> ImageError:
    return ImageError(str(source), _("the process working on this image died (out of memory?)"))


def unexpected(source: Path, error: Exception) -> ImageError:
    """Whatever else goes wrong with one file (a full disk, a Pillow bug) still names the file, in one line."""
    return ImageError(
        str(source), _("it could not be processed: {error}").format(error=f"{type(error).__name__}: {error}")
    )


def build_file(
    source: Path,
    relative: str,
    settings: ImageSettings,
    cache_dir: Path,
    key: str,
    variants: bool = True,
    on_decoded: Callable[[Image.Image, tuple[int, int] | None], None] | None = None,
) -> _Entry:
    """Runs in a worker: read the source again and build its entry, if it is still the file that was keyed."""
    data = _read(source)
    if cache_key(data, relative, settings, variants) != key:
        raise ImageError(str(source), _("the file changed while the site was being built; build again"))
    return _build(data, str(source), relative, settings, _entry_dir(cache_dir, key), variants, on_decoded)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours CPU limits of containers and taskset
    except AttributeError:  # not on macOS or Windows
        return os.cpu_count() or 1


def _collisions(jobs: Sequence[tuple[Path, str]]) -> dict[int, ImageError]:
    """Jobs whose output another job would overwrite.

    Variant names carry their source's extension (variant_path), so foo.jpg and foo.png never
    make the same file. What is left: names that differ only in case (foo.JPG and foo.jpg are
    one file on macOS, Windows and many deploy targets), and a source named like another
    source's variant (foo-jpg-480.webp beside foo.jpg).
    """
    sources: dict[str, str] = {}
    errors: dict[int, ImageError] = {}
    seen: set[tuple[Path, str]] = set()
    for index, (source, relative) in enumerate(jobs):
        if (source, relative) in seen or source_format(relative) is None:
            continue  # a repeated job is harmless; an unsupported file gets its own error later
        seen.add((source, relative))
        other = sources.setdefault(relative.casefold(), relative)
        if other != relative:
            problem = _("its name differs from {other} only in upper and lower case: rename one of the two files")
            problem = problem.format(other=other)
            errors[index] = ImageError(str(source), problem)
    for index, (source, relative) in enumerate(jobs):
        origin = variant_of(relative)
        if index not in errors and origin is not None and origin.casefold() in sources:
            owner = sources[origin.casefold()]
            problem = _("its name is that of a variant of {owner}, which would overwrite it: rename it").format(
                owner=owner
            )
            errors[index] = ImageError(str(source), problem)
    return errors


def _read(source: Path) -> bytes:
    try:
        return source.read_bytes()
    except OSError as error:
        raise ImageError(str(source), unreadable(error)) from error


def _entry_dir(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key


def _load(entry_dir: Path) -> _Entry | None:
    """The entry if it is complete and intact, else None (and a damaged entry is removed)."""
    try:
        raw = json.loads((entry_dir / _MANIFEST).read_text(encoding="utf-8"))
        entry = _Entry(raw["width"], raw["height"], tuple(_File(**file) for file in raw["files"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(entry_dir, ignore_errors=True)
        return None
    if _still_verified(entry_dir, entry):
        return entry
    for file in entry.files:
        try:
            intact = hashlib.sha256((entry_dir / file.name).read_bytes()).hexdigest() == file.sha256
        except OSError:
            intact = False
        if not intact:
            shutil.rmtree(entry_dir, ignore_errors=True)
            return None
        make_read_only(entry_dir / file.name)  # for entries made before cache files were read-only
    _remember_verified(entry_dir, entry)
    return entry


def _stamp(path: Path) -> list[int]:
    """What changes when a file's bytes do, short of someone setting its time back on purpose (the
    check git and rsync trust): size, modification time, inode. Not the ctime: every build's hard
    link into its output changes that."""
    found = path.stat()
    return [found.st_size, found.st_mtime_ns, found.st_ino]


def _still_verified(entry_dir: Path, entry: _Entry) -> bool:
    """Whether every file still has the stamp it had when its hash last matched: then it is not
    read again: a warm build of a photo archive read and hashed every variant of every photo
    (340 MB for 650 camera photos)."""
    try:
        recorded = json.loads((entry_dir / _VERIFIED).read_text(encoding="utf-8"))
        return isinstance(recorded, dict) and all(
            recorded.get(file.name) == _stamp(entry_dir / file.name) for file in entry.files
        )
    except (OSError, ValueError):
        return False


def _remember_verified(entry_dir: Path, entry: _Entry) -> None:
    stamps = {file.name: _stamp(entry_dir / file.name) for file in entry.files}
    if any(time.time_ns() - mtime_ns < RACY_NS for _size, mtime_ns, _inode in stamps.values()):
        return  # written a moment ago: a change in the same clock tick would keep the time (git's "racy" files)
    # A cache folder we may not write to only costs the next build its hashing.
    with contextlib.suppress(OSError):
        write_atomically(entry_dir / _VERIFIED, json.dumps(stamps, sort_keys=True).encode("utf-8"))


def _build(
    data: bytes,
    name: str,
    relative: str,
    settings: ImageSettings,
    entry_dir: Path,
    variants: bool = True,
    on_decoded: Callable[[Image.Image, tuple[int, int] | None], None] | None = None,
) -> _Entry:
    """Process into a private staging folder, then rename it into place: readers never see half an entry."""
    staging = entry_dir.parent / f".staging-{entry_dir.name[:16]}-{secrets.token_hex(4)}"
    try:
        # Files are named after a neutral stem so the entry fits any path the same bytes turn up under.
        neutral = "image" + os.path.splitext(relative)[1]
        processed = process_data(data, name, neutral, staging, settings, variants=variants, on_decoded=on_decoded)
        files = tuple(_cache_file(variant, processed, staging) for variant in processed.variants)
        entry = _Entry(processed.width, processed.height, files)
        manifest = json.dumps({"width": entry.width, "height": entry.height, "files": [asdict(f) for f in files]})
        (staging / _MANIFEST).write_text(manifest, encoding="utf-8")
        # Read-only before anyone can link to them: outputs share these inodes.
        for produced in (*(file.name for file in files), _MANIFEST):
            make_read_only(staging / produced)
        try:
            staging.rename(entry_dir)
        except OSError:
            # Another worker or build finished the same entry first: theirs is as good as ours.
            if (theirs := _load(entry_dir)) is not None:
                return theirs
            # A folder without a manifest is debris (a manifest deleted by hand); ours replaces it.
            shutil.rmtree(entry_dir, ignore_errors=True)
            staging.rename(entry_dir)
        return entry
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _cache_file(variant: Variant, processed: Processed, staging: Path) -> _File:
    digest = hashlib.sha256((staging / variant.path).read_bytes()).hexdigest()
    full_size = variant.width == processed.width  # process.py never makes a resized copy at full width
    return _File(variant.path, full_size, variant.width, variant.height, variant.format, variant.bytes_size, digest)


def _materialise(entry: _Entry, entry_dir: Path, relative: str, out_dir: Path) -> Processed:
    variants = []
    own = source_format(relative)
    for file in entry.files:
        path = variant_path(relative, None if file.full_size and file.format == own else file.width, file.format)
        # The staging folder is part of the cache: a copy made where links are impossible is read-only too.
        place(entry_dir / file.name, out_dir / path, read_only_copy=True)
        variants.append(Variant(path, file.width, file.height, file.format, file.bytes_size))
    variants.sort(key=lambda v: (v.width, v.format, v.path))
    return Processed(relative, entry.width, entry.height, tuple(variants))
