"""Benchmark: how fast our tools are next to plain Pelican 4.12 on the same generated content.

    python bench/run.py [--posts N] [--images N] [--cases review,images] [--keep DIR]

Generates a site of N posts once (bench/sitegen.py), builds it with plain
Pelican (default settings and theme, no plugins, no cache) as the reference,
then runs each case in a fresh process and prints one table: seconds, the
ratio to the plain-Pelican build and, where a case has a target, PASS or
FAIL. The `images` case needs no site (nor the reference): it compares our
image pipeline with pelican-image-process on generated photos
(bench/images.py) and prints its own side-by-side block below the table.
Prints; never fails on a number: speed is reported, not tested.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ROOT, images, sitegen

MARKER = ".bench-site.json"  # in a --keep folder: what was generated there


@dataclass(frozen=True)
class Site:
    root: Path
    posts: int
    images: int = images.COUNT

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def calendar(self) -> Path:
        return self.root / sitegen.CALENDAR

    @property
    def pelican_content(self) -> Path:
        return self.root / sitegen.PELICAN_CONTENT


@dataclass(frozen=True)
class Measurement:
    seconds: float
    runs: tuple[float, ...]
    note: str = ""
    verdict: str = ""  # for cases whose target is not "seconds below": PASS or FAIL, worked out by the case
    detail: str = ""  # printed below the table


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    measure: Callable[[Site], Measurement]
    target: float | None = None  # seconds; PASS below it
    goal: str = ""  # the target in words, when it is not seconds (the case gives the verdict)
    needs_site: bool = True  # False: neither the generated site nor the Pelican reference is needed


def timed(command: list[str], *, repeat: int = 1, ok: tuple[int, ...] = (0,)) -> tuple[float, list[float], str]:
    """Best wall-clock seconds of `repeat` fresh processes, every run's time, and the last stdout."""
    runs = []
    stdout = ""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}  # e.g. no crisis stop from the shell
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        runs.append(time.perf_counter() - start)
        if result.returncode not in ok:
            raise SystemExit(
                f"failed ({result.returncode}): {' '.join(command)}\n{result.stdout[-2000:]}{result.stderr[-4000:]}"
            )
        stdout = result.stdout
    return min(runs), runs, stdout


def plain_pelican(site: Site) -> Measurement:
    """Plain Pelican 4.12: a full build of the same posts with its default settings and theme."""
    settings = site.root / "plain_pelicanconf.py"
    settings.write_text("".join(f"{k} = {v!r}\n" for k, v in sitegen.PLAIN_PELICAN.items()), encoding="utf-8")
    output = site.root / "plain-output"
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "pelican", str(site.pelican_content), "-o", str(output), "-s", str(settings)]
    best, runs, _ = timed(command)
    pages = sum(1 for _ in output.rglob("*.html"))
    if pages < site.posts:
        raise SystemExit(f"plain Pelican wrote {pages} HTML files for {site.posts} posts: see {output}")
    return Measurement(best, tuple(runs), f"{pages} HTML files")


def review(site: Site) -> Measurement:
    """`invoke review` as editors run it: check all content, then the gate (approvals, plan, cadence)."""
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "review"]
    command += ["--content", str(site.content), "--calendar", str(site.calendar)]
    command += ["--now", sitegen.NOW_TEXT, "--format", "json"]
    best, runs, stdout = timed(command, repeat=3, ok=(0, 1))  # 1: findings at error level
    posts = json.loads(stdout)["posts"]
    if len(posts) != site.posts:
        raise SystemExit(f"invoke review listed {len(posts)} posts, expected {site.posts}")
    states = collections.Counter(p["state"] for p in posts)
    return Measurement(best, tuple(runs), ", ".join(f"{n} {state}" for state, n in states.most_common()))


def image_case(site: Site) -> Measurement:
    """Our image pipeline cold and warm next to pelican-image-process, on generated camera-size photos."""
    return measure_images(site.root / "images", site.images)


def measure_images(
    root: Path, count: int, size: tuple[int, int] = images.SIZE, warm_repeat: int = 3, sample: int = 3
) -> Measurement:
    """Generate `count` photos into `root` (reused when there), then time each side in fresh processes.

    Generation is not timed. Ours cold: an empty cache and output folder, all cores. Ours warm: the
    same cache, a new empty output folder each run (best of `warm_repeat`). pelican-image-process:
    its `process_image` for every (photo, format, width), forced, in one process, as a build runs it;
    then once more without forcing, to show its own skip of files newer than the photo.
    """
    start = time.perf_counter()
    photos = images.generate(root / "photos", count, size)
    source_bytes = sum(p.stat().st_size for p in photos)
    generated = time.perf_counter() - start
    for name in ("cache", "ours-cold", "pip"):
        shutil.rmtree(root / name, ignore_errors=True)
    for old in root.glob("ours-warm-*"):
        shutil.rmtree(old)
    module = [sys.executable, "-m", "bench.images"]

    def side(command: list[str], repeat: int = 1) -> tuple[float, list[float], float]:
        best, runs, stdout = timed(command, repeat=repeat)
        return best, runs, json.loads(stdout.strip().splitlines()[-1])["seconds"]

    cold, _, cold_inside = side([*module, "ours", str(root / "photos"), str(root / "ours-cold"), str(root / "cache")])
    warm_runs, warm_insides = [], []
    for run in range(warm_repeat):
        out = root / f"ours-warm-{run}"
        _, runs, inside = side([*module, "ours", str(root / "photos"), str(out), str(root / "cache")])
        warm_runs += runs
        warm_insides.append(inside)
    warm, warm_inside = min(warm_runs), min(warm_insides)
    pip = pip_second = None
    if images.pip_available():
        pip_command = [*module, "pip", str(root / "photos"), str(root / "pip")]
        best, _, inside = side(pip_command)
        pip = (best, inside)
        best, _, inside = side([*pip_command, "--no-force"])
        pip_second = (best, inside)
    comparison = images.compare(root / "photos", root / "ours-cold", root / "pip" if pip else None, sample=sample)
    report = images.Report(
        count=len(photos),
        size=size,
        source_bytes=source_bytes,
        generated=generated,
        cold=(cold, cold_inside),
        warm=(warm, warm_inside),
        warm_runs=tuple(warm_runs),
        pip=pip,
        pip_second=pip_second,
        comparison=comparison,
    )
    return Measurement(cold, (cold,), report.note(), report.verdict(), report.render())


REFERENCE = Case("pelican", "plain Pelican 4.12, full build, default settings (the reference)", plain_pelican)
CASES = {
    case.name: case
    for case in [
        Case("review", "invoke review over all posts", review, target=2.0),
        Case(
            "images",
            "our image pipeline cold (seconds shown), warm, and pelican-image-process on generated photos",
            image_case,
            goal="cold ≥ 3× p-i-p, warm < 1 s, bytes ≤",
            needs_site=False,
        ),
    ]
}


def prepare(root: Path, posts: int) -> None:
    """Generate the site into `root`, unless it already holds the same one (--keep)."""
    wanted = {"posts": posts, "generator": (Path(sitegen.__file__)).stat().st_mtime_ns}
    marker = root / MARKER
    if marker.exists():
        if json.loads(marker.read_text(encoding="utf-8")) == wanted:
            print(f"reusing the site in {root}")
            return
        for name in ("content", sitegen.PELICAN_CONTENT, "plain-output"):
            shutil.rmtree(root / name, ignore_errors=True)
    elif root.exists() and any(p.name != "images" for p in root.iterdir()):  # images: the images case's folder
        raise SystemExit(f"--keep {root}: expected an empty or a benchmark folder, found other files")
    root.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    sitegen.generate(root, posts)
    sitegen.pelican_copy(root)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    print(f"generated {posts} posts in {root} ({time.perf_counter() - start:.1f} s)")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pelican

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{cores} cores ({cpu}), Python {platform.python_version()}, "
        f"Pelican {pelican.__version__}, {platform.system()} {platform.release()}"
    )


def table(site: Site, reference: Measurement | None, results: list[tuple[Case, Measurement]]) -> str:
    header = ["case", "seconds", "× Pelican", "target", "result", "runs (s)", "notes"]
    rows = []
    measured = [(REFERENCE, reference), *results] if reference is not None else results
    for case, m in measured:
        verdict = m.verdict if case.target is None else ("PASS" if m.seconds < case.target else "FAIL")
        # A ratio to the Pelican build of the posts only means something for cases that work on those posts.
        ratio = f"{m.seconds / reference.seconds:.3f}" if reference is not None and case.needs_site else ""
        rows.append(
            [
                case.name,
                f"{m.seconds:.2f}",
                ratio,
                f"< {case.target:g} s" if case.target is not None else case.goal,
                verdict,
                " ".join(f"{r:.2f}" for r in m.runs),
                m.note,
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    described = [f"  {c.name}: {c.description}" for c, _ in measured]
    details = [f"\n{m.detail}" for _, m in measured if m.detail]
    heading = f"{site.posts} posts; {machine()}" if reference is not None else machine()
    return "\n".join([heading, "", *lines, "", *described, *details])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000, help="number of generated posts (default 5000)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from: {', '.join(CASES)}")
    parser.add_argument(
        "--images", type=int, default=images.COUNT, help=f"photos for the images case (default {images.COUNT})"
    )
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.cases.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; known: {', '.join(CASES)}")
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as temporary:
        root = args.keep.resolve() if args.keep else Path(temporary)
        site = Site(root, args.posts, args.images)
        reference = None
        if any(CASES[name].needs_site for name in names):
            prepare(root, args.posts)
            print(f"running: {REFERENCE.name}", flush=True)
            reference = REFERENCE.measure(site)
        results = []
        for name in names:
            print(f"running: {name}", flush=True)
            results.append((CASES[name], CASES[name].measure(site)))
        print()
        print(table(site, reference, results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
