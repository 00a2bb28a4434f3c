"""Image pipeline core: variants, metadata stripping, orientation, bad files, the cache.

Every image here is made by Pillow in the test, with real metadata written into
it, so the checks read what a browser (or a stalker) would read.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from hub_core import i18n
from hub_core.imagefile import ImageFacts, ImageProblem, inspect
from hub_images.cache import cached_process, process_all
from hub_images.process import ImageError, ImageSettings, Processed, process_image
from hub_images.responsive import responsive
from PIL import Image, ImageCms, ImageFile, ImageSequence, PngImagePlugin
from PIL.Image import Exif

ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
XMP = (
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="SECRET-XMP"/>'
    '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)
GPS_IFD = 0x8825
ORIENTATION = 0x0112
RED, BLUE = (255, 0, 0), (0, 0, 255)


def exif_with_gps(orientation: int) -> Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SECRET-CAMERA-MAKE"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 31.0, 12.0)  # GPSLatitude: Berlin
    gps[3] = "E"
    gps[4] = (13.0, 24.0, 36.0)
    gps[0x12] = "SECRET-GPS-DATUM"  # GPSMapDatum: a marker to find in raw bytes
    return exif


def quadrant_image(size: tuple[int, int]) -> Image.Image:
    """Blue with a red top-left quadrant: any rotation or mirroring shows."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1] // 2))
    return image


def write(path: Path, image: Image.Image, **params: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **params)
    return path


def small_jpeg(path: Path, size: tuple[int, int] = (200, 150), seed: int = 0) -> Path:
    # Noise, so the JPEG has real entropy-coded data to truncate.
    noise = Image.effect_noise(size, 60 + seed).convert("RGB")
    return write(path, noise, format="JPEG", quality=90)


def with_iptc(jpeg: bytes, caption: bytes) -> bytes:
    """The JPEG with an IPTC caption in a Photoshop APP13 segment, as newsroom tools write it."""
    iptc = b"\x1c\x02\x78" + struct.pack(">H", len(caption)) + caption  # record 2, dataset 120: caption
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    segment = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(segment) + 2) + segment + jpeg[2:]


def png_claiming(width: int, height: int) -> bytes:
    """A valid 1×1 PNG whose header claims another size: a decompression bomb costs nothing to make."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)  # IHDR width and height
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # IHDR CRC over type and data
    return bytes(data)


FRAME_COLOURS = (RED, BLUE, (0, 160, 0))


def gif_sub_blocks(data: bytes) -> bytes:
    return b"".join(bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255)) + b"\x00"


def animated(path: Path, fmt: str) -> Path:
    """Three frames of 40×30 with what editors and phones leave in a file: EXIF with GPS, XMP, comments."""
    frames = [Image.new("RGB", (40, 30), colour) for colour in FRAME_COLOURS]
    for number, frame in enumerate(frames):
        frame.paste((255, 255, 255), (number * 10, 0, number * 10 + 10, 10))  # frames differ in shape too
    params: dict[str, Any] = {"save_all": True, "append_images": frames[1:], "duration": 100, "loop": 0}
    if fmt == "GIF":
        params["comment"] = b"SECRET-COMMENT"
    elif fmt == "WEBP":
        params.update(exif=exif_with_gps(orientation=1), xmp=XMP.encode())
    write(path, frames[0], format=fmt, **params)
    if fmt == "PNG":
        # Pillow writes no metadata into an animated PNG; other tools do, as chunks after the header.
        data = path.read_bytes()
        text = b"Comment\x00SECRET-TEXT"
        xmp = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP.encode()
        exif = b"MM" + exif_with_gps(orientation=1).tobytes()[2:]
        chunks = b"".join(png_chunk(kind, body) for kind, body in ((b"tEXt", text), (b"iTXt", xmp), (b"eXIf", exif)))
        path.write_bytes(data[:33] + chunks + data[33:])  # 33: signature and IHDR
    if fmt == "GIF":
        # Pillow writes no XMP into GIFs; Photoshop does, as an application extension after the colour table.
        data = path.read_bytes()
        screen = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
        xmp = b"\x21\xff\x0bXMP DataXMP" + gif_sub_blocks(XMP.encode())
        path.write_bytes(data[:screen] + xmp + data[screen:])
    return path


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def frames_of(path: Path) -> list[tuple[object, bytes]]:
    """Each frame's duration and pixels."""
    frames: list[tuple[object, bytes]] = []
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):
            pixels = frame.convert("RGB").tobytes()  # first: WebP knows a frame's duration once it is decoded
            frames.append((frame.info.get("duration"), pixels))
    return frames


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def assert_clean(path: Path) -> None:
    """No EXIF, GPS, XMP, comment or text chunk survives, neither for Pillow nor in the raw bytes."""
    raw = path.read_bytes()
    assert b"SECRET" not in raw, path
    assert b"http://ns.adobe.com/xap" not in raw, path
    assert b"Exif\x00\x00" not in raw, path
    with Image.open(path) as image:
        exif = image.getexif()
        assert len(exif) == 0, (path, dict(exif))
        assert not exif.get_ifd(GPS_IFD), path
        metadata = {"exif", "xmp", "comment", "photoshop", "XML:com.adobe.xmp", "Comment"}
        assert not metadata & set(image.info), (path, image.info)
        assert not getattr(image, "text", {}), path


# --- the 4000×3000 camera photo, processed once for the module ---------------------------------


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Processed]:
    folder = tmp_path_factory.mktemp("photo")
    source = write(
        folder / "content" / "images" / "posts" / "foo.jpg",
        quadrant_image((4000, 3000)),
        quality=90,
        exif=exif_with_gps(orientation=6),
        xmp=XMP.encode(),
        comment=b"SECRET-COMMENT",
        icc_profile=ICC,
    )
    source.write_bytes(with_iptc(source.read_bytes(), b"SECRET-IPTC-CAPTION"))
    out = folder / "output"
    return source, out, process_image(source, "images/posts/foo.jpg", out, ImageSettings())


def test_the_test_photo_really_carries_the_metadata(photo: tuple[Path, Path, Processed]) -> None:
    source, _, _ = photo
    with Image.open(source) as image:
        assert image.size == (4000, 3000)
        assert image.getexif()[ORIENTATION] == 6
        assert image.getexif().get_ifd(GPS_IFD)[0x12] == "SECRET-GPS-DATUM"
        assert {"xmp", "comment", "icc_profile", "photoshop"} <= set(image.info)


def test_photo_variants_have_every_width_in_webp_and_the_fallback_width_in_jpeg(
    photo: tuple[Path, Path, Processed],
) -> None:
    _, out, processed = photo
    assert (processed.source, processed.width, processed.height) == ("images/posts/foo.jpg", 3000, 4000)
    assert [(v.path, v.width, v.height, v.format) for v in processed.variants] == [
        ("images/posts/foo-jpg-480.webp", 480, 640, "webp"),
        ("images/posts/foo-jpg-960.jpg", 960, 1280, "jpeg"),
        ("images/posts/foo-jpg-960.webp", 960, 1280, "webp"),
        ("images/posts/foo-jpg-1600.webp", 1600, 2133, "webp"),
        ("images/posts/foo.jpg", 3000, 4000, "jpeg"),
    ]  # no full-size WebP: wider than the widest variant, pages never ask for it; JPEG: the <img> fallback alone
    assert processed.original.path == "images/posts/foo.jpg"
    assert [v.width for v in processed.in_format("webp")] == [480, 960, 1600]
    assert files_under(out) == sorted(out / v.path for v in processed.variants)  # no temporary files left
    for variant in processed.variants:
        file = out / variant.path
        assert file.stat().st_size == variant.bytes_size
        with Image.open(file) as image:
            assert image.size == (variant.width, variant.height)
            assert image.format == variant.format.upper()


def test_no_metadata_survives_in_any_photo_variant(photo: tuple[Path, Path, Processed]) -> None:
    _, out, processed = photo
    for variant in processed.variants:
        assert_clean(out / variant.path)


def test_orientation_is_applied_to_the_pixels(photo: tuple[Path, Path, Processed]) -> None:
    # Orientation 6 turns the picture 90° clockwise: the stored top-left corner is shown top right.
    _, out, processed = photo
    for variant in processed.variants:
        with Image.open(out / variant.path) as image:
            rgb = image.convert("RGB")
            w, h = rgb.size
            assert h > w
            assert near(rgb.getpixel((w * 3 // 4, h // 4)), RED), variant.path
            assert near(rgb.getpixel((w // 4, h // 4)), BLUE), variant.path
            assert near(rgb.getpixel((w * 3 // 4, h * 3 // 4)), BLUE), variant.path
            assert ORIENTATION not in image.getexif()


def near(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=False))


def test_colour_profile_is_kept(photo: tuple[Path, Path, Processed]) -> None:
    _, out, processed = photo
    for variant in processed.variants:
        with Image.open(out / variant.path) as image:
            assert image.info.get("icc_profile") == ICC, variant.path


# --- smaller images -----------------------------------------------------------------------------


def test_never_upscaled(tmp_path: Path) -> None:
    source = write(tmp_path / "small.jpg", quadrant_image((300, 200)))
    processed = process_image(source, "img/small.jpg", tmp_path / "out", ImageSettings(widths=(100, 300, 480)))
    assert [(v.path, v.width, v.height) for v in processed.variants] == [
        ("img/small-jpg-100.webp", 100, 67),
        ("img/small.jpg", 300, 200),  # also the <img> fallback: the fallback width, 480, is wider
        ("img/small-jpg-300.webp", 300, 200),
    ]


def test_png_keeps_alpha_and_profile_and_loses_text_chunks(tmp_path: Path) -> None:
    image = Image.new("RGBA", (64, 48), (*RED, 255))
    image.paste((0, 0, 0, 0), (0, 0, 32, 48))  # left half transparent
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "SECRET-TEXT")
    text.add_itxt("XML:com.adobe.xmp", XMP)
    source = write(tmp_path / "logo.png", image, pnginfo=text, exif=exif_with_gps(orientation=1), icc_profile=ICC)
    with Image.open(source) as check:
        assert getattr(check, "text", None) and check.getexif().get_ifd(GPS_IFD)

    out = tmp_path / "out"
    settings = ImageSettings(widths=(16, 32, 100), formats=("webp", "jpeg"))
    processed = process_image(source, "img/logo.png", out, settings)

    assert [(v.path, v.width) for v in processed.variants] == [
        ("img/logo-png-16.jpg", 16),
        ("img/logo-png-16.webp", 16),
        ("img/logo-png-32.jpg", 32),
        ("img/logo-png-32.webp", 32),
        ("img/logo-png-64.jpg", 64),
        ("img/logo.png", 64),
        ("img/logo-png-64.webp", 64),
    ]
    for variant in processed.variants:
        assert_clean(out / variant.path)
        with Image.open(out / variant.path) as result:
            assert result.info.get("icc_profile") == ICC
            if variant.format == "jpeg":
                # JPEG has no alpha: transparent pixels become white, not black.
                assert result.mode == "RGB"
                assert near(result.getpixel((1, 1)), (255, 255, 255))
            else:
                assert result.mode == "RGBA"
                rgba = result.getpixel((1, 1))
                assert isinstance(rgba, tuple) and rgba[3] == 0


@pytest.mark.parametrize(
    ("mode", "name", "params"),
    [
        ("L", "grey.jpg", {}),
        ("CMYK", "print.jpg", {}),
        ("P", "palette.png", {"transparency": 0}),
        ("LA", "grey-alpha.png", {}),
        ("I;16", "sixteen-bit.png", {}),
        ("1", "bilevel.png", {}),
        ("P", "still.gif", {"transparency": 0}),
        ("RGBA", "photo.webp", {}),
    ],
)
def test_every_common_mode_is_processed(tmp_path: Path, mode: str, name: str, params: dict[str, object]) -> None:
    source = write(tmp_path / name, quadrant_image((120, 80)).convert(mode), **params)
    processed = process_image(source, f"img/{name}", tmp_path / "out", ImageSettings(widths=(60,)))
    per_width = 1 if name.endswith(".webp") else 2  # a WebP original is its own WebP variant
    # Full size only in the original's format: the original is wider than the widest variant.
    assert [v.width for v in processed.variants] == [60] * per_width + [120]
    for variant in processed.variants:
        with Image.open(tmp_path / "out" / variant.path) as result:
            assert result.size == (variant.width, variant.height)
            top_right = result.convert("RGB").getpixel((variant.width - 2, 2))
            assert isinstance(top_right, tuple)
    if name.endswith(".png") and mode == "P":
        with Image.open(tmp_path / "out" / "img" / name) as original:
            assert original.mode == "P"  # a palette PNG stays small at full size


# --- files that must not be published ------------------------------------------------------------


def bad_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bad file with the message it must produce: what was expected, what was found, what to do."""
    truncated = small_jpeg(folder / "src" / "truncated.jpg")
    size = truncated.stat().st_size
    truncated.write_bytes(truncated.read_bytes()[: size // 2])
    header = small_jpeg(folder / "src" / "header.jpg")
    header.write_bytes(with_iptc(header.read_bytes(), b"x" * 2000)[:1000])  # cut inside a metadata segment
    (folder / "src" / "report.jpg").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (folder / "src" / "notes.jpg").write_text("Bildunterschrift: Werkhalle\n", encoding="utf-8")
    (folder / "src" / "iphone.jpg").write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64))
    (folder / "src" / "empty.png").write_bytes(b"")
    small_jpeg(folder / "src" / "renamed.png")
    png = write(folder / "src" / "cut.png", Image.effect_noise((200, 150), 60).convert("RGB"))
    png.write_bytes(png.read_bytes()[: png.stat().st_size // 2])
    gif = animated(folder / "src" / "cut.gif", "GIF")
    gif.write_bytes(gif.read_bytes()[:-40])
    (folder / "src" / "bomb.png").write_bytes(png_claiming(20000, 20000))
    (folder / "src" / "big.png").write_bytes(png_claiming(9000, 9000))
    write(folder / "src" / "scan.tiff", quadrant_image((40, 30)))
    return {
        "truncated.jpg": (
            truncated,
            "erwartet: ein vollständiges JPEG-Bild; gefunden: eine Datei, die nach "
            + f"{size // 2:,}".replace(",", ".")
            + " Byte mitten in den Bilddaten abbricht. Kopieren oder exportieren Sie das Bild erneut.",
        ),
        "header.jpg": (
            header,
            "erwartet: ein vollständiges JPEG-Bild; gefunden: eine Datei, die nach 1.000 Byte mitten in den "
            "JPEG-Kopfdaten abbricht",
        ),
        "report.jpg": (
            folder / "src" / "report.jpg",
            "erwartet: ein JPEG-Bild; gefunden: eine PDF-Datei. Exportieren Sie die benötigte Seite als PNG oder JPEG.",
        ),
        "notes.jpg": (
            folder / "src" / "notes.jpg",
            "erwartet: ein JPEG-Bild; gefunden: eine Textdatei. "
            "Ersetzen Sie die Datei durch ein JPEG-, PNG-, WebP- oder GIF-Bild.",
        ),
        "iphone.jpg": (
            folder / "src" / "iphone.jpg",
            "erwartet: ein JPEG-Bild; gefunden: eine HEIC-Datei. Exportieren Sie das Bild als JPEG oder PNG.",
        ),
        "empty.png": (folder / "src" / "empty.png", "erwartet: ein PNG-Bild; gefunden: eine leere Datei (0 Byte)"),
        "renamed.png": (
            folder / "src" / "renamed.png",
            "erwartet: ein PNG-Bild; gefunden: JPEG-Daten. Benennen Sie die Datei in renamed.jpg um.",
        ),
        "cut.png": (png, "erwartet: ein vollständiges PNG-Bild; gefunden: eine Datei, die nach"),
        "cut.gif": (gif, "erwartet: ein vollständiges GIF-Bild; gefunden: eine Datei, die nach"),
        "bomb.png": (
            folder / "src" / "bomb.png",
            "erwartet: höchstens 50.000.000 Pixel; gefunden: 400.000.000 Pixel (eine Dekompressionsbombe?)",
        ),
        "big.png": (
            folder / "src" / "big.png",
            "erwartet: höchstens 50.000.000 Pixel; gefunden: 9000×9000 = 81.000.000 Pixel (eine Dekompressionsbombe?)",
        ),
        "scan.tiff": (
            folder / "src" / "scan.tiff",
            "erwartet: ein JPEG-, PNG-, WebP- oder GIF-Bild; gefunden: eine TIFF-Datei. "
            "Exportieren Sie das Bild als JPEG oder PNG.",
        ),
    }


BAD_NAMES = [
    "truncated.jpg",
    "header.jpg",
    "report.jpg",
    "notes.jpg",
    "iphone.jpg",
    "empty.png",
    "renamed.png",
    "cut.png",
    "cut.gif",
    "bomb.png",
    "big.png",
    "scan.tiff",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_file_is_refused_with_a_clear_message_and_writes_nothing(tmp_path: Path, name: str) -> None:
    source, message = bad_files(tmp_path)[name]
    out = tmp_path / "out"
    with pytest.raises(ImageError) as caught:
        process_image(source, f"img/{name}", out, ImageSettings())
    assert caught.value.path == str(source)
    assert message in caught.value.problem
    assert str(caught.value).startswith(f"{source}: ")
    assert "\n" not in str(caught.value)
    assert files_under(out) == []


@pytest.mark.parametrize("name", BAD_NAMES)
def test_the_check_and_the_pipeline_refuse_a_bad_file_in_the_same_words(tmp_path: Path, name: str) -> None:
    source, message = bad_files(tmp_path)[name]
    found = inspect(source)
    assert isinstance(found, ImageProblem)
    assert message in found.describe()
    with pytest.raises(ImageError) as caught:
        process_image(source, f"img/{name}", tmp_path / "out", ImageSettings())
    assert caught.value.problem == found.describe()


def test_damage_only_decoding_finds_is_refused_in_one_line_naming_the_file(tmp_path: Path) -> None:
    # A complete PNG whose compressed pixels are garbage: the header is fine, only decoding fails.
    image = write(tmp_path / "a.png", Image.effect_noise((200, 150), 60).convert("RGB"))
    data = bytearray(image.read_bytes())
    idat = data.index(b"IDAT") + 4
    data[idat + 100 : idat + 400] = bytes(300)
    image.write_bytes(bytes(data))
    assert isinstance(inspect(image), ImageFacts)  # the check cannot see this without decoding
    with pytest.raises(ImageError) as caught:
        process_image(image, "img/a.png", tmp_path / "out", ImageSettings())
    assert str(caught.value).startswith(
        f"{image}: erwartet: ein PNG-Bild, das sich dekodieren lässt; gefunden: beschädigte Bilddaten"
    )
    assert "\n" not in str(caught.value)
    assert files_under(tmp_path / "out") == []


def test_sizes_for_width_and_height_attributes_are_those_a_browser_shows(tmp_path: Path) -> None:
    from hub_core.imagesize import image_size

    turned = write(tmp_path / "turned.jpg", quadrant_image((300, 200)), exif=exif_with_gps(orientation=6))
    assert image_size.__wrapped__(turned) == (200, 300)  # shown upright: the attributes must say so too
    assert image_size.__wrapped__(write(tmp_path / "plain.png", quadrant_image((300, 200)))) == (300, 200)
    (tmp_path / "broken.png").write_bytes(b"")
    assert image_size.__wrapped__(tmp_path / "broken.png") is None


def damaged_exif_photo(path: Path) -> Path:
    """Orientation 6, and a camera-make tag that claims to hold fractions instead of text: browsers
    ignore such EXIF, Pillow reads it, but ImageOps.exif_transpose fails writing it back."""
    photo = write(path, quadrant_image((300, 200)), exif=exif_with_gps(orientation=6))
    data = photo.read_bytes()
    assert data.count(b"\x01\x0f\x00\x02") == 1  # tag 0x010F (Make), type 2 (text), big-endian
    photo.write_bytes(data.replace(b"\x01\x0f\x00\x02", b"\x01\x0f\x00\x05"))  # type 5: fractions
    return photo


@pytest.mark.parametrize(
    "name",
    ["photo.jpg", "photo.png", "plain.png", "photo.webp", "still.gif", "spinner.gif", "spinner.png", "spinner.webp"],
)
def test_inspecting_reads_headers_and_never_decodes_a_pixel(tmp_path: Path, name: str, monkeypatch) -> None:
    from PIL import WebPImagePlugin

    path = tmp_path / name
    if name.startswith("spinner"):
        animated(path, {"gif": "GIF", "png": "PNG", "webp": "WEBP"}[name.rsplit(".", 1)[1]])
    elif name.startswith("plain"):
        write(path, quadrant_image((640, 480)))  # no EXIF: Pillow's getexif() would decode to look behind the pixels
    else:
        write(path, quadrant_image((640, 480)).convert("P" if name.endswith(".gif") else "RGB"), exif=exif_with_gps(1))

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("inspecting a file must not decode its pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", no_decoding)
    facts = inspect(path)
    assert isinstance(facts, ImageFacts), facts
    assert facts.frames == (3 if name.startswith("spinner") else 1)


@pytest.mark.parametrize("name", ["turned.png", "turned.webp"])
def test_png_and_webp_orientation_is_applied_and_read_without_decoding(tmp_path: Path, name: str, monkeypatch) -> None:
    source = write(tmp_path / name, quadrant_image((300, 200)), exif=exif_with_gps(orientation=6))

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("inspecting a file must not decode its pixels")

    with monkeypatch.context() as patch:
        patch.setattr(ImageFile.ImageFile, "load", no_decoding)
        facts = inspect(source)
    assert isinstance(facts, ImageFacts) and facts.orientation == 6 and facts.upright_size == (200, 300)
    processed = process_image(source, f"img/{name}", tmp_path / "out", ImageSettings(widths=(100,)))
    assert (processed.width, processed.height) == (200, 300)
    with Image.open(tmp_path / "out" / processed.original.path) as image:
        assert near(image.convert("RGB").getpixel((150, 50)), RED)  # the red corner turned to the top right


def test_damaged_exif_does_not_stop_a_photo(tmp_path: Path) -> None:
    photo = damaged_exif_photo(tmp_path / "a.jpg")
    processed = process_image(photo, "img/a.jpg", tmp_path / "out", ImageSettings(widths=(100,)))
    assert (processed.width, processed.height) == (200, 300)  # still turned upright
    for variant in processed.variants:
        assert_clean(tmp_path / "out" / variant.path)


def test_lower_pixel_limit_is_honoured(tmp_path: Path) -> None:
    source = write(tmp_path / "a.png", quadrant_image((100, 100)))
    with pytest.raises(ImageError, match=r"erwartet: höchstens 1\.000 Pixel; gefunden: 100×100 = 10\.000 Pixel"):
        process_image(source, "a.png", tmp_path / "out", ImageSettings(max_pixels=1_000))


def test_failed_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    source = write(tmp_path / "a.jpg", quadrant_image((300, 200)))
    out = tmp_path / "out"
    (out / "img" / "a-jpg-100.webp").mkdir(parents=True)  # something in the way of one variant
    with pytest.raises(OSError):
        process_image(source, "img/a.jpg", out, ImageSettings(widths=(100,)))
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_image_error_survives_pickling_across_processes() -> None:
    error = pickle.loads(pickle.dumps(ImageError("content/a.jpg", "the image is truncated or corrupt")))
    assert (error.path, error.problem) == ("content/a.jpg", "the image is truncated or corrupt")


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"widths": ()}, "widths"),
        ({"widths": (0, 100)}, "widths"),
        ({"formats": ("avif",)}, "formats"),
        ({"quality": 0}, "quality"),
        ({"max_pixels": 10**12}, "max_pixels"),
    ],
)
def test_settings_refuse_nonsense(override: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        ImageSettings(**override)  # type: ignore[arg-type]


def test_settings_key_names_everything_that_changes_the_output() -> None:
    base = ImageSettings()
    assert base.key() == ImageSettings(widths=(1600, 480, 960)).key()
    others = [ImageSettings(widths=(480,)), ImageSettings(formats=()), ImageSettings(quality=70)]
    others.append(ImageSettings(max_pixels=1_000))
    assert len({base.key(), *(s.key() for s in others)}) == 5


# --- the cache ----------------------------------------------------------------------------------


def cache_stats(cache: Path) -> dict[Path, tuple[int, int]]:
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files_under(cache)}


def manifests(cache: Path) -> list[Path]:
    return list(cache.rglob("manifest.json"))


def test_cache_hit_reuses_the_files_without_processing(tmp_path: Path) -> None:
    source, cache, settings = small_jpeg(tmp_path / "a.jpg"), tmp_path / "cache", ImageSettings(widths=(50, 100))
    first = cached_process(source, "img/a.jpg", tmp_path / "out1", settings, cache)
    stats = cache_stats(cache)
    assert len(manifests(cache)) == 1

    second = cached_process(source, "img/a.jpg", tmp_path / "out2", settings, cache)
    assert second == first
    assert cache_stats(cache) == stats  # nothing in the cache was written again
    cached_inodes = {ino for ino, _ in stats.values()}
    for variant in second.variants:
        # The output is the cached file itself (a hard link), so it was not encoded again.
        assert (tmp_path / "out2" / variant.path).stat().st_ino in cached_inodes
        assert_clean(tmp_path / "out2" / variant.path)

    again = cached_process(source, "img/a.jpg", tmp_path / "out2", settings, cache)
    assert again == first  # materialising over itself is harmless


def test_cache_serves_the_same_bytes_under_another_name(tmp_path: Path) -> None:
    source, cache, settings = small_jpeg(tmp_path / "a.jpg"), tmp_path / "cache", ImageSettings(widths=(50,))
    cached_process(source, "img/a.jpg", tmp_path / "out", settings, cache)
    copy = tmp_path / "b.jpeg"
    copy.write_bytes(source.read_bytes())
    processed = cached_process(copy, "other/b.jpeg", tmp_path / "out", settings, cache)
    assert len(manifests(cache)) == 1
    assert [v.path for v in processed.variants] == [
        "other/b-jpeg-50.jpg",
        "other/b-jpeg-50.webp",
        "other/b.jpeg",
    ]
    assert all((tmp_path / "out" / v.path).is_file() for v in processed.variants)


def test_changed_settings_or_bytes_miss_the_cache(tmp_path: Path) -> None:
    source, cache = small_jpeg(tmp_path / "a.jpg"), tmp_path / "cache"
    cached_process(source, "a.jpg", tmp_path / "out", ImageSettings(widths=(50,)), cache)
    cached_process(source, "a.jpg", tmp_path / "out", ImageSettings(widths=(50,), quality=60), cache)
    assert len(manifests(cache)) == 2
    small_jpeg(source, seed=1)
    cached_process(source, "a.jpg", tmp_path / "out", ImageSettings(widths=(50,)), cache)
    assert len(manifests(cache)) == 3


def test_cache_does_not_excuse_a_wrong_extension(tmp_path: Path) -> None:
    source, cache, settings = small_jpeg(tmp_path / "a.jpg"), tmp_path / "cache", ImageSettings(widths=(50,))
    cached_process(source, "a.jpg", tmp_path / "out", settings, cache)
    renamed = tmp_path / "a.png"
    renamed.write_bytes(source.read_bytes())
    with pytest.raises(
        ImageError, match=r"erwartet: ein PNG-Bild; gefunden: JPEG-Daten\. Benennen Sie die Datei in a\.jpg um\."
    ):
        cached_process(renamed, "a.png", tmp_path / "out", settings, cache)


def test_cache_entry_changed_through_an_output_link_is_rebuilt(tmp_path: Path) -> None:
    source, cache, settings = small_jpeg(tmp_path / "a.jpg"), tmp_path / "cache", ImageSettings(widths=(50,))
    processed = cached_process(source, "a.jpg", tmp_path / "out1", settings, cache)
    # A careless later build step writes into the output file in place: the cached copy changes with it
    # (cache files are read-only, so it must have made the file writable first, as root need not).
    (tmp_path / "out1" / "a.jpg").chmod(0o644)
    with (tmp_path / "out1" / "a.jpg").open("r+b") as output:
        output.write(b"GPS!")
    again = cached_process(source, "a.jpg", tmp_path / "out2", settings, cache)
    assert again == processed
    with Image.open(tmp_path / "out2" / "a.jpg") as image:
        image.load()


def test_a_verified_entry_is_trusted_by_its_stamps_until_a_file_changes(tmp_path: Path) -> None:
    # Hashing every variant on every build was most of a photo archive's warm build: a file whose size,
    # time and inode are those it had when its hash last matched is not read again; any write changes them.
    source, cache, settings = small_jpeg(tmp_path / "a.jpg"), tmp_path / "cache", ImageSettings(widths=(50,))
    processed = cached_process(source, "a.jpg", tmp_path / "out1", settings, cache)
    entry = manifests(cache)[0].parent
    files = [f for f in entry.iterdir() if f.name not in ("manifest.json", "verified.json")]
    past = time.time() - 60  # older than a clock tick: a change now would show in the time
    for file in files:
        os.utime(file, (past, past))
    assert cached_process(source, "a.jpg", tmp_path / "out2", settings, cache) == processed
    stamps = json.loads((entry / "verified.json").read_text(encoding="utf-8"))
    assert sorted(stamps) == sorted(f.name for f in files)
    assert all(stamps[f.name] == [f.stat().st_size, f.stat().st_mtime_ns, f.stat().st_ino] for f in files)
    (tmp_path / "out2" / "a.jpg").chmod(0o644)
    with (tmp_path / "out2" / "a.jpg").open("r+b") as output:
        output.write(b"GPS!")  # the same size, in place: only its time tells
    assert cached_process(source, "a.jpg", tmp_path / "out3", settings, cache) == processed
    with Image.open(tmp_path / "out3" / "a.jpg") as image:
        image.load()


def test_process_all_refuses_bad_headers_before_processing_anything(tmp_path: Path) -> None:
    bad = bad_files(tmp_path)
    good = small_jpeg(tmp_path / "src" / "good.jpg")
    jobs = [
        (good, "img/good.jpg"),
        (bad["truncated.jpg"][0], "img/truncated.jpg"),
        (bad["renamed.png"][0], "img/renamed.png"),
        (bad["empty.png"][0], "img/empty.png"),
        (bad["bomb.png"][0], "img/bomb.png"),
    ]
    cache = tmp_path / "cache"
    results, errors = process_all(jobs, tmp_path / "out", ImageSettings(widths=(50,)), cache, workers=2)
    assert results == {}
    assert [(e.path, e.problem) for e in errors] == [
        (str(bad[name][0]), inspect(bad[name][0]).describe())  # type: ignore[union-attr]
        for name in ("truncated.jpg", "renamed.png", "empty.png", "bomb.png")
    ]
    assert manifests(cache) == [] and files_under(tmp_path / "out") == []  # not even the good one was processed


def test_a_png_and_a_jpeg_of_the_same_name_are_both_published(tmp_path: Path) -> None:
    jpeg = write(tmp_path / "src" / "foo.jpg", quadrant_image((300, 200)), quality=90)
    png = write(tmp_path / "src" / "foo.png", quadrant_image((300, 200)).rotate(180))
    also = write(tmp_path / "src" / "foo.jpeg", quadrant_image((300, 200)).transpose(Image.Transpose.FLIP_LEFT_RIGHT))
    twin = tmp_path / "src" / "twin.jpg"
    twin.write_bytes(jpeg.read_bytes())
    jobs = [(jpeg, "img/foo.jpg"), (png, "img/foo.png"), (also, "img/foo.jpeg"), (twin, "img/twin.jpg")]
    cache, out, settings = tmp_path / "cache", tmp_path / "out", ImageSettings(widths=(100,))
    results, errors = process_all(jobs, out, settings, cache, workers=2)

    assert errors == []
    assert sorted(results) == ["img/foo.jpeg", "img/foo.jpg", "img/foo.png", "img/twin.jpg"]
    paths = [v.path for processed in results.values() for v in processed.variants]
    assert len(paths) == len(set(paths)) == 12  # nobody's file overwrote anyone's
    assert [v.path for v in results["img/foo.png"].variants] == [
        "img/foo-png-100.png",
        "img/foo-png-100.webp",
        "img/foo.png",
    ]
    assert len(manifests(cache)) == 3  # the twin's identical bytes were processed once
    # Each srcset points at files made from its own source: the red quadrant is where that source has it.
    red_at = {"img/foo.jpg": (1, 1), "img/foo.png": (3, 3), "img/foo.jpeg": (3, 1)}  # in quarters of w and h
    for relative, (qx, qy) in red_at.items():
        stem, extension = relative.rsplit(".", 1)
        view = responsive(results[relative], {"jpg": "jpeg", "jpeg": "jpeg", "png": "png"}[extension])
        assert view.sources[0][0] == "image/webp"
        for srcset in (view.fallback_srcset, *(srcset for _, srcset in view.sources)):
            for entry in srcset.split(", "):
                file, width = entry.split(" ")
                assert file == relative or file.startswith(f"{stem}-{extension}-"), file
                with Image.open(out / file) as image:
                    assert f"{image.width}w" == width
                    pixel = image.convert("RGB").getpixel((qx * image.width // 4, qy * image.height // 4))
                    assert near(pixel, RED), file
                assert_clean(out / file)

    stats = cache_stats(cache)
    again, errors_again = process_all(jobs, tmp_path / "out2", settings, cache, workers=2)
    assert again == results and errors_again == []
    assert cache_stats(cache) == stats


def test_names_that_would_still_collide_are_refused_before_processing(tmp_path: Path) -> None:
    good = small_jpeg(tmp_path / "src" / "foo.jpg")
    upper = tmp_path / "src" / "upper" / "FOO.JPG"
    upper.parent.mkdir()
    upper.write_bytes(good.read_bytes())
    squatter = write(tmp_path / "src" / "foo-jpg-100.webp", quadrant_image((100, 67)))
    jobs = [(good, "img/foo.jpg"), (upper, "img/FOO.JPG"), (squatter, "img/foo-jpg-100.webp")]
    results, errors = process_all(jobs, tmp_path / "out", ImageSettings(widths=(100,)), tmp_path / "cache")
    assert results == {}
    assert [(e.path, e.problem) for e in errors] == [
        (
            str(upper),
            "der Name unterscheidet sich von img/foo.jpg nur in Groß- und Kleinschreibung: "
            "Benennen Sie eine der beiden Dateien um",
        ),
        (
            str(squatter),
            "der Name ist der einer Variante von img/foo.jpg, die diese Datei überschreiben würde: "
            "Benennen Sie die Datei um",
        ),
    ]


def test_damage_found_only_by_decoding_is_collected_and_the_rest_processed(tmp_path: Path) -> None:
    damaged = write(tmp_path / "src" / "damaged.png", Image.effect_noise((200, 150), 60).convert("RGB"))
    data = bytearray(damaged.read_bytes())
    idat = data.index(b"IDAT") + 4
    data[idat + 100 : idat + 400] = bytes(300)
    damaged.write_bytes(bytes(data))
    good = small_jpeg(tmp_path / "src" / "good.jpg")
    jobs = [(damaged, "img/damaged.png"), (good, "img/good.jpg")]
    results, errors = process_all(jobs, tmp_path / "out", ImageSettings(widths=(50,)), tmp_path / "cache", workers=2)
    assert sorted(results) == ["img/good.jpg"]
    assert [e.path for e in errors] == [str(damaged)]
    assert errors[0].problem.startswith(
        "erwartet: ein PNG-Bild, das sich dekodieren lässt; gefunden: beschädigte Bilddaten"
    )


def test_an_unexpected_failure_still_names_the_file_in_one_line(tmp_path: Path, monkeypatch) -> None:
    import hub_images.cache as cache_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cache_module, "process_data", broken)
    good = small_jpeg(tmp_path / "src" / "good.jpg")
    results, errors = process_all([(good, "img/good.jpg")], tmp_path / "out", ImageSettings(), tmp_path / "cache")
    assert results == {}
    assert [str(e) for e in errors] == [f"{good}: das Bild konnte nicht verarbeitet werden: RuntimeError: disk on fire"]


# --- animations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_an_animation_is_published_with_every_frame_and_without_metadata(tmp_path: Path, fmt: str) -> None:
    name = f"spinner.{fmt.lower()}"
    source = animated(tmp_path / "src" / name, fmt)
    raw = source.read_bytes()
    assert b"SECRET" in raw and b"http://ns.adobe.com/xap" in raw  # the test file really carries metadata
    out = tmp_path / "out"
    processed = process_image(source, f"img/{name}", out, ImageSettings(widths=(20,)))

    # One file, the original's path: no resized copies, no other formats.
    assert [(v.path, v.width, v.height, v.format) for v in processed.variants] == [(f"img/{name}", 40, 30, fmt.lower())]
    assert files_under(out) == [out / "img" / name]
    published = out / "img" / name
    assert_clean(published)
    assert b"GPS" not in published.read_bytes()
    with Image.open(published) as image:
        assert getattr(image, "n_frames", 1) == 3
        assert image.info.get("loop") == 0
    assert frames_of(published) == frames_of(source)  # every frame, pixel for pixel, at its pace
    assert {duration for duration, _ in frames_of(published)} == {100}
    facts = inspect(published)
    assert isinstance(facts, ImageFacts) and facts.frames == 3

    view = responsive(processed, fmt.lower())
    assert view.sources == () and view.fallback_src == f"img/{name}" and view.fallback_srcset == f"img/{name} 40w"


def test_an_animation_goes_through_the_cache_like_any_image(tmp_path: Path) -> None:
    source = animated(tmp_path / "src" / "spinner.gif", "GIF")
    cache = tmp_path / "cache"
    results, errors = process_all([(source, "img/spinner.gif")], tmp_path / "out", ImageSettings(), cache)
    assert errors == [] and len(manifests(cache)) == 1
    again, _ = process_all([(source, "img/spinner.gif")], tmp_path / "out2", ImageSettings(), cache)
    assert again == results
    assert (tmp_path / "out2/img/spinner.gif").read_bytes() == (tmp_path / "out/img/spinner.gif").read_bytes()
    assert_clean(tmp_path / "out2/img/spinner.gif")


def test_a_single_frame_gif_is_still_a_picture_with_variants(tmp_path: Path) -> None:
    source = write(tmp_path / "still.gif", quadrant_image((120, 80)).convert("P"), comment=b"SECRET-COMMENT")
    processed = process_image(source, "img/still.gif", tmp_path / "out", ImageSettings(widths=(60,)))
    assert [v.path for v in processed.variants] == ["img/still-gif-60.gif", "img/still-gif-60.webp", "img/still.gif"]
    for variant in processed.variants:
        assert_clean(tmp_path / "out" / variant.path)


def test_no_file_is_written_for_an_unreadable_source(tmp_path: Path) -> None:
    results, errors = process_all(
        [(tmp_path / "missing.jpg", "missing.jpg")], tmp_path / "out", ImageSettings(), tmp_path / "c"
    )
    assert results == {}
    assert [e.problem for e in errors] == ["die Datei lässt sich nicht lesen: No such file or directory"]
    assert not os.path.exists(tmp_path / "out")


def test_an_upright_jpeg_is_published_without_metadata_and_without_re_encoding(tmp_path: Path) -> None:
    import io

    from hub_images.jpegstrip import strip_jpeg

    picture = Image.effect_noise((900, 600), 60).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 1
    exif.get_ifd(0x8825)[1] = "N"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for progressive in (False, True):
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", exif=exif, comment=b"Hof Werk 2", icc_profile=icc, progressive=progressive,
                     xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>51.2N</x:xmpmeta>")  # fmt: skip
        # A camera MPO carries a second image (with its own EXIF) after the first one's end.
        data = buffer.getvalue() + buffer.getvalue()
        source = tmp_path / f"upright-{progressive}.jpg"
        source.write_bytes(data)
        processed = process_image(source, source.name, tmp_path / "out", ImageSettings(widths=(480,)))
        published = (tmp_path / "out" / processed.original.path).read_bytes()
        assert published == strip_jpeg(data) and len(published) < len(data) // 2
        for needle in (b"Exif", b"xmpmeta", b"Hof Werk"):
            assert needle not in published
        with Image.open(io.BytesIO(published)) as cleaned, Image.open(io.BytesIO(data)) as original:
            assert cleaned.tobytes() == original.tobytes()  # the very same pixels
            assert cleaned.info.get("icc_profile") == icc
        assert [v.width for v in processed.variants] == [480, 480, 900]


def test_a_bad_file_is_refused_in_english_for_an_english_team(tmp_path: Path) -> None:
    i18n.use_language("en")
    source = bad_files(tmp_path)["big.png"][0]
    with pytest.raises(ImageError) as caught:
        process_image(source, "img/big.png", tmp_path / "out", ImageSettings())
    assert caught.value.problem == (
        "expected at most 50,000,000 pixels, found 9000×9000 = 81,000,000 pixels (a decompression bomb?): "
        "scale the image down"
    )
    renamed = small_jpeg(tmp_path / "src" / "a.png")
    with pytest.raises(ImageError) as renamed_caught:
        process_image(renamed, "img/a.png", tmp_path / "out", ImageSettings())
    assert renamed_caught.value.problem == "expected a PNG image, found JPEG data: rename the file to a.jpg"
