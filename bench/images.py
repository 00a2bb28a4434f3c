"""The `images` case: camera-size JPEGs through our pipeline and through pelican-image-process.

    python -m bench.images ours SOURCE OUT CACHE     # our pipeline (process_all), all cores
    python -m bench.images pip SOURCE OUT [--force]  # pelican-image-process, image after image

`bench/run.py` generates the photos once (`generate`, seeded: gradients, hills,
shapes, lines, a soft blur and mild sensor noise, saved at quality 92 with a
phone's EXIF including GPS), then times each side in a fresh process by
running this module, and compares the files with `compare`. Each run prints
one line of JSON: the seconds spent inside the process and the files written.

The same work on both sides: every photo at widths 480, 960 and 1600 in WebP,
and at 960 in JPEG (the <img> fallback of the <picture>: browsers that take it
get one size, hub_images.process.FALLBACK_WIDTH), quality 80. Our pipeline also writes a cleaned full-size JPEG and
(for small photos) a full-size WebP; those are its own extra work, left out of the byte
comparison. pelican-image-process is driven through its own `process_image`,
once per (photo, format, width), in the order its `<picture>` handling calls it
during a build; its `scale_in W 10000 False` operation keeps the aspect ratio
and never upscales, like ours. Its `process_image` saves with Pillow's defaults
(JPEG quality 75, WebP 80) and has no quality setting; a custom operation, which
its README allows ("a callable object expecting a pillow.Image ... returning
the transformed image"), sets Pillow's `encoderinfo` to quality 80 so both sides
encode at the same quality. `compare` checks that by the JPEG quantisation tables.
"""

from __future__ import annotations

import argparse
import colorsys
import importlib.metadata
import importlib.util
import json
import math
import os
import random
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

import bench  # noqa: F401  (importing the package puts plugins/ on sys.path)

COUNT = 50
SIZE = (4000, 3000)
WIDTHS = (480, 960, 1600)
FORMATS = ("webp", "jpeg")  # what both sides write
FORMAT_WIDTHS = {"webp": WIDTHS, "jpeg": (960,)}  # JPEG: the <img> fallback alone (process.fallback_width)
EXTENSIONS = {"webp": ".webp", "jpeg": ".jpg"}
QUALITY = 80
SOURCE_QUALITY = 92  # what phones save at
SEED = 2026
RELATIVE_DIR = "images"  # the photos' folder inside the site, on both sides
PIP_DERIVATIVE = "photo"  # the IMAGE_PROCESS entry the pelican-image-process side stands for
MARKER = ".bench-images.json"


# --- the photos ---------------------------------------------------------------------------------


def generate(folder: Path, count: int, size: tuple[int, int] = SIZE, workers: int | None = None) -> list[Path]:
    """`count` seeded camera-like JPEGs in `folder` (IMG_0000.jpg …); reused if the folder already holds them."""
    wanted = {"count": count, "size": list(size), "seed": SEED, "generator": Path(__file__).stat().st_mtime_ns}
    paths = [folder / f"IMG_{number:04d}.jpg" for number in range(count)]
    marker = folder / MARKER
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted and all(p.is_file() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    for old in folder.glob("IMG_*.jpg"):
        old.unlink()
    write_in_parallel(_write_photo, [(path, SEED * 1000 + number, size) for number, path in enumerate(paths)], workers)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return paths


def write_in_parallel(write: Callable[..., None], jobs: list[tuple[Any, ...]], workers: int = 0) -> None:
    """`write(*job)` for every job, on `workers` processes (0: every core), in this one where one suffices."""
    workers = min(workers or _cores(), len(jobs))
    if workers <= 1:
        for job in jobs:
            write(*job)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(write, *zip(*jobs, strict=True)))


def _write_photo(path: Path, seed: int, size: tuple[int, int]) -> None:
    image = photo(seed, size)
    image.save(path, "JPEG", quality=SOURCE_QUALITY, exif=phone_exif(seed), subsampling="4:2:0")


def photo(seed: int, size: tuple[int, int] = SIZE, noise: bool = True) -> Image.Image:
    """A landscape-ish picture: sky gradient, sun, hills, buildings and plants, blur, sensor noise
    (`noise=False`: none, for a picture that is scaled up and should compress well)."""
    rng = random.Random(seed)
    w, h = size
    hue = rng.random()

    def colour(saturation: tuple[float, float], value: tuple[float, float], spread: float = 0.15) -> tuple[int, ...]:
        r, g, b = colorsys.hsv_to_rgb(
            (hue + rng.uniform(-spread, spread)) % 1, rng.uniform(*saturation), rng.uniform(*value)
        )
        return round(r * 255), round(g * 255), round(b * 255)

    horizon = int(h * rng.uniform(0.35, 0.55))
    top, bottom = colour((0.3, 0.6), (0.45, 0.7), 0.05), colour((0.05, 0.3), (0.8, 0.97), 0.05)
    ramp = Image.linear_gradient("L").resize((w, horizon + h // 8))  # the sky lightens down to the hills
    bands = [ramp.point(lambda v, a=a, b=b: a + (b - a) * v // 255) for a, b in zip(top, bottom, strict=True)]
    image = Image.new("RGB", size, bottom)
    image.paste(Image.merge("RGB", bands))
    draw = ImageDraw.Draw(image)

    sun_x, sun_y, radius = rng.uniform(0.1, 0.9) * w, rng.uniform(0.05, 0.3) * h, rng.uniform(0.03, 0.06) * w
    for step in range(12, 0, -1):  # a soft glow around the sun
        r = radius * (1 + step * 0.35)
        glow = tuple(min(255, c + 8 * (13 - step)) for c in bottom)
        draw.ellipse((sun_x - r, sun_y - r, sun_x + r, sun_y + r), fill=glow)
    draw.ellipse((sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius), fill=(255, 248, 225))

    for layer in range(4):  # hills, darker towards the front
        y = horizon + layer * h // 12
        points = [(0, h), (0, y)]
        x = 0
        while x < w:
            x += rng.randint(w // 50, w // 14)
            y = max(horizon - h // 8, min(h - h // 20, y + rng.randint(-h // 18, h // 18)))
            points.append((x, y))
        points.append((w, h))
        draw.polygon(points, fill=colour((0.3, 0.7), (0.35 - 0.05 * layer, 0.65 - 0.08 * layer), 0.3))

    for _ in range(rng.randint(120, 180)):  # buildings with windows, trees with trunks
        x0, y0 = rng.randint(-w // 20, w), rng.randint(horizon - h // 10, h)
        if rng.random() < 0.5:
            bw, bh = rng.randint(w // 60, w // 12), rng.randint(h // 30, h // 5)
            wall = colour((0.05, 0.4), (0.35, 0.9), 0.5)
            draw.rectangle(
                (x0, y0 - bh, x0 + bw, y0), fill=wall, outline=tuple(c // 2 for c in wall), width=max(1, w // 1500)
            )
            step = max(4, w // 250)
            window = colour((0.1, 0.3), (0.15, 0.95), 0.5)
            for wy in range(y0 - bh + step, y0 - step, 2 * step):
                for wx in range(x0 + step, x0 + bw - step, 2 * step):
                    draw.rectangle((wx, wy, wx + step - 1, wy + step - 1), fill=window)
        else:
            r = rng.randint(w // 120, w // 25)
            trunk = max(2, r // 6)
            draw.rectangle((x0 - trunk, y0 - r, x0 + trunk, y0 + r), fill=(70, 50, 35))
            draw.ellipse((x0 - r, y0 - 2 * r, x0 + r, y0), fill=colour((0.4, 0.9), (0.2, 0.6), 0.4))
    for _ in range(rng.randint(150, 300)):  # grass and branches
        x0, y0 = rng.randint(0, w), rng.randint(horizon, h)
        angle = rng.uniform(-2.4, -0.7)
        length = rng.uniform(0.005, 0.04) * w
        end = (x0 + length * math.cos(angle), y0 + length * math.sin(angle))
        draw.line((x0, y0, *end), fill=colour((0.4, 0.8), (0.2, 0.7), 0.3), width=max(1, w // 2000))

    image = image.filter(ImageFilter.GaussianBlur(max(0.5, w / 3300)))  # lens softness
    return _add_noise(image, rng) if noise else image


def _add_noise(image: Image.Image, rng: random.Random) -> Image.Image:
    """Mild sensor noise (about ±4 levels) from a seeded tile; Pillow's own noise cannot be seeded."""
    tile = 509  # prime, so the repetition does not line up with 8×8 JPEG blocks
    noise = Image.merge("RGB", [Image.frombytes("L", (tile, tile), rng.randbytes(tile * tile)) for _ in range(3)])
    field = Image.new("RGB", image.size)
    for y in range(0, image.height, tile):
        for x in range(0, image.width, tile):
            field.paste(noise, (x, y))
    return Image.blend(image, field, 0.06)


def phone_exif(seed: int) -> Image.Exif:
    """What a phone writes: make, model, time, exposure and the place (GPS) the photo was taken."""
    rng = random.Random(seed)
    exif = Image.Exif()
    taken = f"2026:05:{1 + seed % 28:02d} {8 + seed % 10:02d}:{seed % 60:02d}:{(seed * 7) % 60:02d}"
    exif.update({0x010F: "Google", 0x0110: "Pixel 8", 0x0112: 1, 0x0131: "HDR+ 1.0.540104767zd", 0x0132: taken})
    details = exif.get_ifd(0x8769)  # Exif IFD
    details.update(
        {
            0x9003: taken,
            0x9004: taken,
            0x829A: 1 / rng.choice((60, 120, 250, 500)),
            0x829D: 1.68,
            0x8827: rng.choice((50, 100, 200, 400)),
            0x920A: 6.9,
            0xA405: 25,
        }
    )
    lat, lon = 52.52 + rng.uniform(-0.05, 0.05), 13.40 + rng.uniform(-0.05, 0.05)
    gps = exif.get_ifd(0x8825)
    gps.update(
        {
            0x0000: b"\x02\x02\x00\x00",
            0x0001: "N",
            0x0002: _dms(lat),
            0x0003: "E",
            0x0004: _dms(lon),
            0x0005: b"\x00",
            0x0006: round(rng.uniform(30, 60), 1),
            0x001D: taken.split(" ")[0],
        }
    )
    return exif


def _dms(degrees: float) -> tuple[float, float, float]:
    whole = int(degrees)
    minutes = (degrees - whole) * 60
    return float(whole), float(int(minutes)), round((minutes - int(minutes)) * 60, 2)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# --- the two sides --------------------------------------------------------------------------------


def comparable() -> list[tuple[int, str]]:
    """Every (width, format) both sides make of a photo."""
    return [(width, fmt) for fmt in FORMATS for width in FORMAT_WIDTHS[fmt]]


def sources(folder: Path) -> list[Path]:
    return sorted(folder.glob("IMG_*.jpg"))


def run_ours(source: Path, out: Path, cache: Path, workers: int | None = None) -> dict[str, object]:
    """Our pipeline as the build calls it: every photo through `process_all`, misses on all cores."""
    from hub_images.cache import process_all
    from hub_images.process import ImageSettings

    settings = ImageSettings(widths=WIDTHS, formats=("webp",), quality=QUALITY)
    jobs = [(path, f"{RELATIVE_DIR}/{path.name}") for path in sources(source)]
    results, errors = process_all(jobs, out, settings, cache, workers=workers)
    if errors:
        raise SystemExit("\n".join(str(error) for error in errors))
    return {"images": len(results), "files": sum(len(p.variants) for p in results.values())}


def pip_config() -> dict[str, object]:
    """The IMAGE_PROCESS entry a site would write for the same work: a <picture> with a WebP and a JPEG source."""
    return {
        PIP_DERIVATIVE: {
            "type": "picture",
            "sources": [
                {
                    "name": name,
                    "sizes": "(min-width: 1000px) 960px, 100vw",
                    "srcset": [(f"{w}w", [f"scale_in {w} 10000 False"], fmt) for w in FORMAT_WIDTHS[kind]],
                }
                for name, fmt, kind in (("default", "webp", "webp"), ("fallback", "jpg", "jpeg"))
            ],
            "default": ("fallback", f"{FORMAT_WIDTHS['jpeg'][0]}w"),
        }
    }


def pip_path(out: Path, image: Path, width: int, fmt: str) -> Path:
    """Where pelican-image-process writes a variant: <dir>/derivatives/<name>/<width>w/<stem>.<ext>."""
    from pelican.plugins.image_process.image_process import get_target_filename

    name = get_target_filename(image.name, EXTENSIONS[fmt].lstrip("."))
    return out / RELATIVE_DIR / "derivatives" / PIP_DERIVATIVE / f"{width}w" / name


def run_pip(source: Path, out: Path, force: bool = True) -> dict[str, object]:
    """pelican-image-process's own `process_image` for every (photo, source, width), one after another.

    `force` is IMAGE_PROCESS_FORCE; without it, a variant newer than its photo is skipped (its only cache).
    """
    from pelican.plugins.image_process.image_process import process_image, set_default_settings

    settings: dict[str, object] = {"IMAGE_PROCESS": pip_config(), "IMAGE_PROCESS_FORCE": force}
    set_default_settings(settings)
    written = 0
    for image in sources(source):
        for entry in settings["IMAGE_PROCESS"][PIP_DERIVATIVE]["sources"]:  # type: ignore[index]
            for condition, ops, fmt in entry["srcset"]:
                width = int(condition[:-1])
                target = pip_path(out, image, width, "webp" if fmt == "webp" else "jpeg")
                process_image((str(image), str(target), [*ops, _at_quality(QUALITY)]), settings)
                written += 1
    return {"images": len(sources(source)), "files": written}


def _at_quality(quality: int) -> Callable[[Image.Image], Image.Image]:
    """A custom operation: Pillow merges an image's `encoderinfo` into the options `save` is called with."""

    def at_quality(image: Image.Image) -> Image.Image:
        image.encoderinfo = {"quality": quality}
        return image

    return at_quality


# --- the comparison -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    ours: dict[str, int]  # bytes per format over the comparable variants
    theirs: dict[str, int]
    ours_extra: int  # bytes of our full-size files (not compared)
    psnr_ours: dict[str, float]  # dB against an exact LANCZOS resize, on a sample
    psnr_theirs: dict[str, float]
    sampled: int
    same_jpeg_tables: bool
    missing: list[str]


def ours_path(out: Path, image: Path, width: int, fmt: str) -> Path:
    """Our variant of `image` (hub_images.process.variant_path: the source's extension is in the name)."""
    from hub_images.process import variant_path

    return out / variant_path(f"{RELATIVE_DIR}/{image.name}", width, fmt)


def compare(source: Path, ours: Path, theirs: Path | None, sample: int = 3) -> Comparison:
    """Bytes of the variants both sides make (`comparable`), plus PSNR on the first `sample` photos."""
    images = sources(source)
    sizes: dict[str, dict[str, int]] = {"ours": dict.fromkeys(FORMATS, 0), "theirs": dict.fromkeys(FORMATS, 0)}
    missing = []
    sides: dict[str, Callable[[Path, Path, int, str], Path]] = {"ours": ours_path}
    if theirs is not None:
        sides["theirs"] = pip_path
    roots = {"ours": ours, "theirs": theirs}
    for image in images:
        for width, fmt in comparable():
            for side, where in sides.items():
                path = where(roots[side], image, width, fmt)  # type: ignore[arg-type]
                if path.is_file():
                    sizes[side][fmt] += path.stat().st_size
                else:
                    missing.append(str(path))
    compared = {ours_path(ours, i, w, f) for i in images for w, f in comparable()}
    extra = sum(p.stat().st_size for p in (ours / RELATIVE_DIR).iterdir() if p.is_file() and p not in compared)

    errors: dict[str, dict[str, list[float]]] = {side: {fmt: [] for fmt in FORMATS} for side in sides}
    for image in images[:sample]:
        with Image.open(image) as opened:
            full = opened.convert("RGB")
        for width in WIDTHS:
            reference = full.resize((width, round(full.height * width / full.width)), Image.Resampling.LANCZOS)
            for fmt in (f for w, f in comparable() if w == width):
                for side, where in sides.items():
                    path = where(roots[side], image, width, fmt)  # type: ignore[arg-type]
                    if path.is_file():
                        errors[side][fmt].append(_psnr(reference, path))
    same_tables = False
    if theirs is not None and images:
        ours_jpeg, their_jpeg = (
            ours_path(ours, images[0], FORMAT_WIDTHS["jpeg"][0], "jpeg"),
            pip_path(theirs, images[0], FORMAT_WIDTHS["jpeg"][0], "jpeg"),
        )
        if ours_jpeg.is_file() and their_jpeg.is_file():
            with Image.open(ours_jpeg) as a, Image.open(their_jpeg) as b:
                same_tables = getattr(a, "quantization", None) == getattr(b, "quantization", None)

    def mean(side: str) -> dict[str, float]:
        return {f: sum(v) / len(v) for f, v in errors.get(side, {}).items() if v}

    return Comparison(
        sizes["ours"],
        sizes["theirs"],
        extra,
        mean("ours"),
        mean("theirs"),
        min(sample, len(images)),
        same_tables,
        missing,
    )


def _psnr(reference: Image.Image, path: Path) -> float:
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    if image.size != reference.size:  # a pixel of rounding apart: compare at the reference's size
        image = image.resize(reference.size, Image.Resampling.LANCZOS)
    squares = ImageStat.Stat(ImageChops.difference(reference, image)).sum2
    mse = sum(squares) / (3 * reference.width * reference.height)
    return 99.0 if mse == 0 else 10 * math.log10(255**2 / mse)


# --- the report -----------------------------------------------------------------------------------

COLD_FACTOR = 3.0  # ours cold at least this many times faster than pelican-image-process
WARM_LIMIT = 1.0  # seconds
NAMES = {"webp": "WebP", "jpeg": "JPEG"}


def pip_available() -> bool:
    return importlib.util.find_spec("pelican.plugins.image_process") is not None


def pip_version() -> str:
    try:
        return importlib.metadata.version("pelican-image-process")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class Report:
    count: int
    size: tuple[int, int]
    source_bytes: int
    generated: float  # seconds, not part of any timing
    cold: tuple[float, float]  # (wall-clock seconds of the fresh process, seconds inside it)
    warm: tuple[float, float]
    warm_runs: tuple[float, ...]
    pip: tuple[float, float] | None  # None: pelican-image-process is not installed
    pip_second: tuple[float, float] | None
    comparison: Comparison

    def checks(self) -> list[tuple[str, bool | None, str]]:
        """(target, passed or None when it could not be measured, the number behind it)."""
        ratio = self.pip[0] / self.cold[0] if self.pip else None
        c = self.comparison
        smaller = all(c.ours[f] <= c.theirs[f] for f in FORMATS) if self.pip else None
        bytes_ratio = f"{sum(c.ours.values()) / sum(c.theirs.values()):.4f}× theirs" if self.pip else "not measured"
        return [
            (
                f"cold at least {COLD_FACTOR:g}× faster than pelican-image-process",
                None if ratio is None else ratio >= COLD_FACTOR,
                "not measured" if ratio is None else f"{ratio:.2f}×",
            ),
            (f"warm under {WARM_LIMIT:g} s", self.warm[0] < WARM_LIMIT, f"{self.warm[0]:.2f} s"),
            ("output bytes no larger, per format", smaller, bytes_ratio),
        ]

    def verdict(self) -> str:
        failed = [target.split(" ")[0] for target, passed, _ in self.checks() if passed is False]
        if failed:
            return "FAIL: " + ", ".join(failed)
        return "PASS" if all(passed for _, passed, _ in self.checks()) else "n/a"

    def note(self) -> str:
        pip = f"p-i-p {self.pip[0]:.1f} s = {self.pip[0] / self.cold[0]:.2f}× ours cold" if self.pip else "no p-i-p"
        return f"warm {self.warm[0]:.2f} s; {pip}; see below"

    def render(self) -> str:
        c = self.comparison
        w, h = self.size
        lines = [
            f"images: {self.count} photos of {w}×{h} (JPEG quality {SOURCE_QUALITY}, EXIF with GPS, "
            f"{self.source_bytes / 1e6:.0f} MB; generated in {self.generated:.0f} s, not timed), "
            f"widths {'/'.join(map(str, WIDTHS))} in WebP, {'/'.join(map(str, FORMAT_WIDTHS['jpeg']))} in JPEG "
            f"(the <img> fallback), quality {QUALITY}",
            "",
        ]
        rows = [["side", "seconds", "in process", "× ours cold", "runs (s)"]]

        def row(name: str, timing: tuple[float, float], runs: tuple[float, ...] = ()) -> None:
            ratio = f"{timing[0] / self.cold[0]:.3f}"
            rows.append([name, f"{timing[0]:.2f}", f"{timing[1]:.2f}", ratio, " ".join(f"{r:.2f}" for r in runs)])

        row(f"ours, cold (empty cache, {_cores()} cores)", self.cold)
        row("ours, warm (same cache, new empty output folder)", self.warm, self.warm_runs)
        if self.pip and self.pip_second:
            row(f"pelican-image-process {pip_version()} (forced, one process)", self.pip)
            row("pelican-image-process, again (skips files newer than the photo)", self.pip_second)
        else:
            rows.append(["pelican-image-process: not installed, not measured", "", "", "", ""])
        lines += _columns(rows)
        lines.append("")
        for target, passed, number in self.checks():
            lines.append(f"{target}: {'n/a' if passed is None else 'PASS' if passed else 'FAIL'} ({number})")
        lines.append("")
        made = ", ".join(f"{len(FORMAT_WIDTHS[f])} in {NAMES[f]}" for f in FORMATS)
        lines.append(f"output bytes of the {self.count * len(comparable())} comparable variants ({made} per photo)")
        psnr = f"PSNR dB, first {c.sampled} photos"
        rows = [["format", "ours", "pelican-image-process", "ours ÷ theirs", f"{psnr}: ours", "theirs"]]
        for fmt in (*FORMATS, "total"):
            ours = sum(c.ours.values()) if fmt == "total" else c.ours[fmt]
            theirs = sum(c.theirs.values()) if fmt == "total" else c.theirs[fmt]
            rows.append(
                [
                    NAMES.get(fmt, fmt),
                    f"{ours:,}",
                    f"{theirs:,}" if self.pip else "",
                    f"{ours / theirs:.4f}" if self.pip and theirs else "",
                    f"{c.psnr_ours[fmt]:.2f}" if fmt in c.psnr_ours else "",
                    f"{c.psnr_theirs[fmt]:.2f}" if fmt in c.psnr_theirs else "",
                ]
            )
        lines += _columns(rows)
        lines.append("PSNR: against an exact LANCZOS resize of the decoded photo; higher is closer")
        if self.pip:
            same = "yes" if c.same_jpeg_tables else "NO: the qualities differ"
            lines.append(f"JPEG quantisation tables the same on both sides (same quality): {same}")
        lines.append(
            f"not compared: our cleaned full-size original per photo, {c.ours_extra / 1e6:.1f} MB "
            "(pelican-image-process makes no full-size copies; ours' cold time includes them)"
        )
        if c.missing:
            lines.append(f"MISSING {len(c.missing)} expected files, e.g. {c.missing[0]}")
        return "\n".join(lines)


def _columns(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


# --- entry point for the timed processes ------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="side", required=True)
    ours = sub.add_parser("ours")
    ours.add_argument("source", type=Path)
    ours.add_argument("out", type=Path)
    ours.add_argument("cache", type=Path)
    ours.add_argument("--workers", type=int)
    pip = sub.add_parser("pip")
    pip.add_argument("source", type=Path)
    pip.add_argument("out", type=Path)
    pip.add_argument("--no-force", dest="force", action="store_false", help="skip variants newer than the photo")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.side == "ours":
        result = run_ours(args.source, args.out, args.cache, args.workers)
    else:
        result = run_pip(args.source, args.out, args.force)
    print(json.dumps({**result, "seconds": time.perf_counter() - start}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
