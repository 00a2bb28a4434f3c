"""Images through real Pelican builds: nothing with location data is published, pages get responsive images."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import Site, valid_post
from content_model import ContentCheckFailed
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
        "hof-jpg-480.jpg",
        "hof-jpg-960.webp",
        "hof-jpg-1600.jpg",
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
    with pytest.raises(ContentCheckFailed, match="2 image"):
        photo_site.build(prod=True)
    after = {p: p.read_bytes() for p in photo_site.output.rglob("*") if p.is_file()}
    assert after == before


def test_a_focal_point_outside_the_picture_is_refused(site: Site, make_image) -> None:
    make_image("images/a.png")
    site.write("posts/a.md", valid_post(image="{path: images/a.png, alt: A, credit: B, license: C, focal: [1.5, 0.5]}"))
    with pytest.raises(ContentCheckFailed, match="1 error"):
        site.build()
