"""hub_images and hub_search on a Pelican site that is not ours: installed from the project's
wheel, listed in another site's PLUGINS, with Pelican's own theme and none of Hub's settings.

What another company's site gets: metadata-free images with responsive variants, and a
Pagefind index of its posts. The build must not need Hub's content model, review gate or
calendar: the test records every hub_* module the build imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
GPS_IFD = 0x8825
STANDALONE = {"hub_core", "hub_images", "hub_search"}

# Pelican's command line, with this checkout's editable install taken off sys.path: only the
# wheel's copy in lib/ can be imported. Writes the hub_* modules the build loaded.
RUN_PELICAN = """
import json, sys
sys.path = [p for p in sys.path if not p.rstrip("/").endswith("/plugins")]
from pelican import main
try:
    main()
finally:
    loaded = sorted({name.split(".")[0] for name in sys.modules if name.startswith("hub_")})
    with open("loaded.json", "w") as out:
        json.dump(loaded, out)
"""

SETTINGS = """
AUTHOR = "Someone Else"
SITENAME = "Another Company"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Vienna"
DEFAULT_LANG = "en"
STATIC_PATHS = ["images"]
PLUGINS = ["hub_images", "hub_search"]
CACHE_PATH = "cache"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
"""

POST = """Title: Our new workshop
Date: 2026-10-01 10:00
Category: News

The new workshop opened with a hydraulic press and a lathe.

![The workshop]({static}/images/workshop.jpg)
"""


@pytest.fixture(scope="module")
def wheel_lib(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built offline and installed into a folder of its own."""
    work = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    built = subprocess.run(
        [*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", str(ROOT), "-w", str(work / "dist")],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (work / "dist").glob("hub-*.whl")
    installed = subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", "--no-index", "--target", str(work / "lib"), str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return work / "lib"


@pytest.fixture(scope="module")
def foreign_site(wheel_lib: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("another-site")
    (site / "content" / "images").mkdir(parents=True)
    (site / "content" / "workshop.md").write_text(POST, encoding="utf-8")
    (site / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    exif = Image.Exif()
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (48.0, 12.0, 30.0)
    Image.new("RGB", (2000, 1200), (40, 90, 160)).save(site / "content" / "images" / "workshop.jpg", exif=exif)
    built = subprocess.run(
        [sys.executable, "-c", RUN_PELICAN, "content", "-o", "output", "-s", "pelicanconf.py", "--fatal", "errors"],
        capture_output=True,
        text=True,
        cwd=site,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(wheel_lib), "HOME": str(site)},
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return site


def test_the_build_needs_nothing_of_hub_but_the_two_plugins_and_the_core(foreign_site: Path) -> None:
    loaded = set(json.loads((foreign_site / "loaded.json").read_text()))
    assert {"hub_images", "hub_search"} <= loaded
    assert loaded <= STANDALONE, f"the standalone plugins imported {sorted(loaded - STANDALONE)}"


def test_images_are_cleaned_and_get_variants(foreign_site: Path) -> None:
    images = foreign_site / "output" / "images"
    with Image.open(images / "workshop.jpg") as published:
        assert not published.getexif().get_ifd(GPS_IFD), "the GPS position went live"
    widths = []
    for variant in sorted(images.glob("workshop-jpg-*.webp")):
        with Image.open(variant) as image:
            widths.append(image.width)
    assert widths and max(widths) < 2000 and sorted(widths) == sorted(set(widths))


def test_posts_are_searchable(foreign_site: Path) -> None:
    (bundle,) = (foreign_site / "output" / "pagefind").iterdir()  # one shard: one post, no pages
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 1
    assert (bundle / "pagefind.js").is_file()
