"""Images through real Pelican builds: nothing with location data is published, pages get responsive images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import Site, valid_post
from hub_core.errors import BuildStopped
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_photo(path: Path, size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A JPEG like a phone writes it: GPS position, orientation 6 (rotated), a comment."""
    image = Image.new("RGB", size, "steelblue")
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1] // 2))  # red top-left quadrant, before rotation
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (51.0, 13.0, 12.5)  # 51°13'12.5" N: the factory's courtyard
    gps[3], gps[4] = "E", (7.0, 38.0, 3.1)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"Hof Werk 2", quality=85)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def has_location(path: Path) -> bool:
    with Image.open(path) as image:
        exif = image.getexif()
        return bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif or b"Hof Werk" in path.read_bytes()


@pytest.fixture
def photo_site(site: Site) -> Site:
    phone_photo(site.content / "images/posts/hof.jpg")
    site.write(
        "posts/hof.md",
        valid_post(
            title='"Neuer Hof"',
            slug="hof",
            image="{path: images/posts/hof.jpg, alt: Der neue Hof, credit: 'Foto: Jana', license: Werksfoto}",
            body="Text\n\n![Der Hof von oben]({static}/images/posts/hof.jpg)\n",
        ),
    )
    site.approve("posts/hof.md")
    return site


def test_no_published_image_file_has_location_data(photo_site: Site) -> None:
    output = photo_site.build(prod=True)
    published = sorted((output / "images/posts").glob("hof*"))
    assert {p.name for p in published} >= {
        "hof.jpg",
        "hof-jpg-480.webp",
        "hof-jpg-960.jpg",
        "hof-jpg-960.webp",
        "hof-jpg-1600.webp",
    }
    for path in published:
        assert not has_location(path), path
    assert (photo_site.content / "images/posts/hof.jpg").read_bytes() != (output / "images/posts/hof.jpg").read_bytes()
    with Image.open(output / "images/posts/hof.jpg") as cleaned:
        assert cleaned.size == (1800, 2400)  # orientation applied to the pixels
        assert ORIENTATION not in cleaned.getexif()
        assert cleaned.convert("RGB").getpixel((1700, 100))[0] > 150  # the red quadrant turned to the top right


def test_pages_get_picture_elements_whose_files_exist(photo_site: Site) -> None:
    output = photo_site.build(prod=True)
    page = photo_site.html("2026/hof/index.html")
    header = page.find("figure", class_="post__image").picture
    body = page.find("img", alt="Der Hof von oben").parent
    pictures = [header, body]
    assert body.name == "picture"
    assert header.img.get("fetchpriority") == "high" and not header.img.get("loading")
    assert body.img["loading"] == "lazy" and body.img["decoding"] == "async"
    for picture in pictures:
        assert picture.source["type"] == "image/webp"
        assert (picture.img["width"], picture.img["height"]) == ("1800", "2400")
        for srcset in (picture.source["srcset"], picture.img["srcset"]):
            for entry in srcset.split(", "):
                url, width = entry.split(" ")
                file = output / url.removeprefix("https://blog.hellwig-antriebe.example/")
                assert file.is_file(), url
                with Image.open(file) as variant:
                    assert f"{variant.width}w" == width
    og = page.find("meta", property="og:image")["content"]
    assert og == "https://blog.hellwig-antriebe.example/images/cards/de/hof.jpg"
    with Image.open(output / "images/cards/de/hof.jpg") as card:
        assert card.size == (1200, 630) and card.format == "JPEG" and not card.getexif()


def test_development_srcsets_are_relative_to_the_page(photo_site: Site) -> None:
    output = photo_site.build()
    body = photo_site.html("2026/hof/index.html").find("img", alt="Der Hof von oben").parent
    first = body.source["srcset"].split(", ")[0].split(" ")[0]
    assert first == "../../images/posts/hof-jpg-480.webp"
    assert (output / "2026/hof" / first).resolve().is_file()


def test_a_second_build_takes_every_image_from_the_cache(photo_site: Site) -> None:
    photo_site.build(prod=True)
    cache = photo_site.root / "cache/images"
    # Everything but the staging copy ("site/") is a cache entry; a rebuild must not touch one.
    before = {
        p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file() and p.relative_to(cache).parts[0] != "site"
    }
    photo_site.build(prod=True)
    after = {
        p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file() and p.relative_to(cache).parts[0] != "site"
    }
    assert before and after == before


def test_a_bad_image_stops_the_build_with_its_name_and_writes_nothing(photo_site: Site) -> None:
    photo_site.build(prod=True)
    before = {p: p.read_bytes() for p in photo_site.output.rglob("*") if p.is_file()}
    (photo_site.content / "images/posts/kaputt.jpg").write_bytes(b"%PDF-1.7 not an image")
    truncated = phone_photo(photo_site.root / "tmp.jpg", (800, 600))
    (photo_site.content / "images/posts/halb.jpg").write_bytes(truncated[: len(truncated) // 2])
    # Found by the check, before the pipeline reads a pixel: the same rules, so `invoke check` says it too.
    with pytest.raises(BuildStopped, match="content_model: 2 Fehler"):
        photo_site.build(prod=True)
    after = {p: p.read_bytes() for p in photo_site.output.rglob("*") if p.is_file()}
    assert after == before


def test_a_focal_point_outside_the_picture_is_refused(site: Site, make_image) -> None:
    make_image("images/a.png")
    site.write("posts/a.md", valid_post(image="{path: images/a.png, alt: A, credit: B, license: C, focal: [1.5, 0.5]}"))
    with pytest.raises(BuildStopped, match="1 Fehler"):
        site.build()


# --- files real archives contain: animations, same-named pairs, and broken files found by the check ---


def animation(
    path: Path, colours: tuple[str, ...] = ("red", "blue", "green"), size: tuple[int, int] = (400, 300)
) -> Path:
    """An animated GIF as editors leave it: a comment and Photoshop's XMP block in it."""
    frames = [Image.new("RGB", size, colour) for colour in colours]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=120, loop=0, comment=b"Hof Werk 2")
    data = buffer.getvalue()
    screen = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    xmp = b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>GPS 51.2N 7.6E</x:xmpmeta>"
    block = b"\x21\xff\x0bXMP DataXMP" + bytes([len(xmp)]) + xmp + b"\x00"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data[:screen] + block + data[screen:])
    return path


def solid_photo(path: Path, colour: str, fmt: str, size: tuple[int, int] = (1200, 800)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[1] = "N"
    Image.new("RGB", size, colour).save(path, fmt, exif=exif)
    return path


def srcset_files(picture, output: Path, prefix: str) -> list[Path]:
    """Every file a <picture>'s <source> and <img> srcsets name, checked to exist with the width they claim."""
    files = []
    for srcset in [source["srcset"] for source in picture.find_all("source")] + [picture.img["srcset"]]:
        for entry in srcset.split(", "):
            url, width = entry.split(" ")
            file = output / url.removeprefix(prefix)
            with Image.open(file) as image:
                assert f"{image.width}w" == width, url
            files.append(file)
    return files


def test_an_animated_gif_and_a_png_and_jpeg_of_the_same_name_are_published(site: Site) -> None:
    gif = animation(site.content / "images/posts/anlauf.gif")
    solid_photo(site.content / "images/posts/motor.jpg", "red", "JPEG")
    solid_photo(site.content / "images/posts/motor.png", "blue", "PNG")
    site.write(
        "posts/anlauf.md",
        valid_post(
            title='"Anlauf"',
            slug="anlauf",
            image="{path: images/posts/anlauf.gif, alt: Der Motor läuft an, credit: 'Foto: Jana', license: Werksfoto}",
            body="Text\n\n![Motor als Foto]({static}/images/posts/motor.jpg)\n\n"
            "![Motor als Zeichnung]({static}/images/posts/motor.png)\n",
        ),
    )
    site.approve("posts/anlauf.md")
    output = site.build(prod=True)
    prefix = "https://blog.hellwig-antriebe.example/"

    published = output / "images/posts/anlauf.gif"
    raw = published.read_bytes()
    assert b"Hof Werk" not in raw and b"XMP" not in raw and b"GPS" not in raw
    with Image.open(published) as image, Image.open(gif) as original:
        assert image.n_frames == original.n_frames == 3
        assert image.info.get("loop") == 0 and image.info.get("duration") == 120
        assert "comment" not in image.info
    assert not list((output / "images/posts").glob("anlauf-*"))  # no variants of an animation

    page = site.html("2026/anlauf/index.html")
    header = page.find("figure", class_="post__image").picture
    assert header.find("source") is None
    assert header.img["src"] == f"{prefix}images/posts/anlauf.gif"
    assert srcset_files(header, output, prefix) == [published]

    for alt, stem, colour in (
        ("Motor als Foto", "motor-jpg", (255, 0, 0)),
        ("Motor als Zeichnung", "motor-png", (0, 0, 255)),
    ):
        picture = page.find("img", alt=alt).parent
        assert picture.name == "picture" and picture.source["type"] == "image/webp"
        for file in srcset_files(picture, output, prefix):
            assert file.name.startswith(f"{stem}-") or file.name == stem.replace("-", "."), file  # motor.jpg itself
            assert not has_location(file), file
            with Image.open(file) as image:
                pixel = image.convert("RGB").getpixel((5, 5))
                assert all(abs(a - b) < 30 for a, b in zip(pixel, colour, strict=True)), (file, pixel)

    # The social card shows the animation's first frame (red), not a later one.
    with Image.open(output / "images/cards/de/anlauf.jpg") as card:
        red, green, blue = card.convert("RGB").getpixel((600, 200))
        assert red > 150 and green < 80 and blue < 80


BROKEN = {
    "empty": ("leer.jpg", lambda photo: b""),
    "jpeg-named-png": ("umbenannt.png", lambda photo: photo),
    "truncated": ("halb.jpg", lambda photo: photo[: len(photo) // 2]),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
@pytest.mark.parametrize("where", ["header", "body"])
def test_a_broken_image_fails_the_check_and_the_build_reports_the_same_finding_before_any_processing(
    photo_site: Site, monkeypatch, caplog, kind: str, where: str
) -> None:
    import hub_images.cache
    from hub_content.loader import check_content
    from hub_content.pelican_settings import content_settings

    name, make = BROKEN[kind]
    photo = phone_photo(photo_site.root / "tmp.jpg", (800, 600))
    (photo_site.content / "images/posts" / name).write_bytes(make(photo))
    reference = f"{{path: images/posts/{name}, alt: Kaputt, credit: ich, license: CC0}}"
    fields = (
        {"image": reference} if where == "header" else {"body": f"Text\n\n![Kaputt]({{static}}/images/posts/{name})\n"}
    )
    photo_site.write("posts/kaputt.md", valid_post(title='"Kaputt"', slug="kaputt", **fields))

    settings = content_settings(photo_site.settings(prod=True), display_root=photo_site.root)  # as the build shows it
    findings = [f for f in check_content(settings).report.findings if f.check == "image-file"]
    assert [(f.path.endswith("posts/kaputt.md"), f.field) for f in findings] == [
        (True, "image.path" if where == "header" else "body")
    ]
    assert f"erwartet unter content/images/posts/{name}: " in findings[0].message

    processed: list[object] = []
    monkeypatch.setattr(hub_images.cache, "process_all", lambda *args, **kwargs: processed.append(args))
    with pytest.raises(BuildStopped, match="1 Fehler,"):
        photo_site.build(prod=True)
    assert f"content_model: {findings[0].render()}" in caplog.text
    assert processed == [] and not (photo_site.root / "cache/images").exists()  # not one image was processed


def test_an_unreferenced_bad_image_stops_the_build_before_any_image_is_processed(photo_site: Site, caplog) -> None:
    bad = photo_site.content / "images/posts/alt/umbenannt.png"
    bad.parent.mkdir()
    bad.write_bytes(phone_photo(photo_site.root / "tmp.jpg", (800, 600)))
    # `invoke check` judges every image the pipeline would publish, referenced or not.
    from hub_content.loader import check_content
    from hub_content.pelican_settings import content_settings

    report = check_content(content_settings(photo_site.settings(True), display_root=photo_site.root)).report
    [finding] = [f for f in report.errors if f.check == "image-file"]
    assert finding.path == "content/images/posts/alt/umbenannt.png"
    assert (
        "erwartet unter content/images/posts/alt/umbenannt.png: ein PNG-Bild; gefunden: JPEG-Daten" in finding.message
    )
    with pytest.raises(BuildStopped, match="content_model: 1 Fehler"):
        photo_site.build(prod=True)
    assert any(finding.message in message for message in caplog.messages)
    assert not list((photo_site.root / "cache/images").rglob("manifest.json"))  # hof.jpg was not processed either


# --- the real sample site -------------------------------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Site:
    """A copy of the sample site (content and calendar) to add real archives' files to."""
    import shutil

    from conftest import ROOT

    copy = Site(tmp_path / "sample")
    shutil.copytree(ROOT / "content", copy.content)
    shutil.copy(ROOT / "editorial_calendar.yaml", copy.calendar)
    return copy


SAMPLE_POST = "posts/2026/kein-getriebe-ohne-endpruefung-geraeusch-und-schwingungsanalyse.md"


def test_the_sample_site_with_an_animation_and_a_same_named_png_builds(sample: Site) -> None:
    from hub_core.imagefile import ImageFacts, inspect

    images = sample.content / "images"
    assert all(isinstance(inspect(p), ImageFacts) for p in images.rglob("*.jpg"))  # the sample passes as it is
    animation(images / "posts/schwingung.gif", ("orange", "navy"), (320, 200))
    with Image.open(images / "posts/schwingungsanalyse.jpg") as photo:
        photo.convert("L").save(images / "posts/schwingungsanalyse.png")  # a drawing beside the photo
    post = sample.content / SAMPLE_POST
    post.write_text(
        post.read_text(encoding="utf-8")
        + "\n![Das Spektrum läuft hoch]({static}/images/posts/schwingung.gif)\n\n"
        + "![Das Spektrum als Zeichnung]({static}/images/posts/schwingungsanalyse.png)\n",
        encoding="utf-8",
    )
    output = sample.build()
    pages = [p for p in output.rglob("index.html") if "Das Spektrum als Zeichnung" in p.read_text(encoding="utf-8")]
    assert pages
    page = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    drawing = page.find("img", alt="Das Spektrum als Zeichnung").parent
    photo = page.find("img", alt=lambda alt: alt and alt.startswith("Oben ein schwingendes Zeitsignal")).parent
    drawing_files = {p.resolve() for p in srcset_files(drawing, pages[0].parent, "")}
    photo_files = {p.resolve() for p in srcset_files(photo, pages[0].parent, "")}
    assert drawing_files and photo_files and not drawing_files & photo_files
    assert all("schwingungsanalyse-png-" in p.name or p.name == "schwingungsanalyse.png" for p in drawing_files)
    with Image.open(output / "images/posts/schwingung.gif") as gif:
        assert gif.n_frames == 2
    assert b"XMP" not in (output / "images/posts/schwingung.gif").read_bytes()


def test_a_cut_off_sample_photo_fails_the_check_and_the_build_names_the_post(sample: Site, monkeypatch, caplog) -> None:
    import hub_images.cache

    photo = sample.content / "images/posts/schwingungsanalyse.jpg"
    photo.write_bytes(photo.read_bytes()[:20_000])
    processed: list[object] = []
    monkeypatch.setattr(hub_images.cache, "process_all", lambda *args, **kwargs: processed.append(args))
    with pytest.raises(BuildStopped, match="1 Fehler,"):
        sample.build()
    line = next(m for m in caplog.messages if "image-file" in m)
    assert SAMPLE_POST in line and ":42: body: erwartet unter content/images/posts/schwingungsanalyse.jpg: " in line
    assert "ein vollständiges JPEG-Bild; gefunden: eine Datei, die nach 20.000 Byte mitten in den" in line
    assert processed == []


def photos(site: Site, count: int) -> None:
    for number in range(count):
        path = site.content / "images" / f"foto-{number:02d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.effect_noise((120, 90), 40 + number).convert("RGB").save(path, format="JPEG")
    site.write("posts/a.md", valid_post())


def test_long_image_work_shows_periodic_plain_lines_without_a_terminal(site: Site, capfd) -> None:
    """Without a terminal (CI) progress is a line now and then, never one per file."""
    photos(site, 30)
    site.build(prod=False)
    lines = [line for line in capfd.readouterr().err.splitlines() if line.startswith("Bildvarianten: ")]
    assert lines[-1] == "Bildvarianten: 30/30 Bilder", lines
    assert 2 <= len(lines) <= 11, lines  # a tenth of the work at a time, and the end
    assert not any(line.startswith("content/") for line in lines)

    (site.content / "images" / "foto-00.jpg").unlink()
    Image.effect_noise((120, 90), 99).convert("RGB").save(site.content / "images" / "neu.jpg", format="JPEG")
    site.build(prod=False)
    again = [line for line in capfd.readouterr().err.splitlines() if line.startswith("Bildvarianten: ")]
    assert again == ["Bildvarianten: 1/1 Bilder"]  # only what the cache does not hold is work


def test_the_progress_of_image_work_is_english_for_an_english_team(site: Site, capfd) -> None:
    photos(site, 12)
    site.build(prod=False, HUB_LANG="en")
    lines = [line for line in capfd.readouterr().err.splitlines() if line.startswith("Image variants: ")]
    assert lines == ["Image variants: 10/12 images", "Image variants: 12/12 images"]
