"""Social cards: real images made here, rendered and read back pixel by pixel."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hub_images.card import (
    BOLD_FONT,
    ELLIPSIS,
    HEIGHT,
    MARGIN,
    TEXT_WIDTH,
    WIDTH,
    CardError,
    CardStyle,
    card_key,
    cover_box,
    layout_title,
    social_card,
)
from PIL import Image, ImageChops, ImageCms, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[2]
STYLE = CardStyle(company="Hellwig Antriebstechnik", logo=ROOT / "themes/hub/static/img/logo.svg")
MAGENTA = CardStyle(company="Hellwig Antriebstechnik", text="#ff00ff")
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen"
# Where the title may be drawn: above the author line, below the logo and label.
TITLE_REGION = (MARGIN, 200, WIDTH - MARGIN, 530)
TOP_RIGHT = (WIDTH - 360, 24, WIDTH, 120)


def make_photo(
    path: Path, size: tuple[int, int], colour: tuple[int, int, int] = (128, 128, 128), **save: object
) -> Path:
    Image.new("RGB", size, colour).save(path, **save)
    return path


def count(image: Image.Image, box: tuple[int, int, int, int], wanted: tuple[int, int, int], tolerance: int = 60) -> int:
    """Pixels in `box` within `tolerance` of `wanted` on every channel (JPEG blurs edges)."""
    region = image.convert("RGB").crop(box)
    return sum(
        1
        for pixel in region.get_flattened_data()
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, wanted, strict=True))
    )


def red_centre(image: Image.Image) -> tuple[float, float] | None:
    """Centroid of the clearly red pixels, or None when there are none."""
    points = [
        (index % image.width, index // image.width)
        for index, (r, g, b) in enumerate(image.convert("RGB").get_flattened_data())
        if r > 170 and g < 80 and b < 80
    ]
    if not points:
        return None
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


def test_card_is_a_1200x630_jpeg_without_metadata(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"  # Make
    exif[0x013B] = "Fotografin mit Adresse"  # Artist
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    photo = make_photo(tmp_path / "photo.jpg", (1600, 1000), exif=exif.tobytes(), icc_profile=icc)
    assert Image.open(photo).getexif()  # the test photo does carry metadata

    out = social_card(tmp_path / "out" / "card.jpg", title="Titel", author="Jana Döring", style=STYLE, photo=photo)

    assert out == tmp_path / "out" / "card.jpg"
    with Image.open(out) as card:
        assert card.format == "JPEG"
        assert card.size == (WIDTH, HEIGHT)
        assert card.mode == "RGB"
        assert not card.getexif()
        assert "exif" not in card.info
        assert "icc_profile" not in card.info
    assert [p.name for p in out.parent.iterdir()] == ["card.jpg"]  # no temporary file left behind


def test_exif_orientation_is_applied_before_cropping(tmp_path: Path) -> None:
    upright = Image.new("RGB", (1260, 660), (30, 30, 200))
    ImageDraw.Draw(upright).rectangle((0, 0, 629, 659), fill=(200, 30, 30))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    upright.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "rotated.jpg", exif=exif.tobytes())

    out = social_card(tmp_path / "card.jpg", title="", author="", style=STYLE, photo=tmp_path / "rotated.jpg")

    with Image.open(out) as card:
        left_r, _, left_b = card.getpixel((300, 150))
        right_r, _, right_b = card.getpixel((900, 150))
    assert left_r > 150 > left_b
    assert right_b > 150 > right_r


def test_focal_point_moves_the_crop_onto_the_subject(tmp_path: Path) -> None:
    photo = Image.new("RGB", (2400, 1000), (128, 128, 128))
    ImageDraw.Draw(photo).rectangle((2120, 220, 2280, 380), fill=(220, 20, 20))  # near the right edge
    photo.save(tmp_path / "photo.png")
    focal = (2200 / 2400, 300 / 1000)

    centred = social_card(tmp_path / "centre.jpg", title="Kurz", author="", style=STYLE, photo=tmp_path / "photo.png")
    focused = social_card(
        tmp_path / "focal.jpg", title="Kurz", author="", style=STYLE, photo=tmp_path / "photo.png", focal=focal
    )

    middle = (WIDTH / 2, HEIGHT / 2)
    with Image.open(focused) as card:
        found = red_centre(card)
    assert found is not None
    x, y = found
    assert 0 <= x < WIDTH and 0 <= y < HEIGHT
    with Image.open(centred) as card:
        default = red_centre(card)
    distance = abs(x - middle[0]) + abs(y - middle[1])
    assert default is None or distance < abs(default[0] - middle[0]) + abs(default[1] - middle[1])


@pytest.mark.parametrize(
    ("size", "focal"),
    [
        ((2400, 1000), (0.9, 0.3)),
        ((2400, 1000), (0.0, 1.0)),
        ((1000, 3000), (0.5, 0.05)),
        ((300, 200), (0.7, 0.5)),
        ((1200, 630), (0.2, 0.8)),
    ],
)
def test_cover_box_keeps_the_focal_point_inside_and_as_central_as_the_edges_allow(
    size: tuple[int, int], focal: tuple[float, float]
) -> None:
    width, height = size
    left, top, right, bottom = cover_box(size, focal)
    assert (right - left) / (bottom - top) == pytest.approx(WIDTH / HEIGHT)
    assert 0 <= left <= right <= width and 0 <= top <= bottom <= height
    assert right - left == pytest.approx(width) or bottom - top == pytest.approx(height)  # as large as possible
    fx, fy = focal[0] * width, focal[1] * height
    assert left <= fx <= right and top <= fy <= bottom
    for low, high, point, limit in ((left, right, fx, width), (top, bottom, fy, height)):
        centred = (low + high) / 2 == pytest.approx(point)
        assert centred or low == pytest.approx(0) or high == pytest.approx(limit)


@pytest.mark.parametrize(
    ("size", "name"),
    [((1000, 3000), "portrait"), ((300, 200), "tiny")],
)
def test_portrait_and_tiny_photos_cover_the_card(tmp_path: Path, size: tuple[int, int], name: str) -> None:
    photo = make_photo(tmp_path / f"{name}.png", size, (20, 180, 20))

    out = social_card(tmp_path / "card.jpg", title="Ein Titel", author="Max Muster", style=STYLE, photo=photo)

    with Image.open(out) as card:
        assert card.size == (WIDTH, HEIGHT)
        for corner in ((WIDTH - 5, 20), (5, 150), (WIDTH - 5, 150)):  # the photo reaches every edge
            r, g, b = card.getpixel(corner)
            assert g > 150 and r < 80 and b < 80, corner


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "CMYK", "LA"])
def test_photos_in_any_mode_become_rgb_cards(tmp_path: Path, mode: str) -> None:
    photo = Image.new("RGB", (800, 600), (90, 140, 200)).convert(mode)
    suffix = ".jpg" if mode == "CMYK" else ".png"
    photo.save(tmp_path / f"photo{suffix}")

    out = social_card(tmp_path / "card.jpg", title="Modus", author="", style=STYLE, photo=tmp_path / f"photo{suffix}")

    with Image.open(out) as card:
        assert (card.mode, card.size) == ("RGB", (WIDTH, HEIGHT))


def test_different_titles_give_different_pixels_in_the_title_area(tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "photo.jpg", (1600, 900))
    one = social_card(tmp_path / "one.jpg", title="Antriebe für Straßenbahnen", author="A", style=STYLE, photo=photo)
    two = social_card(tmp_path / "two.jpg", title="Getriebe für Windräder", author="A", style=STYLE, photo=photo)

    with Image.open(one) as first, Image.open(two) as second:
        assert ImageChops.difference(first.crop(TITLE_REGION), second.crop(TITLE_REGION)).getbbox() is not None
        top = (0, 0, WIDTH, 150)  # logo and stripe do not depend on the title
        assert ImageChops.difference(first.crop(top), second.crop(top)).getbbox() is None


def test_title_is_drawn_in_the_text_colour(tmp_path: Path) -> None:
    with_title = social_card(tmp_path / "title.jpg", title="Schöne Grüße aus Köln", author="", style=MAGENTA)
    without = social_card(tmp_path / "empty.jpg", title="", author="", style=MAGENTA)

    with Image.open(with_title) as card:
        assert count(card, TITLE_REGION, (255, 0, 255)) > 500
    with Image.open(without) as card:
        assert count(card, TITLE_REGION, (255, 0, 255)) == 0


def test_author_line_is_drawn_below_the_title(tmp_path: Path) -> None:
    out = social_card(tmp_path / "card.jpg", title="", author="Jana Döring", style=MAGENTA)
    with Image.open(out) as card:
        assert count(card, (MARGIN, 530, WIDTH - MARGIN, HEIGHT - 20), (255, 0, 255)) > 300


def test_german_typography_renders_with_the_bundled_font() -> None:
    font = ImageFont.truetype(str(BOLD_FONT), 64, layout_engine=ImageFont.Layout.BASIC)
    missing = bytes(font.getmask("\ue000"))  # a private-use code point: the "no glyph" box
    for character in "äöüÄÖÜß„“‚‘–—…€":
        mask = font.getmask(character)
        assert mask.getbbox() is not None and bytes(mask) != missing, character
    title = "„Anführungszeichen“ – Größe, Maß und Übermaß"
    lines, size = layout_title(title, BOLD_FONT, TEXT_WIDTH, 3)
    assert " ".join(lines) == title
    assert size == 64


def test_layout_shrinks_the_font_before_truncating() -> None:
    title = (
        "Wie wir in Bremen die Antriebstechnik für Straßenbahnen neu gedacht haben und was andere Städte daraus lernen"
    )
    lines, size = layout_title(title, BOLD_FONT, TEXT_WIDTH, 3)
    assert size < 64
    assert len(lines) <= 3
    assert " ".join(lines) == title
    only_large, _ = layout_title(title, BOLD_FONT, TEXT_WIDTH, 3, sizes=(64,))
    assert only_large[-1].endswith(ELLIPSIS)


def test_layout_ellipsizes_at_a_word_boundary_when_nothing_fits() -> None:
    title = " ".join(["Ein sehr langer Titel über Zahnräder, Getriebe, Kupplungen und Motoren"] * 4)
    lines, size = layout_title(title, BOLD_FONT, TEXT_WIDTH, 3)
    font = ImageFont.truetype(str(BOLD_FONT), size, layout_engine=ImageFont.Layout.BASIC)

    assert size == 44
    assert len(lines) == 3
    assert all(font.getlength(line) <= TEXT_WIDTH for line in lines)
    assert lines[-1].endswith(ELLIPSIS)
    shown = " ".join(lines).removesuffix(ELLIPSIS).split()
    assert [word.rstrip(",") for word in shown] == [word.rstrip(",") for word in title.split()[: len(shown)]]


def test_layout_keeps_a_long_word_whole_when_it_fits_on_a_line() -> None:
    title = f"Das {LONG_WORD} im Museum"
    assert layout_title(title, BOLD_FONT, 3000, 3) == ([title], 64)
    # Too wide for a line at 64 px, but not at 44 px: the font shrinks rather than cut the word.
    lines, size = layout_title(title, BOLD_FONT, 1800, 3)
    assert size < 64
    assert LONG_WORD in " ".join(lines).split()


def test_layout_breaks_a_word_wider_than_a_line_with_a_hyphen() -> None:
    """Documented fallback: only a word that alone is wider than a line is cut, with "-"."""
    title = f"Das {LONG_WORD} im Museum"
    lines, size = layout_title(title, BOLD_FONT, TEXT_WIDTH, 3)
    font = ImageFont.truetype(str(BOLD_FONT), size, layout_engine=ImageFont.Layout.BASIC)

    assert font.getlength(LONG_WORD) > TEXT_WIDTH  # precondition: even at the smallest size
    assert all(font.getlength(line) <= TEXT_WIDTH for line in lines)
    assert not lines[-1].endswith(ELLIPSIS)
    assert lines[0] == "Das"  # the other words are not cut
    broken = [line for line in lines if line.endswith("-")]
    assert broken
    joined = "".join(line.removesuffix("-") if line in broken else line + " " for line in lines).split()
    assert joined == title.split()


def test_layout_breaks_compounds_at_their_own_hyphens() -> None:
    font = ImageFont.truetype(str(BOLD_FONT), 64, layout_engine=ImageFont.Layout.BASIC)
    width = round(font.getlength("Open-Source-")) + 10
    lines, _ = layout_title("Open-Source-Strategie", BOLD_FONT, width, 3, sizes=(64,))
    assert lines == ["Open-Source-", "Strategie"]


def test_label_badge_is_drawn_in_the_top_right_corner(tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "photo.jpg", (1600, 900))
    amber = (0xF2, 0xA9, 0x00)
    labelled = social_card(tmp_path / "ad.jpg", title="T", author="A", style=STYLE, photo=photo, label="Anzeige")
    plain = social_card(tmp_path / "plain.jpg", title="T", author="A", style=STYLE, photo=photo)

    with Image.open(labelled) as card:
        assert count(card, TOP_RIGHT, amber, tolerance=40) > 2000
        badge_text = count(card, TOP_RIGHT, (0x0E, 0x35, 0x57), tolerance=40)  # dark text on the badge
        assert badge_text > 100
    with Image.open(plain) as card:
        assert count(card, TOP_RIGHT, amber, tolerance=40) == 0


def test_same_inputs_give_identical_bytes_and_the_same_key(tmp_path: Path) -> None:
    photo = Image.new("RGB", (1500, 1000), (100, 120, 140))
    ImageDraw.Draw(photo).ellipse((200, 200, 700, 700), fill=(240, 200, 40))
    photo.save(tmp_path / "photo.jpg")
    arguments: dict[str, Any] = {
        "title": "Gleiche Eingaben, gleiche Bytes",
        "author": "Jana Döring",
        "style": STYLE,
        "photo": tmp_path / "photo.jpg",
        "focal": (0.3, 0.4),
        "label": "Anzeige",
    }

    first = social_card(tmp_path / "a.jpg", **arguments).read_bytes()
    second = social_card(tmp_path / "b.jpg", **arguments).read_bytes()

    assert first == second
    assert card_key(**arguments) == card_key(**arguments)
    # A fresh interpreter (other hash seed, cold caches) renders the same bytes and key.
    script = (
        "import sys; from pathlib import Path; from hub_images.card import CardStyle, card_key, social_card\n"
        f"arguments = dict(title={arguments['title']!r}, author={arguments['author']!r}, label='Anzeige',"
        f" style=CardStyle(company={STYLE.company!r}, logo=Path({str(STYLE.logo)!r})),"
        f" photo=Path({str(arguments['photo'])!r}), focal=(0.3, 0.4))\n"
        f"social_card(Path({str(tmp_path / 'c.jpg')!r}), **arguments)\n"
        "print(card_key(**arguments))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert (tmp_path / "c.jpg").read_bytes() == first
    assert result.stdout.strip() == card_key(**arguments)


def test_card_key_changes_with_every_input(tmp_path: Path) -> None:
    photo = make_photo(tmp_path / "photo.png", (800, 600))
    other_photo = make_photo(tmp_path / "other.png", (800, 600), (129, 128, 128))
    base: dict[str, Any] = {"title": "T", "author": "A", "style": STYLE, "photo": photo, "focal": None, "label": None}
    variants: list[dict[str, Any]] = [
        {"title": "U"},
        {"author": "B"},
        {"label": "Anzeige"},
        {"photo": other_photo},
        {"photo": None},
        {"focal": (0.2, 0.5)},
        {"style": CardStyle(company="Andere GmbH", logo=STYLE.logo)},
        {"style": CardStyle(company=STYLE.company, accent="#00ff00", logo=STYLE.logo)},
    ]
    keys = {card_key(**base)}
    for change in variants:
        keys.add(card_key(**(base | change)))
    assert len(keys) == len(variants) + 1
    assert card_key(**base) == card_key(**(base | {"focal": (0.5, 0.5)}))


def test_card_without_photo_is_branded(tmp_path: Path) -> None:
    out = social_card(tmp_path / "card.jpg", title="Ohne Bild", author="Jana Döring", style=STYLE)

    with Image.open(out) as card:
        assert card.size == (WIDTH, HEIGHT)
        background = (0x0E, 0x35, 0x57)
        assert count(card, (MARGIN, 150, 500, 250), background, tolerance=12) > 0.8 * 436 * 100
        assert count(card, (0, 0, WIDTH, 6), (0xF2, 0xA9, 0x00), tolerance=30) > 0.9 * WIDTH * 6  # accent stripe
        assert count(card, (0, HEIGHT - 10, WIDTH, HEIGHT), (0xF2, 0xA9, 0x00), tolerance=30) > 0.9 * WIDTH * 10


def test_svg_logo_becomes_a_wordmark_and_a_png_logo_is_drawn(tmp_path: Path) -> None:
    logo = Image.new("RGBA", (240, 60), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rectangle((10, 10, 230, 50), fill=(220, 20, 20, 255))
    logo.save(tmp_path / "logo.png")
    corner = (MARGIN, 40, 560, 96)

    wordmark = social_card(tmp_path / "svg.jpg", title="T", author="A", style=STYLE)
    png = CardStyle(company="Hellwig Antriebstechnik", logo=tmp_path / "logo.png")
    drawn = social_card(tmp_path / "png.jpg", title="T", author="A", style=png)

    with Image.open(wordmark) as card:
        assert count(card, corner, (255, 255, 255), tolerance=20) > 3000  # the white plate
        assert count(card, corner, (0x0E, 0x35, 0x57), tolerance=40) > 1000  # the company name on it
        assert count(card, corner, (220, 20, 20)) == 0
    with Image.open(drawn) as card:
        assert count(card, corner, (220, 20, 20)) > 3000


def test_unreadable_photo_raises_naming_the_file_and_leaves_no_file(tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.jpg"
    broken.write_bytes(b"not an image")
    out = tmp_path / "out" / "card.jpg"

    with pytest.raises(CardError, match=r"kaputt\.jpg"):
        social_card(out, title="T", author="A", style=STYLE, photo=broken)
    with pytest.raises(CardError, match=r"fehlt\.jpg"):
        card_key(title="T", author="A", style=STYLE, photo=tmp_path / "fehlt.jpg")
    assert not out.exists()


def test_existing_card_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "card.jpg"
    out.write_bytes(b"old")
    social_card(out, title="Neu", author="A", style=STYLE)
    assert Image.open(io.BytesIO(out.read_bytes())).format == "JPEG"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.jpg"]


@pytest.mark.parametrize("focal", [(1.5, 0.5), (0.5, -0.1), (float("nan"), 0.5)])
def test_focal_point_outside_the_photo_is_rejected(tmp_path: Path, focal: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="focal point"):
        social_card(tmp_path / "card.jpg", title="T", author="A", style=STYLE, focal=focal)


def test_style_rejects_an_unknown_colour() -> None:
    with pytest.raises(ValueError, match=r"CardStyle\.accent"):
        CardStyle(company="X", accent="amberish")


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_an_animation_makes_a_card_from_its_first_frame(tmp_path: Path, fmt: str) -> None:
    frames = [Image.new("RGB", (1260, 660), colour) for colour in ((200, 30, 30), (30, 30, 200), (30, 160, 30))]
    photo = tmp_path / f"anlauf.{fmt.lower()}"
    frames[0].save(photo, fmt, save_all=True, append_images=frames[1:], duration=100)
    with Image.open(photo) as check:
        assert check.n_frames == 3

    out = social_card(tmp_path / "card.jpg", title="", author="", style=STYLE, photo=photo)

    with Image.open(out) as card:
        red, green, blue = card.getpixel((600, 200))
    assert red > 150 > blue and green < 80  # the first frame's red, not a later frame's blue or green


def test_a_photo_whose_exif_cannot_be_written_back_still_makes_an_upright_card(tmp_path: Path) -> None:
    # Orientation 6 and a Make tag that claims to hold fractions: ImageOps.exif_transpose fails writing
    # such EXIF back; the card needs only the orientation from it.
    upright = Image.new("RGB", (1260, 660), (30, 30, 200))
    ImageDraw.Draw(upright).rectangle((0, 0, 629, 659), fill=(200, 30, 30))  # left half red
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    exif[0x0112] = 6
    exif[0x013B] = "Fotografin mit Adresse, " * 5  # Artist: enough bytes after Make for Pillow to read it as fractions
    buffer = io.BytesIO()
    upright.transpose(Image.Transpose.ROTATE_90).save(buffer, "JPEG", exif=exif.tobytes())
    data = buffer.getvalue()
    assert data.count(b"\x01\x0f\x00\x02") == 1  # tag 0x010F (Make), type 2 (text), big-endian
    (tmp_path / "rotated.jpg").write_bytes(data.replace(b"\x01\x0f\x00\x02", b"\x01\x0f\x00\x05"))  # 5: fractions

    out = social_card(tmp_path / "card.jpg", title="", author="", style=STYLE, photo=tmp_path / "rotated.jpg")

    with Image.open(out) as card:
        left_r, _, left_b = card.getpixel((300, 150))
    assert left_r > 150 > left_b
