"""One rebuild: the build command in its own process, its log shown as it comes and kept.

The preview runs exactly what `invoke build` runs (`python -m hub_core.run_pelican …`), in a
subprocess: a build never shares the preview's memory, so a change to a plugin's code, a
template or a setting counts from the next build on, and a crash ends only that build. The build
writes beside output/ and swaps its folder in only when it succeeded (hub_fast_clean), so a failed
build leaves the pages of the last good one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# A CI system's variables would make the build write workflow annotations or a Code Quality report.
NOT_PASSED_ON = ("GITHUB_ACTIONS", "GITLAB_CI")


def pelican_command(
    content: Path,
    output: Path,
    settings_file: Path,
    overrides: Mapping[str, object] | None = None,
    *,
    fatal: bool = True,
    debug: bool = False,
) -> tuple[str, ...]:
    """The build as `invoke build` runs it, and every rebuild of the preview: Pelican with Hub's build
    log (hub_core.run_pelican), any logged error failing it (--fatal errors)."""
    command = [sys.executable, "-m", "hub_core.run_pelican", str(content), "-o", str(output), "-s", str(settings_file)]
    if fatal:
        command += ["--fatal", "errors"]
    if debug:
        command.append("-D")
    if overrides:
        # One -e with every pair: Pelican keeps only the last -e it is given. Each value is JSON.
        command += ["-e", *(f"{name}={json.dumps(value)}" for name, value in overrides.items())]
    return tuple(command)


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    log: tuple[str, ...]  # what the build printed, line by line
    seconds: float


def build_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The build's environment: ours, unbuffered (its lines arrive as they are written), no CI system."""
    passed = {name: value for name, value in environ.items() if name not in NOT_PASSED_ON}
    passed["PYTHONUNBUFFERED"] = "1"
    return passed


class Builder:
    """Runs the build command, one build at a time; `cancel` ends a running build (the preview stops)."""

    def __init__(self, command: Sequence[str], cwd: Path, environ: Mapping[str, str]) -> None:
        self.command = tuple(command)
        self.cwd = cwd
        self.environ = build_environment(environ)
        self._running: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()
        self._cancelled = False

    def run(self, echo: Callable[[str], None]) -> BuildOutcome:
        started = time.monotonic()
        log = []
        with self._lock:
            if self._cancelled:
                return BuildOutcome(False, (), 0.0)
            # The build's log is a pipe, not a terminal: hub_core.build_log writes one plain line per problem.
            process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.environ,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                # Ctrl+C at the terminal is for the preview, which ends the build itself (cancel).
                start_new_session=True,
            )
            self._running = process
        assert process.stdout is not None
        with process.stdout:
            for line in process.stdout:
                line = line.rstrip("\n")
                log.append(line)
                echo(line)
        code = process.wait()
        with self._lock:
            self._running = None
        return BuildOutcome(code == 0, tuple(log), time.monotonic() - started)

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._running is not None and self._running.poll() is None:
                self._running.terminate()
