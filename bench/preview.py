"""The `preview` case: in `invoke serve`'s preview, from saving a post to the page served with the new text.

    python -m bench.preview CONTENT CALENDAR OUTPUT CACHE IMAGE_CACHE POST [--edits N] [--timeout S]

Starts the preview as `invoke serve` starts it (hub_preview.server.Preview: the files a build reads
watched, the development build of pelicanconf.py in a subprocess, the HTTP server on 127.0.0.1, a
free port), only with the output and the caches in the benchmark's folders. Waits for the first
build, then, `--edits` times, appends a sentence to POST as an author saves it (no re-approval: the
development build shows the post with its approval gone stale) and fetches the post's page over
HTTP every POLL seconds until it shows the sentence. Per edit it reports the seconds from the save
to the first page showing it (the quick page, hub_preview/quick.py, when the preview made one) and
to the page as the rebuild wrote it, the latter split into noticing the save (save → the rebuild
starts: the file watcher and the preview's wait for saving to settle), the rebuild, and serving
(rebuild done → page fetched).
Then stops the preview (its threads ended and the port closed, checked), puts the post back and
prints one line of JSON. bench/run.py runs this in a fresh process and times nothing itself.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from hub_preview.build import pelican_command
from hub_preview.quick import QuickRenderer
from hub_preview.server import Preview, PreviewConfig
from hub_preview.watch import Sources

from bench import ROOT

POLL = 0.025  # seconds between two looks at the page (and at the preview's build status)
FIRST_BUILD_TIMEOUT = 3600.0  # the first build may be a cold one of thousands of posts
QUICK_MARK = "data-hub-quick"  # the notice a quick page carries (hub_preview/page.py)
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy


@dataclass(frozen=True)
class Edit:
    latency: float  # save → the page served with the new text (the quick page, when there is one)
    quick: bool  # whether that first page was a quick page (hub_preview/quick.py)
    full: float  # save → the page as the rebuild wrote it, served with the new text
    noticed: float  # save → the rebuild started
    build: float  # the rebuild
    served: float  # rebuild finished → the rebuilt page fetched with the new text


def fetch(url: str) -> str:
    """The page's HTML, or "" while the preview answers with an error (being built, not found)."""
    try:
        with NO_PROXY.open(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return ""


def port_closed(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1.0)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def page_of(output: Path, post: Path) -> str:
    """The post's page as an address relative to the site (`2025/beitrag-00012/`)."""
    pages = sorted(output.rglob(f"{post.stem}/index.html"))
    if not pages:
        raise SystemExit(f"the preview's first build wrote no page for {post} into {output}")
    return pages[0].parent.relative_to(output).as_posix() + "/"


def measure_edits(preview: Preview, url: str, post: Path, edits: int, timeout: float) -> list[Edit]:
    results = []
    for number in range(1, edits + 1):
        sentence = f"Vorschau-Nachtrag {number}: Die Ergebnisse der dritten Messreihe folgen nächste Woche."
        if sentence in fetch(url):
            raise SystemExit(f"{url} shows '{sentence}' before it was saved")
        builds = preview.status.now().builds
        with post.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{sentence}\n")
        saved = time.perf_counter()
        started = built = first = None
        quick = False
        while True:
            snapshot, now = preview.status.now(), time.perf_counter()
            if started is None and (snapshot.building or snapshot.builds > builds):
                started = now
            if built is None and snapshot.builds > builds:
                if snapshot.failure is not None:
                    shown = "\n".join(problem.text for problem in snapshot.failure)
                    raise SystemExit(f"the rebuild after saving {post} failed:\n{shown}")
                built = now
            page = fetch(url)
            if first is None and sentence in page:
                first, quick = time.perf_counter(), QUICK_MARK in page
            if built is not None and sentence in page and QUICK_MARK not in page:
                served = time.perf_counter()
                break
            if now - saved > timeout:
                raise SystemExit(f"{url} did not show the saved sentence within {timeout:.0f} s")
            time.sleep(POLL)
        started = started if started is not None else built
        first = first if first is not None else served
        results.append(Edit(first - saved, quick, served - saved, started - saved, built - started, served - built))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("content", "calendar", "output", "cache", "image_cache", "post"):
        parser.add_argument(name, type=Path)
    parser.add_argument("--edits", type=int, default=2, help="saves to measure, one after another (default 2)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for one saved edit")
    args = parser.parse_args(argv)
    content, output, post = args.content.resolve(), args.output.resolve(), args.post.resolve()
    dev_settings = ROOT / "pelicanconf.py"
    sources = Sources(
        content=content,
        calendar=args.calendar.resolve(),
        theme=ROOT / "themes" / "hub",
        settings=(dev_settings, ROOT / "publishconf.py"),
        plugins=ROOT / "plugins",
        written=(output, args.cache.resolve(), args.image_cache.resolve()),
    )
    overrides = {
        "HUB_CALENDAR": str(sources.calendar),
        "CACHE_PATH": str(args.cache.resolve()),
        "HUB_IMAGE_CACHE": str(args.image_cache.resolve()),
    }
    command = pelican_command(content, output, dev_settings, overrides)
    quick = QuickRenderer(dev_settings, content, output, overrides, watched=sources.settings)
    # As `invoke serve`: the build finds the plugins through PYTHONPATH.
    paths = (str(ROOT / "plugins"), os.environ.get("PYTHONPATH", ""))
    environ = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    log: list[str] = []
    preview = Preview(
        PreviewConfig(sources, output, command, cwd=ROOT, port=0, environ=environ, quick=quick), echo=log.append
    )
    original = post.read_bytes()
    started = time.perf_counter()
    url = preview.start()
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    try:
        while (snapshot := preview.status.now()).builds == 0:
            if time.perf_counter() - started > FIRST_BUILD_TIMEOUT:
                raise SystemExit(f"the preview's first build did not end within {FIRST_BUILD_TIMEOUT:.0f} s")
            time.sleep(0.1)
        first_build = time.perf_counter() - started
        if snapshot.failure is not None:
            raise SystemExit("the preview's first build failed:\n" + "\n".join(log[-40:]))
        page = page_of(output, post)
        edits = measure_edits(preview, url + page, post, args.edits, args.timeout)
    except SystemExit as stop:
        print("\n".join(log[-60:]), file=sys.stderr)
        raise stop
    finally:
        preview.stop()
        post.write_bytes(original)
    stopped = port_closed(port)
    print(
        json.dumps({"first_build": first_build, "page": page, "edits": [asdict(e) for e in edits], "stopped": stopped})
    )
    return 0 if stopped else 1


if __name__ == "__main__":
    sys.exit(main())
