"""The image and card work beside the build (pool.py): the same bytes whichever way a file is made,
variants only for images something names, and a damaged picture still stops the build."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import Site, valid_post
from hub_core.errors import BuildStopped
from hub_images import card as card_module
from hub_images.cache import cache_key, process_all
from hub_images.card import CardStyle
from hub_images.cards import CardJob, plan_cards, render_cards
from hub_images.pool import CardBatch, card_task, image_task
from hub_images.process import ImageSettings
from hub_images.references import named_images
from PIL import Image, ImageDraw
from test_image_build import phone_photo

STYLE = CardStyle(company="Hellwig Antriebstechnik")
SETTINGS = ImageSettings()


def scene(path: Path, size: tuple[int, int], fmt: str = "JPEG") -> Path:
    """A picture with edges (a disc, stripes), so a different decode or crop shows in the bytes."""
    image = Image.new("RGB", size, (30, 90, 160))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(240, 200, 40))
    for x in range(0, size[0], 37):
        draw.line((x, 0, x + size[1] // 3, size[1]), fill=(200, 40, 40), width=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return path


def photos(folder: Path) -> dict[str, Path]:
    """Photos whose cards are cut differently: shared decode at reduced scale, every pixel, a card's own scale."""
    phone_photo(folder / "gedreht.jpg", (2400, 1800))  # orientation 6: every pixel, for variants and card
    return {
        "upright": scene(folder / "gerade.jpg", (3400, 2200)),  # reduced scale, shared
        "rotated": folder / "gedreht.jpg",
        "panorama": scene(folder / "panorama.jpg", (6400, 700)),  # the variants' scale is too small for a card
        "png": scene(folder / "zeichnung.png", (1800, 1200), "PNG"),
        "small": scene(folder / "klein.jpg", (500, 375)),  # smaller than a card and than every variant
    }


@pytest.mark.parametrize("kind", ["upright", "rotated", "panorama", "png", "small"])
def test_cards_cut_with_the_variants_equal_cards_made_on_their_own(tmp_path: Path, kind: str) -> None:
    photo = photos(tmp_path / "src")[kind]
    jobs = [
        CardJob("a.jpg", "Ein Titel über zwei Zeilen, damit der Schleier höher reicht", "Jana Döring", photo),
        CardJob("b.jpg", "Kurz", "Jana Döring", photo, focal=(0.2, 0.8), label="Anzeige"),
    ]
    relative = f"images/{photo.name}"
    key = cache_key(photo.read_bytes(), relative, SETTINGS)

    together = tmp_path / "together"
    plan = plan_cards(jobs, STYLE, together / "cards", SETTINGS.widths)
    batch = CardBatch(tuple((job, target) for target, job in plan.misses.items()), STYLE, SETTINGS.widths)
    outcome = image_task(photo, relative, SETTINGS, together, key, True, batch)
    assert outcome.error is None and outcome.cards == (None, None)

    alone = tmp_path / "alone"
    plan_alone = plan_cards(jobs, STYLE, alone / "cards", SETTINGS.widths)
    batch_alone = CardBatch(tuple((job, t) for t, job in plan_alone.misses.items()), STYLE, SETTINGS.widths)
    assert card_task(batch_alone).cards == (None, None)

    card_module._covered_photo.cache_clear()
    old_way, errors = render_cards(jobs, STYLE, tmp_path / "old" / "cards", workers=1, widths=SETTINGS.widths)
    assert errors == []
    for job in jobs:
        made = plan.cached[job.output].read_bytes()
        assert made == plan_alone.cached[job.output].read_bytes() == old_way[job.output].read_bytes(), job.output
    # ... and the variants are those the image pipeline makes without any card.
    results, failed = process_all([(photo, relative)], tmp_path / "out", SETTINGS, tmp_path / "plain-cache", workers=1)
    assert failed == []
    entry = next((together / key[:2] / key).iterdir())
    assert entry.is_file()
    for variant in results[relative].variants:
        assert (tmp_path / "out" / variant.path).is_file()


def test_an_upright_photo_is_decoded_once_for_its_variants_and_cards(tmp_path: Path, monkeypatch) -> None:
    photo = photos(tmp_path / "src")["upright"]
    relative = "images/gerade.jpg"
    plan = plan_cards([CardJob("a.jpg", "Titel", "Jana", photo)], STYLE, tmp_path / "cards", SETTINGS.widths)
    batch = CardBatch(tuple((job, t) for t, job in plan.misses.items()), STYLE, SETTINGS.widths)

    def no_second_decode(*args: object, **kwargs: object) -> None:
        raise AssertionError("the card decoded the photo again")

    monkeypatch.setattr(card_module, "_open_image", no_second_decode)
    key = cache_key(photo.read_bytes(), relative, SETTINGS)
    assert image_task(photo, relative, SETTINGS, tmp_path, key, True, batch).cards == (None,)


def test_card_cache_keys_follow_the_widths_the_photo_is_decoded_for(tmp_path: Path) -> None:
    photo = photos(tmp_path / "src")["upright"]
    job = [CardJob("a.jpg", "Titel", "Jana", photo)]
    narrow = plan_cards(job, STYLE, tmp_path / "cards", (480,)).cached["a.jpg"]
    wide = plan_cards(job, STYLE, tmp_path / "cards", (480, 960, 1600)).cached["a.jpg"]
    assert narrow != wide


def test_names_of_images_and_their_variants_are_found_in_any_text() -> None:
    images = ["images/a.jpg", "images/B Foto.png", "images/c.webp", "images/d.jpg", "posts/e.gif", "f/x-png.JPG"]
    texts = [
        "![Hof]({static}/images/a.jpg)",
        '<img srcset="/images/c-webp-480.webp 480w">',
        "image:\n  path: images/B%20Foto.png",
        "only part of a longer name: xd.jpg, d.jpg.bak, e.gif-",  # names neither d.jpg nor e.gif
        "<source srcset='x-png-jpg-960.webp'>",  # a variant whose name holds another format's ending
    ]
    assert named_images(images, texts) == {"images/a.jpg", "images/B Foto.png", "images/c.webp", "f/x-png.JPG"}


# --- through real builds ------------------------------------------------------------------------


@pytest.fixture
def gallery(site: Site) -> Site:
    """Posts with header and body images of every kind, a post without one, and an image nobody links."""
    folder = site.content / "images/posts"
    made = photos(folder)
    scene(folder / "archiv.jpg", (2000, 1500))
    for name, image, body in (
        ("gerade", made["upright"], f"![Zeichnung]({{static}}/images/posts/{made['png'].name})\n"),
        ("gedreht", made["rotated"], ""),
        ("panorama", made["panorama"], ""),
    ):
        site.write(
            f"posts/{name}.md",
            valid_post(
                title=f'"Beitrag {name}"',
                slug=name,
                image=f"{{path: images/posts/{image.name}, alt: Bild, credit: ich, license: CC0}}",
                body=f"Text\n\n{body}",
            ),
        )
        site.approve(f"posts/{name}.md")
    site.write("posts/ohne.md", valid_post(title='"Ohne Bild"', slug="ohne"))
    site.approve("posts/ohne.md")
    return site


def files(folder: Path) -> dict[str, bytes]:
    """Every file of an output except the editors' dashboard (it carries the build time)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith("redaktion/")
    }


def test_cold_builds_and_cached_builds_write_the_same_bytes(gallery: Site, tmp_path: Path) -> None:
    import shutil

    cold = files(gallery.build(prod=True))
    assert "images/posts/gerade-jpg-960.webp" in cold and "images/cards/de/panorama.jpg" in cold
    # Cached: every image and card from the cache, nothing made.
    assert files(gallery.build(prod=True)) == cold
    # The cards alone made again, each photo decoded for them alone (no variant left to make with them).
    shutil.rmtree(gallery.root / "cache/images/cards")
    assert files(gallery.build(prod=True)) == cold
    # Everything made again, by the image pipeline's own functions one after another, for the images:
    results, errors = process_all(
        [(p, f"images/posts/{p.name}") for p in sorted((gallery.content / "images/posts").iterdir())],
        tmp_path / "sequential",
        SETTINGS,
        tmp_path / "cache",
        workers=1,
    )
    assert errors == []
    for processed in results.values():
        for variant in processed.variants:
            if variant.path in cold:
                assert (tmp_path / "sequential" / variant.path).read_bytes() == cold[variant.path], variant.path


def test_an_image_nobody_names_is_published_cleaned_without_variants(gallery: Site) -> None:
    output = gallery.build(prod=True)
    assert (output / "images/posts/archiv.jpg").is_file()
    assert not list((output / "images/posts").glob("archiv-*"))
    assert sorted(p.name for p in (output / "images/posts").glob("gerade*")) == [
        "gerade-jpg-1600.webp",
        "gerade-jpg-480.webp",
        "gerade-jpg-960.jpg",
        "gerade-jpg-960.webp",
        "gerade.jpg",
    ]
    # Named in a page's raw HTML only: it gets its variants (the page might list them in a srcset).
    gallery.write(
        "pages/roh.md",
        valid_post(title='"Roh"', slug="roh", body='<img src="/images/posts/archiv.jpg" alt="Archiv">\n'),
    )
    gallery.approve("pages/roh.md")
    output = gallery.build(prod=True)
    assert (output / "images/posts/archiv-jpg-960.webp").is_file()


def test_a_damaged_picture_found_while_pages_are_written_stops_the_build_and_keeps_the_output(
    gallery: Site, caplog
) -> None:
    before = files(gallery.build(prod=True))
    # A complete PNG whose compressed pixels are garbage: the check passes it, only decoding fails.
    damaged = io.BytesIO()
    Image.effect_noise((200, 150), 60).convert("RGB").save(damaged, "PNG")
    data = bytearray(damaged.getvalue())
    idat = data.index(b"IDAT") + 4
    data[idat + 100 : idat + 400] = bytes(300)
    (gallery.content / "images/posts/kaputt.png").write_bytes(bytes(data))
    gallery.write(
        "posts/kaputt.md", valid_post(title='"Kaputt"', slug="kaputt", body="![K]({static}/images/posts/kaputt.png)\n")
    )
    gallery.approve("posts/kaputt.md")
    with pytest.raises(BuildStopped, match="image_pipeline: 1 Bild kann nicht veröffentlicht werden"):
        gallery.build(prod=True)
    assert "images/posts/kaputt.png: erwartet: ein PNG-Bild, das sich dekodieren lässt" in caplog.text
    assert files(gallery.output) == before
