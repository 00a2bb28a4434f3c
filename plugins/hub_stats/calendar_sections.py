"""The KPIs' section of editorial_calendar.yaml: the targets the report measures against, and the
departments that get their own page of it.

    kpi:
      targets:                        # each optional
        posts_per_week: 2             # default: cadence.min_posts_per_week
        views_after_7_days: 150       # median per post published in the period
        views_after_30_days: 400
        answered_in_time: 90%         # share of comments answered before the deadline (or 0.9)
      departments:
        - name: Produktmanagement
          to: [tberger]               # team ids who get the department's page
          categories: [Technik & Labor]
          topics: [Reklamation, Beschwerde, Lieferzeit]   # words in a comment's text, as in dialogue.routes

Pure, declared with hub_core.schema like hub_review's and hub_dialogue's sections; hub_content.calendar
finds it by this module's name (every installed hub_* package, in PLUGINS or not) and afterwards runs
`kpi_references` against the team and the dialogue's routes. Categories are not checked: the calendar
does not know them, the posts do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hub_content.calendar import Calendar
from hub_core.findings import Finding, Level
from hub_core.i18n import translator
from hub_core.schema import Field, Invalid, Section, SectionContext, count, names, raw, read_map, text
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, describe
from hub_dialogue.calendar_sections import DIALOGUE

_, ngettext = translator("hub_stats")

PERCENT = re.compile(r"^(?P<number>\d+(?:[.,]\d+)?)\s*%$")


@dataclass(frozen=True)
class Targets:
    """The goals of `kpi.targets`; None: not set (posts_per_week then follows the cadence)."""

    posts_per_week: int | None = None
    views_after_7_days: int | None = None
    views_after_30_days: int | None = None
    answered_in_time: float | None = None  # a share, 0.9 for 90 %


@dataclass(frozen=True)
class DepartmentRule:
    """A department of `kpi.departments`: its page of the report shows the posts of its categories
    and the comments on them or mentioning its topics."""

    name: str
    to: tuple[str, ...]  # team ids
    categories: frozenset[str] = frozenset()
    topics: tuple[str, ...] = ()
    line: int = 0
    lines: Mapping[str, int] = field(default_factory=dict)  # of each key, for messages

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass(frozen=True)
class KpiRules:
    """The calendar's `kpi:` section; without it: no targets but the cadence's, no departments."""

    targets: Targets = field(default_factory=Targets)
    departments: tuple[DepartmentRule, ...] = ()
    line: int = 0


def share(entry: Entry) -> float:
    """A share such as `90%`, `92.5 %` or `0.9`."""
    value = entry.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1:
        return float(value)
    match = PERCENT.match(value.strip()) if isinstance(value, str) else None
    if match:
        percent = float(match["number"].replace(",", "."))
        if 0 < percent <= 100:
            return percent / 100
    raise Invalid(_("expected a share such as 0.9 or 90%, found {found}").format(found=describe(entry)))


POSTS_PER_WEEK: Field[int | None] = Field("posts_per_week", count(1), None)
VIEWS_AFTER_7_DAYS: Field[int | None] = Field("views_after_7_days", count(0), None)
VIEWS_AFTER_30_DAYS: Field[int | None] = Field("views_after_30_days", count(0), None)
ANSWERED_IN_TIME: Field[float | None] = Field("answered_in_time", share, None)
TARGET_FIELDS = (POSTS_PER_WEEK, VIEWS_AFTER_7_DAYS, VIEWS_AFTER_30_DAYS, ANSWERED_IN_TIME)

DEPARTMENT_NAME = Field("name", text, "", required=True)
DEPARTMENT_TO: Field[tuple[str, ...]] = Field("to", names, (), required=True)
DEPARTMENT_CATEGORIES: Field[frozenset[str]] = Field("categories", lambda entry: frozenset(names(entry)), frozenset())
DEPARTMENT_TOPICS: Field[tuple[str, ...]] = Field("topics", names, ())
DEPARTMENT_FIELDS = (DEPARTMENT_NAME, DEPARTMENT_TO, DEPARTMENT_CATEGORIES, DEPARTMENT_TOPICS)

TARGETS: Field[Entry | None] = Field("targets", raw, None)
DEPARTMENTS: Field[Entry | None] = Field("departments", raw, None)
KPI_FIELDS = (TARGETS, DEPARTMENTS)


def parse_kpi(entry: Entry, context: SectionContext) -> tuple[KpiRules, list[Finding]]:
    reading = read_map(entry, "kpi", KPI_FIELDS, path=context.path, what="targets, departments")
    findings = reading.findings
    if not reading.is_map:
        return KpiRules(line=entry.line), findings
    targets = _targets(reading.values[TARGETS], context, findings)
    departments = _departments(reading.values[DEPARTMENTS], context, findings)
    return KpiRules(targets, departments, entry.line), findings


def _targets(entry: Entry | None, context: SectionContext, findings: list[Finding]) -> Targets:
    if entry is None:
        return Targets()
    reading = read_map(
        entry, "kpi.targets", TARGET_FIELDS, path=context.path, what="posts_per_week, views_after_7_days, …"
    )
    findings.extend(reading.findings)
    v = reading.values
    return Targets(v[POSTS_PER_WEEK], v[VIEWS_AFTER_7_DAYS], v[VIEWS_AFTER_30_DAYS], v[ANSWERED_IN_TIME])


def _departments(entry: Entry | None, context: SectionContext, findings: list[Finding]) -> tuple[DepartmentRule, ...]:
    if entry is None:
        return ()
    if not isinstance(entry.value, list):
        message = _("expected a list of departments (each with name, to and categories or topics), found {found}")
        findings.append(
            Finding(context.path, entry.line, "kpi.departments", message.format(found=describe(entry)), "calendar")
        )
        return ()
    departments: list[DepartmentRule] = []
    first_line: dict[str, int] = {}
    for index, item in enumerate(entry.items):
        where = f"kpi.departments[{index}]"
        reading = read_map(item, where, DEPARTMENT_FIELDS, path=context.path, what="name, to and categories or topics")
        findings.extend(reading.findings)
        if not reading.ok:
            continue
        v = reading.values
        name, categories, topics = v[DEPARTMENT_NAME], v[DEPARTMENT_CATEGORIES], v[DEPARTMENT_TOPICS]
        if not (categories or topics):
            message = _("expected 'categories' or 'topics' (or both), found neither")
            findings.append(Finding(context.path, item.line, where, message, "calendar"))
            continue
        if name in first_line:
            message = _("expected unique names, found '{name}' again (first on line {line})").format(
                name=name, line=first_line[name]
            )
            findings.append(Finding(context.path, item.children["name"].line, f"{where}.name", message, "calendar"))
            continue
        first_line[name] = item.line
        lines = {key: child.line for key, child in item.children.items()}
        departments.append(DepartmentRule(name, v[DEPARTMENT_TO], categories, topics, item.line, lines))
    return tuple(departments)


def kpi_references(rules: KpiRules, calendar: Calendar) -> list[Finding]:
    """Who gets a department's page must be in the team; a topic word that no route of
    `dialogue.routes` has still finds comments for the report, but nobody is told when one comes in."""
    findings: list[Finding] = []
    routed = {topic.casefold() for route in calendar.section(DIALOGUE).routes for topic in route.topics}
    for index, department in enumerate(rules.departments):
        where = f"kpi.departments[{index}]"
        for member in department.to:
            if member not in calendar.team:
                message = _("expected a team id{suggestion}, found '{found}'").format(
                    suggestion=did_you_mean(member, calendar.team), found=member
                )
                findings.append(Finding(calendar.path, department.line_of("to"), f"{where}.to", message, "calendar"))
        for topic in department.topics:
            if topic.casefold() not in routed:
                message = _(
                    "the topic '{topic}' is in no route of dialogue.routes: comments mentioning it appear on the "
                    "department's page, but nobody is notified when one comes in; add it to a route"
                ).format(topic=topic)
                findings.append(
                    Finding(
                        calendar.path,
                        department.line_of("topics"),
                        f"{where}.topics",
                        message,
                        "calendar",
                        Level.WARNING,
                    )
                )
    return findings


KPI: Section[KpiRules] = Section("kpi", parse_kpi, KpiRules, kpi_references)
SECTIONS: tuple[Section[Any], ...] = (KPI,)
