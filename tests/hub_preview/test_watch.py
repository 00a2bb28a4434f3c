"""Which saved files start a rebuild, and when (pure: paths and a clock)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hub_preview.watch import Debounce, Sources, WatchRoot, is_scratch, triggers_rebuild, watch_roots

ROOT = Path("/blog")
SOURCES = Sources(
    content=ROOT / "content",
    calendar=ROOT / "editorial_calendar.yaml",
    theme=ROOT / "themes" / "hub",
    settings=(ROOT / "pelicanconf.py", ROOT / "publishconf.py"),
    plugins=ROOT / "plugins",
    written=(ROOT / "output", ROOT / "output-prod", ROOT / "cache"),
)


@pytest.mark.parametrize(
    "relative",
    [
        "content/posts/2026/beitrag.md",
        "content/pages/impressum.md",
        "content/images/posts/foto.jpg",
        "editorial_calendar.yaml",
        "themes/hub/templates/base.html",
        "themes/hub/static/css/hub.css",
        "pelicanconf.py",
        "publishconf.py",
        "plugins/hub_content/checks.py",
        "plugins/hub_theme/locale/de/LC_MESSAGES/hub_theme.mo",
    ],
)
def test_what_a_build_reads_starts_a_rebuild(relative: str) -> None:
    assert triggers_rebuild(ROOT / relative, SOURCES)


@pytest.mark.parametrize(
    "relative",
    [
        "output/index.html",  # the build's own writing
        "output-prod/index.html",
        "cache/hub-markdown/ab.json",
        ".output.building-12-0/index.html",
        "README.md",  # beside the site, read by no build
        "tasks.py",
        "docs/architecture.md",
        "data/crosspost-ledger.jsonl",
        ".git/index",
        "editorial_calendar.yaml.bak",
        "content/posts/.beitrag.md.swp",  # vim
        "content/posts/4913",  # vim's test whether it may write the folder
        "content/posts/beitrag.md~",
        "content/posts/#beitrag.md#",  # emacs
        "content/posts/.#beitrag.md",
        "content/posts/.beitrag.md.1a2b3c4d.tmp",  # our own atomic writes
        "plugins/hub_content/__pycache__/checks.cpython-311.pyc",
        "themes/hub/.DS_Store",
    ],
)
def test_scratch_files_and_other_folders_do_not(relative: str) -> None:
    assert not triggers_rebuild(ROOT / relative, SOURCES)


def test_a_written_folder_inside_a_watched_one_is_still_ignored() -> None:
    inside = Sources(
        content=ROOT / "site",
        calendar=ROOT / "editorial_calendar.yaml",
        theme=ROOT / "theme",
        settings=(),
        plugins=ROOT / "plugins",
        written=(ROOT / "site" / "output",),
    )
    assert not triggers_rebuild(ROOT / "site" / "output" / "index.html", inside)
    assert triggers_rebuild(ROOT / "site" / "posts" / "a.md", inside)


def test_scratch_names_count_below_the_watched_folder_only() -> None:
    # A project checked out under a hidden folder (~/.work/blog) still rebuilds.
    hidden = Sources(
        content=Path("/home/jana/.work/blog/content"),
        calendar=Path("/home/jana/.work/blog/editorial_calendar.yaml"),
        theme=Path("/home/jana/.work/blog/themes/hub"),
        settings=(),
        plugins=Path("/home/jana/.work/blog/plugins"),
    )
    assert triggers_rebuild(Path("/home/jana/.work/blog/content/posts/a.md"), hidden)
    assert is_scratch(Path(".work/a.md")) and not is_scratch(Path("posts/a.md"))


def test_folders_are_watched_with_their_subfolders_and_single_files_by_their_folder() -> None:
    assert watch_roots(SOURCES) == (
        WatchRoot(ROOT / "content", recursive=True),
        WatchRoot(ROOT / "themes" / "hub", recursive=True),
        WatchRoot(ROOT / "plugins", recursive=True),
        WatchRoot(ROOT, recursive=False),  # once, for the calendar and both settings files
    )


def test_a_calendar_inside_the_content_needs_no_watch_of_its_own() -> None:
    inside = Sources(
        content=ROOT / "content",
        calendar=ROOT / "content" / "kalender.yaml",
        theme=ROOT / "themes" / "hub",
        settings=(),
        plugins=ROOT / "plugins",
    )
    assert all(root.recursive for root in watch_roots(inside))


def test_debounce_waits_until_saving_settles() -> None:
    debounce = Debounce(quiet=0.2, longest=2.0)
    assert debounce.wait(0.0) is None and not debounce.due(100.0)
    debounce = debounce.add([ROOT / "a.md"], now=10.0)
    assert debounce.wait(10.0) == pytest.approx(0.2)
    debounce = debounce.add([ROOT / "b.md"], now=10.15)  # a second file, before the first settled
    assert not debounce.due(10.3)
    assert debounce.due(10.35)
    changed, fresh = debounce.take()
    assert changed == {ROOT / "a.md", ROOT / "b.md"}
    assert fresh.wait(10.35) is None


def test_a_stream_of_changes_still_rebuilds_after_the_longest_wait() -> None:
    debounce = Debounce(quiet=0.2, longest=2.0)
    now = 0.0
    while now < 1.95:
        debounce = debounce.add([ROOT / f"{now}.md"], now)
        assert not debounce.due(now)
        now += 0.1
    debounce = debounce.add([ROOT / "last.md"], now)
    assert debounce.due(2.0)


def test_nothing_added_changes_nothing() -> None:
    debounce = Debounce()
    assert debounce.add([], now=5.0) == debounce
