"""Findings: what the checks say about content, as plain data.

A finding names the file, the line and the field, says what was expected and
what was found. It is rendered once, for the terminal, JSON and the build log
alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class Level(StrEnum):
    """How seriously a check is taken; configurable per check."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    field: str
    message: str
    check: str
    level: Level = Level.ERROR

    def render(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        field = f" {self.field}:" if self.field else ""
        return f"{location}:{field} {self.message} [{self.level.value}: {self.check}]"

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
        return f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) in {files} file(s) checked"

    def to_json(self) -> str:
        return json.dumps([f.as_dict() for f in self.findings], ensure_ascii=False, indent=2)
