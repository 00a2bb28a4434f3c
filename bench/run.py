"""Benchmark: how fast our tools are next to plain Pelican 4.12 on the same generated content.

    python bench/run.py [--site posts|images|both] [--posts N] [--photo-posts N] [--photos N]
                        [--images N] [--lines N] [--cases cold,warm,review] [--keep DIR] [--now WHEN]
    python bench/run.py --profile [--site …] [--posts N] [--keep DIR]   # cProfile of a cold and a warm build

Generates a site once: the posts site (N posts, bench/sitegen.py) or the
image-heavy site (a blog's archive of 700 posts with 650 camera-size photos,
bench/photosite.py), or both. Builds each with plain Pelican (default
settings and theme, no plugins, no cache) as the reference, then runs each
case in a fresh process and prints one table per site: seconds, the ratio to
the plain-Pelican build of the same content, the peak memory and, where a
case has a target, PASS or FAIL. The production-build cases run
`python -m pelican … -s publishconf.py --fatal errors` as `invoke build
--prod` does, on the generated site; the `preview` case runs `invoke serve`'s
preview on it. The `images` case needs no site (nor the reference): it
compares our image pipeline with pelican-image-process on generated photos
(bench/images.py) and prints its own side-by-side block below the table. The
`stats` case needs no site either: it counts generated access logs with
`invoke stats` (bench/stats.py). Prints; never fails on a number: speed is
reported, not tested.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ROOT, images, photosite, sitegen
from bench import stats as stats_bench

MARKER = ".bench-site.json"  # in a --keep folder: what was generated there
IMAGE_SITE = "image-site"  # the image-heavy site's folder inside the --keep folder
PHOTOS = "photos"  # in the image site's folder: the generated photos, kept when the site is generated again
BUILD_STATE = ".bench-build.json"  # in the site folder: how the production output and caches were last built
MEMORY_TARGET_MIB = 1024.0  # peak memory of a production build at 5,000 posts: below 1 GiB
WARM_REPEAT = 2  # warm builds: best of this many


SITE_KINDS = ("posts", "images")


@dataclass(frozen=True)
class Site:
    root: Path
    posts: int
    images: int = images.COUNT  # photos of the `images` case (not of the site)
    now: datetime = sitegen.NOW  # the review moment the site was generated for
    kind: str = "posts"  # "posts": bench/sitegen.py's site; "images": the image-heavy one (bench/photosite.py)
    photos: int = 0  # the image-heavy site's photos
    photo_scale: float = 1.0  # their size, as a share of camera size (tests use small photos)
    lines: int = stats_bench.LINES  # lines of access log for the stats case

    @property
    def label(self) -> str:
        if self.kind == "images":
            return f"image-heavy site: {self.posts} posts, {self.photos} camera-size photos"
        return f"{self.posts} posts"

    @property
    def now_text(self) -> str:
        return f"{self.now:%Y-%m-%d %H:%M}"

    @property
    def output(self) -> Path:
        return self.root / "prod-output"

    @property
    def image_cache(self) -> Path:
        return self.root / "cache" / "images"  # HUB_IMAGE_CACHE's default: cache/images beside content/

    @property
    def pelican_cache(self) -> Path:
        return self.root / "cache" / "pelican"  # never the repository's cache/ (Pelican's default is ./cache)

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
    peak_mib: float | None = None  # max RSS of the largest process of the case (the build, a worker, Pagefind)
    tree_mib: float | None = None  # peak of the summed memory (PSS) of the process and all its children, sampled


@dataclass(frozen=True)
class Case:
    name: str
    description: str
    measure: Callable[[Site], Measurement]
    target: float | None = None  # seconds; PASS below it
    goal: str = ""  # the target in words, when it is not seconds (the case gives the verdict)
    needs_site: bool = True  # False: neither the generated site nor the Pelican reference is needed
    ratio_target: float | None = None  # × the plain-Pelican build; PASS at or below it
    memory_target: float | None = None  # MiB of peak memory; PASS below it


@dataclass
class Run:
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float  # ru_maxrss of the command (the largest single process of its tree, from wait4)
    tree_mib: float  # sampled peak of the summed PSS of the child and its descendants
    samples: int = 0
    cpu_seconds: float = 0.0  # user + system time of the command and every descendant it waited for


def _memory_kib(pid: int) -> int:
    """PSS of one process in KiB (shared pages counted once across the tree); RSS if PSS is unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        children[int(fields[1])].append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


# Starts the command and writes its ru_maxrss and CPU time (from wait4) to a file. A small process of
# its own, because Linux starts a child's maxrss at the memory of the process that spawned it: measured
# straight from this benchmark (80+ MiB after generating the site), every command would seem to need
# at least that.
LAUNCHER = """import os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_process(command: list[str], *, env: dict[str, str] | None = None, interval: float = 0.2) -> Run:
    """Run `command` from the repository root; wall clock, exit code, output and peak memory.

    Peak memory two ways: the command's ru_maxrss from wait4 in a small launcher (its own or, if
    larger, that of the largest process below it: a pool worker, Pagefind), and the summed PSS of the
    whole tree sampled every `interval` seconds from /proc (Linux; 0 elsewhere), which counts workers
    running side by side. The launcher's start (about 10 ms) is in the seconds of every case alike.
    """
    env = env if env is not None else clean_env()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as scratch:
        maxrss_file = Path(scratch) / "maxrss"
        launched = [sys.executable, "-S", "-c", LAUNCHER, str(maxrss_file), *command]
        start = time.perf_counter()
        process = subprocess.Popen(launched, cwd=ROOT, env=env, stdout=out, stderr=err)
        tree = {"peak": 0, "samples": 0}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(interval):
                try:
                    total = sum(_memory_kib(p) for p in _descendants(process.pid) if p != process.pid)
                except OSError:
                    continue
                tree["peak"] = max(tree["peak"], total)
                tree["samples"] += 1

        sampler = threading.Thread(target=sample, daemon=True)
        if Path("/proc/self/stat").exists():
            sampler.start()
        process.wait()
        seconds = time.perf_counter() - start
        done.set()
        if sampler.is_alive():
            sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        usage = (maxrss_file.read_text() if maxrss_file.exists() else "").split() or ["0", "0"]
    maxrss, cpu = int(usage[0]), float(usage[1])
    scale = 1024 if sys.platform == "darwin" else 1  # ru_maxrss: KiB on Linux, bytes on macOS
    peak, tree_peak = maxrss / scale / 1024, tree["peak"] / 1024
    return Run(seconds, process.returncode, stdout, stderr, peak, tree_peak, tree["samples"], cpu)


# Not passed to what is timed: HUB_* (e.g. no crisis stop from the shell), and PYTHONDONTWRITEBYTECODE,
# which some sandboxes and CI images set: without bytecode files every build of ours compiles the
# plugins again (about 0.2 s), which no author's or CI's build pays. Both sides get the same environment.
NOT_PASSED = ("PYTHONDONTWRITEBYTECODE",)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("HUB_") and k not in NOT_PASSED}


def timed_runs(command: list[str], *, repeat: int = 1, ok: tuple[int, ...] = (0,)) -> list[Run]:
    """`repeat` fresh processes of `command`; stop the benchmark if one fails."""
    runs = []
    for _ in range(repeat):
        run = run_process(command)
        if run.returncode not in ok:
            raise SystemExit(
                f"failed ({run.returncode}): {' '.join(command)}\n{run.stdout[-2000:]}{run.stderr[-4000:]}"
            )
        runs.append(run)
    return runs


def timed(command: list[str], *, repeat: int = 1, ok: tuple[int, ...] = (0,)) -> tuple[float, list[float], str]:
    """Best wall-clock seconds of `repeat` fresh processes, every run's time, and the last stdout."""
    runs = timed_runs(command, repeat=repeat, ok=ok)
    return min(r.seconds for r in runs), [r.seconds for r in runs], runs[-1].stdout


def measured(runs: list[Run], note: str = "", detail: str = "") -> Measurement:
    """A Measurement of the best run's seconds and the largest memory of all runs."""
    return Measurement(
        min(r.seconds for r in runs),
        tuple(r.seconds for r in runs),
        note,
        detail=detail,
        peak_mib=max(r.peak_mib for r in runs),
        tree_mib=max(r.tree_mib for r in runs) or None,
    )


def plain_pelican(site: Site) -> Measurement:
    """Plain Pelican 4.12: a full build of the same posts with its default settings and theme."""
    settings = site.root / "plain_pelicanconf.py"
    settings.write_text("".join(f"{k} = {v!r}\n" for k, v in sitegen.PLAIN_PELICAN.items()), encoding="utf-8")
    output = site.root / "plain-output"
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "pelican", str(site.pelican_content), "-o", str(output), "-s", str(settings)]
    runs = timed_runs(command)
    pages = sum(1 for _ in output.rglob("*.html"))
    if pages < site.posts:
        raise SystemExit(f"plain Pelican wrote {pages} HTML files for {site.posts} posts: see {output}")
    return measured(runs, f"{pages} HTML files")


def review(site: Site) -> Measurement:
    """`invoke review` as editors run it: check all content, then the gate (approvals, plan, cadence)."""
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "review"]
    command += ["--content", str(site.content), "--calendar", str(site.calendar)]
    command += ["--now", site.now_text, "--format", "json"]
    runs = timed_runs(command, repeat=3, ok=(0, 1))  # 1: findings at error level
    posts = json.loads(runs[-1].stdout)["posts"]
    if len(posts) != site.posts:
        raise SystemExit(f"invoke review listed {len(posts)} posts, expected {site.posts}")
    states = collections.Counter(p["state"] for p in posts)
    return measured(runs, ", ".join(f"{n} {state}" for state, n in states.most_common()))


# --- our production build ------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """One way of running the production build: which of the caches it uses."""

    cards: bool = True  # HUB_SOCIAL_CARDS
    content_cache: bool = False  # Pelican's CACHE_CONTENT and LOAD_CONTENT_CACHE (off in pelicanconf.py)
    extra: dict[str, object] = field(default_factory=dict)  # more -e overrides

    def key(self) -> dict[str, object]:
        return {"cards": self.cards, "content_cache": self.content_cache, "extra": self.extra}


AS_CONFIGURED = Build()
CONTENT_CACHE = Build(content_cache=True)


def production_command(site: Site, build: Build = AS_CONFIGURED, *, profile: Path | None = None) -> list[str]:
    """`invoke build --prod` on the generated site: publishconf.py, --fatal errors, production SITEURL.

    The content folder and -o stand in for PATH and OUTPUT_PATH; -e (JSON values) points the calendar
    and the image cache at the generated site and Pelican's own cache (--cache-path) into it too.
    """
    overrides: dict[str, object] = {"HUB_CALENDAR": str(site.calendar), "HUB_IMAGE_CACHE": str(site.image_cache)}
    if not build.cards:
        overrides["HUB_SOCIAL_CARDS"] = False
    if build.content_cache:
        overrides |= {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
    overrides |= build.extra
    runner = [sys.executable, "-m", "cProfile", "-o", str(profile)] if profile else [sys.executable]
    return [
        *runner,
        "-m",
        "pelican",
        str(site.content),
        "-o",
        str(site.output),
        "-s",
        str(ROOT / "publishconf.py"),
        "--fatal",
        "errors",
        "--cache-path",
        str(site.pelican_cache),
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]


def clear_build(site: Site) -> None:
    """Cold: no output folder, no image or card cache, no Pelican cache."""
    for folder in (site.output, site.root / "cache"):
        shutil.rmtree(folder, ignore_errors=True)
    (site.root / BUILD_STATE).unlink(missing_ok=True)


def build_once(site: Site, build: Build = AS_CONFIGURED, *, profile: Path | None = None) -> Run:
    """One production build; stop the benchmark if it fails or writes nothing. Records how it was built."""
    command = production_command(site, build, profile=profile)
    run = run_process(command)
    if run.returncode != 0:
        (site.root / BUILD_STATE).unlink(missing_ok=True)
        log = (run.stdout + run.stderr).splitlines()
        errors = [i for i, line in enumerate(log) if "ERROR" in line or "CRITICAL" in line or "Traceback" in line]
        shown = "\n".join(log[errors[0] : errors[0] + 40]) if errors else "\n".join(log[-60:])
        raise SystemExit(f"production build failed ({run.returncode}): {' '.join(command)}\n{shown}")
    if not (site.output / "index.html").is_file():
        raise SystemExit(f"production build wrote no index.html into {site.output}")
    (site.root / BUILD_STATE).write_text(json.dumps(build.key()), encoding="utf-8")
    return run


def ensure_built(site: Site, build: Build) -> None:
    """Warm cases start from a build of the unchanged site made the same way; build one (untimed) if needed."""
    state = site.root / BUILD_STATE
    if state.exists() and json.loads(state.read_text(encoding="utf-8")) == build.key():
        return
    print("  (untimed: a first build to warm the caches)", flush=True)
    build_once(site, build)


def build_note(site: Site, run: Run) -> str:
    """What the build wrote: pages, held-back posts and social cards."""
    pages = sum(1 for _ in site.output.rglob("*.html"))
    cards = sum(1 for _ in (site.output / "images" / "cards").rglob("*.jpg"))
    log = " ".join((run.stdout + run.stderr).split())  # the log's lines are wrapped (rich)
    held = log.count("[warning: held-back]")
    parts = [f"{pages} HTML files", f"{cards} social cards" if cards else "no social cards"]
    if held:
        parts.append(f"{held} posts held back")
    for problem in ("Could not save cache", "Cannot unpickle cache", "Cannot load cache"):
        if problem in log:
            parts.append(f"Pelican: '{problem}'")
    return ", ".join(parts)


def cold(site: Site, build: Build = AS_CONFIGURED, *, image_share: bool = True) -> Measurement:
    """Our production build from nothing: empty output folder, no image, card or Pelican cache.

    With `image_share`, the build is run once more from nothing but the image and card cache,
    untimed for the case: the difference is what images and cards cost the cold build.
    """
    clear_build(site)
    run = build_once(site, build)
    cached = sum(1 for _ in (site.image_cache / "cards").rglob("*.jpg"))
    note = build_note(site, run) + (f", {cached} cards rendered" if cached else "")
    if image_share:
        print("  (untimed: the cold build again with the image and card cache filled)", flush=True)
        note = f"{share_of_images(run, without_image_work(site, build), build.cards)}; {note}"
    return measured([run], note)


def without_image_work(site: Site, build: Build = AS_CONFIGURED) -> Run:
    """A cold build with everything cleared but the image and card cache: cold minus processing images
    and rendering cards (the build still inspects and hashes every image and links the files)."""
    shutil.rmtree(site.output, ignore_errors=True)
    kept = site.root / "cache"
    for entry in kept.iterdir() if kept.is_dir() else ():
        if entry == site.image_cache:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return build_once(site, build)


def share_of_images(cold: Run, rest: Run, cards: bool = True) -> str:
    """What share of the cold build images (and cards) take: its time and CPU minus those of `rest`."""
    what = "images+cards" if cards else "images"
    text = f"{what}: {image_share(cold.seconds, rest.seconds)} % of the cold build"
    text += f" ({cold.seconds - rest.seconds:.1f} s; {rest.seconds:.1f} s with their cache filled)"
    if cold.cpu_seconds and rest.cpu_seconds:
        text += f", {image_share(cold.cpu_seconds, rest.cpu_seconds)} % of its CPU time"
        text += f" ({cold.cpu_seconds - rest.cpu_seconds:.0f} of {cold.cpu_seconds:.0f} s)"
    return text


def image_share(whole: float, rest: float) -> str:
    return f"{100 * max(0.0, whole - rest) / whole:.0f}" if whole else "0"


def cold_without_cards(site: Site) -> Measurement:
    return cold(site, Build(cards=False), image_share=False)


def warm(site: Site, build: Build = AS_CONFIGURED) -> Measurement:
    """The same build again, nothing changed: same output folder, caches kept."""
    ensure_built(site, build)
    runs = [build_once(site, build) for _ in range(WARM_REPEAT)]
    return measured(runs, build_note(site, runs[-1]))


def warm_content_cache(site: Site) -> Measurement:
    return warm(site, CONTENT_CACHE)


def edit_target(site: Site) -> Path:
    """A live, validly approved post that one editor may re-approve: the newest that is two weeks old."""
    from hub_content.calendar import load_calendar
    from hub_content.fields import CheckContext
    from hub_content.frontmatter_split import split_document
    from hub_content.loader import check_item
    from hub_review.fingerprint import file_digest, fingerprint

    calendar, _ = load_calendar(site.calendar, display_path=sitegen.CALENDAR, content_root=site.content)
    context = CheckContext(site.content, calendar)
    digest = file_digest(site.content)
    posts = sorted((site.content / "posts").rglob("beitrag-*.md"), key=lambda p: p.name)  # newest first
    for path in posts:
        text = path.read_text(encoding="utf-8")
        if '\ncategory: "Technik & Labor"' not in text or "\nstatus:" in text or "\napprovals:" not in text:
            continue  # one approval needed, published, approved
        document = split_document(text, path.relative_to(site.content).as_posix())
        item, _ = check_item(document, path, "article", context)
        if item.date is None or (site.now - item.date).days < 14 or "gkoch" in item.authors:
            continue
        current = fingerprint(item, document.body, digest)
        if any(record.fingerprint == current for record in item.approvals):
            return path
    raise SystemExit(f"no post to edit in {site.content}: expected a live, approved post in Technik & Labor")


def approve_as_editor(site: Site, path: Path, at: datetime) -> None:
    """Approve `path` as an editor does (`invoke approve`, with the production settings); stop if it was not."""
    from hub_content.pelican_settings import content_settings
    from hub_review.approve import approve_post
    from pelican.settings import read_settings

    overrides = {"PATH": str(site.content), "HUB_CALENDAR": str(site.calendar)}
    settings = content_settings(read_settings(str(ROOT / "publishconf.py"), override=overrides))
    outcome = approve_post(path, "gkoch", at, settings)
    if not outcome.changed:
        raise SystemExit(f"{path}: not approved: {outcome.message}")


def edit_one_post(site: Site, path: Path, number: int) -> None:
    """Add a sentence to the body, then re-approve it as an editor would (`invoke approve`): it stays live."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nNachtrag {number}: Die Messwerte der zweiten Versuchsreihe sind jetzt ergänzt.\n")
    approve_as_editor(site, path, datetime.now(sitegen.BERLIN))


def edit(site: Site, build: Build = AS_CONFIGURED) -> Measurement:
    """One post's body edited (and re-approved), then the build again; the post is restored afterwards."""
    ensure_built(site, build)
    path = edit_target(site)
    original = path.read_text(encoding="utf-8")
    runs = []
    try:
        for number in range(1, WARM_REPEAT + 1):
            edit_one_post(site, path, number)
            runs.append(build_once(site, build))
        page = next(site.output.rglob(f"{path.stem}/index.html"), None)
        if page is None or f"Nachtrag {WARM_REPEAT}:" not in page.read_text(encoding="utf-8"):
            raise SystemExit(f"the edit of {path} is not in the built page {page}")
    finally:
        path.write_text(original, encoding="utf-8")
        (site.root / BUILD_STATE).unlink(missing_ok=True)  # the output now differs from the content
    return measured(runs, f"{path.relative_to(site.content)}; " + build_note(site, runs[-1]))


def new_post_text(template: str, number: int, date: datetime) -> str:
    """A new post made from an approved one: another title, slug and date, its approvals left out."""
    head, body = template.split("\n---\n", 1)
    kept = []
    skipping = False
    for line in head.splitlines():
        if line.startswith("approvals:"):
            skipping = True
            continue
        if skipping and line.startswith((" ", "-")):
            continue
        skipping = False
        if line.startswith("title:"):
            line = f'title: "Neu aus dem Labor ({number})"'
        elif line.startswith("slug:"):
            line = f"slug: neu-aus-dem-labor-{number}"
        elif line.startswith("date:"):
            line = f"date: {date.strftime('%Y-%m-%d %H:%M %z')}"
        kept.append(line)
    return "\n".join(kept) + "\n---\n" + body


def add(site: Site, build: Build = AS_CONFIGURED) -> Measurement:
    """A new post written and approved (as `invoke approve` does), then the build; removed afterwards."""
    ensure_built(site, build)
    template = edit_target(site)
    text = template.read_text(encoding="utf-8")
    added: list[Path] = []
    runs = []
    try:
        for number in range(1, WARM_REPEAT + 1):
            path = template.with_name(f"neu-aus-dem-labor-{number}.md")
            now = datetime.now(sitegen.BERLIN)
            path.write_text(new_post_text(text, number, now - timedelta(hours=1)), encoding="utf-8")
            added.append(path)
            approve_as_editor(site, path, now)
            runs.append(build_once(site, build))
            if next(site.output.rglob(f"{path.stem}/index.html"), None) is None:
                raise SystemExit(f"the new post {path} was not built into {site.output}")
    finally:
        for path in added:
            path.unlink(missing_ok=True)
        (site.root / BUILD_STATE).unlink(missing_ok=True)  # the output now differs from the content
    return measured(runs, f"{added[-1].relative_to(site.content)}; " + build_note(site, runs[-1]))


def edit_content_cache(site: Site) -> Measurement:
    return edit(site, CONTENT_CACHE)


def preview(site: Site) -> Measurement:
    """`invoke serve`'s preview (bench/preview.py): a post saved, until its page is served with the new text."""
    path = edit_target(site)
    command = [sys.executable, "-m", "bench.preview", str(site.content), str(site.calendar)]
    command += [str(site.root / "preview-output"), str(site.root / "cache" / "preview"), str(site.image_cache)]
    command += [str(path), "--edits", str(WARM_REPEAT)]
    run = timed_runs(command)[0]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    edits = result["edits"]
    best = min(edits, key=lambda e: e["latency"])
    first = "the quick page" if best["quick"] else "the rebuilt page (no quick page)"
    note = (
        f"{path.relative_to(site.content)}: {first} after {best['latency']:.2f} s; the rebuilt page after"
        f" {best['full']:.2f} s (noticed after {best['noticed']:.2f} s, rebuilt in {best['build']:.2f} s,"
        f" served {best['served']:.2f} s later); first build {result['first_build']:.1f} s"
    )
    return Measurement(
        best["latency"],
        tuple(e["latency"] for e in edits),
        note,
        peak_mib=run.peak_mib,
        tree_mib=run.tree_mib or None,
    )


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


def stats_case(site: Site) -> Measurement:
    """`invoke stats` over generated access logs: lines per second, and memory at N/2 and N lines."""
    report = stats_bench.measure(site.root / "stats", site.lines)
    runs = (report.half.seconds, report.full.seconds)
    return Measurement(
        report.full.seconds,
        runs,
        report.note(),
        report.verdict(),
        report.render(),
        peak_mib=report.full.peak_mib,
        tree_mib=report.full.tree_mib,
    )


IMAGE_SITE_CASES = ("cold", "warm", "edit")  # what issue 17 measures on the image-heavy site
REFERENCE = Case("pelican", "plain Pelican 4.12, full build, default settings (the reference)", plain_pelican)
CASES = {
    case.name: case
    for case in [
        Case(
            "cold",
            "our production build (publishconf.py, --fatal errors), empty output folder and caches",
            cold,
            ratio_target=1.5,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "warm",
            f"the production build again, nothing changed, caches kept (best of {WARM_REPEAT})",
            warm,
            ratio_target=0.3,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "edit",
            f"one post's body edited and re-approved, then the production build (caches kept; best of {WARM_REPEAT})",
            edit,
            ratio_target=0.25,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "add",
            f"a new post written and approved, then the production build (caches kept; best of {WARM_REPEAT})",
            add,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "preview",
            f"invoke serve's preview: a post saved until its page is served with the new text (best of {WARM_REPEAT})",
            preview,
            target=2.0,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "warm-cc",
            "as warm, with Pelican's content cache on (-e CACHE_CONTENT=true LOAD_CONTENT_CACHE=true)",
            warm_content_cache,
            ratio_target=0.3,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "edit-cc",
            "as edit, with Pelican's content cache on",
            edit_content_cache,
            ratio_target=0.25,
            memory_target=MEMORY_TARGET_MIB,
        ),
        Case(
            "cold-nocards",
            "as cold, without social cards (-e HUB_SOCIAL_CARDS=false): cold minus this is what the cards cost",
            cold_without_cards,
        ),
        Case("review", "invoke review over all posts", review, target=2.0),
        Case(
            "images",
            "our image pipeline cold (seconds shown), warm, and pelican-image-process on generated photos",
            image_case,
            goal="cold ≥ 3× p-i-p, warm < 1 s, bytes ≤",
            needs_site=False,
        ),
        Case(
            "stats",
            "invoke stats over generated access logs (seconds of the full run shown; runs: N/2 lines, N lines)",
            stats_case,
            goal="10M lines < 2 min, memory flat",
            needs_site=False,
        ),
    ]
}


def prepare(root: Path, posts: int, now: datetime = sitegen.NOW) -> None:
    """Generate the posts site into `root`, unless it already holds the same one (--keep)."""
    prepare_site(Site(root, posts, now=now))


# Folders a benchmark folder may hold besides a generated site: the images case's photos, the
# image-heavy site's folder, and in there its photos (kept when the site is generated again).
OWN_FOLDERS = {"images", "stats", IMAGE_SITE, PHOTOS}


def prepare_site(site: Site) -> None:
    """Generate `site` into its folder, unless the folder already holds the same one (--keep)."""
    root = site.root
    wanted: dict[str, object] = {"posts": site.posts, "now": site.now.isoformat()}
    wanted["generator"] = Path(sitegen.__file__).stat().st_mtime_ns
    if site.kind == "images":
        wanted |= {"photos": site.photos, "scale": site.photo_scale}
        wanted["photo generator"] = Path(photosite.__file__).stat().st_mtime_ns
    marker = root / MARKER
    if marker.exists():
        if json.loads(marker.read_text(encoding="utf-8")) == wanted:
            print(f"reusing the site in {root}")
            return
        generated = ("content", sitegen.PELICAN_CONTENT, "plain-output", "prod-output", "preview-output")
        for name in (*generated, "cache", "profiles"):
            shutil.rmtree(root / name, ignore_errors=True)
        (root / BUILD_STATE).unlink(missing_ok=True)
    elif root.exists() and any(p.name not in OWN_FOLDERS for p in root.iterdir()):
        raise SystemExit(f"--keep {root}: expected an empty or a benchmark folder, found other files")
    root.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if site.kind == "images":
        print(f"generating the image-heavy site: {site.posts} posts, {site.photos} photos", flush=True)
        photosite.generate(
            root, site.posts, site.photos, now=site.now, photo_folder=root / PHOTOS, scale=site.photo_scale
        )
    else:
        sitegen.generate(root, site.posts, now=site.now)
    sitegen.pelican_copy(root)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    print(f"generated the site of {site.label} in {root} ({time.perf_counter() - start:.1f} s)")


def describe_images(site: Site) -> str:
    """The image-heavy site's photos and how its posts use them, as generated."""
    photos = [p for p in (site.content / photosite.PHOTO_DIR).rglob("*.jpg")]
    megabytes = sum(p.stat().st_size for p in photos) / 1e6
    headers = bodies = shown = 0
    for post in (site.content / "posts").rglob("*.md"):
        text = post.read_text(encoding="utf-8")
        headers += f"\n  path: {photosite.PHOTO_DIR}/" in text
        count = text.count(f"]({{static}}/{photosite.PHOTO_DIR}/")
        bodies += count > 0
        shown += count
    return (
        f"{len(photos)} photos ({megabytes:.0f} MB), {headers} posts with a header photo,"
        f" {bodies} with {shown} photos in their body"
    )


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
    header = ["case", "seconds", "× Pelican", "target", "result", "peak MiB", "tree MiB", "runs (s)", "notes"]
    rows = []
    measured = [(REFERENCE, reference), *results] if reference is not None else results
    for case, m in measured:
        # A ratio to the Pelican build of the posts only means something for cases that work on those posts.
        ratio = m.seconds / reference.seconds if reference is not None and case.needs_site else None
        rows.append(
            [
                case.name,
                f"{m.seconds:.2f}",
                f"{ratio:.3f}" if ratio is not None else "",
                target_text(case),
                verdict(case, m, ratio),
                f"{m.peak_mib:.0f}" if m.peak_mib is not None else "",
                f"{m.tree_mib:.0f}" if m.tree_mib is not None else "",
                " ".join(f"{r:.2f}" for r in m.runs),
                m.note,
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    described = [f"  {c.name}: {c.description}" for c, _ in measured]
    described += [
        "  peak MiB: max RSS of the largest process of the case (wait4: the build or one of its workers);",
        "  tree MiB: peak of the summed PSS of the process and all its children, sampled 5 times a second",
    ]
    details = [f"\n{m.detail}" for _, m in measured if m.detail]
    heading = f"{site.label}; {machine()}" if reference is not None else machine()
    if reference is not None and site.kind == "images":
        heading += f"\n{describe_images(site)}"
    return "\n".join([heading, "", *lines, "", *described, *details])


def target_text(case: Case) -> str:
    parts = []
    if case.target is not None:
        parts.append(f"< {case.target:g} s")
    if case.ratio_target is not None:
        parts.append(f"≤ {case.ratio_target:g}×")
    if case.memory_target is not None:
        parts.append(f"< {case.memory_target / 1024:g} GiB")
    return ", ".join(parts) or case.goal


def verdict(case: Case, m: Measurement, ratio: float | None) -> str:
    """PASS or FAIL against every target the case has (FAIL names what missed); the case's own if none."""
    missed, judged = [], False
    if case.target is not None:
        judged = True
        if not m.seconds < case.target:
            missed.append("time")
    if case.ratio_target is not None and ratio is not None:
        judged = True
        if ratio > case.ratio_target:
            missed.append("time")
    if case.memory_target is not None and m.peak_mib is not None:
        judged = True
        if not m.peak_mib < case.memory_target:
            missed.append("memory")
    if not judged:
        return m.verdict
    return f"FAIL ({', '.join(missed)})" if missed else "PASS"


# --- profiles --------------------------------------------------------------------------------------

PLUGIN_FILE = re.compile(r"[/\\]plugins[/\\](\w+)[/\\]")
# Where a function's own time goes: ours by plugin, Pelican, and the libraries Pelican builds with.
# Anything else (the standard library, YAML, feedgen, lxml, blinker, builtins) is charged to its callers.
LIBRARIES = {
    "pelican": "pelican",
    "markdown": "Markdown",
    "jinja2": "Jinja",
    "markupsafe": "Jinja",
    "PIL": "Pillow",
    "rich": "logging",
}


def owner(filename: str) -> str | None:
    """The bucket a function belongs to by its file, or None to charge its callers."""
    match = PLUGIN_FILE.search(filename)
    if match:
        return f"plugin {match.group(1)}"
    if filename.endswith(".html") or "/templates/" in filename:
        return "Jinja"  # compiled templates
    if f"{os.sep}logging{os.sep}" in filename:
        return "logging"
    for package, name in LIBRARIES.items():
        if f"{os.sep}site-packages{os.sep}{package}{os.sep}" in filename:
            return name
    return None


def attribute(stats: pstats.Stats) -> dict[str, float]:
    """Every function's own time, charged to the nearest owned function up its callers (split by calls' times)."""
    raw = stats.stats  # type: ignore[attr-defined]
    buckets: collections.Counter[str] = collections.Counter()
    shares: dict[tuple, dict[str, float]] = {}

    def share(func: tuple, depth: int = 0) -> dict[str, float]:
        """How `func`'s time divides among owners: itself if owned, else its callers' owners by weight."""
        if func in shares:
            return shares[func]
        name = owner(func[0])
        if name is not None:
            result = {name: 1.0}
        elif depth > 60 or func not in raw or not raw[func][4]:
            result = {"other": 1.0}
        else:
            shares[func] = {"other": 1.0}  # a cycle back here: charge it to "other"
            callers = raw[func][4]
            total = sum(entry[3] for entry in callers.values()) or float(len(callers))
            result = collections.defaultdict(float)
            for caller, entry in callers.items():
                weight = (entry[3] if total else 1.0) / total
                for bucket, part in share(caller, depth + 1).items():
                    result[bucket] += weight * part
        shares[func] = dict(result)
        return shares[func]

    for func, (_cc, _nc, tottime, _ct, _callers) in raw.items():
        for bucket, part in share(func).items():
            buckets[bucket] += tottime * part
    return dict(buckets)


def top_functions(stats: pstats.Stats, count: int = 15) -> list[tuple[float, float, str, str]]:
    """The `count` owned functions (ours, Pelican's, the libraries') with the most cumulative time,
    leaving out mere wrappers: those that spend 90% or more of their time in a single owned callee."""
    raw = stats.stats  # type: ignore[attr-defined]
    biggest_callee: dict[tuple, float] = collections.defaultdict(float)
    for func, (_cc, _nc, _tt, _ct, callers) in raw.items():
        if owner(func[0]) is not None:
            for caller, entry in callers.items():
                biggest_callee[caller] = max(biggest_callee[caller], entry[3])
    ranked = sorted(
        (
            (ct, tt, func)
            for func, (_cc, _nc, tt, ct, _callers) in raw.items()
            if owner(func[0]) is not None
            and not func[2].startswith("<")  # not <module>, <lambda>, <listcomp>
            and biggest_callee[func] < 0.9 * ct
        ),
        reverse=True,
    )
    rows = []
    for ct, tt, (filename, line, name) in ranked[:count]:
        short = filename.split("site-packages" + os.sep)[-1].replace(str(ROOT) + os.sep, "")
        rows.append((ct, tt, f"{short}:{line} {name}", owner(filename) or ""))
    return rows


def profile_report(path: Path, label: str, seconds: float) -> str:
    stats = pstats.Stats(str(path))
    total = stats.total_tt  # type: ignore[attr-defined]
    buckets = attribute(stats)
    lines = [f"{label}: {seconds:.1f} s wall under cProfile, {total:.1f} s profiled in the main process ({path})", ""]
    lines.append("  by owner (own time, library and standard-library time charged to who called it):")
    for bucket, value in sorted(buckets.items(), key=lambda kv: -kv[1]):
        if value >= 0.005 * total:
            lines.append(f"    {bucket:<24} {value:7.2f} s  {100 * value / total:5.1f} %")
    lines.append("")
    lines.append("  top functions by cumulative time (s; own time in brackets):")
    for ct, tt, where, bucket in top_functions(stats, 25):
        lines.append(f"    {ct:7.2f} ({tt:6.2f})  {bucket:<22} {where}")
    return "\n".join(lines)


def profile(site: Site) -> str:
    """A cold and a warm production build under cProfile; the profiles stay in <site>/profiles/."""
    folder = site.root / "profiles"
    folder.mkdir(exist_ok=True)
    clear_build(site)
    reports = []
    for label, build in (
        ("cold", AS_CONFIGURED),
        ("warm", AS_CONFIGURED),
        ("warm-cc (prime)", CONTENT_CACHE),
        ("warm-cc", CONTENT_CACHE),
    ):
        target = folder / f"{label.split()[0]}.prof"
        run = build_once(site, build, profile=target)
        if "prime" not in label:
            reports.append(profile_report(target, label, run.seconds))
    return "\n\n".join(reports)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site",
        choices=("posts", "images", "both"),
        default="posts",
        help="the generated site to measure: the posts site (default), the image-heavy site, or both, one after the other",
    )
    parser.add_argument("--posts", type=int, default=5000, help="posts of the posts site (default 5000)")
    parser.add_argument(
        "--photo-posts",
        type=int,
        default=photosite.POSTS,
        help=f"posts of the image-heavy site (default {photosite.POSTS})",
    )
    parser.add_argument(
        "--photos",
        type=int,
        default=photosite.PHOTOS,
        help=f"photos of the image-heavy site (default {photosite.PHOTOS})",
    )
    parser.add_argument(
        "--cases",
        help=f"comma-separated, from: {', '.join(CASES)} (default: every case on the posts site, "
        f"{','.join(IMAGE_SITE_CASES)} on the image-heavy site)",
    )
    parser.add_argument(
        "--images", type=int, default=images.COUNT, help=f"photos for the images case (default {images.COUNT})"
    )
    parser.add_argument(
        "--lines",
        type=int,
        default=stats_bench.LINES,
        help=f"lines of access log for the stats case (default {stats_bench.LINES:,}; a busy month: 10,000,000)",
    )
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one")
    parser.add_argument(
        "--now",
        help="the review moment to generate the site for, e.g. '2026-11-21 10:00' (default: "
        "2026-11-21 10:00 moved by whole weeks to the real clock, which production builds judge by)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="instead of the cases: profile a cold and a warm production build (cProfile) and print the costs",
    )
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in (args.cases or "").split(",") if n.strip()]
    unknown = [n for n in chosen if n not in CASES]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; known: {', '.join(CASES)}")
    now = sitegen.anchor()
    if args.now:
        from hub_core.dates import parse_when

        given = parse_when(args.now, sitegen.BERLIN)
        if given is None:
            parser.error(f"--now: expected a date such as 2026-11-21 or '2026-11-21 10:00', found '{args.now}'")
        now = given
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as temporary:
        root = args.keep.resolve() if args.keep else Path(temporary)
        sites = []
        if args.site in ("posts", "both"):
            sites.append(Site(root, args.posts, args.images, now, lines=args.lines))
        if args.site in ("images", "both"):
            sites.append(Site(root / IMAGE_SITE, args.photo_posts, args.images, now, "images", args.photos))
        if args.profile:
            for site in sites:
                prepare_site(site)
                print(f"{site.label}:\n{profile(site)}\n")
            return 0
        done: set[str] = set()  # the cases that need no site run once, with the first site
        for site in sites:
            names = chosen or (list(CASES) if site.kind == "posts" else list(IMAGE_SITE_CASES))
            names = [n for n in names if CASES[n].needs_site or n not in done]
            done |= set(names)
            reference = None
            if any(CASES[name].needs_site for name in names):
                prepare_site(site)
                print(f"running on the site of {site.label}: {REFERENCE.name}", flush=True)
                reference = REFERENCE.measure(site)
            results = []
            for name in names:
                print(f"running on the site of {site.label}: {name}", flush=True)
                results.append((CASES[name], CASES[name].measure(site)))
            if results:
                print()
                print(table(site, reference, results))
                print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
