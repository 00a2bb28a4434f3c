"""Who answers an item of the dialogue, by when, and when the lead hears of it: pure rules.

Lives in hub_dialogue, beside the calendar section that configures it (calendar_sections.py):
hub_dialogue already builds on hub_inbox (the items) and hub_review (the cadence's weekdays and
hours), while the inbox service stays free of the calendar. Plain data in (an item, its post's
category, the rules, the business hours, now), plain data out; the clock is always passed in.

Business time: a deadline of `8h` counts only the hours inside `cadence.hours` (any hour when
unset) on `cadence.weekdays`, in the calendar's time zone. Lengths are measured in real elapsed
time (UTC), so a window that spans a daylight-saving change counts the hours that really pass;
the window's edges are local wall-clock times, so 08:00 stays 08:00 in summer and winter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hub_inbox.model import Item, Source, Status
from hub_inbox.spam import word_pattern

ROUTE = "route"  # Decision actions in an item's log: the notice to the routed person was sent …
ESCALATE = "escalate"  # … and the escalation to the lead
SYSTEM = "system"  # who decided: the rules, not a person
SEARCH_DAYS = 3 * 366  # a deadline further away than this means the business hours are empty


@dataclass(frozen=True)
class Route:
    """Items of these categories and/or mentioning these topics go to `to` (a team id).

    With both given, both must match; a route with neither matches nothing (the section reports it)."""

    to: str
    categories: frozenset[str] = frozenset()
    topics: tuple[str, ...] = ()
    line: int = 0

    def matches(self, category: str, text: str) -> bool:
        if not (self.categories or self.topics):
            return False
        if self.categories and category not in self.categories:
            return False
        return not self.topics or word_pattern(self.topics).search(text) is not None


@dataclass(frozen=True)
class DialogueRules:
    """The calendar's `dialogue:` section. Without `respond_within` nothing has a deadline."""

    respond_within: timedelta | None = None
    escalate_after: timedelta | None = None
    lead: str = ""
    words: tuple[str, ...] = ()  # the intake's spam word list
    routes: tuple[Route, ...] = ()
    default: str = ""
    webhook: str = ""  # a webhook channel of the calendar's `channels:` for notices; "" none
    line: int = 0
    lines: Mapping[str, int] = field(default_factory=dict)  # of each key, for messages

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass(frozen=True)
class BusinessHours:
    weekdays: frozenset[int]  # Monday = 0
    hours: tuple[time, time] | None  # [start, end) local; None: the whole day; end time.max: midnight
    zone: ZoneInfo

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's open hours as UTC moments, or None on a day off."""
        if day.weekday() not in self.weekdays:
            return None
        start, end = self.hours or (time(0), time.max)
        opens = datetime.combine(day, start, tzinfo=self.zone)
        if end == time.max:
            closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
        else:
            closes = datetime.combine(day, end, tzinfo=self.zone)
        return opens.astimezone(UTC), closes.astimezone(UTC)


def add_business_time(start: datetime, amount: timedelta, hours: BusinessHours) -> datetime:
    """The moment `amount` of business time after `start` (aware), in the business hours' zone."""
    if amount <= timedelta(0):
        raise ValueError("amount must be positive")
    cursor = start.astimezone(UTC)
    day = start.astimezone(hours.zone).date()
    remaining = amount
    for _ in range(SEARCH_DAYS):
        window = hours.window(day)
        if window is not None:
            begin, closes = max(window[0], cursor), window[1]
            if begin < closes:
                if remaining <= closes - begin:
                    return (begin + remaining).astimezone(hours.zone)
                remaining -= closes - begin
        day += timedelta(days=1)
    raise ValueError("no business hours within three years: check cadence.weekdays and cadence.hours")


def business_time(start: datetime, end: datetime, hours: BusinessHours) -> timedelta:
    """How much business time lies between two aware moments (zero when `end` is not after `start`):
    the inverse of add_business_time, for the measured response times (hub_stats)."""
    begin, finish = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day, last = start.astimezone(hours.zone).date(), end.astimezone(hours.zone).date()
    while day <= last:
        window = hours.window(day)
        if window is not None:
            total += max(timedelta(0), min(window[1], finish) - max(window[0], begin))
        day += timedelta(days=1)
    return total


def route_for(rules: DialogueRules, category: str, text: str) -> Route | None:
    """The first route that matches an item; None: it goes to `default`, else the lead."""
    return next((route for route in rules.routes if route.matches(category, text)), None)


def assignee(rules: DialogueRules, category: str, text: str) -> str:
    """The team id an item goes to: the first route that matches, else `default`, else the lead."""
    route = route_for(rules, category, text)
    return route.to if route else rules.default or rules.lead


@dataclass(frozen=True)
class Tracked:
    """An item waiting for an answer: who has it, by when, and when the lead is told."""

    item: Item
    to: str  # team id; "" when nobody is configured
    deadline: datetime | None
    escalate_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.deadline is not None and now >= self.deadline

    def escalation_due(self, now: datetime) -> bool:
        return self.escalate_at is not None and now >= self.escalate_at


def waits_for_answer(item: Item) -> bool:
    """In the queue and not written by the team: an item the team owes an answer (or a decision)."""
    return item.status is Status.PENDING and item.source is not Source.STAFF


def track(item: Item, category: str, rules: DialogueRules, hours: BusinessHours) -> Tracked:
    within, escalate = rules.respond_within, rules.escalate_after
    return Tracked(
        item,
        assignee(rules, category, item.text),
        add_business_time(item.created, within, hours) if within else None,
        add_business_time(item.created, escalate, hours) if escalate and rules.lead else None,
    )


def tracked_items(
    items: Iterable[Item], categories: dict[str, str], rules: DialogueRules, hours: BusinessHours
) -> list[Tracked]:
    """Every item that waits for an answer, tracked; `categories` maps post keys to their category."""
    return [track(item, categories.get(item.post, ""), rules, hours) for item in items if waits_for_answer(item)]


def overdue(tracked: Sequence[Tracked], now: datetime) -> list[Tracked]:
    """Items past their deadline, the longest overdue first."""
    late = [t for t in tracked if t.overdue(now)]
    return sorted(late, key=lambda t: (t.deadline, t.item.id))


@dataclass(frozen=True)
class Notice:
    """A message to send once: `kind` ROUTE to the assignee, ESCALATE to the lead."""

    kind: str
    to: str  # team id
    tracked: Tracked


def notices_due(tracked: Sequence[Tracked], rules: DialogueRules, now: datetime) -> list[Notice]:
    """What is to be sent now: a routing notice for every item whose log has none yet, and an
    escalation for every item past its escalation moment whose log has none yet."""
    notices: list[Notice] = []
    for entry in tracked:
        sent = {decision.action for decision in entry.item.decisions}
        if entry.to and ROUTE not in sent:
            notices.append(Notice(ROUTE, entry.to, entry))
        if rules.lead and ESCALATE not in sent and entry.escalation_due(now):
            notices.append(Notice(ESCALATE, rules.lead, entry))
    return notices
