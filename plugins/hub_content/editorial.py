"""The editorial sections of the calendar: cadence, approval rules, the plan, freezes, channels.

Pure: takes the located YAML entries of editorial_calendar.yaml and returns
plain data plus findings (file, line, field, expected/found). The team is
parsed in calendar.py; references from here to the team are checked there,
once both are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub_core.dates import located_when
from hub_core.findings import Finding
from hub_core.suggest import did_you_mean
from hub_core.yamlsource import Entry

from .channels import ChannelConfig, parse_channels
from .frontmatter_split import describe

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CADENCE_KEYS = (
    "min_posts_per_week",
    "max_posts_per_day",
    "weekdays",
    "hours",
    "stale_after_days",
    "lookahead_weeks",
)
APPROVAL_KEYS = ("required", "categories", "since", "git_proof", "verify_signatures")
CATEGORY_RULE_KEYS = ("required", "approvers")
SLOT_KEYS = ("id", "due", "week", "topic", "owner", "channels", "post", "category")
FREEZE_KEYS = ("from", "to", "reason", "allow")
ISO_WEEK = re.compile(r"^(?P<year>\d{4})-W(?P<week>\d{2})$")
HOURS = re.compile(r"^(?P<h1>\d{1,2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{1,2}):(?P<m2>\d{2})$")
SLOT_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Cadence:
    min_posts_per_week: int = 2
    max_posts_per_day: int = 1
    weekdays: frozenset[int] = frozenset(range(5))  # Monday = 0, as datetime.weekday()
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
        end = self.end.strftime("%Y-%m-%d %H:%M") if self.end else "until lifted"
        return f"freeze {start} – {end} ({self.reason})"


@dataclass
class EditorialSections:
    cadence: Cadence = field(default_factory=Cadence)
    approval: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    plan: list[PlanSlot] = field(default_factory=list)
    freeze: list[FreezeWindow] = field(default_factory=list)
    channels: dict[str, ChannelConfig] = field(default_factory=dict)


Report = Callable[[Entry | None, str, str], None]


def parse_sections(
    children: dict[str, Entry], zone: ZoneInfo, path: str, root_line: int
) -> tuple[EditorialSections, list[Finding]]:
    """Parse cadence, approval, plan, freeze and channels; every problem is a finding."""
    findings: list[Finding] = []
    sections = EditorialSections()

    def report(entry: Entry | None, name: str, message: str, check: str = "calendar") -> None:
        findings.append(Finding(path, entry.line if entry else root_line, name, message, check))

    if "cadence" in children:
        sections.cadence = _cadence(children["cadence"], report)
    if "channels" in children:
        sections.channels = parse_channels(children["channels"], zone, report)
    if "approval" in children:
        sections.approval = _approval(children["approval"], zone, report)
    if "plan" in children:
        sections.plan = _plan(children["plan"], zone, sections, report)
    if "freeze" in children:
        sections.freeze = _freeze(children["freeze"], zone, report)
    return sections, findings


def _unknown_keys(entry: Entry, where: str, known: tuple[str, ...], report: Callable[..., None]) -> None:
    for key, child in entry.children.items():
        if key not in known:
            report(
                child,
                f"{where}.{key}",
                f"unknown key{did_you_mean(key, known)}; known keys: {', '.join(known)}",
                "unknown-key",
            )


def _is_map(entry: Entry, where: str, what: str, report: Callable[..., None]) -> bool:
    if isinstance(entry.value, dict):
        return True
    report(entry, where, f"expected a map with {what}, found {describe(entry)}")
    return False


def _count(entry: Entry, name: str, report: Callable[..., None], minimum: int = 0) -> int | None:
    value = entry.value
    if isinstance(value, bool) or not isinstance(value, int):
        report(entry, name, f"expected a whole number of at least {minimum}, found {describe(entry)}")
        return None
    if value < minimum:
        report(entry, name, f"expected a whole number of at least {minimum}, found {value}")
        return None
    return value


def _flag(entry: Entry, name: str, report: Callable[..., None]) -> bool:
    if isinstance(entry.value, bool):
        return entry.value
    report(entry, name, f"expected true or false, found {describe(entry)}")
    return False


def _text(entry: Entry, name: str, report: Callable[..., None]) -> str:
    if isinstance(entry.value, str) and entry.value.strip():
        return entry.value.strip()
    report(entry, name, f"expected text, found {describe(entry)}")
    return ""


def _names(entry: Entry, name: str, report: Callable[..., None]) -> tuple[str, ...]:
    values = entry.value if isinstance(entry.value, list) else [entry.value]
    if not all(isinstance(v, str) and v.strip() for v in values):
        report(entry, name, f"expected a list of names such as [a, b], found {describe(entry)}")
        return ()
    return tuple(v.strip() for v in values)


WHEN_EXAMPLE = "2026-12-23 or 2026-12-23 14:00 +01:00"


def _cadence(entry: Entry, report: Callable[..., None]) -> Cadence:
    if not _is_map(entry, "cadence", "min_posts_per_week, max_posts_per_day, …", report):
        return Cadence()
    _unknown_keys(entry, "cadence", CADENCE_KEYS, report)
    values: dict[str, object] = {}
    c = entry.children
    for name, minimum in (
        ("min_posts_per_week", 0),
        ("max_posts_per_day", 1),
        ("stale_after_days", 1),
        ("lookahead_weeks", 0),
    ):
        if name in c:
            number = _count(c[name], f"cadence.{name}", report, minimum)
            if number is not None:
                values[name] = number
    if "weekdays" in c:
        days = _names(c["weekdays"], "cadence.weekdays", report)
        wrong = [d for d in days if d.lower() not in WEEKDAYS + WEEKDAY_NAMES]
        if wrong:
            report(
                c["weekdays"],
                "cadence.weekdays",
                f"expected weekdays from {', '.join(WEEKDAYS)}, found {', '.join(repr(d) for d in wrong)}",
            )
        elif days:
            values["weekdays"] = frozenset(WEEKDAYS.index(d.lower()[:3]) for d in days)
    if "hours" in c:
        hours = c["hours"]
        match = HOURS.match(hours.value.strip()) if isinstance(hours.value, str) else None
        parsed = None
        if match:
            try:
                start = time(int(match["h1"]), int(match["m1"]))
                is_midnight = match["h2"] == "24" and match["m2"] == "00"
                end = time.max if is_midnight else time(int(match["h2"]), int(match["m2"]))
                parsed = (start, end) if start < end else None
            except ValueError:
                parsed = None
        if parsed is None:
            report(hours, "cadence.hours", f"expected a time range such as '08:00-18:00', found {describe(hours)}")
        else:
            values["hours"] = parsed
    return Cadence(**values)  # type: ignore[arg-type]


def _approval(entry: Entry, zone: ZoneInfo, report: Callable[..., None]) -> ApprovalPolicy:
    if not _is_map(entry, "approval", "required, categories, …", report):
        return ApprovalPolicy()
    _unknown_keys(entry, "approval", APPROVAL_KEYS, report)
    c = entry.children
    required = 1
    if "required" in c:
        required = _count(c["required"], "approval.required", report, 1) or 1
    since = None
    if "since" in c:
        moment = located_when(c["since"], zone, WHEN_EXAMPLE)
        if isinstance(moment, str):
            report(c["since"], "approval.since", moment)
        else:
            since = moment
    git_proof = _flag(c["git_proof"], "approval.git_proof", report) if "git_proof" in c else False
    verify = _flag(c["verify_signatures"], "approval.verify_signatures", report) if "verify_signatures" in c else False
    if verify and not git_proof:
        report(c["verify_signatures"], "approval.verify_signatures", "expected git_proof: true as well, found it off")
    categories: dict[str, CategoryRule] = {}
    if "categories" in c and _is_map(c["categories"], "approval.categories", "one entry per category", report):
        for category, rule in c["categories"].children.items():
            where = f"approval.categories.{category}"
            if not _is_map(rule, where, "required and/or approvers", report):
                continue
            _unknown_keys(rule, where, CATEGORY_RULE_KEYS, report)
            count = (
                _count(rule.children["required"], f"{where}.required", report, 1)
                if "required" in rule.children
                else None
            )
            approvers = None
            if "approvers" in rule.children:
                approvers = frozenset(_names(rule.children["approvers"], f"{where}.approvers", report))
            categories[category] = CategoryRule(count, approvers, rule.line)
    return ApprovalPolicy(required, categories, since, git_proof, verify)


def _plan(entry: Entry, zone: ZoneInfo, sections: EditorialSections, report: Callable[..., None]) -> list[PlanSlot]:
    slots: list[PlanSlot] = []
    if not isinstance(entry.value, list):
        report(entry, "plan", f"expected a list of plan slots, found {describe(entry)}")
        return slots
    first_line: dict[str, int] = {}
    for index, item in enumerate(entry.items):
        slot = _slot(item, f"plan[{index}]", zone, sections, report)
        if slot is None:
            continue
        if slot.id in first_line:
            report(
                item.children["id"],
                f"plan[{index}].id",
                f"expected unique ids, found '{slot.id}' again (first on line {first_line[slot.id]})",
            )
            continue
        first_line[slot.id] = item.line
        slots.append(slot)
    return slots


def _slot(
    item: Entry, where: str, zone: ZoneInfo, sections: EditorialSections, report: Callable[..., None]
) -> PlanSlot | None:
    if not _is_map(item, where, "id, due (or week) and topic", report):
        return None
    _unknown_keys(item, where, SLOT_KEYS, report)
    c = item.children
    missing = [name for name in ("id", "topic") if name not in c]
    for name in missing:
        report(item, f"{where}.{name}", "expected a value, found the key missing")
    slot_id = _text(c["id"], f"{where}.id", report) if "id" in c else ""
    if slot_id and not SLOT_ID.match(slot_id):
        report(c["id"], f"{where}.id", f"expected lower-case letters, digits and '-', found '{slot_id}'")
        slot_id = ""
    topic = _text(c["topic"], f"{where}.topic", report) if "topic" in c else ""
    due, week = _slot_due(item, where, zone, sections.cadence, report)
    owner = _text(c["owner"], f"{where}.owner", report) if "owner" in c else ""
    post = _text(c["post"], f"{where}.post", report) if "post" in c else ""
    category = _text(c["category"], f"{where}.category", report) if "category" in c else ""
    channels: tuple[str, ...] = ()
    if "channels" in c:
        channels = _names(c["channels"], f"{where}.channels", report)
        for name in channels:
            if name not in sections.channels:
                known = ", ".join(sections.channels) or "none defined under 'channels'"
                report(
                    c["channels"],
                    f"{where}.channels",
                    f"expected a channel from the calendar's channels ({known}), "
                    f"found '{name}'{did_you_mean(name, sections.channels)}",
                    "unknown-channel",
                )
    if not (slot_id and topic and due):
        return None
    return PlanSlot(slot_id, due, topic, item.line, week, owner, channels, post, category)


def _slot_due(
    item: Entry, where: str, zone: ZoneInfo, cadence: Cadence, report: Callable[..., None]
) -> tuple[datetime | None, tuple[int, int] | None]:
    c = item.children
    if "due" in c and "week" in c:
        report(c["week"], f"{where}.week", "expected either 'due' or 'week', found both")
        return None, None
    if "due" in c:
        due = located_when(c["due"], zone, "2026-11-24", end_of_day=True)
        if isinstance(due, str):
            report(c["due"], f"{where}.due", due)
            return None, None
        return due, None
    if "week" in c:
        raw = c["week"].value
        match = ISO_WEEK.match(raw.strip()) if isinstance(raw, str) else None
        try:
            monday = date.fromisocalendar(int(match["year"]), int(match["week"]), 1) if match else None
        except ValueError:
            monday = None
        if match is None or monday is None:
            report(c["week"], f"{where}.week", f"expected an ISO week such as 2026-W48, found {describe(c['week'])}")
            return None, None
        # Due at the end of the week's last publishing day.
        last = max(cadence.weekdays) if cadence.weekdays else 6
        due_day = monday + timedelta(days=last + 1)
        return datetime.combine(due_day, time(0), tzinfo=zone), (int(match["year"]), int(match["week"]))
    report(item, f"{where}.due", "expected 'due' (a date) or 'week' (such as 2026-W48), found neither")
    return None, None


def _freeze(entry: Entry, zone: ZoneInfo, report: Callable[..., None]) -> list[FreezeWindow]:
    windows: list[FreezeWindow] = []
    if not isinstance(entry.value, list):
        report(entry, "freeze", f"expected a list of windows (from, to, reason), found {describe(entry)}")
        return windows
    for index, item in enumerate(entry.items):
        where = f"freeze[{index}]"
        if not _is_map(item, where, "from, to and reason", report):
            continue
        _unknown_keys(item, where, FREEZE_KEYS, report)
        c = item.children
        start = end = None
        if "from" not in c:
            report(item, f"{where}.from", f"expected a start such as {WHEN_EXAMPLE}, found the key missing")
        else:
            moment = located_when(c["from"], zone, WHEN_EXAMPLE)
            if isinstance(moment, str):
                report(c["from"], f"{where}.from", moment)
            else:
                start = moment
        if "to" in c and c["to"].value is not None:
            # A bare date includes that whole day: 'to: 2027-01-04' ends at midnight after it.
            moment = located_when(c["to"], zone, WHEN_EXAMPLE, end_of_day=True)
            if isinstance(moment, str):
                report(c["to"], f"{where}.to", moment)
                start = None  # unusable window; keep checking its other fields
            else:
                end = moment
        reason = _text(c["reason"], f"{where}.reason", report) if "reason" in c else ""
        if "reason" not in c:
            report(item, f"{where}.reason", "expected a reason (shown in every held-back message), found none")
        allow = frozenset(_names(c["allow"], f"{where}.allow", report)) if "allow" in c else frozenset()
        if start is not None and end is not None and end <= start:
            report(c["to"], f"{where}.to", f"expected an end after {start:%Y-%m-%d %H:%M}, found {end:%Y-%m-%d %H:%M}")
            continue
        if start is not None and reason:
            windows.append(FreezeWindow(start, end, reason, item.line, allow))
    return windows
