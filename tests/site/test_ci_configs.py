"""The example CI configurations are valid YAML and call only commands that exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

CONFIGS = [ROOT / ".github/workflows/blog.yml", ROOT / ".gitlab-ci.yml"]


def commands(config: Path) -> list[str]:
    return commands_in(yaml.safe_load(config.read_text(encoding="utf-8")))


def commands_in(data: object) -> list[str]:
    lines: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "after_script", "before_script"):
                    for item in value if isinstance(value, list) else [value]:
                        lines.extend(str(item).splitlines())
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return [line.strip() for line in lines if line.strip()]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_ci_config_calls_existing_tasks_with_existing_options(config: Path) -> None:
    lines = commands(config)
    invoked = [line for line in lines if ".venv/bin/invoke " in line]
    assert any(" publish" in line for line in invoked) and any("review --strict" in line for line in invoked)
    for line in invoked:
        task, *options = line.split(".venv/bin/invoke ", 1)[1].split()
        help_text = subprocess.run(
            [sys.executable, "-m", "invoke", "-r", str(ROOT), "--help", task], capture_output=True, text=True
        )
        assert help_text.returncode == 0, f"{config.name}: no task '{task}' in tasks.py"
        for option in options:
            if option.startswith("--"):
                assert option.split("=")[0] in help_text.stdout, f"{config.name}: {task} has no option {option}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for line in lines:
        for target in re.findall(r"^make ([\w-]+)", line):
            assert re.search(rf"^{target}:", makefile, re.M), f"{config.name}: no make target '{target}'"


def test_github_workflow_publishes_on_main_and_on_schedule_only() -> None:
    data = yaml.safe_load(CONFIGS[0].read_text(encoding="utf-8"))
    triggers = data[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"]
    assert "refs/heads/main" in data["jobs"]["publish"]["if"]
    assert data["concurrency"]["cancel-in-progress"] is False


def test_the_publish_jobs_install_the_runtime_group_only() -> None:
    """The hourly publish job builds and deploys: it needs neither the test tools nor the benchmark's."""
    github = yaml.safe_load(CONFIGS[0].read_text(encoding="utf-8"))["jobs"]["publish"]
    gitlab = yaml.safe_load(CONFIGS[1].read_text(encoding="utf-8"))["publish"]
    for name, job in (("blog.yml", github), (".gitlab-ci.yml", gitlab)):
        targets = [t for line in commands_in(job) for t in re.findall(r"^make ([\w-]+)", line)]
        assert targets, f"{name}: the publish job runs no make target"
        assert not [line for line in commands_in(job) if "pip install" in line], f"{name}: installs beside make"
        for target in targets:
            # What make would run on a fresh clone (-B: as if nothing were installed yet), without running it.
            plan = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True)
            installs = re.findall(r"--require-hashes -r (\S+)", plan.stdout)
            assert installs == ["requirements/runtime.lock"], f"{name}: make {target} installs {installs}"


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_the_publish_job_commits_the_state_the_next_run_needs(config: Path) -> None:
    """The cross-posting ledger (exactly once) and the record of published URLs (a slug changed later
    still redirects from the address CI published) are written by `invoke publish` and committed back;
    so are the daily figures of `invoke stats` (HUB_STATS_DIR), which the monthly report reads."""
    from hub_core.options import read
    from hub_crosspost.ledger import ledger_file
    from hub_redirects.options import URL_RECORD
    from hub_stats.options import FIGURES
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "publishconf.py"))
    wanted = [ledger_file(settings), ROOT / URL_RECORD.default, ROOT / read(FIGURES, settings)]
    script = "\n".join(commands(config))
    for state in wanted:
        assert state.relative_to(ROOT).as_posix() in script, f"{config.name} does not commit {state}"
    assert re.search(r"git add", script) and re.search(r"git commit", script)
