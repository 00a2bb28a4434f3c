"""The exception tree (hub_core.errors): every configuration error is a ConfigurationError (exit 2), and
the invoke tasks catch Hub's errors once at the top: one message, no traceback, the error's exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Site, valid_post
from hub_content.pelican_settings import SettingsError
from hub_core.errors import BuildStopped, ConfigurationError, HubError
from hub_crosspost.ledger import LedgerError
from hub_fast_clean import OutputNotReplaced
from hub_publish.errors import DeployConfigError, DeployError
from hub_review.freeze import CrisisSettingError


def invoke(*args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **environ},
        timeout=300,
    )


@pytest.mark.parametrize("error", [SettingsError, CrisisSettingError, LedgerError, DeployConfigError])
def test_configuration_errors_are_configuration_errors_with_exit_code_2(error: type[HubError]) -> None:
    assert issubclass(error, ConfigurationError) and error.exitcode == 2


def test_stops_exit_1() -> None:
    assert issubclass(DeployError, HubError) and not issubclass(DeployError, ConfigurationError)
    assert DeployError.exitcode == 1 and issubclass(OutputNotReplaced, BuildStopped) and OutputNotReplaced.exitcode == 1
    assert issubclass(CrisisSettingError, ValueError)  # what callers caught before the tree


def assert_one_message(result: subprocess.CompletedProcess[str], code: int, start: str) -> None:
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith(start), result.stderr


def test_a_damaged_ledger_stops_crosspost_with_exit_2(site: Site, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    ledger.write_text("kaputt\n{}\n", encoding="utf-8")
    paths = ("--content", str(site.content), "--calendar", str(site.calendar))
    result = invoke("crosspost", "--dry-run", "--ledger", str(ledger), *paths)
    assert_one_message(result, 2, f"{ledger}:1: erwartet: ein Eintrag des Versandprotokolls (JSON); gefunden: ")


def test_a_wrong_deploy_target_stops_publish_before_the_build_with_exit_2(site: Site) -> None:
    paths = ("--content", str(site.content), "--calendar", str(site.calendar))
    result = invoke("publish", "--no-crosspost", "--to", "s3://", *paths)
    assert_one_message(result, 2, "publish: publishconf.py: HUB_DEPLOY.bucket: ")


def test_a_wrong_crisis_date_stops_review_with_exit_2(site: Site) -> None:
    site.write("posts/a.md", valid_post())
    paths = ("--content", str(site.content), "--calendar", str(site.calendar))
    result = invoke("review", *paths, HUB_CRISIS_STOP="Rückruf", HUB_CRISIS_SINCE="gestern")
    assert_one_message(
        result, 2, "HUB_CRISIS_SINCE: erwartet: ein Datum wie 2026-11-21 14:00 +01:00; gefunden: „gestern“"
    )
