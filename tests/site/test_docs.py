"""The documentation says what the code does: the README is a short entry page, the German guides cover
every front-matter field and every check, the reference lists every check and task, every link in them
leads somewhere, and the VS Code tasks the author's guide names really run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hub_content.fields import CHECKS, KNOWN_KEYS
from hub_core.findings import Level

README = ROOT / "README.md"
DOCS = ROOT / "docs"
GUIDES = {name: DOCS / name for name in ("autoren.md", "redaktion.md", "meldungen.md")}
PAGES = [README, *sorted(DOCS.glob("*.md"))]
PELICAN_OWN = ("save_as", "url", "template")  # documented by Pelican
LINK = re.compile(r"\]\(([^)\s]+)\)")
GERMAN_LEVEL = {Level.ERROR: "Fehler", Level.WARNING: "Warnung"}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _anchor(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_anchor(line.lstrip("#")) for line in _text(path).splitlines() if line.startswith("#")}


def test_the_readme_is_a_short_entry_page_that_starts_with_the_preview() -> None:
    readme = _text(README)
    assert len(readme.splitlines()) < 80, "the reference belongs in docs/reference.md"
    first_command = re.search(r"```sh\n(.+)", readme)
    assert first_command and first_command.group(1).startswith("make serve"), "the README starts with make serve"
    assert "make build" in readme and "make test" in readme
    assert "make test" in _text(ROOT / ".ci" / "run")
    for guide in (*GUIDES.values(), DOCS / "reference.md"):
        assert f"(docs/{guide.name})" in readme, f"the README links {guide.name}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_leads_to_a_file_and_heading_that_exist(page: Path) -> None:
    broken = []
    for target in LINK.findall(_text(page)):
        if target.startswith(("http://", "https://", "mailto:")) or target.startswith("{"):
            continue
        file, _, anchor = target.partition("#")
        destination = (page.parent / file).resolve() if file else page
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in _anchors(destination):
            broken.append(f"{target}: no heading #{anchor} in {destination.name}")
    assert not broken, broken


def test_the_authors_guide_explains_every_front_matter_field() -> None:
    guide = _text(GUIDES["autoren.md"])
    missing = [key for key in KNOWN_KEYS if key not in PELICAN_OWN and f"| `{key}` |" not in guide]
    assert not missing, f"docs/autoren.md, table of the Kopfdaten: add {missing}"


def test_every_check_is_explained_in_german_with_its_level() -> None:
    sections = re.split(r"^### ", _text(GUIDES["meldungen.md"]), flags=re.MULTILINE)[1:]
    explained = {section.splitlines()[0].strip("` "): section for section in sections}
    missing = [check for check in CHECKS if check not in explained]
    assert not missing, f"docs/meldungen.md: add a section for {missing}"
    wrong = [
        check
        for check, (level, _) in CHECKS.items()
        if not explained[check].split("\n", 1)[1].lstrip().startswith(f"Stufe: {GERMAN_LEVEL[level]}")
    ]
    assert not wrong, f"docs/meldungen.md: the level does not match the default of {wrong}"
    unknown = sorted(set(explained) - set(CHECKS))
    assert not unknown, f"docs/meldungen.md explains checks that do not exist: {unknown}"


def test_the_reference_lists_every_check_field_and_setting_table() -> None:
    reference = _text(DOCS / "reference.md")
    for check, (level, _) in CHECKS.items():
        assert f"| `{check}` | {level.value} |" in reference, check
    for key in KNOWN_KEYS:
        if key not in PELICAN_OWN:
            assert f"| `{key}` |" in reference, key


def test_every_invoke_command_the_guides_name_exists() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "invoke", "--list"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    tasks = {line.split()[0] for line in listed.splitlines()[1:] if line.strip()}
    for guide in GUIDES.values():
        named = set(re.findall(r"invoke ([a-z][a-z_-]*)", _text(guide)))
        assert named <= tasks, f"{guide.name} names tasks that do not exist: {named - tasks}"


def _vscode_tasks() -> dict[str, dict]:
    data = json.loads(_text(ROOT / ".vscode" / "tasks.json"))
    return {task["label"]: task for task in data["tasks"]}


def test_the_vscode_tasks_of_the_guide_exist_and_call_make_targets() -> None:
    tasks = _vscode_tasks()
    guide = _text(GUIDES["autoren.md"])
    for label in re.findall(r"\*\*(Hub: [^*]+)\*\*", guide):
        assert label in tasks, f"docs/autoren.md names the VS Code task {label!r}, .vscode/tasks.json lacks it"
    makefile = _text(ROOT / "Makefile")
    for label, task in tasks.items():
        assert task["command"] == "make", label
        assert re.search(rf"^{task['args'][0]}:", makefile, flags=re.MULTILINE), f"{label}: no make target"


def test_the_new_post_task_takes_any_title_as_typed(tmp_path: Path) -> None:
    """`make new` (what "Hub: Neuer Beitrag" runs) with a title that has a colon and both kinds of quotes."""
    for name in ("Makefile", "tasks.py", "pelicanconf.py", "publishconf.py", "editorial_calendar.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("plugins", "themes"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    (tmp_path / "content" / "posts").mkdir(parents=True)
    title = 'Prüfstand: "so" geht\'s'
    task = _vscode_tasks()["Hub: Neuer Beitrag"]
    args = [arg.replace("${input:title}", title).replace("${input:author}", "jweber") for arg in task["args"]]
    # The venv is this one: the make variables for the install stamps are emptied, so nothing is installed.
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        ["make", *args, f"BIN={bin_dir}", "RUNTIME=", "PROJECT="], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    [post] = list((tmp_path / "content" / "posts").rglob("*.md"))
    front = yaml.safe_load(_text(post).split("---")[1])
    assert front["title"] == title and front["authors"] == ["jweber"] and front["slug"], front
