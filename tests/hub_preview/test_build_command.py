"""The build command the preview and `invoke build` share, as Pelican's own argument parser reads it."""

from __future__ import annotations

import sys
from pathlib import Path

from hub_preview.build import build_environment, pelican_command
from pelican import parse_arguments


def test_every_override_reaches_pelican() -> None:
    command = pelican_command(
        Path("/blog/content"),
        Path("/blog/output"),
        Path("/blog/pelicanconf.py"),
        {"THEME": "/blog/theme", "HUB_CALENDAR": "/blog/kalender.yaml", "HUB_STAGED_OUTPUT": True},
    )
    assert command[:3] == (sys.executable, "-m", "hub_core.run_pelican")
    arguments = parse_arguments(list(command[3:]))
    assert (arguments.path, arguments.output, arguments.settings) == (
        "/blog/content",
        "/blog/output",
        "/blog/pelicanconf.py",
    )
    assert arguments.fatal == "errors"
    # Pelican keeps only the last -e it is given: all of them in one.
    assert arguments.overrides == {
        "THEME": "/blog/theme",
        "HUB_CALENDAR": "/blog/kalender.yaml",
        "HUB_STAGED_OUTPUT": True,
    }


def test_debug_and_no_overrides() -> None:
    arguments = parse_arguments(list(pelican_command(Path("c"), Path("o"), Path("s.py"), debug=True)[3:]))
    assert arguments.verbosity == 10 and not arguments.overrides  # logging.DEBUG


def test_the_build_sees_no_ci_system_and_writes_its_lines_unbuffered() -> None:
    environment = build_environment({"GITHUB_ACTIONS": "true", "GITLAB_CI": "true", "HUB_LANG": "de", "PATH": "/bin"})
    assert environment == {"HUB_LANG": "de", "PATH": "/bin", "PYTHONUNBUFFERED": "1"}
