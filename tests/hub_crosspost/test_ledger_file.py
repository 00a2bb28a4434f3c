"""Where the cross-posting ledger lives: HUB_CROSSPOST_LEDGER, by default data/crosspost-ledger.jsonl beside content/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Site
from hub_crosspost.ledger import LedgerError, ledger_file


def test_the_ledger_file_is_hub_crosspost_ledger_counted_from_beside_content(tmp_path: Path) -> None:
    content = tmp_path / "blog" / "content"
    assert ledger_file({"PATH": str(content)}) == tmp_path / "blog" / "data" / "crosspost-ledger.jsonl"
    assert ledger_file({"PATH": str(content), "HUB_CROSSPOST_LEDGER": "state/ledger.jsonl"}) == (
        tmp_path / "blog" / "state" / "ledger.jsonl"
    )
    absolute = tmp_path / "l.jsonl"
    assert ledger_file({"PATH": str(content), "HUB_CROSSPOST_LEDGER": str(absolute)}) == absolute
    with pytest.raises(
        LedgerError, match=r"^HUB_CROSSPOST_LEDGER: erwartet: der Pfad des Versandprotokolls; gefunden: 42$"
    ):
        ledger_file({"PATH": str(content), "HUB_CROSSPOST_LEDGER": 42})


def test_invoke_crosspost_reads_the_ledger_beside_the_content_it_is_given(site: Site) -> None:
    damaged = site.root / "data" / "crosspost-ledger.jsonl"
    damaged.parent.mkdir()
    damaged.write_text("kaputt\n{}\n", encoding="utf-8")
    paths = ("--content", str(site.content), "--calendar", str(site.calendar))
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "crosspost", "--dry-run", *paths],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2 and result.stderr.startswith(
        f"{damaged}:1: erwartet: ein Eintrag des Versandprotokolls"
    ), result.stderr
