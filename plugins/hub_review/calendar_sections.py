"""The review gate's sections of editorial_calendar.yaml: cadence, approval rules, the plan, freezes.

Pure: located YAML entries in, plain data plus findings (file, line, field, expected/found) out,
declared with hub_core.schema. The file itself (time zone, team) belongs to hub_content.calendar,
which hands each of these keys over and afterwards runs `references` against the team. Read
them from a calendar with `calendar.section(CADENCE)` and so on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from hub_content.calendar import Calendar
from hub_core.dates import located_when
from hub_core.findings import Finding
from hub_core.i18n import translator
from hub_core.schema import (
    Field,
    Invalid,
    NameReference,
    Section,
    SectionContext,
    count,
    flag,
    identifier,
    names,
    raw,
    read_map,
    text,
)
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry, describe, pointing_at

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ISO_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")
HOURS = re.compile(r"^(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})$")
WHEN_EXAMPLE = "2026-12-23 or 2026-12-23 14:00 +01:00"
WORKING_DAYS = frozenset(range(5))  # Monday = 0, as datetime.weekday()

_, ngettext = translator("hub_review")


@dataclass(frozen=True)
class Cadence:
    min_posts_per_week: int = 2
    max_posts_per_day: int = 1
    weekdays: frozenset[int] = WORKING_DAYS
    hours: tuple[time, time] | None = None  # [start, end) local time; None: any hour
    stale_after_days: int = 14
    lookahead_weeks: int = 4


@dataclass(frozen=True)
class CategoryRule:
    required: int | None = None
    # None: the team's `approves` rights decide; otherwise only these members may approve.
    approvers: frozenset[str] | None = None
    line: int = 0


@dataclass(frozen=True)
class ApprovalPolicy:
    required: int = 1
    categories: dict[str, CategoryRule] = field(default_factory=dict)
    # Posts dated before this need no approval: the archive that existed before the gate.
    since: datetime | None = None
    git_proof: bool = False
    verify_signatures: bool = False

    def required_for(self, category: str | None) -> int:
        rule = self.categories.get(category or "")
        return rule.required if rule and rule.required is not None else self.required

    def approvers_for(self, category: str | None) -> frozenset[str] | None:
        rule = self.categories.get(category or "")
        return rule.approvers if rule else None


@dataclass(frozen=True)
class PlanSlot:
    id: str
    due: datetime  # end of the slot: the due day's end, or the week's last publishing day
    topic: str
    line: int
    week: tuple[int, int] | None = None  # (ISO year, ISO week) for week slots
    owner: str = ""
    channels: tuple[str, ...] = ()
    post: str = ""  # slug or content path of the post it became
    category: str = ""

    @property
    def due_day(self) -> date:
        """The last day of the slot (`due` itself is the midnight after it)."""
        return (self.due - timedelta(microseconds=1)).date()

    @property
    def label(self) -> str:
        return f"{self.week[0]}-W{self.week[1]:02d}" if self.week else self.due_day.isoformat()


@dataclass(frozen=True)
class FreezeWindow:
    start: datetime
    end: datetime | None  # None: open-ended, the crisis stop
    reason: str
    line: int
    allow: frozenset[str] = frozenset()  # slugs that may still go out (e.g. the crisis statement)
    crisis: bool = False  # set by the HUB_CRISIS_STOP switch, not by the calendar

    def covers(self, moment: datetime) -> bool:
        return moment >= self.start and (self.end is None or moment < self.end)

    def describe(self) -> str:
        start = self.start.strftime("%Y-%m-%d %H:%M")
        end = self.end.strftime("%Y-%m-%d %H:%M") if self.end else _("until lifted")
        return _("freeze {start} – {end} ({reason})").format(start=start, end=end, reason=self.reason)


# cadence


def _weekdays(entry: Entry) -> frozenset[int]:
    days = names(entry)
    wrong = [d for d in days if d.lower() not in WEEKDAYS + WEEKDAY_NAMES]
    if wrong:
        raise Invalid(
            _("expected weekdays from {allowed}, found {found}").format(
                allowed=", ".join(WEEKDAYS), found=", ".join(repr(d) for d in wrong)
            )
        )
    return frozenset(WEEKDAYS.index(d.lower()[:3]) for d in days) if days else WORKING_DAYS


def _hours(entry: Entry) -> tuple[time, time] | None:
    match = HOURS.match(entry.value.strip()) if isinstance(entry.value, str) else None
    if match:
        try:
            start = time(int(match["h1"]), int(match["m1"]))
            is_midnight = match["h2"] == "24" and match["m2"] == "00"
            end = time.max if is_midnight else time(int(match["h2"]), int(match["m2"]))
            if start < end:
                return start, end
        except ValueError:
            pass
    raise Invalid(_("expected a time range such as '08:00-18:00', found {found}").format(found=describe(entry)))


MIN_POSTS_PER_WEEK = Field("min_posts_per_week", count(0), Cadence.min_posts_per_week)
MAX_POSTS_PER_DAY = Field("max_posts_per_day", count(1), Cadence.max_posts_per_day)
CADENCE_WEEKDAYS = Field("weekdays", _weekdays, WORKING_DAYS)
CADENCE_HOURS: Field[tuple[time, time] | None] = Field("hours", _hours, None)
STALE_AFTER_DAYS = Field("stale_after_days", count(1), Cadence.stale_after_days)
LOOKAHEAD_WEEKS = Field("lookahead_weeks", count(0), Cadence.lookahead_weeks)
CADENCE_FIELDS = (
    MIN_POSTS_PER_WEEK,
    MAX_POSTS_PER_DAY,
    CADENCE_WEEKDAYS,
    CADENCE_HOURS,
    STALE_AFTER_DAYS,
    LOOKAHEAD_WEEKS,
)


def parse_cadence(entry: Entry, context: SectionContext) -> tuple[Cadence, list[Finding]]:
    reading = read_map(
        entry, "cadence", CADENCE_FIELDS, path=context.path, what="min_posts_per_week, max_posts_per_day, …"
    )
    v = reading.values
    cadence = Cadence(
        v[MIN_POSTS_PER_WEEK],
        v[MAX_POSTS_PER_DAY],
        v[CADENCE_WEEKDAYS],
        v[CADENCE_HOURS],
        v[STALE_AFTER_DAYS],
        v[LOOKAHEAD_WEEKS],
    )
    return cadence, reading.findings


# approval

CATEGORY_REQUIRED: Field[int | None] = Field("required", count(1), None)
CATEGORY_APPROVERS: Field[frozenset[str] | None] = Field("approvers", lambda e: frozenset(names(e)), None)
CATEGORY_RULE_FIELDS = (CATEGORY_REQUIRED, CATEGORY_APPROVERS)
APPROVAL_REQUIRED = Field("required", count(1), 1)
APPROVAL_CATEGORIES: Field[Entry | None] = Field("categories", raw, None)
APPROVAL_SINCE: Field[Entry | None] = Field("since", raw, None)
GIT_PROOF = Field("git_proof", flag, False)
VERIFY_SIGNATURES = Field("verify_signatures", flag, False)
APPROVAL_FIELDS = (APPROVAL_REQUIRED, APPROVAL_CATEGORIES, APPROVAL_SINCE, GIT_PROOF, VERIFY_SIGNATURES)


def parse_approval(entry: Entry, context: SectionContext) -> tuple[ApprovalPolicy, list[Finding]]:
    path = context.path
    reading = read_map(entry, "approval", APPROVAL_FIELDS, path=path, what="required, categories, …")
    findings = reading.findings
    if not reading.is_map:
        return ApprovalPolicy(), findings
    v = reading.values
    since = None
    since_entry = v[APPROVAL_SINCE]
    if since_entry is not None:
        moment = located_when(since_entry, context.zone, WHEN_EXAMPLE)
        if isinstance(moment, str):
            findings.append(
                pointing_at(Finding(path, since_entry.line, "approval.since", moment, "calendar"), since_entry)
            )
        else:
            since = moment
    if v[VERIFY_SIGNATURES] and not v[GIT_PROOF]:
        line = entry.children["verify_signatures"].line
        message = _("expected git_proof: true as well, found it off")
        findings.append(Finding(path, line, "approval.verify_signatures", message, "calendar"))
    categories: dict[str, CategoryRule] = {}
    categories_entry = v[APPROVAL_CATEGORIES]
    if categories_entry is not None:
        if not isinstance(categories_entry.value, dict):
            message = _("expected a map with one entry per category, found {found}").format(
                found=describe(categories_entry)
            )
            findings.append(Finding(path, categories_entry.line, "approval.categories", message, "calendar"))
        else:
            for category, rule in categories_entry.children.items():
                where = f"approval.categories.{category}"
                rule_reading = read_map(rule, where, CATEGORY_RULE_FIELDS, path=path, what="required and/or approvers")
                findings.extend(rule_reading.findings)
                if rule_reading.is_map:
                    r = rule_reading.values
                    categories[category] = CategoryRule(r[CATEGORY_REQUIRED], r[CATEGORY_APPROVERS], rule.line)
    return ApprovalPolicy(v[APPROVAL_REQUIRED], categories, since, v[GIT_PROOF], v[VERIFY_SIGNATURES]), findings


def approval_references(policy: ApprovalPolicy, calendar: Calendar) -> list[Finding]:
    """Approvers named per category must be editors of the team."""
    findings: list[Finding] = []
    for category, rule in policy.categories.items():
        where = f"approval.categories.{category}.approvers"
        for member_id in sorted(rule.approvers or ()):
            member = calendar.team.get(member_id)
            if member is None:
                message = _("expected a team id{suggestion}, found '{found}'").format(
                    suggestion=did_you_mean(member_id, calendar.team), found=member_id
                )
            elif not member.is_editor:
                message = _("expected an editor, found '{found}' without the 'editor' right").format(found=member_id)
            else:
                continue
            findings.append(Finding(calendar.path, rule.line, where, message, "calendar"))
    return findings


# plan

SLOT_ID = Field("id", identifier, "", required=True)
SLOT_DUE: Field[Entry | None] = Field("due", raw, None)
SLOT_WEEK: Field[Entry | None] = Field("week", raw, None)
SLOT_TOPIC = Field("topic", text, "", required=True)
SLOT_OWNER = Field("owner", text, "")
SLOT_CHANNELS: Field[tuple[str, ...]] = Field("channels", names, ())
SLOT_POST = Field("post", text, "")
SLOT_CATEGORY = Field("category", text, "")
SLOT_FIELDS = (SLOT_ID, SLOT_DUE, SLOT_WEEK, SLOT_TOPIC, SLOT_OWNER, SLOT_CHANNELS, SLOT_POST, SLOT_CATEGORY)


def parse_plan(entry: Entry, context: SectionContext) -> tuple[list[PlanSlot], list[Finding]]:
    slots: list[PlanSlot] = []
    findings: list[Finding] = []
    if not isinstance(entry.value, list):
        message = _("expected a list of plan slots, found {found}").format(found=describe(entry))
        return slots, [Finding(context.path, entry.line, "plan", message, "calendar")]
    first_line: dict[str, int] = {}
    for index, item in enumerate(entry.items):
        slot = _slot(item, f"plan[{index}]", context, findings)
        if slot is None:
            continue
        if slot.id in first_line:
            message = _("expected unique ids, found '{found}' again (first on line {line})").format(
                found=slot.id, line=first_line[slot.id]
            )
            findings.append(Finding(context.path, item.children["id"].line, f"plan[{index}].id", message, "calendar"))
            continue
        first_line[slot.id] = item.line
        slots.append(slot)
    return slots, findings


def _slot(item: Entry, where: str, context: SectionContext, findings: list[Finding]) -> PlanSlot | None:
    reading = read_map(item, where, SLOT_FIELDS, path=context.path, what="id, due (or week) and topic")
    findings.extend(reading.findings)
    if not reading.is_map:
        return None
    v = reading.values
    due, week = _slot_due(item, where, context, findings)
    if SLOT_CHANNELS in reading.values:
        what = _("a channel from the calendar's channels")
        line = item.children["channels"].line
        context.refer(NameReference("channels", what, v[SLOT_CHANNELS], line, f"{where}.channels", "unknown-channel"))
    slot_id, topic = v[SLOT_ID], v[SLOT_TOPIC]
    if not (slot_id and topic and due):
        return None
    return PlanSlot(
        slot_id, due, topic, item.line, week, v[SLOT_OWNER], v[SLOT_CHANNELS], v[SLOT_POST], v[SLOT_CATEGORY]
    )


def _slot_due(
    item: Entry, where: str, context: SectionContext, findings: list[Finding]
) -> tuple[datetime | None, tuple[int, int] | None]:
    c = item.children

    def report(entry: Entry, name: str, message: str) -> None:
        findings.append(Finding(context.path, entry.line, f"{where}.{name}", message, "calendar"))

    if "due" in c and "week" in c:
        report(c["week"], "week", _("expected either 'due' or 'week', found both"))
        return None, None
    if "due" in c:
        due = located_when(c["due"], context.zone, "2026-11-24", end_of_day=True)
        if isinstance(due, str):
            findings.append(
                pointing_at(Finding(context.path, c["due"].line, f"{where}.due", due, "calendar"), c["due"])
            )
            return None, None
        return due, None
    if "week" in c:
        written = c["week"].value
        match = ISO_WEEK.match(written.strip()) if isinstance(written, str) else None
        try:
            monday = date.fromisocalendar(int(match["year"]), int(match["week"]), 1) if match else None
        except ValueError:
            monday = None
        if match is None or monday is None:
            message = _("expected an ISO week such as 2026-W48, found {found}").format(found=describe(c["week"]))
            report(c["week"], "week", message)
            return None, None
        # Due at the end of the week's last publishing day.
        cadence = context.get(CADENCE)
        last = max(cadence.weekdays) if cadence.weekdays else 6
        due_day = monday + timedelta(days=last + 1)
        return datetime.combine(due_day, time(0), tzinfo=context.zone), (int(match["year"]), int(match["week"]))
    report(item, "due", _("expected 'due' (a date) or 'week' (such as 2026-W48), found neither"))
    return None, None


def plan_references(slots: list[PlanSlot], calendar: Calendar) -> list[Finding]:
    """A slot's owner must be in the team."""
    return [
        Finding(
            calendar.path,
            slot.line,
            f"plan[{slot.id}].owner",
            _("expected a team id{suggestion}, found '{found}'").format(
                suggestion=did_you_mean(slot.owner, calendar.team), found=slot.owner
            ),
            "calendar",
        )
        for slot in slots
        if slot.owner and slot.owner not in calendar.team
    ]


# freeze

FREEZE_FROM: Field[Entry | None] = Field(
    "from",
    raw,
    None,
    required=True,
    missing=lambda: _("expected a start such as {example}, found the key missing").format(example=WHEN_EXAMPLE),
)
FREEZE_TO: Field[Entry | None] = Field("to", raw, None)
FREEZE_REASON = Field(
    "reason",
    text,
    "",
    required=True,
    missing=lambda: _("expected a reason (shown in every held-back message), found none"),
)
FREEZE_ALLOW: Field[frozenset[str]] = Field("allow", lambda e: frozenset(names(e)), frozenset())
FREEZE_FIELDS = (FREEZE_FROM, FREEZE_TO, FREEZE_REASON, FREEZE_ALLOW)


def parse_freeze(entry: Entry, context: SectionContext) -> tuple[list[FreezeWindow], list[Finding]]:
    windows: list[FreezeWindow] = []
    findings: list[Finding] = []
    if not isinstance(entry.value, list):
        message = _("expected a list of windows (from, to, reason), found {found}").format(found=describe(entry))
        return windows, [Finding(context.path, entry.line, "freeze", message, "calendar")]
    for index, item in enumerate(entry.items):
        where = f"freeze[{index}]"
        reading = read_map(item, where, FREEZE_FIELDS, path=context.path, what="from, to and reason")
        findings.extend(reading.findings)
        if not reading.is_map:
            continue
        v = reading.values

        def when(entry: Entry | None, name: str, end_of_day: bool = False, where: str = where) -> datetime | None:
            if entry is None or entry.value is None:
                return None
            moment = located_when(entry, context.zone, WHEN_EXAMPLE, end_of_day=end_of_day)
            if isinstance(moment, str):
                findings.append(
                    pointing_at(Finding(context.path, entry.line, f"{where}.{name}", moment, "calendar"), entry)
                )
                return None
            return moment

        start = when(v[FREEZE_FROM], "from")
        to = v[FREEZE_TO]
        # A bare date includes that whole day: 'to: 2027-01-04' ends at midnight after it.
        end = when(to, "to", end_of_day=True)
        if to is not None and to.value is not None and end is None:
            start = None  # unusable window
        reason = v[FREEZE_REASON]
        if start is not None and end is not None and end <= start:
            message = _("expected an end after {start}, found {end}").format(
                start=f"{start:%Y-%m-%d %H:%M}", end=f"{end:%Y-%m-%d %H:%M}"
            )
            findings.append(Finding(context.path, item.children["to"].line, f"{where}.to", message, "calendar"))
            continue
        if start is not None and reason:
            windows.append(FreezeWindow(start, end, reason, item.line, v[FREEZE_ALLOW]))
    return windows, findings


CADENCE: Section[Cadence] = Section("cadence", parse_cadence, Cadence)
APPROVAL: Section[ApprovalPolicy] = Section("approval", parse_approval, ApprovalPolicy, approval_references)
PLAN: Section[list[PlanSlot]] = Section("plan", parse_plan, list, plan_references)
FREEZE: Section[list[FreezeWindow]] = Section("freeze", parse_freeze, list)
# In this order: a week slot of the plan is due on the cadence's last weekday.
SECTIONS: tuple[Section[Any], ...] = (CADENCE, APPROVAL, PLAN, FREEZE)
