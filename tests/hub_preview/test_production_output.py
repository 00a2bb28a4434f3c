"""Production builds go to their own folder, and never carry the preview's reload script."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import ROOT, Site, valid_post
from hub_preview.build import pelican_command
from pelican.settings import read_settings


def test_production_builds_have_their_own_folder() -> None:
    preview = Path(read_settings(str(ROOT / "pelicanconf.py"))["OUTPUT_PATH"])
    production = Path(read_settings(str(ROOT / "publishconf.py"))["OUTPUT_PATH"])
    assert preview == ROOT / "output"
    assert production == ROOT / "output-prod"


def test_a_production_build_never_contains_the_reload_script(site: Site, tmp_path: Path) -> None:
    site.write("posts/erster.md", valid_post(title='"Erster Beitrag"', slug="erster"))
    site.approve("posts/erster.md")
    output = tmp_path / "output-prod"
    overrides = {"HUB_CALENDAR": str(site.calendar), "CACHE_PATH": str(site.root / "cache")}
    command = pelican_command(site.content, output, ROOT / "publishconf.py", overrides)
    result = subprocess.run(command, cwd=site.root, env=os.environ, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    written = [p for p in output.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".xml", ".json")]
    assert any(p.name == "index.html" for p in written) and (output / "2026/erster/index.html").is_file()
    assert [p for p in written if b"__hub/reload" in p.read_bytes()] == []
