"""What an image file really holds, read from its header: the rules the check and the image pipeline share.

`inspect` reads the start of a file and the lengths of its blocks (for a JPEG: the
segments up to the picture data, then its end) and never decodes a pixel, so it
costs well under a millisecond per image. It answers with ImageFacts (format, size,
frames) or an ImageProblem that says what was expected and what was found. The
check reports the problem of every image a post references as a finding
(`image-file`); the image pipeline refuses every file with the same words before it
processes any image. One set of rules, so `invoke check` and the build never disagree.

Pure: a path or bytes in, plain data out; no Pelican.
"""

from __future__ import annotations

import fnmatch
import io
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from PIL import Image

from .i18n import N_, language, translator

_, ngettext = translator("hub_core")

# The extension is a promise about the content; the image pipeline takes only these promises.
EXTENSION_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp", ".gif": "gif"}
FORMAT_NAMES = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP", "gif": "GIF"}
FORMAT_EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif"}
# Photo formats that most browsers cannot show and the pipeline cannot clean of metadata (GPS):
# a post must not reference them, Pelican would publish them as they are.
# The kinds of file (here and in _SIGNATURES, _kind) are English ids, compared in _advice and
# translated where an ImageProblem is made.
FOREIGN_EXTENSIONS = {
    ".heic": N_("a HEIC file"),
    ".heif": N_("a HEIC file"),
    ".tif": N_("a TIFF file"),
    ".tiff": N_("a TIFF file"),
    ".psd": N_("a Photoshop (PSD) file"),
}
MAX_PIXELS = 50_000_000
ANY_IMAGE = N_("a JPEG, PNG, WebP or GIF image")
# Restricting Pillow to these decoders keeps the attack surface of untrusted files small.
_PIL_OPENERS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_TAIL = 64 * 1024  # where a JPEG's end marker is looked for first
_CHUNK_TYPE = re.compile(rb"^[A-Za-z]{4}$")
_FOURCC = re.compile(rb"^[A-Z0-9 ]{4}$")


@dataclass(frozen=True)
class ImageFacts:
    """A file the pipeline can take: its real format, size (as stored) and number of frames."""

    format: str  # jpeg, png, webp or gif
    width: int
    height: int
    frames: int = 1
    orientation: int = 1  # EXIF orientation, 1 to 8; 1 also where the EXIF data cannot be read

    @property
    def upright_size(self) -> tuple[int, int]:
        """The size as shown: orientations 5 to 8 turn the picture by 90°."""
        return (self.height, self.width) if self.orientation >= 5 else (self.width, self.height)

    @property
    def animated(self) -> bool:
        return self.frames > 1


@dataclass(frozen=True)
class ImageProblem:
    """A file the pipeline refuses, in the words of a finding: what was expected, what was found, what to do.

    The three parts are in the user's language already (made where the problem is found, shown at once).
    """

    expected: str
    found: str
    advice: str = ""

    def describe(self, where: str | None = None) -> str:
        if where:
            problem = _("expected {expected} at {where}, found {found}").format(
                expected=self.expected, where=where, found=self.found
            )
        else:
            problem = _("expected {expected}, found {found}").format(expected=self.expected, found=self.found)
        return _("{problem}: {advice}").format(problem=problem, advice=self.advice) if self.advice else problem


def count_text(number: int) -> str:
    """A large number as the reader writes it: 20,000 in English, 20.000 in German."""
    grouped = f"{number:,}"
    return grouped.replace(",", ".") if language() == "de" else grouped


@dataclass(frozen=True)
class Block:
    """One block of a file's layout: its kind (a PNG chunk type, a RIFF fourcc, a GIF block) and byte range."""

    kind: str
    start: int
    end: int


class DamagedFile(Exception):
    """The layout of a file cannot be walked, in the user's language: `cut` when it ends in the middle
    of a block (the reason then names the part, "PNG data"), else the reason says what was found
    ("a damaged PNG file (...)")."""

    def __init__(self, reason: str, *, cut: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.cut = cut


def static_files(content_root: Path, static_paths: Iterable[str], ignore: Iterable[str]) -> list[tuple[Path, str]]:
    """Every file under the static paths, as (file, content-relative path), in a stable order; none
    with a path part matching an IGNORE_FILES pattern. What the pipeline publishes and the check judges."""
    patterns = tuple(ignore)
    found = []
    for static in static_paths:
        base = content_root / static
        candidates = [base] if base.is_file() else sorted(base.rglob("*")) if base.is_dir() else []
        for path in candidates:
            if path.is_file() and not any(fnmatch.fnmatch(part, p) for part in path.parts for p in patterns):
                found.append((path, path.relative_to(content_root).as_posix()))
    return found


def judged(name: str) -> bool:
    """Whether the check judges a referenced file of this name (SVG and the like pass through untouched)."""
    suffix = PurePosixPath(name).suffix.lower()
    return suffix in EXTENSION_FORMATS or suffix in FOREIGN_EXTENSIONS


def file_problem(content_root: Path, relative: str) -> str | None:
    """What is wrong with content/<relative> as a finding's message; None if it is fine or not judged."""
    if not judged(relative):
        return None
    path = content_root / relative
    try:
        status = path.stat()
    except OSError:
        return None  # a missing file is the check `image-missing`
    # Many posts share an image: inspect each version of a file once per process (and language).
    return _file_problem(path, f"content/{relative}", status.st_size, status.st_mtime_ns, language())


@lru_cache(maxsize=4096)
def _file_problem(path: Path, where: str, size: int, mtime_ns: int, shown_in: str) -> str | None:
    found = inspect(path)
    return found.describe(where) if isinstance(found, ImageProblem) else None


def inspect(path: Path, *, max_pixels: int = MAX_PIXELS) -> ImageFacts | ImageProblem:
    """What the file at `path` holds, from its header and block lengths; no pixel is decoded."""
    try:
        with path.open("rb") as stream:
            return _inspect(stream, os.fstat(stream.fileno()).st_size, path.name, max_pixels)
    except OSError as error:
        found = _("a file that cannot be read ({reason})").format(reason=error.strerror or error)
        return ImageProblem(_("a readable file"), found)


def inspect_data(data: bytes, name: str, *, max_pixels: int = MAX_PIXELS) -> ImageFacts | ImageProblem:
    """`inspect` for bytes already read; `name` (its extension) says what the file promises to be."""
    return _inspect(io.BytesIO(data), len(data), name, max_pixels)


def _inspect(stream: BinaryIO, size: int, name: str, max_pixels: int) -> ImageFacts | ImageProblem:
    path = PurePosixPath(name)
    expected = EXTENSION_FORMATS.get(path.suffix.lower())
    head = _read(stream, 0, 1024)
    actual = _format_of(head)
    if expected is None:
        # Not a file the pipeline takes: say what it is, by its content where that is known.
        if actual is not None:
            return ImageProblem(_(ANY_IMAGE), _data_of(actual), _advice("", path, actual))
        kind = _kind(head) if head else N_("an empty file")
        if kind in ("data of no image format", "a text file"):
            kind = FOREIGN_EXTENSIONS.get(path.suffix.lower(), kind)
        return ImageProblem(_(ANY_IMAGE), _(kind), _advice(kind, path, actual))
    wanted = _("a {format} image").format(format=FORMAT_NAMES[expected])
    if size == 0:
        return ImageProblem(wanted, _("an empty file (0 bytes)"), _("export or copy the image again"))
    if actual is None:
        kind = _kind(head)
        return ImageProblem(wanted, _(kind), _advice(kind, path, None))
    if actual != expected:
        return ImageProblem(wanted, _data_of(actual), _advice("", path, actual))
    try:
        frames = _FRAMES[actual](stream, size)
    except DamagedFile as error:
        if error.cut:
            found = _("a file that ends after {size} bytes, in the middle of the {part}").format(
                size=count_text(size), part=error.reason
            )
            complete = _("a complete {format} image").format(format=FORMAT_NAMES[actual])
            return ImageProblem(complete, found, _("copy or export the image again"))
        return ImageProblem(wanted, damaged(error), _("export the image again"))
    at_most = _("at most {count} pixels").format(count=count_text(max_pixels))
    try:
        width, height, orientation = _pillow_header(stream, actual)
    except _TooLarge as error:
        return ImageProblem(at_most, error.found, _("scale the image down"))
    except _Unreadable:
        unreadable = _("a {format} header that cannot be read").format(format=FORMAT_NAMES[actual])
        return ImageProblem(wanted, unreadable, _("export the image again"))
    if width * height > max_pixels:
        found = _("{width}×{height} = {count} pixels (a decompression bomb?)").format(
            width=width, height=height, count=count_text(width * height)
        )
        return ImageProblem(at_most, found, _("scale the image down"))
    return ImageFacts(actual, width, height, frames, orientation)


def _data_of(fmt: str) -> str:
    return _("{format} data").format(format=FORMAT_NAMES[fmt])


def damaged(error: DamagedFile) -> str:
    """What a file whose layout cannot be walked was found to be: "a damaged PNG file (...)"."""
    return _("damaged {part}").format(part=error.reason) if error.cut else error.reason


class _TooLarge(Exception):
    def __init__(self, found: str) -> None:
        super().__init__(found)
        self.found = found


class _Unreadable(Exception):
    pass


def _pillow_header(stream: BinaryIO, fmt: str) -> tuple[int, int, int]:
    """Size and orientation as Pillow reads them: if Pillow cannot open the file, the pipeline cannot either."""
    stream.seek(0)
    with warnings.catch_warnings():
        # Pillow warns from 89 and refuses from 179 megapixels (our own, lower limit is applied to the
        # size), and about every damaged EXIF tag while opening a JPEG: nothing a decoder cannot cope with.
        warnings.simplefilter("ignore")
        try:
            with Image.open(stream, formats=[_PIL_OPENERS[fmt]]) as image:
                return (*image.size, orientation_of(image))
        except Image.DecompressionBombError as error:
            counted = re.search(r"\((\d+) pixels\)", str(error))
            if counted:
                found = _("{count} pixels (a decompression bomb?)").format(count=count_text(int(counted.group(1))))
            else:
                found = _("more pixels than Pillow opens (a decompression bomb?)")
            raise _TooLarge(found) from error
        except Exception as error:
            # Decoders of untrusted bytes raise a zoo of exception types; all mean "cannot read this".
            raise _Unreadable from error


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def orientation_of(image: Image.Image) -> int:
    """The EXIF (or XMP) orientation of an opened image; 1 where it is missing or cannot be read.

    Browsers ignore EXIF they cannot read, and the pipeline removes it anyway: damaged EXIF is
    no reason to refuse a picture.
    """
    if image.format == "PNG" and "exif" not in image.info:
        # An eXIf chunk after the picture data: Pillow would decode every pixel to reach it.
        # Such a chunk is out of place (the PNG spec wants it first), and we read headers only.
        return 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about every damaged tag
        try:
            orientation = image.getexif().get(_ORIENTATION, 1)
        except Exception:
            return 1
    return orientation if orientation in _TRANSPOSE else 1


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """The pixels turned as `orientation` says (ImageOps.exif_transpose without rewriting the EXIF
    it leaves behind, which fails on damaged EXIF; we drop the EXIF anyway)."""
    method = _TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


_ORIENTATION = 0x0112


def _read(stream: BinaryIO, offset: int, length: int) -> bytes:
    stream.seek(offset)
    return stream.read(length)


def _format_of(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


_SIGNATURES = {
    b"%PDF": N_("a PDF file"),
    b"II*\x00": N_("a TIFF file"),
    b"MM\x00*": N_("a TIFF file"),
    b"BM": N_("a BMP file"),
    b"8BPS": N_("a Photoshop (PSD) file"),
    b"PK\x03\x04": N_("a ZIP file (an Office document?)"),
    b"\x00\x00\x01\x00": N_("an icon (ICO) file"),
    b"\x00\x00\x00\x0cjP  ": N_("a JPEG 2000 file"),
    b"\xff\x4f\xff\x51": N_("a JPEG 2000 file"),
    b"\xff\x0a": N_("a JPEG XL file"),
    b"\x00\x00\x00\x0cJXL ": N_("a JPEG XL file"),
}


def _kind(head: bytes) -> str:
    """What a file that is none of our formats really is (an English id: translate it to show it)."""
    if head[4:8] == b"ftyp":
        brands = {
            b"avi": N_("an AVIF file"),
            b"hei": N_("a HEIC file"),
            b"hev": N_("a HEIC file"),
            b"mif": N_("a HEIC file"),
            b"msf": N_("a HEIC file"),
        }  # iPhone photos are HEIC
        return brands.get(head[8:11], N_("a video file"))
    for magic, kind in _SIGNATURES.items():
        if head.startswith(magic):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in text:
        return N_("an SVG file")
    if text.startswith((b"<!doctype html", b"<html")):
        return N_("an HTML file")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return N_("data of no image format")
    return N_("a text file")


def _advice(kind: str, path: PurePosixPath, actual: str | None) -> str:
    """What to do about a file of `kind` (an English id from _kind), in the user's language."""
    if actual is not None:
        return _("rename the file to {name}").format(name=f"{path.stem}{FORMAT_EXTENSIONS[actual]}")
    if kind == "an SVG file":
        return _("rename the file to {name}").format(name=f"{path.stem}.svg")
    if kind == "an HTML file":
        return _("save the image itself, not the web page around it")
    if kind == "a PDF file":
        return _("export the page you need as PNG or JPEG")
    if kind.startswith("a ZIP file"):
        return _("export the picture from the document as PNG or JPEG")
    if kind in ("a text file", "data of no image format", "a video file", "an empty file"):
        return _("replace it with {image}").format(image=_(ANY_IMAGE))
    return _("export it as JPEG or PNG")


# --- the layout of each format: blocks and their lengths, never the pixels ----------------------


def _jpeg_frames(stream: BinaryIO, size: int) -> int:
    """Walk the segments to the first picture data, then make sure the picture's end marker follows."""
    position = 2
    while True:
        marker = _read(stream, position, 4)
        if len(marker) < 2:
            raise DamagedFile(_("JPEG header"), cut=True)
        if marker[0] != 0xFF:
            # libjpeg skips stray bytes before a marker, so a decoder copes: look on for the picture.
            found = _find(stream, b"\xff\xda", position, size)
            if found < 0:
                raise DamagedFile(_("JPEG header"), cut=True)
            position = found
            break
        code = marker[1]
        if code == 0xFF:  # a fill byte
            position += 1
        elif code == 0xDA:  # start of scan: the picture data follows
            break
        elif code == 0xD9:
            raise DamagedFile(_("a damaged JPEG header (it ends before any picture data)"))
        elif code == 0x01 or 0xD0 <= code <= 0xD8:
            position += 2
        elif len(marker) < 4:
            raise DamagedFile(_("JPEG header"), cut=True)
        else:
            position += 2 + int.from_bytes(marker[2:4], "big")
            if position > size:
                raise DamagedFile(_("JPEG header"), cut=True)
    # Inside picture data 0xFF is always followed by 0x00 or a restart marker: the first FF D9
    # after the scan starts is the picture's end. Things a camera appends after it (a second
    # image, a motion photo's video) make the search longer, never wrong.
    if (
        _find(stream, b"\xff\xd9", max(position, size - _TAIL), size) < 0
        and _find(stream, b"\xff\xd9", position, size) < 0
    ):
        raise DamagedFile(_("picture data"), cut=True)
    return 1


def _find(stream: BinaryIO, needle: bytes, start: int, end: int) -> int:
    """The first position of `needle` in [start, end) of the file, read a megabyte at a time; -1 if absent."""
    step = 1 << 20
    position = start
    while position < end:
        window = _read(stream, position, min(step, end - position))
        found = window.find(needle)
        if found >= 0:
            return position + found
        if len(window) < len(needle):
            break
        position += len(window) - len(needle) + 1  # a needle across the window's edge is found next time
    return -1


def png_chunks(stream: BinaryIO, size: int) -> Iterator[Block]:
    """The signature, then every chunk with its length, type, data and CRC, up to IEND."""
    yield Block("signature", 0, 8)
    position, pictures = 8, 0
    while True:
        header = _read(stream, position, 8)
        if len(header) < 8:
            if len(header) == 0 and pictures:
                return  # no IEND, yet nothing is cut: decoders and browsers show it all
            raise DamagedFile(_("PNG data"), cut=True)
        kind = header[4:8]
        if not _CHUNK_TYPE.match(kind):
            raise DamagedFile(
                _("a damaged PNG file (a chunk at byte {position} has no valid type)").format(
                    position=count_text(position)
                )
            )
        end = position + 12 + int.from_bytes(header[:4], "big")
        if kind == b"IEND":
            yield Block("IEND", position, min(end, size))
            return
        if end > size:
            raise DamagedFile(_("PNG data"), cut=True)
        pictures += kind in (b"IDAT", b"fdAT")
        yield Block(kind.decode("ascii"), position, end)
        position = end


def _png_frames(stream: BinaryIO, size: int) -> int:
    frames = 1
    for block in png_chunks(stream, size):
        if block.kind == "acTL":
            frames = max(1, int.from_bytes(_read(stream, block.start + 8, 4), "big"))
    return frames


def webp_chunks(stream: BinaryIO, size: int) -> Iterator[Block]:
    """The RIFF header, then every chunk (padded to an even length) the RIFF size covers."""
    declared = 8 + int.from_bytes(_read(stream, 4, 4), "little")
    if declared > size:
        raise DamagedFile(_("WebP data"), cut=True)
    yield Block("RIFF", 0, 12)
    position = 12
    while position < declared:
        header = _read(stream, position, 8)
        if len(header) < 8 or position + 8 > declared:
            raise DamagedFile(_("WebP data"), cut=True)
        fourcc = header[:4]
        if not _FOURCC.match(fourcc):
            raise DamagedFile(
                _("a damaged WebP file (a chunk at byte {position} has no valid type)").format(
                    position=count_text(position)
                )
            )
        length = int.from_bytes(header[4:8], "little")
        end = position + 8 + length + (length & 1)
        if position + 8 + length > declared:
            raise DamagedFile(_("WebP data"), cut=True)
        yield Block(fourcc.decode("ascii"), position, min(end, declared))
        position = end


def _webp_frames(stream: BinaryIO, size: int) -> int:
    return max(1, sum(block.kind == "ANMF" for block in webp_chunks(stream, size)))


def gif_blocks(stream: BinaryIO, size: int) -> Iterator[Block]:
    """The header with the screen descriptor and colour table, then every extension and image, to the trailer."""
    screen = _read(stream, 6, 7)
    if len(screen) < 7:
        raise DamagedFile(_("GIF header"), cut=True)
    colours = 3 << ((screen[4] & 7) + 1) if screen[4] & 0x80 else 0  # the global colour table
    position = 13 + colours
    if position > size:
        raise DamagedFile(_("GIF header"), cut=True)
    yield Block("screen", 0, position)
    while True:
        introducer = _read(stream, position, 2)
        if not introducer:
            return  # no trailer, yet nothing is cut: decoders and browsers show every frame
        if introducer[0] == 0x3B:
            yield Block("trailer", position, position + 1)
            return
        if introducer[0] == 0x21:
            if len(introducer) < 2:
                raise DamagedFile(_("GIF data"), cut=True)
            end = _sub_blocks(stream, position + 2, size)
            yield Block(f"extension {introducer[1]:02x}", position, end)
        elif introducer[0] == 0x2C:
            descriptor = _read(stream, position + 1, 9)
            if len(descriptor) < 9:
                raise DamagedFile(_("GIF data"), cut=True)
            table = 3 << ((descriptor[8] & 7) + 1) if descriptor[8] & 0x80 else 0
            end = _sub_blocks(stream, position + 10 + table + 1, size)  # +1: the LZW code size
            yield Block("image", position, end)
        else:
            raise DamagedFile(
                _("a damaged GIF file (no block starts at byte {position})").format(position=count_text(position))
            )
        position = end


def _sub_blocks(stream: BinaryIO, position: int, size: int) -> int:
    """Where a chain of data sub-blocks ends (after its zero-length terminator)."""
    while True:
        length = _read(stream, position, 1)
        if not length:
            raise DamagedFile(_("GIF data"), cut=True)
        position += 1 + length[0]
        if length[0] == 0:
            return position
        if position > size:
            raise DamagedFile(_("GIF data"), cut=True)


def _gif_frames(stream: BinaryIO, size: int) -> int:
    return max(1, sum(block.kind == "image" for block in gif_blocks(stream, size)))


_FRAMES = {"jpeg": _jpeg_frames, "png": _png_frames, "webp": _webp_frames, "gif": _gif_frames}
