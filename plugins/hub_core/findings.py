"""Findings: what the checks say about content, as plain data.

A finding names the file, the line and the field, says what was expected and
what was found. It is rendered once, for the terminal, JSON and the build log
alike; in CI also as a GitHub Actions annotation and a GitLab Code Quality issue
(plain functions of a finding and the environment, below the classes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from pathlib import Path

from .i18n import N_, translator

_, ngettext = translator("hub_core")


class Level(StrEnum):
    """How seriously a check is taken; configurable per check."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"

    def shown(self) -> str:
        """The level as a person reads it (the value stays English: HUB_CHECKS and JSON use it)."""
        return _(LEVEL_NAMES[self])


LEVEL_NAMES = {Level.ERROR: N_("error"), Level.WARNING: N_("warning"), Level.OFF: N_("off")}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    field: str
    message: str
    check: str
    level: Level = Level.ERROR
    column: int = 0  # 1-based, where the problem starts on its line; 0 when only the line is known
    # The line as written with a marker under the spot (hub_core.yaml_hints.excerpt): several lines,
    # so only for a person at a terminal; every one-line rendering leaves it out.
    excerpt: str = ""

    def render(self) -> str:
        """`path:line[:column]: field: message [level: check]`, on one line."""
        location = f"{self.path}:{self.line}" if self.line else self.path
        if self.line and self.column:
            location += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{location}:{field} {self.message} [{self.level.shown()}: {self.check}]"

    def render_for_terminal(self) -> str:
        """`render()` and, under it, the excerpt that shows the spot."""
        return f"{self.render()}\n{self.excerpt}" if self.excerpt else self.render()

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["level"] = self.level.value
        return data


class Report:
    """All findings of one run, with the configured level of each check applied."""

    def __init__(self, findings: Iterable[Finding] = ()) -> None:
        self.findings: list[Finding] = list(findings)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def apply_levels(self, levels: Mapping[str, Level], *, strict: bool = False) -> Report:
        """Return a report with per-check levels applied; `off` findings are dropped."""
        result = []
        for finding in self.findings:
            level = levels.get(finding.check, finding.level)
            if level is Level.OFF:
                continue
            if strict and level is Level.WARNING:
                level = Level.ERROR
            result.append(replace(finding, level=level))
        return Report(sorted(result, key=lambda f: (f.path, f.line, f.field, f.check)))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    def summary(self, files: int) -> str:
        return " ".join(
            (
                ngettext("{count} error,", "{count} errors,", len(self.errors)).format(count=len(self.errors)),
                ngettext("{count} warning", "{count} warnings", len(self.warnings)).format(count=len(self.warnings)),
                ngettext("in {count} file checked", "in {count} files checked", files).format(count=files),
            )
        )

    def to_json(self) -> str:
        return json.dumps([f.as_dict() for f in self.findings], ensure_ascii=False, indent=2)


# In CI: one line per finding, whatever the width, and what the CI system reads beside it.

CODE_QUALITY_FILE = "gl-code-quality-report.json"
# GitLab's scale is info, minor, major, critical, blocker; an error stops the build, a warning does not.
CODE_QUALITY_SEVERITY = {Level.ERROR: "major", Level.WARNING: "minor", Level.OFF: "info"}
_TRUE = ("1", "true", "yes")


def is_ci(environ: Mapping[str, str], *, isatty: bool) -> bool:
    """Output for machines and logs, not a person at a terminal: no terminal, or CI says so."""
    return not isatty or environ.get("CI", "").strip().lower() in _TRUE


def one_line(text: str) -> str:
    """A CI log is read line by line (and annotated by line): a message never spans two."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def render_for_ci(finding: Finding) -> str:
    """`path:line: field: message [level: check]` on one line, never wrapped."""
    return one_line(finding.render())


def repository_path(path: str, environ: Mapping[str, str], base: Path | None = None) -> str:
    """`path` (relative to `base`, where it was displayed from) relative to the repository's root.

    The root is where the CI system checked the repository out (GITHUB_WORKSPACE,
    CI_PROJECT_DIR); outside CI, `base` itself. A path outside the root stays as it is.
    """
    given = Path(path)
    root = environ.get("GITHUB_WORKSPACE") or environ.get("CI_PROJECT_DIR")
    if root is None or (base is None and not given.is_absolute()):
        return path
    absolute = given if given.is_absolute() or base is None else base / given
    for candidate, top in ((absolute, Path(root)), (absolute.resolve(), Path(root).resolve())):
        if candidate.is_relative_to(top):
            return candidate.relative_to(top).as_posix()
    return path


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(finding: Finding, environ: Mapping[str, str], base: Path | None = None) -> str:
    """A GitHub Actions workflow command: the finding shows on the file and line of the pull request."""
    kind = "error" if finding.level is Level.ERROR else "warning"
    properties = [f"file={_escape_property(repository_path(finding.path, environ, base))}"]
    if finding.line:
        properties.append(f"line={finding.line}")
        if finding.column:
            properties.append(f"col={finding.column}")
    properties.append(f"title={_escape_property(finding.check)}")
    message = f"{finding.field}: {finding.message}" if finding.field else finding.message
    return f"::{kind} {','.join(properties)}::{_escape_data(message)}"


def ci_lines(finding: Finding, environ: Mapping[str, str], base: Path | None = None) -> list[str]:
    """What a CI log shows for a finding: its line, and under GitHub Actions its annotation."""
    lines = [render_for_ci(finding)]
    if environ.get("GITHUB_ACTIONS", "").lower() == "true":
        lines.append(github_annotation(finding, environ, base))
    return lines


def code_quality_issue(finding: Finding, environ: Mapping[str, str], base: Path | None = None) -> dict[str, object]:
    """One entry of a GitLab Code Quality report (the subset of the Code Climate format GitLab reads)."""
    path = repository_path(finding.path, environ, base)
    identity = "\0".join((finding.check, path, str(finding.line), finding.field, finding.message))
    return {
        "description": one_line(f"{finding.field}: {finding.message}" if finding.field else finding.message),
        "check_name": finding.check,
        "fingerprint": hashlib.sha256(identity.encode("utf-8")).hexdigest(),
        "severity": CODE_QUALITY_SEVERITY[finding.level],
        "location": {"path": path, "lines": {"begin": max(finding.line, 1)}},
    }


def code_quality_report(
    findings: Iterable[Finding], environ: Mapping[str, str], base: Path | None = None, *, earlier: str = ""
) -> str:
    """The report as JSON; `earlier` is a report another command of the same job wrote (kept, without repeats)."""
    issues: dict[str, object] = {}
    try:
        kept = json.loads(earlier) if earlier.strip() else []
    except ValueError:
        kept = []
    for issue in [*(kept if isinstance(kept, list) else []), *(code_quality_issue(f, environ, base) for f in findings)]:
        if isinstance(issue, dict) and isinstance(issue.get("fingerprint"), str):
            issues.setdefault(issue["fingerprint"], issue)
    return json.dumps(list(issues.values()), ensure_ascii=False, indent=2) + "\n"
