"""Social cards: a 1200×630 JPEG per post for OpenGraph and Twitter Cards.

The card is the post's photo, cover-cropped around its focal point, with a scrim in the
style's background colour behind the title and author; without a photo, a branded
background. The company logo (or, for an SVG logo, a text wordmark) sits top left, a
sponsored label ("Anzeige") top right.

Rendering is deterministic so that callers can cache by `card_key` and rebuilds are
byte-identical: the fonts are bundled (DejaVu, see fonts/LICENSE), text is laid out with
Pillow's basic engine (raqm is optional and shapes differently, so a machine without it
would draw other pixels) and the encoder settings are fixed. Identical bytes are promised
for the same Pillow, FreeType and libjpeg; the Pillow version is part of the key.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import PIL
from hub_core.files import replace_atomically
from hub_core.i18n import translator
from hub_core.imagefile import orientation_of, upright
from PIL import Image, ImageCms, ImageColor, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
# Bump when the design changes: every cached card is then rendered again.
CARD_VERSION = 2  # 2: a JPEG photo is decoded at reduced scale, as for its variants
_, ngettext = translator("hub_images")

FONT_DIR = Path(__file__).resolve().parent / "fonts"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"

MARGIN = 64
TEXT_WIDTH = WIDTH - 2 * MARGIN
TITLE_SIZES = (64, 60, 56, 52, 48, 44)
TITLE_MAX_LINES = 3
TITLE_LEADING = 1.18
AUTHOR_SIZES = (30, 26, 22)
AUTHOR_BASELINE = HEIGHT - 58
STRIPE_HEIGHT = 8  # the amber stripe on top, as on the site's header
CHROME_TOP = 40  # top edge of the logo plate and the label badge
CHROME_HEIGHT = 56
PLATE_COLOUR = (255, 255, 255)  # logos are made for the site's white header
SCRIM_OPACITY = 0.86
JPEG_QUALITY = 85

ELLIPSIS = "…"
_TRAILING_PUNCTUATION = " ,;:.–—-"
# A compound may break after its own hyphen ("Open-Source-|Strategie") like at a space.
_HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=\w)")

RGB = tuple[int, int, int]


class CardError(Exception):
    """A card could not be rendered; the message names the file."""


@dataclass(frozen=True)
class CardStyle:
    """Colours and branding of the cards; the defaults are the hub theme's (hub.css).

    `logo` must be a raster image (PNG with transparency works best) to be drawn:
    Pillow cannot render SVG, so for an SVG logo, or none, the `company` name is set as
    a wordmark instead. Either sits on a white plate, as on the site's header, so the
    logo should be the version made for light backgrounds. `background` is the colour of
    the branded card and of the scrim behind the text, so `text` must read on it.
    """

    company: str
    background: str = "#0e3557"  # --c-primary
    accent: str = "#f2a900"  # --c-accent
    text: str = "#ffffff"
    logo: Path | None = None

    def __post_init__(self) -> None:
        for name in ("background", "accent", "text"):
            try:
                ImageColor.getrgb(getattr(self, name))
            except ValueError as error:
                raise ValueError(f"CardStyle.{name}: {error}") from None

    @property
    def raster_logo(self) -> Path | None:
        """The logo file to draw, or None when the wordmark stands in for it."""
        if self.logo is None or Path(self.logo).suffix.lower() in {".svg", ".svgz"}:
            return None
        return Path(self.logo)


def social_card(
    out: Path,
    *,
    title: str,
    author: str,
    style: CardStyle,
    photo: Path | None = None,
    focal: tuple[float, float] | None = None,
    label: str | None = None,
    widths: tuple[int, ...] = (),
    pixels: PhotoPixels | None = None,
) -> Path:
    """Render the card for one post to `out` (JPEG, written atomically) and return `out`.

    `focal` is a point of the photo as (x, y) fractions of its width and height, after
    EXIF orientation is applied; the crop keeps it inside and as central as the photo's
    edges allow. `widths` are the image pipeline's (HUB_IMAGE_WIDTHS): a JPEG photo is
    decoded at the reduced scale its variants are made from (see `photo_request`);
    `pixels`, if given, are the photo decoded so already. Raises CardError when the photo
    or logo cannot be read.
    """
    point = _focal(focal)
    text = _text_layout(title, author)
    if photo is not None:
        canvas = _photo_background(Path(photo), point, style, widths, pixels)
        _scrim(canvas, _rgb(style.background), text.top)
        _draw_chrome(canvas, style, label)
    else:
        canvas = _branded_card(style, label)
    _draw_text(canvas, text, style)
    _write_atomically(canvas, Path(out))
    return Path(out)


def card_key(
    *,
    title: str,
    author: str,
    style: CardStyle,
    photo: Path | None = None,
    focal: tuple[float, float] | None = None,
    label: str | None = None,
    widths: tuple[int, ...] = (),
) -> str:
    """A hex digest of everything the card for these arguments depends on, for caching."""
    logo = style.raster_logo
    payload = {
        "widths": sorted(set(widths)) if photo is not None else [],
        "version": CARD_VERSION,
        "pillow": PIL.__version__,
        "fonts": _fonts_digest(),
        "title": title,
        "author": author,
        "label": label,
        "focal": list(_focal(focal)),
        "photo": _file_digest(Path(photo)) if photo is not None else None,
        "style": {
            "company": style.company,
            "background": style.background,
            "accent": style.accent,
            "text": style.text,
            "logo": _file_digest(logo) if logo is not None else None,
        },
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def layout_title(
    title: str,
    font_path: Path,
    max_width: int,
    max_lines: int,
    *,
    sizes: Sequence[int] = TITLE_SIZES,
) -> tuple[list[str], int]:
    """The lines and font size (px) to set `title` in, at most `max_lines` of `max_width` px.

    Lines break at spaces and after the hyphens of compounds. Sizes are tried largest
    first: the first size at which the title fits without breaking a word wins. A single
    word wider than a whole line is the only one broken, with a hyphen, at the largest
    size where the title then fits. If it fits at no size, the smallest is used and the
    last line ends, at a word boundary, with "…".
    """
    if not sizes or max_lines < 1 or max_width <= 0:
        raise ValueError("layout_title needs sizes, max_lines >= 1 and max_width > 0")
    text = " ".join(unicodedata.normalize("NFC", title).split())
    if not text:
        return [], sizes[0]
    hyphenated: tuple[list[str], int] | None = None
    for size in sizes:
        lines, broke_word = _wrap(text, _font(font_path, size), max_width)
        if len(lines) <= max_lines:
            if not broke_word:
                return lines, size
            hyphenated = hyphenated or (lines, size)
    if hyphenated is not None:
        return hyphenated
    font = _font(font_path, sizes[-1])
    lines, _ = _wrap(text, font, max_width)
    return _ellipsize(lines[:max_lines], font, max_width), sizes[-1]


def cover_box(size: tuple[int, int], focal: tuple[float, float]) -> tuple[float, float, float, float]:
    """The part of an image of `size` that, scaled, covers the card: (left, top, right, bottom).

    It has the card's aspect ratio and is as large as the image allows; it is centred on
    the focal point (fractions of width and height) unless that would cross an edge, in
    which case it is pushed back inside, so the focal point always stays in the box.
    """
    width, height = size
    x, y = _focal(focal)
    scale = max(WIDTH / width, HEIGHT / height)
    crop_width, crop_height = min(width, WIDTH / scale), min(height, HEIGHT / scale)
    left = max(0.0, min(x * width - crop_width / 2, width - crop_width))
    top = max(0.0, min(y * height - crop_height / 2, height - crop_height))
    return left, top, left + crop_width, top + crop_height


# --- text layout -------------------------------------------------------------------


@lru_cache(maxsize=64)
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_width: int) -> tuple[list[str], bool]:
    """Greedy line breaking; also says whether a word had to be broken with a hyphen."""
    lines: list[str] = []
    current = ""
    broke_word = False
    for word in text.split(" "):
        for index, piece in enumerate(_HYPHEN_BREAK.split(word)):
            joiner = " " if index == 0 else ""
            candidate = f"{current}{joiner}{piece}" if current else piece
            if font.getlength(candidate) <= max_width:
                current = candidate
                continue
            if current:
                lines.append(current)
            while font.getlength(piece) > max_width:
                head, piece = _split_word(piece, font, max_width)
                lines.append(head)
                broke_word = True
            current = piece
    if current:
        lines.append(current)
    return lines, broke_word


def _split_word(word: str, font: ImageFont.FreeTypeFont, max_width: int) -> tuple[str, str]:
    """The longest head of `word` that fits with a hyphen, and the rest."""
    cut = len(word) - 1
    while cut > 1 and font.getlength(word[:cut] + "-") > max_width:
        cut -= 1
    return word[:cut] + "-", word[cut:]


def _ellipsize(lines: list[str], font: ImageFont.FreeTypeFont, max_width: int) -> list[str]:
    """End the last line with "…", dropping whole words (or, for one word, letters) to fit."""
    last = lines[-1]
    while True:
        candidate = last.rstrip(_TRAILING_PUNCTUATION) + ELLIPSIS
        if font.getlength(candidate) <= max_width or len(last) <= 1:
            return [*lines[:-1], candidate]
        last = last.rsplit(" ", 1)[0] if " " in last.strip() else last[:-1]


def _fit_line(text: str, font_path: Path, sizes: Sequence[int], max_width: int) -> tuple[str, ImageFont.FreeTypeFont]:
    """One line: the largest size at which `text` fits, else the smallest, ellipsized."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    for size in sizes:
        font = _font(font_path, size)
        if font.getlength(text) <= max_width:
            return text, font
    return _ellipsize([text], font, max_width)[0], font


@dataclass(frozen=True)
class _TextLayout:
    title_lines: list[str]
    title_font: ImageFont.FreeTypeFont
    title_baselines: list[int]
    author: str
    author_font: ImageFont.FreeTypeFont
    top: int  # the accent bar above the title: the scrim has to carry everything below


def _text_layout(title: str, author: str) -> _TextLayout:
    author_line, author_font = _fit_line(author, REGULAR_FONT, AUTHOR_SIZES, TEXT_WIDTH)
    lines, size = layout_title(title, BOLD_FONT, TEXT_WIDTH, TITLE_MAX_LINES)
    title_font = _font(BOLD_FONT, size)
    last_baseline = AUTHOR_BASELINE - (AUTHOR_SIZES[0] + 34 if author_line else 0)
    leading = round(size * TITLE_LEADING)
    baselines = [last_baseline - leading * (len(lines) - 1 - index) for index in range(len(lines))]
    first_baseline = baselines[0] if baselines else last_baseline
    bar_top = first_baseline - title_font.getmetrics()[0] - 26
    return _TextLayout(lines, title_font, baselines, author_line, author_font, bar_top)


# --- drawing -----------------------------------------------------------------------


def _rgb(colour: str) -> RGB:
    red, green, blue = ImageColor.getrgb(colour)[:3]
    return red, green, blue


def _mix(a: RGB, b: RGB, share_of_b: float) -> RGB:
    red, green, blue = (round(x + (y - x) * share_of_b) for x, y in zip(a, b, strict=True))
    return red, green, blue


def _focal(focal: tuple[float, float] | None) -> tuple[float, float]:
    if focal is None:
        return 0.5, 0.5
    x, y = focal
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):  # also rejects NaN
        raise ValueError(f"focal point must be (x, y) with both from 0 to 1, got {focal!r}")
    return float(x), float(y)


@lru_cache(maxsize=1)
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class PhotoPixels:
    """A photo as decoded for the cards: upright, sRGB, RGB or RGBA, and the draft size it was decoded at."""

    image: Image.Image
    request: tuple[int, int] | None  # Image.draft's requested size; None: every pixel
    # The cover-cropped backgrounds made of it, by focal point and colour: once per photo, not per card.
    covers: dict[tuple[tuple[float, float], RGB], Image.Image] = field(default_factory=dict, compare=False)


def photo_request(data: bytes, widths: Sequence[int]) -> tuple[int, int] | None:
    """The size a card's photo is decoded at (Image.draft), None for every pixel.

    The variants' reduced scale (process.draft_request) when that still covers the card, so the
    pipeline decodes a photo once for both; else the card's own smaller one. Only JPEGs are decoded
    at reduced scale, and only those whose variants are (upright, RGB or grey, strippable).
    """
    from .process import draft_request

    variants = draft_request(data, widths)
    if variants is None:
        return None
    size = _header_size(data)
    return variants if _draft_scale(size, variants) <= _draft_scale(size, (WIDTH, HEIGHT)) else (WIDTH, HEIGHT)


def _header_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as opened:
        return opened.size


def _draft_scale(size: tuple[int, int], request: tuple[int, int]) -> int:
    """The reduction libjpeg applies for `request` (as Pillow's JpegImageFile.draft picks it)."""
    most = min(size[0] // request[0], size[1] // request[1])
    return next((scale for scale in (8, 4, 2, 1) if most >= scale), 1)  # smaller than asked: every pixel


def decoded_photo(image: Image.Image, request: tuple[int, int] | None) -> PhotoPixels:
    """Card pixels from a freshly decoded image (its EXIF and profile still in `info`)."""
    icc = image.info.get("icc_profile")
    return PhotoPixels(_card_colours(upright(image, orientation_of(image)), icc), request)


def _open_image(path: Path, widths: Sequence[int] = ()) -> PhotoPixels:
    """The photo at `path`, upright (EXIF orientation applied), in sRGB, RGB or RGBA; an animation's first frame."""
    try:
        data = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about each damaged EXIF tag, without the file's name
            request = photo_request(data, widths)
            with Image.open(io.BytesIO(data)) as opened:
                if request is not None:
                    opened.draft(opened.mode, request)
                opened.load()  # the first frame
                return decoded_photo(opened, request)  # loaded: usable after the file is closed
    except Exception as error:
        # Decoders of untrusted bytes raise a zoo of exception types; all mean "cannot read this".
        raise CardError(_("{path}: cannot read image: {reason}").format(path=path, reason=error)) from error


def _card_colours(image: Image.Image, icc: bytes | None) -> Image.Image:
    has_alpha = "A" in image.mode or "transparency" in image.info
    if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
        image = image.convert("RGBA" if has_alpha else "RGB")
    if icc:
        converted = None
        # A broken or unusual profile: the pixels as they are beat no card at all.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                _srgb_profile(),
                outputMode="RGBA" if image.mode == "RGBA" else "RGB",
            )
        if converted is not None:
            image = converted
    return image.convert("RGBA" if image.mode == "RGBA" else "RGB")


def _flatten(image: Image.Image, background: RGB) -> Image.Image:
    if image.mode != "RGBA":
        return image.convert("RGB")
    flat = Image.new("RGB", image.size, background)
    flat.paste(image, mask=image.getchannel("A"))
    return flat


# Many posts share a photo, and every card of a style has the same branded background, so both
# are made once per process and copied for each card. The caches are keyed by the files' bytes
# (their digests), never by path alone: a photo replaced under the same name must miss. Callers
# draw on the copy; the cached images themselves are never changed.


def _photo_background(
    photo: Path, focal: tuple[float, float], style: CardStyle, widths: Sequence[int], pixels: PhotoPixels | None
) -> Image.Image:
    """The photo cover-cropped to the card, on a canvas of its own that the caller may draw on."""
    background = _rgb(style.background)
    if pixels is not None:
        if (focal, background) not in pixels.covers:
            pixels.covers[focal, background] = _cover(pixels.image, focal, background)
        return pixels.covers[focal, background].copy()
    return _covered_photo(photo, _file_digest(photo), focal, background, tuple(sorted(set(widths)))).copy()


@lru_cache(maxsize=8)  # a 1200x630 canvas is 2.3 MB; cards are rendered grouped by photo
def _covered_photo(
    photo: Path, digest: str, focal: tuple[float, float], background: RGB, widths: tuple[int, ...]
) -> Image.Image:
    """The photo cover-cropped to the card; `digest` (of its bytes) is there for the cache key."""
    return _cover(_open_image(photo, widths).image, focal, background)


def _cover(photo: Image.Image, focal: tuple[float, float], background: RGB) -> Image.Image:
    image = _flatten(photo, background)
    box = cover_box(image.size, focal)
    cropped = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    # A fresh canvas: resize() copies the photo's info (EXIF, ICC), which must not reach the card.
    canvas = Image.new("RGB", (WIDTH, HEIGHT))
    canvas.paste(cropped)
    return canvas


def _branded_card(style: CardStyle, label: str | None) -> Image.Image:
    """A card without photo up to its text: background, stripe, logo and label, on a canvas of its own."""
    logo = style.raster_logo
    return _branded_chrome(style, label, _file_digest(logo) if logo is not None else None).copy()


@lru_cache(maxsize=4)
def _branded_chrome(style: CardStyle, label: str | None, logo_digest: str | None) -> Image.Image:
    """Background and chrome; `logo_digest` is there for the cache key, as the logo file may change."""
    canvas = _branded_background(style)
    _draw_chrome(canvas, style, label)
    return canvas


def _branded_background(style: CardStyle) -> Image.Image:
    background = _rgb(style.background)
    canvas = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(canvas)
    ring = _mix(background, _rgb(style.text), 0.07)
    centre_x, centre_y = WIDTH - 150, 170
    for radius in range(110, 700, 72):
        box = (centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius)
        draw.ellipse(box, outline=ring, width=14)
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=_rgb(style.accent))
    return canvas


def _scrim(canvas: Image.Image, colour: RGB, text_top: int) -> None:
    """Darken the photo from above the text down, so the text reads on any photo."""
    canvas.paste(colour, (0, 0, WIDTH, HEIGHT), _scrim_mask(text_top))


@lru_cache(maxsize=16)  # a handful of text heights occur: one mask each
def _scrim_mask(text_top: int) -> Image.Image:
    start, full = max(0, text_top - 220), max(1, text_top - 10)
    column = []
    for y in range(HEIGHT):
        t = min(1.0, max(0.0, (y - start) / max(1, full - start)))
        column.append(round(255 * SCRIM_OPACITY * t * t * (3 - 2 * t)))
    mask = Image.new("L", (1, HEIGHT))
    mask.putdata(column)
    return mask.resize((WIDTH, HEIGHT), Image.Resampling.NEAREST)


def _draw_chrome(canvas: Image.Image, style: CardStyle, label: str | None) -> None:
    draw = ImageDraw.Draw(canvas)
    accent, background = _rgb(style.accent), _rgb(style.background)
    draw.rectangle((0, 0, WIDTH, STRIPE_HEIGHT - 1), fill=accent)
    _draw_brand(canvas, style)
    if label:
        text, font = _fit_line(label, BOLD_FONT, (24, 20), 320)
        text_width = round(font.getlength(text))
        box = (WIDTH - MARGIN - text_width - 40, CHROME_TOP + 6, WIDTH - MARGIN, CHROME_TOP + CHROME_HEIGHT - 6)
        draw.rounded_rectangle(box, radius=6, fill=accent)
        centre = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
        draw.text(centre, text, font=font, fill=background, anchor="mm")


def _draw_brand(canvas: Image.Image, style: CardStyle) -> None:
    """The logo, or the company name as a wordmark, on a white plate in the top left corner."""
    draw = ImageDraw.Draw(canvas)
    logo_path = style.raster_logo
    pad_x, pad_y, max_width = 18, 10, WIDTH // 2 - MARGIN
    if logo_path is not None:
        logo = _scaled_logo(logo_path, _file_digest(logo_path), CHROME_HEIGHT - 2 * pad_y, max_width - 2 * pad_x)
        size = logo.size
        plate = (MARGIN, CHROME_TOP, MARGIN + size[0] + 2 * pad_x, CHROME_TOP + CHROME_HEIGHT)
        draw.rounded_rectangle(plate, radius=6, fill=PLATE_COLOUR)
        top = CHROME_TOP + (CHROME_HEIGHT - size[1]) // 2
        canvas.paste(logo, (MARGIN + pad_x, top), logo)
        return
    text, font = _fit_line(style.company, BOLD_FONT, (28, 24, 20), max_width - 2 * pad_x)
    plate = (MARGIN, CHROME_TOP, MARGIN + round(font.getlength(text)) + 2 * pad_x, CHROME_TOP + CHROME_HEIGHT)
    draw.rounded_rectangle(plate, radius=6, fill=PLATE_COLOUR)
    baseline = CHROME_TOP + CHROME_HEIGHT - pad_y - 8
    draw.text((MARGIN + pad_x, baseline), text, font=font, fill=_rgb(style.background), anchor="ls")
    draw.rectangle((MARGIN + pad_x, baseline + 4, MARGIN + pad_x + 22, baseline + 7), fill=_rgb(style.accent))


@lru_cache(maxsize=4)
def _scaled_logo(path: Path, digest: str, max_height: int, max_width: int) -> Image.Image:
    """The logo at its size on the card, decoded once, not per card; `digest` is there for the cache key."""
    logo = _open_image(path).image.convert("RGBA")
    scale = min(max_height / logo.height, max_width / logo.width)
    size = (max(1, round(logo.width * scale)), max(1, round(logo.height * scale)))
    return logo.resize(size, Image.Resampling.LANCZOS)


def _draw_text(canvas: Image.Image, layout: _TextLayout, style: CardStyle) -> None:
    draw = ImageDraw.Draw(canvas)
    colour = _rgb(style.text)
    if layout.title_lines:
        draw.rectangle((MARGIN, layout.top, MARGIN + 72, layout.top + 5), fill=_rgb(style.accent))
    for line, baseline in zip(layout.title_lines, layout.title_baselines, strict=True):
        draw.text((MARGIN, baseline), line, font=layout.title_font, fill=colour, anchor="ls")
    if layout.author:
        draw.text((MARGIN, AUTHOR_BASELINE), layout.author, font=layout.author_font, fill=colour, anchor="ls")


# --- files -------------------------------------------------------------------------


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise CardError(_("{path}: cannot read file: {reason}").format(path=path, reason=error)) from error
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _fonts_digest() -> tuple[str, str]:
    """The bundled fonts change only with the code, so they are read once per process."""
    return _file_digest(BOLD_FONT), _file_digest(REGULAR_FONT)


def _write_atomically(image: Image.Image, out: Path) -> None:
    """Write beside `out`, then rename over it: readers never see half a card. The temporary name
    is new for every writer (parallel builds do not collide) and the card keeps the umask's
    permissions, as plain open() would (mode None)."""
    replace_atomically(
        out, lambda handle: image.save(handle, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling=0)
    )
