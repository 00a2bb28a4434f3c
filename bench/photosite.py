"""The image-heavy site: a blog's archive of a few hundred posts illustrated with camera-size photos.

Real Pelican blogs measured for issue 17 had several hundred posts and about 100 MB of photos;
their archives are where our image pipeline and the social cards cost most. This site is the
generated 5,000-post site's posts (bench/sitegen.py: same texts, team, calendar, approvals), only
fewer of them (POSTS) and illustrated the way a blog is:

- the photos: PHOTOS seeded JPEGs of camera size, 4000×3000 as a Pixel phone writes them and
  4032×3024 as an iPhone does, with the phone's EXIF (make, model, time, exposure, GPS position);
  one in ten was taken upright and is stored sideways with EXIF orientation 6, as phones store
  it. Drawn small without sensor noise and scaled up, so they compress well (about 400 KB at
  quality 80, about 270 MB for 650) rather than weighing the 2–5 MB of a real phone photo;
  decoding and scaling cost what they cost for any 12-megapixel photo.
- how posts use them: about half the posts have a header image, about one in five shows photos
  in its body (one to six, now and then a gallery in a row), taken in order from the photos as
  the blog grew (oldest post first); when the photos run out, later posts reuse earlier ones,
  and photos no post uses stay in the folder, uploaded and forgotten, as in a real archive.
- where: content/images/fotos/<year of the first post that uses it>/, named as the phone named it
  (PXL_0042.jpg, IMG_0043.jpg); body images are Markdown images with `{static}` links, which plain
  Pelican resolves too.

The photos are generated once, in parallel, into a folder of their own (`generate_photos`, with
a marker of what was generated) and hard-linked into the content, so a regenerated site (a new
clock, a changed generator) reuses them.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageFilter

from bench import images, sitegen

POSTS = 700
PHOTOS = 650
PIXEL, IPHONE = (4000, 3000), (4032, 3024)
IPHONE_SHARE = 0.4
UPRIGHT_SHARE = 0.1  # stored sideways, EXIF orientation 6
DRAWN = (800, 600)  # drawn at this size, then scaled up to the camera's: smooth, compresses well
BLUR = 2.0
QUALITY = 80
PHOTO_DIR = "images/fotos"
HEADER_SHARE = 0.5
BODY_SHARE = 0.2
BODY_COUNTS = (1, 1, 2, 2, 3, 4, 6)  # photos in a post's body, when it has any
GALLERY_FROM = 3  # from this many body photos on, they stand in a row (a gallery)
SEED = 2017
VERSION = 1  # of the photos: raise it when what generate_photos draws changes (they are reused)
MARKER = ".bench-photos.json"
SUBJECTS = [
    "Blick über das Werksgelände am Morgen",
    "Die neue Montagehalle von außen",
    "Das Team vor dem Prüfstand",
    "Getriebemotoren im Lager, bereit zum Versand",
    "Unser Messestand am ersten Tag",
    "Auszubildende an der Drehbank",
    "Die Photovoltaikanlage auf dem Hallendach",
    "Hügel und Wald hinter dem Standort",
]


@dataclass(frozen=True)
class Photo:
    """One generated photo in the photo folder."""

    number: int
    file: Path
    iphone: bool

    @property
    def name(self) -> str:
        """The file name the phone gave it."""
        return f"{'IMG' if self.iphone else 'PXL'}_{self.number:04d}.jpg"


def camera(number: int) -> tuple[bool, bool]:
    """(taken with an iPhone, taken upright) for photo `number`, seeded."""
    rng = random.Random(f"camera-{SEED}-{number}")
    return rng.random() < IPHONE_SHARE, rng.random() < UPRIGHT_SHARE


def generate_photos(folder: Path, count: int, scale: float = 1.0, workers: int | None = None) -> list[Photo]:
    """`count` seeded camera-size photos in `folder` (photo-0000.jpg …); reused if already there.

    `scale` shrinks the camera sizes (tests use small photos)."""
    wanted = {"count": count, "scale": scale, "seed": SEED, "version": VERSION}
    photos = [Photo(n, folder / f"photo-{n:04d}.jpg", camera(n)[0]) for n in range(count)]
    marker = folder / MARKER
    if (
        marker.exists()
        and json.loads(marker.read_text(encoding="utf-8")) == wanted
        and all(p.file.is_file() for p in photos)
    ):
        return photos
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    for old in folder.glob("photo-*.jpg"):
        old.unlink()
    images.write_in_parallel(_write_photo, [(p.file, p.number, scale) for p in photos], workers)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return photos


def _write_photo(path: Path, number: int, scale: float) -> None:
    iphone, upright = camera(number)
    width, height = (round(side * scale) for side in (IPHONE if iphone else PIXEL))
    seed = SEED * 1000 + number
    drawn = images.photo(seed, (max(DRAWN[0], width // 5), max(DRAWN[1], height // 5)), noise=False)
    picture = drawn.filter(ImageFilter.GaussianBlur(BLUR)).resize((width, height), Image.Resampling.BILINEAR)
    exif = images.phone_exif(seed)
    if iphone:
        exif[0x010F], exif[0x0110], exif[0x0131] = "Apple", "iPhone 13", "17.4.1"
    if upright:
        exif[0x0112] = 6  # the sensor's landscape pixels, shown turned by 90°
    picture.save(path, "JPEG", quality=QUALITY, exif=exif, subsampling="4:2:0")


@dataclass(frozen=True)
class PhotoUse:
    """What the illustration did: photos used (and how often), and posts with photos."""

    used: int
    references: int
    headers: int
    bodies: int


def illustrator(photos: Sequence[Photo]) -> sitegen.Illustrate:
    """A sitegen.Illustrate that puts `photos` into the posts' headers and bodies (see the module)."""

    def illustrate(posts: list[sitegen.Post], content: Path, seed: int) -> None:
        illustrate_posts(posts, content, photos, seed)

    return illustrate


def illustrate_posts(posts: list[sitegen.Post], content: Path, photos: Sequence[Photo], seed: int) -> PhotoUse:
    rng = random.Random(f"photo-use-{seed}")  # its own stream: the texts stay those of sitegen
    folder: dict[int, int] = {}  # photo number → year of the first post that shows it
    taken = 0
    references = headers = bodies = 0

    def next_photo(year: int) -> Photo:
        nonlocal taken, references
        references += 1
        if taken < len(photos):
            photo = photos[taken]
            taken += 1
            folder[photo.number] = year
            return photo
        return photos[rng.randrange(len(photos))]  # all used: an earlier one again

    def path(photo: Photo) -> str:
        return f"{PHOTO_DIR}/{folder[photo.number]}/{photo.name}"

    for post in reversed(posts):  # oldest first: the blog's photos in the order it used them
        year = post.when.year
        if photos and rng.random() < HEADER_SHARE:
            photo = next_photo(year)
            post.image = sitegen.Picture(path(photo), f"{rng.choice(SUBJECTS)} (Foto {photo.number + 1})")
            headers += 1
        if photos and rng.random() < BODY_SHARE:
            shown = [next_photo(year) for _ in range(rng.choice(BODY_COUNTS))]
            post.body = with_photos(post.body, [(p, path(p)) for p in shown], rng)
            bodies += 1
    last_year = posts[0].when.year if posts else datetime.now().year
    for photo in photos:
        folder.setdefault(photo.number, last_year)  # uploaded, never used
        sitegen.link_or_copy(photo.file, content / path(photo))
    return PhotoUse(min(taken, len(photos)), references, headers, bodies)


def with_photos(body: str, shown: list[tuple[Photo, str]], rng: random.Random) -> str:
    """The body with Markdown images after some of its paragraphs (never before the first)."""
    paragraphs = body.rstrip("\n").split("\n\n")
    lines = [f"![{rng.choice(SUBJECTS)} (Foto {photo.number + 1})]({{static}}/{path})" for photo, path in shown]
    if len(lines) >= GALLERY_FROM:  # a gallery: the photos in a row, after one paragraph
        places = [rng.randrange(1, len(paragraphs) + 1)] * len(lines)
    else:
        places = [rng.randrange(1, len(paragraphs) + 1) for _ in lines]
    for place, line in sorted(zip(places, lines, strict=True), key=lambda pair: -pair[0]):
        paragraphs.insert(place, line)
    return "\n\n".join(paragraphs) + "\n"


def generate(
    root: Path,
    posts: int = POSTS,
    photos: int = PHOTOS,
    *,
    now: datetime | None = None,
    photo_folder: Path | None = None,
    scale: float = 1.0,
) -> Path:
    """The image-heavy site under `root` (content/, the calendar), photos from `photo_folder`
    (generated there if missing; default root/photos); return the content folder."""
    generated = generate_photos(photo_folder or root / "photos", photos, scale)
    return sitegen.generate(root, posts, now=now, illustrate=illustrator(generated))
