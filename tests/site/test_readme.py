"""The README documents what the code does: every check and every task."""

from __future__ import annotations

from conftest import ROOT
from hub_content.fields import CHECKS, KNOWN_KEYS


def test_readme_lists_every_check_with_its_default_level() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for check, (level, _) in CHECKS.items():
        assert f"| `{check}` | {level.value} |" in readme, check


def test_readme_documents_every_front_matter_field() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in KNOWN_KEYS:
        if key in ("save_as", "url", "template"):
            continue  # Pelican's own, documented by Pelican
        assert f"| `{key}` |" in readme, key


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## The menu")]
    assert "make build" in head and "make test" in head
    assert "make test" in (ROOT / ".ci" / "run").read_text()
