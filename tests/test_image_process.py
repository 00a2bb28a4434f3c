"""Image pipeline core: variants, metadata stripping, orientation, bad files, the cache.

Every image here is made by Pillow in the test, with real metadata written into
it, so the checks read what a browser (or a stalker) would read.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from image_pipeline.cache import cached_process, process_all
from image_pipeline.process import ImageError, ImageSettings, Processed, process_image
from PIL import Image, ImageCms, PngImagePlugin
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


def test_photo_variants_have_every_width_in_both_formats(photo: tuple[Path, Path, Processed]) -> None:
    _, out, processed = photo
    assert (processed.source, processed.width, processed.height) == ("images/posts/foo.jpg", 3000, 4000)
    assert [(v.path, v.width, v.height, v.format) for v in processed.variants] == [
        ("images/posts/foo-480.jpg", 480, 640, "jpeg"),
        ("images/posts/foo-480.webp", 480, 640, "webp"),
        ("images/posts/foo-960.jpg", 960, 1280, "jpeg"),
        ("images/posts/foo-960.webp", 960, 1280, "webp"),
        ("images/posts/foo-1600.jpg", 1600, 2133, "jpeg"),
        ("images/posts/foo-1600.webp", 1600, 2133, "webp"),
        ("images/posts/foo.jpg", 3000, 4000, "jpeg"),
    ]  # no full-size WebP: wider than the widest variant, pages never ask for it
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
        ("img/small-100.jpg", 100, 67),
        ("img/small-100.webp", 100, 67),
        ("img/small.jpg", 300, 200),
        ("img/small.webp", 300, 200),
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
        ("img/logo-16.jpg", 16),
        ("img/logo-16.png", 16),
        ("img/logo-16.webp", 16),
        ("img/logo-32.jpg", 32),
        ("img/logo-32.png", 32),
        ("img/logo-32.webp", 32),
        ("img/logo.jpg", 64),
        ("img/logo.png", 64),
        ("img/logo.webp", 64),
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
    """Each bad file with the message it must produce."""
    truncated = small_jpeg(folder / "src" / "truncated.jpg")
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    (folder / "src" / "report.jpg").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (folder / "src" / "notes.jpg").write_text("Bildunterschrift: Werkhalle\n", encoding="utf-8")
    (folder / "src" / "empty.png").write_bytes(b"")
    small_jpeg(folder / "src" / "renamed.png")
    (folder / "src" / "bomb.png").write_bytes(png_claiming(20000, 20000))
    (folder / "src" / "big.png").write_bytes(png_claiming(9000, 9000))
    frames = [quadrant_image((40, 30)), quadrant_image((40, 30)).rotate(180)]
    frames[0].save(folder / "src" / "spinner.gif", save_all=True, append_images=frames[1:], duration=100)
    frames[0].save(folder / "src" / "spinner.webp", save_all=True, append_images=frames[1:], duration=100)
    write(folder / "src" / "scan.tiff", quadrant_image((40, 30)))
    animated = "animated images are not supported: export one frame as PNG/JPEG or use a video"
    return {
        "truncated.jpg": (truncated, "the image is truncated or corrupt"),
        "report.jpg": (
            folder / "src" / "report.jpg",
            "expected a JPEG, PNG, WebP or GIF image, found a PDF file named .jpg",
        ),
        "notes.jpg": (
            folder / "src" / "notes.jpg",
            "expected a JPEG, PNG, WebP or GIF image, found a text file named .jpg",
        ),
        "empty.png": (folder / "src" / "empty.png", "found an empty file named .png"),
        "renamed.png": (folder / "src" / "renamed.png", "the extension says .png but the file is a JPEG"),
        "bomb.png": (
            folder / "src" / "bomb.png",
            "the image has more pixels than the 50,000,000 allowed (decompression bomb?)",
        ),
        "big.png": (
            folder / "src" / "big.png",
            "the image has 9000×9000 pixels, more than the 50,000,000 allowed (decompression bomb?)",
        ),
        "spinner.gif": (folder / "src" / "spinner.gif", animated),
        "spinner.webp": (folder / "src" / "spinner.webp", animated),
        "scan.tiff": (folder / "src" / "scan.tiff", "the extension .tiff is not one of .jpg, .jpeg, .png, .webp, .gif"),
    }


BAD_NAMES = [
    "truncated.jpg",
    "report.jpg",
    "notes.jpg",
    "empty.png",
    "renamed.png",
    "bomb.png",
    "big.png",
    "spinner.gif",
    "spinner.webp",
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
    assert files_under(out) == []


def test_lower_pixel_limit_is_honoured(tmp_path: Path) -> None:
    source = write(tmp_path / "a.png", quadrant_image((100, 100)))
    with pytest.raises(ImageError, match=r"100×100 pixels, more than the 1,000 allowed"):
        process_image(source, "a.png", tmp_path / "out", ImageSettings(max_pixels=1_000))


def test_failed_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    source = write(tmp_path / "a.jpg", quadrant_image((300, 200)))
    out = tmp_path / "out"
    (out / "img" / "a-100.webp").mkdir(parents=True)  # something in the way of one variant
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
        "other/b-50.jpeg",
        "other/b-50.webp",
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
    with pytest.raises(ImageError, match=r"the extension says \.png but the file is a JPEG"):
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


def test_process_all_collects_every_error_and_processes_the_rest(tmp_path: Path) -> None:
    bad = bad_files(tmp_path)
    good_jpeg = small_jpeg(tmp_path / "src" / "good.jpg")
    good_png = write(tmp_path / "src" / "diagram.png", quadrant_image((120, 80)))
    twin = tmp_path / "src" / "twin.jpg"
    twin.write_bytes(good_jpeg.read_bytes())
    clash = write(tmp_path / "src" / "good.png", quadrant_image((120, 80)))
    jobs = [
        (good_jpeg, "img/good.jpg"),
        (bad["truncated.jpg"][0], "img/truncated.jpg"),
        (good_png, "img/diagram.png"),
        (bad["report.jpg"][0], "img/report.jpg"),
        (twin, "img/twin.jpg"),
        (bad["spinner.gif"][0], "img/spinner.gif"),
        (clash, "img/good.png"),  # would also write img/good.webp
        (bad["bomb.png"][0], "img/bomb.png"),
    ]
    cache, settings = tmp_path / "cache", ImageSettings(widths=(50,))
    results, errors = process_all(jobs, tmp_path / "out", settings, cache, workers=2)

    assert sorted(results) == ["img/diagram.png", "img/good.jpg", "img/twin.jpg"]
    assert [(e.path, e.problem.split(":")[0]) for e in errors] == [
        (str(bad["truncated.jpg"][0]), "the image is truncated or corrupt"),
        (str(bad["report.jpg"][0]), "expected a JPEG, PNG, WebP or GIF image, found a PDF file named .jpg"),
        (str(bad["spinner.gif"][0]), "animated images are not supported"),
        (str(clash), "its variants would overwrite those of img/good.jpg"),
        (str(bad["bomb.png"][0]), "the image has more pixels than the 50,000,000 allowed (decompression bomb?)"),
    ]
    assert len(manifests(cache)) == 2  # the twin's identical bytes were processed once
    for processed in results.values():
        for variant in processed.variants:
            assert_clean(tmp_path / "out" / variant.path)

    stats = cache_stats(cache)
    again, errors_again = process_all(jobs, tmp_path / "out2", settings, cache, workers=2)
    assert again == results
    assert len(errors_again) == len(errors)
    assert cache_stats(cache) == stats


def test_no_file_is_written_for_an_unreadable_source(tmp_path: Path) -> None:
    results, errors = process_all(
        [(tmp_path / "missing.jpg", "missing.jpg")], tmp_path / "out", ImageSettings(), tmp_path / "c"
    )
    assert results == {}
    assert [e.problem for e in errors] == ["the file cannot be read: No such file or directory"]
    assert not os.path.exists(tmp_path / "out")


def test_an_upright_jpeg_is_published_without_metadata_and_without_re_encoding(tmp_path: Path) -> None:
    import io

    from image_pipeline.jpegstrip import strip_jpeg

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
