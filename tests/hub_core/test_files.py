"""The one atomic writer (hub_core.files) in its forms: modes, no half files, nothing overwritten by create_new."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from hub_core.files import create_new, replace_atomically, write_atomically


@pytest.fixture
def umask_027() -> Iterator[None]:
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_published_files_are_readable_by_all_whatever_the_umask(tmp_path: Path, umask_027: None) -> None:
    target = tmp_path / "feeds" / "atom.xml"
    assert write_atomically(target, b"<feed/>") and target.read_bytes() == b"<feed/>"
    assert mode(target) == 0o644
    before = target.stat().st_mtime_ns
    assert not write_atomically(target, b"<feed/>") and target.stat().st_mtime_ns == before
    assert create_new(tmp_path / "posts" / "a.md", b"neu") and mode(tmp_path / "posts" / "a.md") == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.md", "atom.xml", "feeds", "posts"]


def test_a_file_written_by_a_library_keeps_the_umask_and_a_failed_write_leaves_nothing(
    tmp_path: Path, umask_027: None
) -> None:
    target = tmp_path / "card.jpg"
    replace_atomically(target, lambda stream: stream.write(b"jpeg"))
    assert target.read_bytes() == b"jpeg" and mode(target) == 0o640

    def fail(stream: object) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(target, fail)
    assert target.read_bytes() == b"jpeg" and [p.name for p in tmp_path.iterdir()] == ["card.jpg"]


def test_create_new_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"von Hand")
    assert not create_new(target, b"importiert")
    assert target.read_bytes() == b"von Hand" and [p.name for p in tmp_path.iterdir()] == ["a.md"]
