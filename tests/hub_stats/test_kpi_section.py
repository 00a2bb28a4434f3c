"""The calendar's `kpi:` section: targets and departments read into KpiRules; every mistake reported at
once with file, line and field, in German; team ids checked with a "Meinten Sie"; a topic word no
dialogue route has is a warning; `invoke check` finds the section although hub_stats is no plugin in
PLUGINS, and the sample calendar passes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import CALENDAR, ROOT, Site
from hub_content.calendar import parse_calendar
from hub_core.findings import Level
from hub_stats.calendar_sections import KPI, DepartmentRule, KpiRules, Targets

DIALOGUE = """\
dialogue:
  routes:
    - {topics: [Reklamation, Lieferzeit], to: jdoe}
"""


def read(text: str, tmp_path: Path) -> tuple[KpiRules, list[tuple[int, str, Level, str]]]:
    calendar, findings = parse_calendar(
        CALENDAR + DIALOGUE + text, display_path="editorial_calendar.yaml", content_root=tmp_path
    )
    return calendar.section(KPI), [(f.line, f.field, f.level, f.message) for f in findings]


def line_of(needle: str, text: str) -> int:
    """The line of the calendar (team and dialogue above `text`) on which `needle` first stands."""
    lines = (CALENDAR + DIALOGUE + text).splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_the_section_reads_into_targets_and_departments(tmp_path: Path) -> None:
    text = """\
kpi:
  targets:
    posts_per_week: 3
    views_after_7_days: 150
    views_after_30_days: 400
    answered_in_time: 92,5%
  departments:
    - name: Produktmanagement
      to: [jdoe, eeditor]
      categories: [Technik & Labor]
      topics: [Reklamation, lieferzeit]
    - name: Ausbildung
      to: mmuster
      categories: Ausbildung & Karriere
"""
    rules, findings = read(text, tmp_path)
    assert findings == []
    assert rules.targets == Targets(3, 150, 400, 0.925)
    assert [(d.name, d.to, d.categories, d.topics) for d in rules.departments] == [
        ("Produktmanagement", ("jdoe", "eeditor"), frozenset({"Technik & Labor"}), ("Reklamation", "lieferzeit")),
        ("Ausbildung", ("mmuster",), frozenset({"Ausbildung & Karriere"}), ()),
    ]
    assert rules.departments[0].line == line_of("name: Produktmanagement", text)


def test_without_the_section_there_are_no_targets_and_no_departments(tmp_path: Path) -> None:
    rules, findings = read("", tmp_path)
    assert findings == [] and rules == KpiRules() and rules.targets == Targets() and rules.departments == ()


def test_a_share_is_a_fraction_or_percent(tmp_path: Path) -> None:
    for written, share in (("0.9", 0.9), ("90%", 0.9), ("100 %", 1.0), ("1", 1.0)):
        rules, findings = read(f"kpi:\n  targets:\n    answered_in_time: {written}\n", tmp_path)
        assert (findings, rules.targets.answered_in_time) == ([], share), written
    for written in ("90", "0", "150%", "neunzig"):
        _rules, findings = read(f"kpi:\n  targets:\n    answered_in_time: {written}\n", tmp_path)
        assert [f[1] for f in findings] == ["kpi.targets.answered_in_time"], written


def test_every_mistake_at_once_with_line_field_and_german_text(tmp_path: Path) -> None:
    text = """\
kpi:
  targets:
    posts_per_week: 0
    views_after_7_days: viele
    views_after_30day: 400
    answered_in_time: 150%
  departments:
    - name: Produktmanagement
      to: [jdoe, jdeo]
      categories: [Technik]
      topics: [Reklamation, Garantie]
    - name: Ausbildung
      to: [mmuster]
    - name: Produktmanagement
      to: [eeditor]
      categories: [Technik]
    - to: [jdoe]
      categories: [Technik]
"""
    rules, findings = read(text, tmp_path)
    error, warning = Level.ERROR, Level.WARNING
    assert sorted(findings) == sorted(
        [
            (
                line_of("posts_per_week", text),
                "kpi.targets.posts_per_week",
                error,
                "erwartet: eine ganze Zahl ab 1; gefunden: 0",
            ),
            (
                line_of("views_after_7_days", text),
                "kpi.targets.views_after_7_days",
                error,
                "erwartet: eine ganze Zahl ab 0; gefunden: 'viele'",
            ),
            (
                line_of("views_after_30day", text),
                "kpi.targets.views_after_30day",
                warning,
                "unbekanntes Feld (Meinten Sie „views_after_30_days“?); bekannte Felder: posts_per_week, "
                "views_after_7_days, views_after_30_days, answered_in_time",
            ),
            (
                line_of("answered_in_time", text),
                "kpi.targets.answered_in_time",
                error,
                "erwartet: ein Anteil wie 0.9 oder 90%; gefunden: '150%'",
            ),
            (
                line_of("to: [jdoe, jdeo]", text),
                "kpi.departments[0].to",
                error,
                "erwartet: eine Team-ID (Meinten Sie „jdoe“?); gefunden: „jdeo“",
            ),
            (
                line_of("Garantie", text),
                "kpi.departments[0].topics",
                warning,
                "das Themenwort „Garantie“ steht in keiner Zuständigkeit unter dialogue.routes: Kommentare, die es "
                "nennen, erscheinen auf der Seite der Abteilung, aber niemand wird benachrichtigt, wenn einer "
                "eingeht. Nehmen Sie es in eine Zuständigkeit auf.",
            ),
            (
                line_of("name: Ausbildung", text),
                "kpi.departments[1]",
                error,
                "erwartet: „categories“ oder „topics“ (oder beides); gefunden: keins von beiden",
            ),
            (
                line_of("to: [eeditor]", text) - 1,
                "kpi.departments[2].name",
                error,
                f"erwartet: eindeutige Namen; gefunden: „Produktmanagement“ ein zweites Mal (zuerst in Zeile "
                f"{line_of('name: Produktmanagement', text)})",
            ),
            (
                line_of("to: [jdoe]", text),
                "kpi.departments[3].name",
                error,
                "erwartet: ein Wert; gefunden: das Feld fehlt",
            ),
        ]
    )
    # What could be read is kept: the first department (its unknown id is reported, not dropped).
    assert [d.name for d in rules.departments] == ["Produktmanagement"]
    assert rules.targets == Targets(None, None, None, None)


def test_a_topic_is_matched_to_the_routes_whatever_its_case(tmp_path: Path) -> None:
    text = "kpi:\n  departments:\n    - {name: PM, to: [jdoe], topics: [REKLAMATION, lieferzeit]}\n"
    rules, findings = read(text, tmp_path)
    assert findings == []
    line = line_of("name: PM", text)
    assert rules.departments == (
        DepartmentRule("PM", ("jdoe",), frozenset(), ("REKLAMATION", "lieferzeit"), line, rules.departments[0].lines),
    )


def invoke_check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "check", "--format", "json", *args],
        capture_output=True,
        text=True,
    )


def test_invoke_check_reports_the_section_with_file_and_line(site: Site) -> None:
    site.calendar.write_text(
        CALENDAR + "kpi:\n  departments:\n    - {name: PM, to: [jdeo], categories: [Technik]}\n", encoding="utf-8"
    )
    result = invoke_check("--content", str(site.content), "--calendar", str(site.calendar))
    assert result.returncode == 1, result.stderr
    found = [f for f in json.loads(result.stdout) if f["field"].startswith("kpi")]
    assert [(f["field"], f["line"], f["level"], f["message"]) for f in found] == [
        (
            "kpi.departments[0].to",
            CALENDAR.count("\n") + 3,
            "error",
            "erwartet: eine Team-ID (Meinten Sie „jdoe“?); gefunden: „jdeo“",
        )
    ]


def test_the_sample_calendar_has_a_kpi_section_that_passes_the_check() -> None:
    calendar, findings = parse_calendar(
        (ROOT / "editorial_calendar.yaml").read_text(encoding="utf-8"),
        display_path="editorial_calendar.yaml",
        content_root=ROOT / "content",
    )
    rules = calendar.section(KPI)
    assert rules.targets.answered_in_time == 0.9 and {d.name for d in rules.departments} >= {"Produktmanagement"}
    assert [f for f in findings if f.field.startswith("kpi")] == []
    result = invoke_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [f for f in json.loads(result.stdout) if f["field"].startswith("kpi")] == []
