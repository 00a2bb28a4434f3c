"""fast_clean: a build goes into a folder beside the output and replaces it only when it succeeded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Site, valid_post
from hub_core.errors import BuildStopped
from hub_fast_clean import wait_for_deletion
from hub_fast_clean.folders import staging_target


def beside(site: Site) -> list[Path]:
    """Staging folders and old outputs next to output/, once the background deletion is done."""
    wait_for_deletion()
    return sorted(site.output.parent.glob(f".{site.output.name}.*"))


@pytest.mark.parametrize("delete", [False, True], ids=["development", "production"])
def test_a_build_leaves_only_what_it_wrote_and_sweeps_what_killed_builds_left(site: Site, delete: bool) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.build(DELETE_OUTPUT_DIRECTORY=delete)
    (site.output / "stale.html").write_text("old", encoding="utf-8")
    (site.output / "old" / "deep").mkdir(parents=True)
    (site.output / "old" / "deep" / "x.txt").write_text("old", encoding="utf-8")
    killed = [site.output.parent / f".{site.output.name}.{kind}-999999-0" for kind in ("deleting", "building")]
    running = site.output.parent / f".{site.output.name}.building-1-0"  # pid 1 runs: a build beside ours
    for folder in [*killed, running]:
        (folder / "sub").mkdir(parents=True)
    before = site.output.stat().st_ino

    site.build(DELETE_OUTPUT_DIRECTORY=delete)

    assert site.output.stat().st_ino != before  # a new folder, renamed into place
    assert not (site.output / "stale.html").exists() and not (site.output / "old").exists()
    assert (site.output / "2026" / "a" / "index.html").is_file()
    assert beside(site) == [running]


def test_files_to_keep_move_into_the_new_output(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.output.mkdir()
    (site.output / ".git").mkdir()
    (site.output / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    kept = (site.output / ".git" / "HEAD").stat().st_ino
    (site.output / "stale.html").write_text("old", encoding="utf-8")

    site.build(DELETE_OUTPUT_DIRECTORY=True, OUTPUT_RETENTION=[".git"])

    assert (site.output / ".git" / "HEAD").stat().st_ino == kept  # moved, not copied
    assert not (site.output / "stale.html").exists()
    assert (site.output / "2026" / "a" / "index.html").is_file()
    assert beside(site) == []


def test_a_symlinked_output_stays_a_symlink(site: Site, tmp_path: Path) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    real = tmp_path / "served"
    real.mkdir()
    (real / "stale.html").write_text("old", encoding="utf-8")
    os.symlink(real, site.output)

    site.build(DELETE_OUTPUT_DIRECTORY=True)

    assert site.output.is_symlink()
    assert (real / "2026" / "a" / "index.html").is_file()
    assert not (real / "stale.html").exists()
    wait_for_deletion()
    assert sorted(p.name for p in tmp_path.glob(".served.*")) == []


def test_a_build_stopped_by_its_checks_keeps_the_old_output(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.build(DELETE_OUTPUT_DIRECTORY=True)
    before = site.output.stat().st_ino
    site.write("posts/b.md", valid_post(slug="b", authors="[niemand]"))

    with pytest.raises(BuildStopped):
        site.build(DELETE_OUTPUT_DIRECTORY=True)

    assert site.output.stat().st_ino == before and (site.output / "2026" / "a" / "index.html").is_file()
    assert beside(site) == []


def test_in_place_when_asked_writes_into_the_output_as_pelican_does(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.output.mkdir()
    (site.output / "kept.html").write_text("old", encoding="utf-8")
    before = site.output.stat().st_ino

    site.build(HUB_STAGED_OUTPUT=False, DELETE_OUTPUT_DIRECTORY=False)

    assert site.output.stat().st_ino == before and (site.output / "kept.html").is_file()
    assert (site.output / "2026" / "a" / "index.html").is_file()


def test_in_place_a_failed_build_puts_the_moved_output_back(site: Site) -> None:
    """In place with production settings: Pelican empties the output, and a failed rebuild must not leave it empty."""
    post = site.write("posts/a.md", valid_post(slug="a"))
    site.approve("posts/a.md")
    site.build(HUB_STAGED_OUTPUT=False, DELETE_OUTPUT_DIRECTORY=True)
    before = site.output.stat().st_ino
    # Passes the content check, fails in the review gate: after the output was moved aside.
    post.write_text(post.read_text(encoding="utf-8").replace("by: eeditor", "by: jdoe"), encoding="utf-8")

    with pytest.raises(BuildStopped, match="review_gate"):
        site.build(HUB_STAGED_OUTPUT=False, DELETE_OUTPUT_DIRECTORY=True)

    assert site.output.stat().st_ino == before
    assert (site.output / "2026" / "a" / "index.html").is_file()
    assert beside(site) == []


def test_no_staging_where_a_rename_cannot_replace_the_output(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    assert staging_target(tmp_path / "site" / "output", content) == tmp_path / "site" / "output"
    assert staging_target(tmp_path / "site", content) is None  # the output holds the content
    assert staging_target(content, content) is None
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert staging_target(tmp_path / "file", content) is None
