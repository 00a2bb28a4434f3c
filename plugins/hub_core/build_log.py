"""The build log: one clear line per problem, no traceback unless asked, and lines CI can read.

Pelican logs through rich, which wraps every line at the terminal's width, or at 80 columns
without a terminal (CI), splitting file paths in two; and it ends every failed build with the
traceback of the exception that stopped it. Here:

- A stop the user can act on is one line without a traceback: a content, calendar, image or
  configuration error, the review gate, `--fatal errors`. Such an exception is a HubError
  (hub_core.errors: ConfigurationError exits 2, BuildStopped 1) or carries an `exitcode`
  (Pelican's convention for its exit status, which `pelican` exits with).
- Any other exception is a bug: "internal error" ("interner Fehler"), how to report it, and the traceback.
- With `--debug` (Pelican's -D) every traceback is shown.
- In CI (no terminal, or CI=true) each record is one unwrapped line; a finding is exactly the
  line `invoke check` prints. Under GitHub Actions each warning and error is also a workflow
  annotation (findings on their file and line); under GitLab CI the findings are written to a
  Code Quality report (gl-code-quality-report.json) when the build ends.
- At a terminal Pelican's pretty rich output stays.

Installed by hub_content's register() for every `pelican` run, and earlier by
`python -m hub_core.run_pelican` (what `invoke build` runs), so that even an error in
pelicanconf.py, before any plugin is loaded, is one line. Never installed into a process
whose logging Pelican did not set up (tests, other tools).
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from .errors import HubError
from .files import write_atomically
from .findings import (
    CODE_QUALITY_FILE,
    Finding,
    Level,
    code_quality_report,
    github_annotation,
    is_ci,
    one_line,
    render_for_ci,
)
from .i18n import N_, translator
from .pelican_summary import TranslatingConsole

_, ngettext = translator("hub_core")

FINDING = "hub_finding"  # LogRecord attributes (logging's `extra`) of a logged finding
BASE = "hub_finding_base"
PELICAN_FATAL = "Warning or error encountered"  # what pelican --fatal raises after logging the record
INTERNAL = N_(
    "internal error: {error}. This is a bug in the program (Hub, a plugin or Pelican), not in the content:"
    " please report it as an issue, with {traceback} and the command"
)
# What `{traceback}` names: the traceback shown below the message, or the one --debug shows.
TRACEBACK_BELOW = N_("the traceback below")
TRACEBACK_OF_DEBUG = N_("the traceback of `invoke build --debug`")


def _is_true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def describe(error: BaseException) -> str:
    return one_line(f"{type(error).__name__}: {error}")


# Logging findings


def finding_extra(finding: Finding, base: Path | None) -> dict[str, Any]:
    return {FINDING: finding, BASE: base}


class ProblemLog:
    """Log every problem of a step, then stop once.

    `pelican --fatal errors` raises at the first error logged, so a step that reports all its
    problems and then stops would show only the first. Here each record is logged whatever
    --fatal does; `stop()` then raises the step's own summary, or what --fatal raised.
    """

    def __init__(self, logger: logging.Logger, prefix: str) -> None:
        self.logger = logger
        self.prefix = prefix
        self.fatal: RuntimeError | None = None

    def log(self, level: int, message: str, *args: object, stacklevel: int = 2, **kwargs: Any) -> None:
        try:
            # The log names the step's line (its caller), not this one.
            self.logger.log(level, message, *args, stacklevel=stacklevel, **kwargs)
        except RuntimeError as error:
            if str(error) != PELICAN_FATAL:
                raise
            self.fatal = self.fatal or error

    def finding(self, finding: Finding, base: Path | None = None) -> None:
        level = logging.ERROR if finding.level is Level.ERROR else logging.WARNING
        # The terminal's rendering (with the marked line); CiHandler writes the finding's one line instead.
        shown = finding.render_for_terminal()
        self.log(level, "%s %s", self.prefix, shown, extra=finding_extra(finding, base), stacklevel=3)

    def stop(self) -> None:
        """Raise what --fatal raised while logging, if anything (after the step raised its own summary)."""
        if self.fatal is not None:
            raise self.fatal


# Rewriting what Pelican logs when a build stops


def _debugging() -> bool:
    return logging.getLogger().isEnabledFor(logging.DEBUG)


def _expected(error: BaseException) -> bool:
    """A stop the user can act on: Hub's own, one carrying an exit status (Pelican's convention), or --fatal's."""
    return isinstance(error, HubError) or getattr(error, "exitcode", None) is not None or str(error) == PELICAN_FATAL


def _configuration_error(error: BaseException) -> str | None:
    """An error while Pelican reads the settings (pelicanconf.py), with the settings file's line; else None."""
    if isinstance(error, SyntaxError) and error.filename:
        return f"{error.filename}:{error.lineno}: {type(error).__name__}: {error.msg}"
    frames = traceback.extract_tb(error.__traceback__)
    reading = [i for i, frame in enumerate(frames) if frame.filename.endswith(os.path.join("pelican", "settings.py"))]
    if not reading:
        return None
    if reading[-1] == len(frames) - 1:  # Pelican's own complaint about a setting
        return describe(error)
    return f"{frames[-1].filename}:{frames[-1].lineno}: {describe(error)}"


def internal_error(error: BaseException, traceback_hint: str) -> str:
    return _(INTERNAL).format(error=describe(error), traceback=_(traceback_hint))


class ExplainStops(logging.Filter):
    """Rewrites what Pelican logs about an exception: one clear line, a traceback only for a bug (or --debug)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            if not _debugging():
                self._exception(record, error)
        elif record.msg == "Could not process %s" and sys.exc_info()[1] is not None:
            # A reader raised; Pelican leaves the exception out (exc_info=DEBUG), but it is being handled now.
            record.msg += ": %s"
            hint = internal_error(sys.exc_info()[1], TRACEBACK_OF_DEBUG)  # type: ignore[arg-type]
            record.args = (*(record.args or ()), hint)  # type: ignore[misc]
        return True

    def _exception(self, record: logging.LogRecord, error: BaseException) -> None:
        configuration = _configuration_error(error)
        stopped = record.name == "pelican" and record.levelno == logging.CRITICAL  # pelican.main's last words
        if configuration is None and not _expected(error):
            if stopped:
                record.msg, record.args = "%s", (internal_error(error, TRACEBACK_BELOW),)
            return  # a bug: the traceback stays
        if configuration is not None:
            text = f"configuration: {configuration}"
        elif str(error) == PELICAN_FATAL:
            text = _("the build stopped at the error above (--fatal errors)")
        else:
            text = one_line(str(error))
        if not stopped:
            text = f"{one_line(record.getMessage())}: {text}"
        record.msg, record.args = "%s", (text,)
        record.exc_info, record.exc_text = None, None
        if stopped:  # the user's problem, not a crash
            record.levelno, record.levelname = logging.ERROR, "ERROR"


# Output for CI


class CiHandler(logging.Handler):
    """Each record on one unwrapped line; beside it what GitHub Actions reads; findings kept for GitLab."""

    def __init__(self, stream: TextIO, environ: Mapping[str, str]) -> None:
        super().__init__()
        self.stream = stream
        self.environ = environ
        self.github = _is_true(environ.get("GITHUB_ACTIONS"))
        self.findings: list[tuple[Finding, Path | None]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            lines = self.lines(record)
            self.stream.write("".join(line + "\n" for line in lines))
            self.stream.flush()
        except Exception:
            self.handleError(record)

    def lines(self, record: logging.LogRecord) -> list[str]:
        finding = getattr(record, FINDING, None)
        if isinstance(finding, Finding):
            base = getattr(record, BASE, None)
            self.findings.append((finding, base))
            lines = [render_for_ci(finding)]
            if self.github:
                lines.append(github_annotation(finding, self.environ, base))
            return lines
        message = one_line(record.getMessage())
        lines = [f"{record.levelname}: {message}"]
        if self.github and record.levelno >= logging.WARNING:
            kind = "error" if record.levelno >= logging.ERROR else "warning"
            lines.append(f"::{kind}::{message.replace('%', '%25')}")
        if record.exc_info:
            lines.append("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return lines

    def write_code_quality_report(self) -> Path | None:
        return write_code_quality_report(self.findings, self.environ)


def write_code_quality_report(
    findings: Iterable[tuple[Finding, Path | None]] | Iterable[Finding],
    environ: Mapping[str, str],
    base: Path | None = None,
) -> Path | None:
    """Under GitLab CI: add `findings` to gl-code-quality-report.json in the project folder (created if missing).

    Every command of a job adds to the same report (`invoke check`, then the build), so it is
    written even without findings: GitLab then knows there are none.
    """
    if not _is_true(environ.get("GITLAB_CI")):
        return None
    report = Path(environ.get("CI_PROJECT_DIR") or Path.cwd()) / CODE_QUALITY_FILE
    by_base: dict[Path | None, list[Finding]] = {}
    for item in findings:
        finding, where = item if isinstance(item, tuple) else (item, base)
        by_base.setdefault(where, []).append(finding)
    text = report.read_text(encoding="utf-8") if report.is_file() else ""
    for where, group in by_base.items() or [(base, [])]:
        text = code_quality_report(group, environ, where, earlier=text)
    write_atomically(report, text.encode("utf-8"))
    return report


# Installing


def _pelican_handlers() -> tuple[Any, Any]:
    from pelican.log import DEFAULT_LOG_HANDLER, console

    return DEFAULT_LOG_HANDLER, console


def install(environ: Mapping[str, str] | None = None, stream: TextIO | None = None) -> None:
    """Take over the log of a `pelican` process: in CI our handler instead of rich's, the filter everywhere."""
    environ = os.environ if environ is None else environ
    stream = sys.stdout if stream is None else stream
    rich, console = _pelican_handlers()
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h, CiHandler) or any(isinstance(f, ExplainStops) for f in h.filters)]
    if ours or rich not in root.handlers:
        return  # installed already, or not a process whose log Pelican set up
    if is_ci(environ, isatty=stream.isatty()):
        handler = CiHandler(stream, environ)
        handler.setLevel(rich.level)
        root.removeHandler(rich)
        root.addHandler(handler)
        console.soft_wrap = True  # Pelican's own prints ("Done: …") unwrapped as well
        if _is_true(environ.get("GITLAB_CI")):
            atexit.register(handler.write_code_quality_report)
        handler.addFilter(ExplainStops())
    else:
        rich.addFilter(ExplainStops())


def main(argv: list[str] | None = None) -> None:
    """`pelican` with this log from its first line on (an error in pelicanconf.py included)."""
    import pelican

    init_logging = pelican.init_logging

    def init_then_install(*args: Any, **kwargs: Any) -> None:
        init_logging(*args, **kwargs)
        install()

    pelican.init_logging = init_then_install
    pelican.console = TranslatingConsole(pelican.console)  # "Done: Processed …" in the team's language
    pelican.main(argv)


__all__ = [
    "ExplainStops",
    "ProblemLog",
    "install",
    "main",
    "write_code_quality_report",
]
