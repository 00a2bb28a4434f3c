"""Benchmark: how fast our tools are next to plain Pelican 4.12 on the same generated content.

    python bench/run.py [--posts N] [--cases review,...] [--keep DIR]

Generates a site of N posts once (bench/sitegen.py), builds it with plain
Pelican (default settings and theme, no plugins, no cache) as the reference,
then runs each case in a fresh process and prints one table: seconds, the
ratio to the plain-Pelican build and, where a case has a target, PASS or
FAIL. Prints; never fails on a number: speed is reported, not tested.
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

from bench import ROOT, sitegen

MARKER = ".bench-site.json"  # in a --keep folder: what was generated there


@dataclass(frozen=True)
class Site:
    root: Path
    posts: int

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


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    measure: Callable[[Site], Measurement]
    target: float | None = None  # seconds; PASS below it


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


REFERENCE = Case("pelican", "plain Pelican 4.12, full build, default settings (the reference)", plain_pelican)
CASES = {case.name: case for case in [Case("review", "invoke review over all posts", review, target=2.0)]}


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
    elif root.exists() and any(root.iterdir()):
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


def table(site: Site, reference: Measurement, results: list[tuple[Case, Measurement]]) -> str:
    header = ["case", "seconds", "× Pelican", "target", "result", "runs (s)", "notes"]
    rows = []
    for case, m in [(REFERENCE, reference), *results]:
        verdict = "" if case.target is None else ("PASS" if m.seconds < case.target else "FAIL")
        rows.append(
            [
                case.name,
                f"{m.seconds:.2f}",
                f"{m.seconds / reference.seconds:.3f}",
                f"< {case.target:g} s" if case.target is not None else "",
                verdict,
                " ".join(f"{r:.2f}" for r in m.runs),
                m.note,
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    described = [f"  {c.name}: {c.description}" for c, _ in [(REFERENCE, reference), *results]]
    return "\n".join([f"{site.posts} posts; {machine()}", "", *lines, "", *described])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000, help="number of generated posts (default 5000)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from: {', '.join(CASES)}")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.cases.split(",") if n.strip()]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; known: {', '.join(CASES)}")
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as temporary:
        root = args.keep.resolve() if args.keep else Path(temporary)
        prepare(root, args.posts)
        site = Site(root, args.posts)
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
