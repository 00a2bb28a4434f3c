"""fast_clean: the old output goes in one rename and is deleted beside the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Site, valid_post
from content_model import ContentCheckFailed


def aside_folders(site: Site) -> list[Path]:
    return sorted(site.output.parent.glob(f".{site.output.name}.deleting-*"))


def test_a_deleting_build_leaves_only_what_it_wrote(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.build(DELETE_OUTPUT_DIRECTORY=True)
    (site.output / "stale.html").write_text("old", encoding="utf-8")
    (site.output / "old" / "deep").mkdir(parents=True)
    (site.output / "old" / "deep" / "x.txt").write_text("old", encoding="utf-8")
    left_over = site.output.parent / f".{site.output.name}.deleting-999999"  # from a build that was killed
    (left_over / "sub").mkdir(parents=True)
    before = site.output.stat().st_ino

    site.build(DELETE_OUTPUT_DIRECTORY=True)

    assert site.output.stat().st_ino != before  # a new folder: the old one was moved aside, not emptied
    assert not (site.output / "stale.html").exists() and not (site.output / "old").exists()
    assert (site.output / "2026" / "a" / "index.html").is_file()
    assert aside_folders(site) == []


def test_files_to_keep_leave_the_cleaning_to_pelican(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.output.mkdir()
    (site.output / ".git").mkdir()
    (site.output / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (site.output / "stale.html").write_text("old", encoding="utf-8")
    before = site.output.stat().st_ino

    site.build(DELETE_OUTPUT_DIRECTORY=True, OUTPUT_RETENTION=[".git"])

    assert site.output.stat().st_ino == before
    assert (site.output / ".git" / "HEAD").is_file()
    assert not (site.output / "stale.html").exists()
    assert aside_folders(site) == []


def test_without_deleting_the_output_stays_where_it_is(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.output.mkdir()
    (site.output / "kept.html").write_text("old", encoding="utf-8")
    before = site.output.stat().st_ino

    site.build(DELETE_OUTPUT_DIRECTORY=False)

    assert site.output.stat().st_ino == before and (site.output / "kept.html").is_file()


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


def test_a_build_stopped_by_its_checks_keeps_the_old_output(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="a"))
    site.build(DELETE_OUTPUT_DIRECTORY=True)
    before = site.output.stat().st_ino
    site.write("posts/b.md", valid_post(slug="b", authors="[niemand]"))

    with pytest.raises(ContentCheckFailed):
        site.build(DELETE_OUTPUT_DIRECTORY=True)

    assert site.output.stat().st_ino == before and (site.output / "2026" / "a" / "index.html").is_file()
    assert aside_folders(site) == []
