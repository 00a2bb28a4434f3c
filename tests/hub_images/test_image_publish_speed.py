"""Publishing images cheaply and safely: hard links into the cache, read-only cache files, cards rendered once.

Real builds in temporary folders (output and cache on the same file system, so links are
possible); a build that cannot link (os.link failing, as across file systems) copies instead.
"""

from __future__ import annotations

import errno
import filecmp
import hashlib
import os
import stat
from pathlib import Path

import pytest
from conftest import Site, valid_post
from hub_core.errors import BuildStopped
from hub_core.files import place
from hub_images import card
from hub_images.card import HEIGHT, WIDTH, CardStyle, cover_box, social_card
from hub_images.cards import CardJob, render_cards
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
STYLE = CardStyle(company="Hellwig Antriebstechnik", logo=ROOT / "themes/hub/static/img/logo.svg")
IMAGE = "{path: images/posts/hof.jpg, alt: Der neue Hof, credit: 'Foto: Jana', license: Werksfoto}"


def photo(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1000)) -> Path:
    """A JPEG with some structure (a disc), so crops and scrims have something to show."""
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(240, 200, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, quality=90)
    return path


@pytest.fixture
def photo_site(site: Site) -> Site:
    photo(site.content / "images/posts/hof.jpg", (30, 90, 160))
    site.write("posts/hof.md", valid_post(title='"Neuer Hof"', slug="hof", image=IMAGE))
    site.write("posts/ohne.md", valid_post(title='"Ohne Bild"', slug="ohne"))
    site.approve("posts/hof.md")
    site.approve("posts/ohne.md")
    return site


def cache_of(site: Site) -> Path:
    return site.root / "cache/images"


def published(site: Site) -> list[Path]:
    """Every image file and card the pipeline put into the output."""
    return sorted(p for p in (site.output / "images").rglob("*") if p.is_file())


def cache_files(site: Site) -> dict[int, Path]:
    """The cache's files (entries and cards, not the staging view) by inode."""
    cache = cache_of(site)
    return {p.stat().st_ino: p for p in cache.rglob("*") if p.is_file() and p.relative_to(cache).parts[0] != "site"}


def digests(folder: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_production_build_publishes_hard_links_of_the_cache(photo_site: Site) -> None:
    photo_site.build(prod=True)
    files = published(photo_site)
    names = {p.relative_to(photo_site.output).as_posix() for p in files}
    assert {"images/posts/hof.jpg", "images/posts/hof-jpg-960.webp", "images/cards/de/hof.jpg"} <= names
    assert {"images/cards/de/ohne.jpg", "images/cards/site.jpg"} <= names
    cached = cache_files(photo_site)
    for path in files:
        assert path.stat().st_ino in cached, path  # the cache's own inode, not a copy
        assert filecmp.cmp(path, cached[path.stat().st_ino], shallow=False)

    # DELETE_OUTPUT_DIRECTORY empties the output: the next build links everything again, from the cache.
    before = digests(cache_of(photo_site))
    photo_site.build(prod=True)
    assert {p.relative_to(photo_site.output).as_posix() for p in published(photo_site)} == names
    assert all(p.stat().st_ino in cached for p in published(photo_site))
    assert digests(cache_of(photo_site)) == before
    with Image.open(photo_site.output / "images/cards/de/hof.jpg") as image:
        assert image.size == (WIDTH, HEIGHT)


def test_cache_files_are_read_only(photo_site: Site) -> None:
    photo_site.build(prod=True)
    cache = [p for p in cache_of(photo_site).rglob("*") if p.is_file()]
    assert any(p.suffix == ".json" for p in cache) and any("cards" in p.parts for p in cache)
    for path in cache:
        assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0, path
    if os.geteuid() != 0:  # root may write whatever the mode says
        with pytest.raises(PermissionError):
            (photo_site.output / "images/cards/de/hof.jpg").open("r+b")


def test_unchanged_links_are_left_alone_without_reading_a_byte(photo_site: Site, monkeypatch, caplog) -> None:
    photo_site.build()
    inodes = {p: p.stat().st_ino for p in published(photo_site)}

    def no_comparing(*args: object, **kwargs: object) -> bool:
        raise AssertionError("a link to the cached file needs no byte comparison")

    monkeypatch.setattr(filecmp, "cmp", no_comparing)
    caplog.set_level("INFO", logger="hub_images")
    photo_site.build(HUB_STAGED_OUTPUT=False)  # in place (HUB_STAGED_OUTPUT=False): the output is kept
    assert {p: p.stat().st_ino for p in published(photo_site)} == inodes
    assert "0 Social-Media-Karten geschrieben" in caplog.text and "0 Bilddateien geschrieben" in caplog.text


def test_a_changed_image_replaces_the_link_and_leaves_the_cache_intact(photo_site: Site) -> None:
    output = photo_site.build()  # development: no DELETE_OUTPUT_DIRECTORY, the links stay
    before = digests(cache_of(photo_site))
    old_card = (output / "images/cards/de/hof.jpg").read_bytes()

    # The same name, other pixels: every output file of the image and its card must change.
    photo(photo_site.content / "images/posts/hof.jpg", (200, 40, 40))
    photo_site.build()

    after = digests(cache_of(photo_site))
    for path, digest in before.items():
        if path.relative_to(cache_of(photo_site)).parts[0] != "site":  # the staging view follows the source
            assert after.get(path) == digest, path  # no cache file of the old picture was touched
    with Image.open(output / "images/posts/hof-jpg-480.webp") as image:
        red, _, blue = image.convert("RGB").getpixel((5, 5))
        assert red > 150 > blue  # the new picture, not the old blue one
    assert (output / "images/cards/de/hof.jpg").read_bytes() != old_card
    cached = cache_files(photo_site)
    for path in published(photo_site):
        assert path.stat().st_ino in cached, path


def test_without_hard_links_the_files_are_copied(photo_site: Site, monkeypatch) -> None:
    def no_links(source: object, target: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    photo_site.build(prod=True)
    files = published(photo_site)
    cached = cache_files(photo_site)
    assert files
    for path in files:
        assert path.stat().st_ino not in cached and path.stat().st_nlink == 1, path
        assert stat.S_IMODE(path.stat().st_mode) & 0o200, path  # a copy of its own may be written
    hof = photo_site.output / "images/posts/hof.jpg"
    assert any(filecmp.cmp(hof, other, shallow=False) for other in cached.values())

    # Identical copies are left alone by a build in place (HUB_STAGED_OUTPUT=False), mtime and all.
    mtimes = {p: p.stat().st_mtime_ns for p in files}
    photo_site.build(prod=True, DELETE_OUTPUT_DIRECTORY=False, HUB_STAGED_OUTPUT=False)
    assert {p: p.stat().st_mtime_ns for p in published(photo_site)} == mtimes


@pytest.mark.parametrize("links", [True, False])
def test_placing_never_writes_through_an_existing_link(tmp_path: Path, monkeypatch, links: bool) -> None:
    precious = tmp_path / "elsewhere.jpg"
    precious.write_bytes(b"precious")
    target = tmp_path / "out" / "card.jpg"
    target.parent.mkdir()
    os.link(precious, target)  # as an output file linked to an older cache file would be
    source = tmp_path / "cache.jpg"
    source.write_bytes(b"new card")
    if not links:

        def no_links(*args: object, **kwargs: object) -> None:
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_links)

    assert place(source, target) is True
    assert precious.read_bytes() == b"precious"
    assert target.read_bytes() == b"new card"
    assert (target.stat().st_ino == source.stat().st_ino) is links
    assert place(source, target) is False  # already there
    assert sorted(p.name for p in target.parent.iterdir()) == ["card.jpg"]  # no temporary file left


def test_a_card_that_cannot_be_made_still_fails_the_build(site: Site, caplog) -> None:
    # Outside the static paths, so only the card reads it: the worker processes meet the bad file.
    # Its header is fine (the check passes it); the picture data is damaged, which only decoding finds.
    (site.content / "anhang").mkdir()
    Image.effect_noise((200, 150), 60).convert("RGB").save(site.content / "anhang/kaputt.png")
    data = bytearray((site.content / "anhang/kaputt.png").read_bytes())
    idat = data.index(b"IDAT") + 4
    data[idat + 100 : idat + 400] = bytes(300)
    (site.content / "anhang/kaputt.png").write_bytes(bytes(data))
    image = "{path: anhang/kaputt.png, alt: A, credit: B, license: C}"
    site.write("posts/kaputt.md", valid_post(title='"Kaputt"', slug="kaputt", image=image))
    for n in range(6):  # enough cards for the worker processes
        site.write(f"posts/p{n}.md", valid_post(title=f'"Beitrag {n}"', slug=f"p{n}"))

    with pytest.raises(
        BuildStopped, match=r"1 Social-Media-Karte konnte nicht erstellt werden; nichts wurde geschrieben"
    ):
        site.build()
    assert "anhang/kaputt.png: Bild lässt sich nicht lesen" in caplog.text
    assert not (site.output / "images/cards").exists()


# --- cards: the per-process caches must not change a single byte ---------------------------------


def clear_card_caches() -> None:
    for cached in (card._covered_photo, card._branded_chrome, card._scrim_mask, card._scaled_logo):
        cached.cache_clear()


def reference_card(
    out: Path, *, title: str, author: str, style: CardStyle, photo: Path | None = None, label: str | None = None
) -> bytes:
    """The card drawn step by step from scratch, as before the caches: photo decoded, scrim computed."""
    clear_card_caches()
    text = card._text_layout(title, author)
    background = card._rgb(style.background)
    if photo is not None:
        image = card._flatten(card._open_image(photo).image, background)
        cropped = image.resize(
            (WIDTH, HEIGHT), Image.Resampling.LANCZOS, box=cover_box(image.size, (0.5, 0.5)), reducing_gap=3.0
        )
        canvas = Image.new("RGB", (WIDTH, HEIGHT))
        canvas.paste(cropped)
        start, full = max(0, text.top - 220), max(1, text.top - 10)
        column = []
        for y in range(HEIGHT):
            t = min(1.0, max(0.0, (y - start) / max(1, full - start)))
            column.append(round(255 * card.SCRIM_OPACITY * t * t * (3 - 2 * t)))
        mask = Image.new("L", (1, HEIGHT))
        mask.putdata(column)
        canvas.paste(background, (0, 0, WIDTH, HEIGHT), mask.resize((WIDTH, HEIGHT), Image.Resampling.NEAREST))
    else:
        canvas = card._branded_background(style)
    card._draw_chrome(canvas, style, label)
    card._draw_text(canvas, text, style)
    card._write_atomically(canvas, out)
    clear_card_caches()
    return out.read_bytes()


def card_styles(tmp_path: Path) -> list[CardStyle]:
    logo = Image.new("RGBA", (240, 60), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rectangle((10, 10, 230, 50), fill=(220, 20, 20, 255))
    logo.save(tmp_path / "logo.png")
    return [STYLE, CardStyle(company="Andere GmbH", logo=tmp_path / "logo.png", background="#202020")]


def test_cached_backgrounds_give_the_same_bytes_as_drawing_from_scratch(tmp_path: Path) -> None:
    shared = photo(tmp_path / "shared.jpg", (30, 90, 160))
    titles = ["Ein kurzer Titel", "Ein viel längerer Titel, der über zwei Zeilen laufen muss, vielleicht drei", ""]
    for style in card_styles(tmp_path):
        clear_card_caches()
        for index, title in enumerate(titles * 2):  # the second round is served from the warm caches
            for picture in (shared, None):
                for label in (None, "Anzeige"):
                    arguments = {"title": title, "author": "Jana Döring", "style": style, "photo": picture}
                    out = social_card(tmp_path / f"card-{index}.jpg", label=label, **arguments).read_bytes()
                    assert out == reference_card(tmp_path / "ref.jpg", label=label, **arguments), (title, picture)


def test_a_photo_replaced_under_the_same_name_is_not_served_from_the_cache(tmp_path: Path) -> None:
    path = photo(tmp_path / "photo.jpg", (30, 90, 160))
    first = social_card(tmp_path / "a.jpg", title="T", author="A", style=STYLE, photo=path)
    photo(path, (200, 40, 40))  # same name, same size
    second = social_card(tmp_path / "b.jpg", title="T", author="A", style=STYLE, photo=path)
    with Image.open(first) as old, Image.open(second) as new:
        assert old.getpixel((20, 200))[2] > 120 and new.getpixel((20, 200))[0] > 150


def test_cards_rendered_by_the_pool_equal_cards_drawn_from_scratch(tmp_path: Path) -> None:
    photos = [photo(tmp_path / f"p{n}.jpg", (40 * n, 90, 160)) for n in range(3)]
    jobs = [
        CardJob(f"images/cards/de/{n}.jpg", f"Beitrag Nummer {n}", "Jana Döring", photos[n % 3] if n % 2 else None)
        for n in range(24)
    ]
    cards, errors = render_cards(jobs, STYLE, tmp_path / "cache", workers=2)
    assert errors == [] and len(cards) == len(jobs)
    for job in jobs:
        expected = reference_card(
            tmp_path / "ref.jpg", title=job.title, author=job.author, style=STYLE, photo=job.photo
        )
        assert cards[job.output].read_bytes() == expected, job
        assert stat.S_IMODE(cards[job.output].stat().st_mode) & 0o222 == 0


def test_card_errors_are_reported_in_the_posts_order(tmp_path: Path) -> None:
    good = photo(tmp_path / "good.jpg", (30, 90, 160))
    broken = [tmp_path / f"kaputt-{n}.jpg" for n in range(3)]
    for path in broken:
        path.write_bytes(b"not an image")
    jobs = [CardJob(f"{n}.jpg", f"T{n}", "A", path) for n, path in enumerate([broken[2], good, broken[0], broken[1]])]
    jobs += [CardJob(f"x{n}.jpg", f"X{n}", "A") for n in range(4)]
    cards, errors = render_cards(jobs, STYLE, tmp_path / "cache", workers=2)
    assert [error.split(":")[0] for error in errors] == [str(broken[2]), str(broken[0]), str(broken[1])]
    assert sorted(cards) == ["1.jpg"] + [f"x{n}.jpg" for n in range(4)]
