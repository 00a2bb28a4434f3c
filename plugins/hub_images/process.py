"""Responsive, metadata-free image variants: the pure core of the image pipeline.

One source image becomes a set of files: the cleaned full-size original (same
path, same format), full-size copies in the extra formats, and smaller copies
at the configured widths in the extra formats, in the original's format at one
of them (the <img> fallback, FALLBACK_WIDTH). Only the pixels, their orientation and
the colour profile survive; EXIF (GPS above all), XMP, IPTC, comments and PNG
text chunks do not. An animation is published as it is, every frame, only its
metadata blocks removed (blockstrip.py), without variants. What a file is, and
whether it is taken at all, is decided by hub_core.imagefile, the rules the
check applies too. Knows nothing of Pelican: paths in, files and data out.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import IO

from hub_core.files import temporary_beside
from hub_core.i18n import translator
from hub_core.imagefile import (
    EXTENSION_FORMATS,
    FORMAT_EXTENSIONS,
    FORMAT_NAMES,
    DamagedFile,
    ImageFacts,
    ImageProblem,
    damaged,
    inspect_data,
    upright,
)
from PIL import Image, ImageCms

from .blockstrip import strip_animation
from .jpegstrip import strip_jpeg

EXTRA_FORMATS = frozenset({"webp", "jpeg", "png"})
# The <img> fallback inside <picture> is for browsers that decode none of the extra formats; every
# browser in use since 2020 decodes WebP, so it needs one size, not a srcset: the width closest to
# this (the column of an article on a desktop screen; the feeds' enclosure is this width too).
FALLBACK_WIDTH = 960
# libwebp's effort (Pillow's `method`, 0-6; libwebp, Pillow and sharp default to 4). Methods 3 and up
# add rate-distortion optimisation: 2.4x the CPU of method 2 for the 1,600 px WebP (144 against 61 ms
# per photo; three widths 217 against 94 ms) for 5 % fewer bytes at the same quality setting (5-6 %
# on textured photos, up to 19 % on smooth ones at equal PSNR; bench/README.md, "img17"). A photo is
# encoded once per cache entry, but read by every reader on every view: the bytes count for more
# than a cold build's CPU, and with method 2 our WebP files would be larger than pelican-image-
# process's (the images case's "bytes no larger"). Method 2 is the lever for an archive whose cold
# build matters more than its readers' bytes.
WEBP_METHOD = 4
# Restricting Pillow to these decoders keeps the attack surface of untrusted
# uploads small; MPO is how Pillow reports camera JPEGs with an embedded preview.
_PIL_OPENERS = ["JPEG", "PNG", "WEBP", "GIF"]
# What a variant's name looks like: `foo-jpg-480.webp` is made from `foo.jpg`.
_, ngettext = translator("hub_images")
_VARIANT_NAME = re.compile(r"^(?P<stem>.+)-(?P<ext>jpg|jpeg|png|webp|gif)-[0-9]+\.(?:jpg|png|webp|gif)$", re.IGNORECASE)


class ImageError(Exception):
    """An image that cannot be published, with the reason in the user's terms."""

    def __init__(self, path: str, problem: str) -> None:
        # Both arguments go to Exception so the error survives pickling across worker processes.
        super().__init__(path, problem)
        self.path = path
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class ImageSettings:
    widths: tuple[int, ...] = (480, 960, 1600)
    formats: tuple[str, ...] = ("webp",)
    quality: int = 80
    max_pixels: int = 50_000_000

    def __post_init__(self) -> None:
        # Pelican config files naturally say lists; tuples keep the settings hashable.
        object.__setattr__(self, "widths", tuple(self.widths))
        object.__setattr__(self, "formats", tuple(self.formats))
        problems = []
        if not self.widths or not all(type(w) is int and w > 0 for w in self.widths):
            problems.append(_("widths must be positive whole numbers, got {value}").format(value=repr(self.widths)))
        unknown = sorted(set(self.formats) - EXTRA_FORMATS)
        if unknown:
            problems.append(
                _("formats must be among {known}, got {value}").format(
                    known=", ".join(sorted(EXTRA_FORMATS)), value=", ".join(unknown)
                )
            )
        if type(self.quality) is not int or not 1 <= self.quality <= 100:
            problems.append(
                _("quality must be a whole number from 1 to 100, got {value}").format(value=repr(self.quality))
            )
        # Pillow's own guard runs before ours and cannot be configured per call;
        # a limit above it would be silently ignored, so refuse it outright.
        pillow_limit = Image.MAX_IMAGE_PIXELS or float("inf")
        if type(self.max_pixels) is not int or not 0 < self.max_pixels <= pillow_limit:
            problems.append(
                _("max_pixels must be a whole number from 1 to {limit}, got {value}").format(
                    limit=f"{pillow_limit:,}", value=repr(self.max_pixels)
                )
            )
        if problems:
            raise ValueError("; ".join(problems))

    def key(self) -> str:
        """Everything that changes the output; max_pixels too, so a lowered limit re-checks cached images."""
        widths = ",".join(str(w) for w in sorted(set(self.widths)))
        formats = ",".join(sorted(set(self.formats)))
        return f"widths={widths};formats={formats};quality={self.quality};max_pixels={self.max_pixels}"


@dataclass(frozen=True)
class Variant:
    path: str
    width: int
    height: int
    format: str
    bytes_size: int


@dataclass(frozen=True)
class Processed:
    source: str
    width: int
    height: int
    variants: tuple[Variant, ...]

    @property
    def original(self) -> Variant:
        """The cleaned full-size file at the source's own path."""
        return next(v for v in self.variants if v.path == self.source)

    def in_format(self, fmt: str) -> tuple[Variant, ...]:
        """The variants of one format, narrowest first: one srcset."""
        return tuple(v for v in self.variants if v.format == fmt)


def unreadable(error: OSError) -> str:
    """Why a file could not be read, for an ImageError."""
    return _("the file cannot be read: {reason}").format(reason=error.strerror or error)


def source_format(relative: str) -> str | None:
    """The format the extension of `relative` promises, or None for files the pipeline does not take."""
    return EXTENSION_FORMATS.get(PurePosixPath(relative).suffix.lower())


def variant_path(relative: str, width: int | None, fmt: str) -> str:
    """Where a file made from `relative` goes: width None is the cleaned original at its own path
    (its own spelling, .jpeg or .JPG, so links to it keep working); every other file is named
    `images/foo.jpg` → `images/foo-jpg-480.webp`, with the width it has. The source's extension
    is part of the name, so foo.jpg, foo.jpeg and foo.png never make the same file."""
    path = _checked_relative(relative)
    if width is None:
        if source_format(relative) != fmt:
            raise ValueError(f"{relative}: the original is a {source_format(relative)} file, not {fmt}")
        return str(path)
    source_extension = path.suffix.lower().lstrip(".")
    return str(path.with_name(f"{path.stem}-{source_extension}-{width}{FORMAT_EXTENSIONS[fmt]}"))


def variant_of(relative: str) -> str | None:
    """The source a file of this name would be a variant of (`img/foo-jpg-480.webp` → `img/foo.jpg`), else None."""
    path = PurePosixPath(relative)
    match = _VARIANT_NAME.match(path.name)
    return str(path.with_name(f"{match['stem']}.{match['ext']}")) if match else None


def output_formats(relative: str, settings: ImageSettings) -> tuple[str, ...]:
    """The original's format (always, as the fallback) followed by the extra formats."""
    own = source_format(relative)
    if own is None:
        raise ValueError(f"{relative}: not an image the pipeline processes")
    return (own, *sorted(set(settings.formats) - {own}))


def fallback_width(settings: ImageSettings) -> int:
    """The one width the original's format is made at beside the extra formats (FALLBACK_WIDTH's nearest)."""
    return min(settings.widths, key=lambda w: (abs(w - FALLBACK_WIDTH), w))


def formats_at(width: int, formats: tuple[str, ...], settings: ImageSettings) -> tuple[str, ...]:
    """The formats a downscaled copy `width` wide is made in: every one (`output_formats`) at the
    fallback width or when the original's is the only one; else the extra formats alone."""
    if len(formats) == 1 or width == fallback_width(settings):
        return formats
    return formats[1:]


def planned(relative: str, facts: ImageFacts, settings: ImageSettings, *, variants: bool = True) -> Processed:
    """The files `process_data` will make of an image, known from its header alone (sizes in bytes are 0:
    those are known once the files are made). Pages link the variants before they exist."""
    width, height = facts.upright_size
    own = facts.format
    made = [Variant(variant_path(relative, None, own), width, height, own, 0)]
    if variants and not facts.animated:
        formats = output_formats(relative, settings)
        widths = sorted(set(settings.widths), reverse=True)
        if width <= max(widths):
            made += [Variant(variant_path(relative, width, fmt), width, height, fmt, 0) for fmt in formats[1:]]
        for w in widths:
            if w < width:
                h = max(1, round(height * w / width))
                made += [
                    Variant(variant_path(relative, w, fmt), w, h, fmt, 0) for fmt in formats_at(w, formats, settings)
                ]
    made.sort(key=lambda v: (v.width, v.format, v.path))
    return Processed(relative, width, height, tuple(made))


def same_files(plan: Processed, made: Processed) -> bool:
    """Whether the files made are those the plan promised (paths and sizes in pixels; bytes not compared)."""
    shape = [(v.path, v.width, v.height, v.format) for v in plan.variants]
    return (plan.width, plan.height, shape) == (
        made.width,
        made.height,
        [(v.path, v.width, v.height, v.format) for v in made.variants],
    )


def process_image(source: Path, relative: str, out_dir: Path, settings: ImageSettings) -> Processed:
    """Check `source`, then write its cleaned variants under `out_dir`; all of them or none."""
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ImageError(str(source), unreadable(error)) from error
    return process_data(data, str(source), relative, out_dir, settings)


def process_data(
    data: bytes,
    name: str,
    relative: str,
    out_dir: Path,
    settings: ImageSettings,
    *,
    variants: bool = True,
    on_decoded: Callable[[Image.Image, tuple[int, int] | None], None] | None = None,
) -> Processed:
    """`process_image` for bytes already read; `name` is the path errors speak of.

    `variants` False makes the cleaned original alone (an image no page shows at another size).
    `on_decoded` is handed the decoded pixels before anything else happens to them (the social
    cards of the same photo are cut from them: one decode per photo).
    """
    facts = inspect_data(data, PurePosixPath(relative).name, max_pixels=settings.max_pixels)
    if isinstance(facts, ImageProblem):
        raise ImageError(name, facts.describe())
    if facts.animated:
        return _publish_animation(data, name, relative, out_dir, facts)
    expected = facts.format
    formats = output_formats(relative, settings)
    widths = sorted({w for w in settings.widths}, reverse=True) if variants else []

    # Without variants the pixels are only decoded to find damage inside the picture data: an
    # upright JPEG then at an eighth of its size (the decoder still reads every coefficient).
    full, lossless, request = _decode(data, name, facts, widths or [1])
    if on_decoded is not None and variants:
        on_decoded(full, request)
    icc = full.info.get("icc_profile") or None
    oriented = upright(full, facts.orientation)
    width, height = facts.upright_size if lossless is not None else oriented.size
    _strip(oriented)
    # The lossless formats keep the source's own mode at full size: a palette
    # PNG stays a palette PNG instead of growing into RGBA.
    native = oriented if expected in ("png", "gif") else None
    working, working_icc = _web_ready(oriented, icc)

    staged: list[tuple[Path, Path]] = []
    made: list[Variant] = []

    def stage(image: Image.Image, w: int | None, fmt: str) -> None:
        path = variant_path(relative, w, fmt)
        profile = icc if image is native else working_icc
        temp = _write_temp(out_dir / path, lambda fp: _save(image, fmt, profile, settings.quality, fp))
        staged.append((temp, out_dir / path))
        made.append(Variant(path, image.width, image.height, fmt, temp.stat().st_size))

    try:
        if lossless is not None:
            # The original without its metadata segments: same pixels, no re-encoding.
            path = variant_path(relative, None, expected)
            stripped = lossless

            def write_stripped(fp: IO[bytes]) -> None:
                fp.write(stripped)

            temp = _write_temp(out_dir / path, write_stripped)
            staged.append((temp, out_dir / path))
            made.append(Variant(path, width, height, expected, len(lossless)))
        else:
            stage(native if native is not None else working, None, expected)
        # Other formats at full size only for images no wider than the largest variant: a
        # 4000-pixel WebP is never what a page asks for, and it is by far the slowest file to make.
        if variants and (width <= max(widths, default=0) or not widths):
            full_size = working if lossless is None else working.resize((width, height), Image.Resampling.LANCZOS)
            for fmt in formats[1:]:
                stage(full_size, width, fmt)
        source = working
        for w in widths:
            if w >= width:
                continue  # never upscale: the full-size original already covers it
            h = max(1, round(height * w / width))
            # Each width from the next larger one: the same quality at a fraction of the work.
            source = source.resize((w, h), _filter_for(source.width, w), reducing_gap=3.0)
            for fmt in formats_at(w, formats, settings):
                stage(source, w, fmt)
        for temp, target in staged:
            os.replace(temp, target)
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    made.sort(key=lambda v: (v.width, v.format, v.path))
    return Processed(relative, width, height, tuple(made))


def _filter_for(width: int, target: int) -> Image.Resampling:
    """LANCZOS, but BICUBIC for a reduction under 1.5x (a camera JPEG's 1,600 px step from its
    half-scale decode, 2,000 px): there the two differ in the fourth digit of SSIM after encoding
    (0.9819 against 0.9823, bytes 2 % fewer), and BICUBIC's support of 2 pixels instead of 3 saves
    a quarter of the largest resize (44 against 59 ms of CPU per photo). Lanczos' sharper cut-off
    pays where many source pixels fold into one."""
    return Image.Resampling.BICUBIC if width < 1.5 * target else Image.Resampling.LANCZOS


def _publish_animation(data: bytes, name: str, relative: str, out_dir: Path, facts: ImageFacts) -> Processed:
    """Every frame as it was, without metadata blocks, and no variants: resizing an animation means
    decoding and encoding every frame (slow, and a GIF is quantised anew, often growing), and the
    animations of real blogs (screen recordings, diagrams, spinners) are made at the size shown."""
    try:
        stripped = strip_animation(data, facts.format)
    except DamagedFile as error:
        kind = _("a complete animated {format}").format(format=FORMAT_NAMES[facts.format])
        raise ImageError(name, ImageProblem(kind, damaged(error)).describe()) from error
    path = variant_path(relative, None, facts.format)

    def write(fp: IO[bytes]) -> None:
        fp.write(stripped)

    os.replace(_write_temp(out_dir / path, write), out_dir / path)
    variant = Variant(path, facts.width, facts.height, facts.format, len(stripped))
    return Processed(relative, facts.width, facts.height, (variant,))


def _checked_relative(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.name:
        # A programming error in the caller, not a user's file: writing outside out_dir must be impossible.
        raise ValueError(f"{relative!r} is not a relative path inside the output directory")
    return path


def _decode(
    data: bytes, name: str, facts: ImageFacts, widths: list[int]
) -> tuple[Image.Image, bytes | None, tuple[int, int] | None]:
    """Decode every pixel of a file whose header `inspect_data` found fine.

    For an upright RGB or grey JPEG the original is published with its metadata segments cut
    out (no re-encoding), so only the variants need pixels: those are decoded at a reduced
    scale (Image.draft), still at least as large as the widest variant. Returns the image,
    in that case the stripped original's bytes, and the size asked of Image.draft (or None).

    The header said nothing wrong, so what fails here is damage inside the picture data,
    which only decoding finds: it is refused with the file's name, like every other problem.
    """
    with warnings.catch_warnings():
        # Bombs: inspect_data applied our own limit. Damaged EXIF: Pillow warns per tag, without the file's name.
        warnings.simplefilter("ignore")
        try:
            image = Image.open(io.BytesIO(data), formats=_PIL_OPENERS)
            lossless = strip_jpeg(data) if _strippable(facts, image.mode) else None
            request = _draft_for(facts, widths) if lossless is not None else None
            if request is not None:
                image.draft(image.mode, request)
            image.load()
        except Exception as error:
            # Decoders of untrusted bytes raise a zoo of exception types; all mean "cannot decode this".
            expected = _("a {format} image that can be decoded").format(format=FORMAT_NAMES[facts.format])
            found = _("damaged picture data ({reason})").format(reason=error)
            problem = ImageProblem(expected, found, _("export the image again"))
            raise ImageError(name, problem.describe()) from error
    return image, lossless, request


def _strippable(facts: ImageFacts, mode: str) -> bool:
    """Whether the original is published as it is, only its metadata cut out: an upright RGB or grey JPEG."""
    return facts.format == "jpeg" and mode in ("RGB", "L") and facts.orientation == 1


def _draft_for(facts: ImageFacts, widths: Sequence[int]) -> tuple[int, int] | None:
    """The size a strippable JPEG is decoded at: enough for its widest variant (None: every pixel)."""
    w, h = facts.width, facts.height
    widest = max((x for x in widths if x < w), default=0)
    return (widest, max(1, h * widest // w)) if widest else None


def draft_request(data: bytes, widths: Sequence[int]) -> tuple[int, int] | None:
    """The reduced size `process_data` decodes these bytes at for these widths (Image.draft), None for
    every pixel: the social cards use it to be cut from the same pixels as the variants."""
    facts = inspect_data(data, "photo.jpg")  # only JPEGs are decoded at reduced scale
    if not isinstance(facts, ImageFacts) or facts.animated:
        return None
    try:
        with Image.open(io.BytesIO(data), formats=["JPEG"]) as opened:
            mode = opened.mode
    except Exception:  # undecodable: the card reports it when it decodes every pixel
        return None
    if not _strippable(facts, mode) or strip_jpeg(data) is None:
        return None
    return _draft_for(facts, sorted(set(widths), reverse=True))


def _strip(image: Image.Image) -> None:
    # Savers fall back to image.info for some metadata (JPEG comments, GIF
    # extensions), so everything but transparency goes; the ICC profile is passed explicitly.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}


def _web_ready(image: Image.Image, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """An L, LA, RGB or RGBA copy and the profile that matches it."""
    if image.mode in ("L", "LA", "RGB", "RGBA") and "transparency" not in image.info:
        return image, icc
    if image.mode == "CMYK":
        # Browsers show untagged pixels as sRGB, so print colours are converted, not relabelled.
        converted = _to_srgb(image, icc, "RGB")
        if converted is not None:
            return converted, _srgb()
        return image.convert("RGB"), None
    if image.mode.startswith("I"):
        # 16-bit greys: scale to 8 bits; a plain convert("L") would clip everything above 255 to white.
        return image.convert("I").point(lambda v: v / 257).convert("L"), icc
    if image.mode == "1":
        return image.convert("L"), icc
    return image.convert("RGBA" if image.has_transparency_data else "RGB"), icc


def _to_srgb(image: Image.Image, icc: bytes | None, mode: str) -> Image.Image | None:
    if icc is None or _colour_space(icc) != _MODE_SPACES.get(image.mode):
        return None
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None
    return converted


_MODE_SPACES = {"L": "GRAY", "LA": "GRAY", "RGB": "RGB", "RGBA": "RGB", "P": "RGB", "PA": "RGB", "CMYK": "CMYK"}


@lru_cache(maxsize=64)
def _colour_space(icc: bytes) -> str | None:
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
    except (ImageCms.PyCMSError, OSError, ValueError):
        return None


@lru_cache(maxsize=1)
def _srgb() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _for_format(image: Image.Image, fmt: str, icc: bytes | None) -> tuple[Image.Image, bytes | None]:
    """The image in a mode `fmt` can hold, and the profile if it still describes the pixels."""
    if fmt == "jpeg" and image.mode in ("RGBA", "LA"):
        # Flattened onto white: dropping alpha would show whatever colour transparent pixels happen to have.
        base = "RGB" if image.mode == "RGBA" else "L"
        flat = Image.new(base, image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif fmt == "webp" and image.mode in ("L", "LA"):
        rgb = "RGB" if image.mode == "L" else "RGBA"
        if image.mode == "L" and (converted := _to_srgb(image, icc, "RGB")) is not None:
            return converted, _srgb()
        image = image.convert(rgb)
    if icc is not None and _colour_space(icc) != _MODE_SPACES.get(image.mode):
        icc = None  # a grey profile on RGB pixels (or the reverse) would mislead the browser
    return image, icc


def _save(image: Image.Image, fmt: str, icc: bytes | None, quality: int, fp: IO[bytes]) -> None:
    image, icc = _for_format(image, fmt, icc)
    params: dict[str, object] = {"icc_profile": icc} if icc else {}
    if fmt == "jpeg":
        params.update(quality=quality, optimize=True, progressive=True)
    elif fmt == "webp":
        params.update(quality=quality, method=WEBP_METHOD)
    else:
        params.update(optimize=True)
    image.save(fp, format=fmt.upper(), **params)


def _write_temp(target: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """Write next to `target` under a hidden temporary name; the caller renames it into place
    (all of an image's files together, once every one is made)."""
    return temporary_beside(target, write)
