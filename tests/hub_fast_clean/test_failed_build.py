"""A failed build loses nothing: the output of the last good build stays byte for byte (plugins/hub_fast_clean)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, Site, valid_post
from hub_core.errors import BuildStopped

Snapshot = list[tuple[str, str, int]]


def snapshot(output: Path) -> Snapshot:
    """Every entry of the output: path, SHA-256 of a file's bytes (or where a link points), mode."""
    entries = []
    for path in sorted(output.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            content = "link:" + os.readlink(path)
        elif path.is_file():
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            content = "folder"
        entries.append((path.relative_to(output).as_posix(), content, info.st_mode))
    return entries


def beside(site: Site) -> list[str]:
    """Staging folders and old outputs left next to output/, once the background deletion is done."""
    from hub_fast_clean import wait_for_deletion

    wait_for_deletion()
    return sorted(p.name for p in site.output.parent.iterdir() if p.name.startswith(f".{site.output.name}."))


@pytest.fixture
def published(site: Site, make_image) -> Site:
    """A site whose posts all go live in production: one with a header image, each approved by an editor."""
    make_image("images/posts/halle.jpg", (1200, 675))
    site.write(
        "posts/halle.md",
        valid_post(
            title='"Die neue Halle"',
            slug="halle",
            image="\n  path: images/posts/halle.jpg\n  alt: Die Halle von außen\n  credit: 'Foto: Jana'\n  license: CC BY 4.0",
        ),
    )
    site.write("posts/labor.md", valid_post(title='"Im Labor"', slug="labor", date="2026-11-17 09:00 +01:00"))
    site.approve("posts/halle.md")
    site.approve("posts/labor.md")
    return site


def self_approval(site: Site) -> None:
    """An approval by the post's own author, written by hand (`invoke approve` refuses it): an error in every build."""
    path = site.content / "posts/labor.md"
    path.write_text(path.read_text(encoding="utf-8").replace("by: eeditor", "by: jdoe"), encoding="utf-8")


def broken_yaml(site: Site) -> None:
    site.write("posts/labor.md", "---\ntitle: [Im Labor\nauthors: [jdoe]\n---\nText.\n")


def missing_image(site: Site) -> None:
    (site.content / "images/posts/halle.jpg").unlink()


def empty_image(site: Site) -> None:
    (site.content / "images/posts/halle.jpg").write_bytes(b"")


BREAKAGES: dict[str, Callable[[Site], None]] = {
    "gate: self-approval": self_approval,
    "content: broken YAML front matter": broken_yaml,
    "image: header image missing": missing_image,
    "image: header image empty": empty_image,
}


@pytest.mark.parametrize("prod", [False, True], ids=["development", "production"])
@pytest.mark.parametrize("breakage", list(BREAKAGES), ids=list(BREAKAGES))
def test_a_failed_build_leaves_the_last_output_byte_for_byte(published: Site, breakage: str, prod: bool) -> None:
    published.build(prod=prod)
    before = snapshot(published.output)
    assert any(path == "2026/halle/index.html" for path, _, _ in before)

    BREAKAGES[breakage](published)
    with pytest.raises(BuildStopped):
        published.build(prod=prod)

    assert snapshot(published.output) == before
    assert beside(published) == []  # no staging folder, no old output left behind


def test_an_unapproved_post_that_must_not_be_held_back_fails_production_and_keeps_the_output(published: Site) -> None:
    strict = {"HUB_CHECKS": {"held-back": "error", "image-credit": "error", "stale-blog": "error"}}
    published.build(prod=True, **strict)
    before = snapshot(published.output)
    published.write("posts/ungeprueft.md", valid_post(title='"Ungeprüft"', slug="ungeprueft"))

    with pytest.raises(BuildStopped):
        published.build(prod=True, **strict)

    assert snapshot(published.output) == before


@pytest.mark.parametrize("prod", [False, True], ids=["development", "production"])
def test_a_build_that_fails_after_writing_keeps_the_output(published: Site, prod: bool) -> None:
    """The latest possible failure: every page of a changed site is written, then the build fails."""
    from pelican import signals

    published.build(prod=prod)
    before = snapshot(published.output)
    published.write("posts/neu.md", valid_post(title='"Neu"', slug="neu", date="2026-11-19 09:00 +01:00"))
    published.approve("posts/neu.md")

    def fail(_pelican: object) -> None:
        raise OSError("No space left on device")

    signals.finalized.connect(fail)
    try:
        with pytest.raises(OSError, match="No space left"):
            published.build(prod=prod)
    finally:
        signals.finalized.disconnect(fail)

    assert snapshot(published.output) == before
    assert beside(published) == []


def test_the_pelican_command_exits_non_zero_and_keeps_the_output(published: Site) -> None:
    """Also without invoke: the plugin guards every build, not the task."""
    command = [
        sys.executable,
        "-m",
        "pelican",
        str(published.content),
        "-o",
        str(published.output),
        "-s",
        str(ROOT / "publishconf.py"),
        "--fatal",
        "errors",
        "-e",
        f'HUB_CALENDAR="{published.calendar}"',
        f'CACHE_PATH="{published.root / "cache"}"',
    ]
    environment = {**os.environ, "CI": "true"}
    built = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    before = snapshot(published.output)
    self_approval(published)

    failed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment, timeout=300)

    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert snapshot(published.output) == before
