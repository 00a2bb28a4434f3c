"""What the KPIs are: the figures the dashboard's KPI section and the monthly report show.

Computed by compute.py from the daily figures (store.py), the posts, the editorial calendar (cadence,
plan, the `kpi:` section with targets and departments) and, when it exists, the comment inbox. Plain,
frozen values: the report (report/), the CSV export and the dashboard only arrange them.

Entry points (each module's own): `compute.month_kpis(settings, month, now, environ, checked=,
dialogue=) -> Kpis` (the report and `invoke report`; `checked` is `content_settings(settings)`,
`dialogue` the inbox's part: `compute.from_inbox(settings, now, environ)`, or None for no inbox),
`compute.kpis(...)` for any period and a gate at hand (the
dashboard), and `responses.dialogue_figures(store, calendar, posts, period, now) -> DialogueFigures`
(the inbox's part; `responses.inbox_figures(settings, calendar, posts, period, now)` opens the
settings' inbox read-only).

No reader is in here: no name, no e-mail, no address. Questions carry the comment's text (what a
department must read), never who wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .model import Reactions


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class PostFigures:
    key: str  # "de/slug", as hub_crosspost's PostInfo.key
    title: str
    path: str  # its address today, "2026/slug/"
    category: str
    authors: tuple[str, ...]  # team ids
    published: date
    views: int  # in the period, over every address the post ever had
    views_7: int | None  # in its first 7 days; None: 7 days have not passed, or no logs cover them
    views_30: int | None  # in its first 30 days; likewise
    channels: Mapping[str, int] = field(default_factory=dict)  # utm_source → visits in the period
    reactions: Mapping[str, Reactions] = field(default_factory=dict)  # channel → counts at the period's end
    comments: int = 0  # comments and platform replies that came in during the period (spam left out)


@dataclass(frozen=True)
class ChannelFigures:
    channel: str  # as in the calendar's `channels:` ("linkedin", "mastodon"); "" for no channel
    teasers: int  # teasers posted in the period (the cross-posting ledger)
    visits: int  # views that came through the channel's UTM links
    reactions: Reactions  # summed over its teasers, at the period's end
    comments: int  # replies on the platform that reached the inbox


@dataclass(frozen=True)
class GroupFigures:
    """Posts grouped by category, author or month."""

    name: str  # category name, team id, or "2026-11"
    posts: int  # published in the period
    views: int  # views in the period of every post of the group (also older posts)
    views_7_median: float | None  # the median of views_7 of the group's posts published in the period that have one
    comments: int


@dataclass(frozen=True)
class WeekFigures:
    week: str  # ISO week, "2026-W46"
    monday: date
    posts: int  # published that week
    target: int  # the cadence's min_posts_per_week
    views: int  # views of all pages that week


@dataclass(frozen=True)
class Cadence:
    target_per_week: int
    weeks: tuple[WeekFigures, ...]
    slots_due: int  # plan slots due in the period
    slots_met: int  # of those, with a published post by their due day

    @property
    def weeks_met(self) -> int:
        return sum(1 for week in self.weeks if week.posts >= week.target)


@dataclass(frozen=True)
class ResponseTimes:
    """First answers to comments and replies that came in during the period, in business time."""

    deadline: timedelta | None  # the calendar's dialogue.respond_within; None: none set, nothing is late
    received: int
    answered: int  # with a published staff answer
    in_time: int  # answered before the deadline
    open: int  # not answered yet
    median: timedelta | None  # of the answered ones; None: none answered
    p90: timedelta | None

    @property
    def late(self) -> int:
        return self.answered - self.in_time


@dataclass(frozen=True)
class Question:
    """A comment or reply routed to a department (by its post's category or a topic word)."""

    post: str  # key
    title: str
    source: str  # web, mastodon, bluesky
    received: datetime
    text: str
    topic: str  # the topic word that routed it; "" when the category did
    answered: datetime | None
    in_time: bool | None  # None: not answered yet and the deadline has not passed


@dataclass(frozen=True)
class Target:
    """A KPI target from the calendar's `kpi.targets` and whether the period met it."""

    name: str  # "posts_per_week", "views_after_7_days", "answered_in_time", ...
    label: str  # German, for people
    goal: float
    actual: float | None  # None: not measurable in this period (no logs, no comments)

    @property
    def met(self) -> bool | None:
        return None if self.actual is None else self.actual >= self.goal


@dataclass(frozen=True)
class Department:
    name: str  # "Produktmanagement"
    recipients: tuple[str, ...]  # team ids who get their page
    posts: tuple[PostFigures, ...]  # posts of their categories with views in the period
    questions: tuple[Question, ...]
    responses: ResponseTimes | None


@dataclass(frozen=True)
class Coverage:
    """What the figures rest on, so a report says honestly where it is blind."""

    days_with_logs: int  # days of the period that have counted figures
    days_with_platforms: int
    inbox: bool  # the comment inbox was read
    malformed_lines: int


@dataclass(frozen=True)
class Kpis:
    period: Period
    generated: datetime
    coverage: Coverage
    posts: tuple[PostFigures, ...]  # every published post with views or published in the period, most viewed first
    channels: tuple[ChannelFigures, ...]
    categories: tuple[GroupFigures, ...]
    authors: tuple[GroupFigures, ...]
    months: tuple[GroupFigures, ...]
    cadence: Cadence
    referrers: tuple[tuple[str, int], ...]  # host, views: most first
    feed_fetches: int
    feed_subscribers: int  # the last day's sum over reader services and feeds
    not_found: tuple[tuple[str, int], ...]  # path, count: most first
    responses: ResponseTimes | None  # None: no inbox
    departments: tuple[Department, ...]
    targets: tuple[Target, ...]
    top: tuple[PostFigures, ...]  # the most read posts of the period
    unread: tuple[PostFigures, ...]  # published at least 7 days before the period's end, no view in the period


@dataclass(frozen=True)
class DialogueFigures:
    """What the comment inbox adds for a period (responses.py reads it; compute.py places it).

    `questions` are every comment and platform reply that came in during the period and is owed an
    answer (spam and rejected ones left out; responses.py says why), with the topic word of the
    calendar's `dialogue.routes` that matches its text, if any; compute.py hands each to the
    departments whose categories or topics it matches. `comments` and `by_source` count rejected
    ones too: they came in."""

    responses: ResponseTimes
    questions: tuple[Question, ...]
    comments: Mapping[str, int]  # post key → comments and replies received in the period
    by_source: Mapping[str, int]  # web, mastodon, bluesky → received in the period
