"""Cadence rules: is the blog fresh, are the coming weeks filled, are days crowded?

Pure functions over reviewed posts, the calendar and "now"; they return findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from hub_content.calendar import Calendar
from hub_content.fields import CHECKS
from hub_core.findings import Finding
from hub_core.i18n import translator

from .calendar_sections import CADENCE, WEEKDAYS, FreezeWindow
from .readable import short_day
from .states import PostReview, State
from .weeks import Week, start_of_day

_, ngettext = translator("hub_review")


@dataclass(frozen=True)
class WeekCount:
    week: Week
    posts: int  # published or scheduled (approved), translations counted once
    target: int
    in_review: int = 0
    past: bool = False

    @property
    def missing(self) -> int:
        return max(0, self.target - self.posts)


def _finding(path: str, line: int, field: str, message: str, check: str) -> Finding:
    return Finding(path, line, field, message, check, CHECKS[check][0])


def week_counts(
    posts: Sequence[PostReview], calendar: Calendar, first: Week, last: Week, now: datetime
) -> list[WeekCount]:
    zone = calendar.timezone
    groups: dict[Week, set[str]] = defaultdict(set)
    waiting: dict[Week, set[str]] = defaultdict(set)
    for post in posts:
        if post.date is None:
            continue
        week = Week.of(post.date, zone)
        if not first <= week <= last:
            continue
        if post.counts_for_cadence:
            groups[week].add(post.group)
        elif post.state in (State.IN_REVIEW, State.STALE) or (post.state is State.HELD and not post.verdict.approved):
            waiting[week].add(post.group)
    result = []
    week = first
    current = Week.of(now, zone)
    while week <= last:
        result.append(
            WeekCount(
                week,
                len(groups[week]),
                calendar.section(CADENCE).min_posts_per_week,
                len(waiting[week] - groups[week]),
                week < current,
            )
        )
        week = week.following()
    return result


def silent_days(since: datetime, now: datetime, freezes: Sequence[FreezeWindow]) -> float:
    """Days from `since` to `now` without the time spent in freezes: a freeze is a deliberate silence."""
    silent = now - since
    for window in freezes:
        start, end = max(window.start, since), min(window.end or now, now)
        if end > start:
            silent -= end - start
    return silent.total_seconds() / 86400


def stale_blog(
    posts: Sequence[PostReview], calendar: Calendar, now: datetime, freezes: Sequence[FreezeWindow] = ()
) -> list[Finding]:
    if any(window.covers(now) for window in freezes):
        return []  # silence is the point of a freeze (and of the crisis switch)
    live = [p for p in posts if p.state is State.PUBLISHED and p.date is not None]
    limit = calendar.section(CADENCE).stale_after_days
    if not live:
        held = [p for p in posts if p.state is State.HELD]
        message = _("expected at least one published post, found none")
        if held:
            message = ngettext(
                "expected at least one published post, found none: {count} post is held back, not approved "
                "(approve it, or set approval.since for an archive that needs no approval; invoke review lists it)",
                "expected at least one published post, found none: {count} posts are held back, not approved "
                "(approve them, or set approval.since for an archive that needs no approval; invoke review lists them)",
                len(held),
            ).format(count=len(held))
        return [_finding(calendar.path, 0, "cadence.stale_after_days", message, "stale-blog")]
    newest = max(live, key=lambda p: p.date)  # type: ignore[arg-type, return-value]
    assert newest.date is not None
    age = int(silent_days(newest.date, now, freezes))
    if age <= limit:
        return []
    return [
        _finding(
            newest.item.path,
            newest.item.line_of("date"),
            "date",
            _(
                "expected a published post in the last {limit} days (cadence.stale_after_days), found the newest, "
                "'{title}', {age} days old: a blog this quiet looks abandoned"
            ).format(limit=limit, title=newest.item.title, age=age),
            "stale-blog",
        )
    ]


def gaps_ahead(
    posts: Sequence[PostReview], calendar: Calendar, now: datetime, freezes: Sequence[FreezeWindow] = ()
) -> list[Finding]:
    """This week and the `lookahead_weeks` after it, each with at least the minimum of approved posts;
    a week wholly inside a freeze is meant to be quiet."""
    cadence = calendar.section(CADENCE)
    if cadence.min_posts_per_week == 0:
        return []
    current = Week.of(now, calendar.timezone)
    counts = week_counts(posts, calendar, current, current.following(cadence.lookahead_weeks), now)
    findings = []
    zone = calendar.timezone
    for count in counts:
        start, end = count.week.start(zone), count.week.end(zone)
        frozen = any(w.start <= start and (w.end is None or w.end >= end) for w in freezes if not w.crisis)
        if count.missing and not frozen:
            values = {
                "target": count.target,
                "week": count.week,
                "monday": short_day(count.week.monday),
                "found": count.posts,
                "missing": count.missing,
                "waiting": count.in_review,
            }
            if count.in_review:
                message = _(
                    "expected {target} approved posts in week {week} (from {monday}), found {found}: "
                    "{missing} missing ({waiting} more waiting for approval)"
                )
            else:
                message = _(
                    "expected {target} approved posts in week {week} (from {monday}), found {found}: {missing} missing"
                )
            findings.append(
                _finding(
                    calendar.path,
                    calendar.line_of("cadence"),
                    "cadence.min_posts_per_week",
                    message.format(**values),
                    "gap-ahead",
                )
            )
    return findings


def thin_weeks(posts: Sequence[PostReview], calendar: Calendar, now: datetime) -> list[WeekCount]:
    """Weeks of the current quarter that are over and had fewer posts than the minimum."""
    zone = calendar.timezone
    current = Week.of(now, zone)
    first = current
    while first.following(-1).quarter == current.quarter:
        first = first.following(-1)
    if first == current:
        return []
    counts = week_counts(posts, calendar, first, current.following(-1), now)
    return [c for c in counts if c.missing]


def crowding(posts: Sequence[PostReview], calendar: Calendar, now: datetime) -> list[Finding]:
    """Days with too many posts and posts outside the publishing days and hours, from today on."""
    zone = calendar.timezone
    cadence = calendar.section(CADENCE)
    today = start_of_day(now, zone)
    upcoming = [
        p
        for p in posts
        if p.date is not None and p.date >= today and p.state not in (State.DRAFT,) and p.item.status != "hidden"
    ]
    findings = []
    by_day: dict[object, dict[str, PostReview]] = defaultdict(dict)
    for post in upcoming:
        assert post.date is not None
        by_day[post.date.astimezone(zone).date()].setdefault(post.group, post)
    for day, groups in sorted(by_day.items()):  # type: ignore[type-var]
        if len(groups) > cadence.max_posts_per_day:
            crowded = sorted(groups.values(), key=lambda p: p.date)  # type: ignore[arg-type, return-value]
            named = _("'{title}' ({path})")
            names = ", ".join(named.format(title=p.item.title, path=p.item.path) for p in crowded)
            limit = cadence.max_posts_per_day
            message = ngettext(
                "expected at most {count} post on {day} (cadence.max_posts_per_day), found {found}: {posts}",
                "expected at most {count} posts on {day} (cadence.max_posts_per_day), found {found}: {posts}",
                limit,
            ).format(count=limit, day=f"{day:%Y-%m-%d}", found=len(groups), posts=names)
            for post in crowded:
                findings.append(
                    _finding(
                        post.item.path,
                        post.item.line_of("date"),
                        "date",
                        message,
                        "crowded-day",
                    )
                )
    for post in upcoming:
        assert post.date is not None
        local = post.date.astimezone(zone)
        problems = []
        if local.weekday() not in cadence.weekdays:
            allowed = ", ".join(WEEKDAYS[d] for d in sorted(cadence.weekdays))
            problems.append(
                _("expected a publishing day ({allowed}), found a {day}").format(
                    allowed=allowed, day=WEEKDAYS[local.weekday()]
                )
            )
        if cadence.hours is not None:
            start, end = cadence.hours
            if not start <= local.time() < end:
                problems.append(
                    _("expected a time between {start} and {end} ({zone}), found {time}").format(
                        start=f"{start:%H:%M}", end=f"{end:%H:%M}", zone=zone.key, time=f"{local:%H:%M}"
                    )
                )
        if problems:
            message = "; ".join(problems)  # each says what was expected and found
            findings.append(_finding(post.item.path, post.item.line_of("date"), "date", message, "off-hours"))
    return findings


def published_per_week(
    posts: Sequence[PostReview], calendar: Calendar, now: datetime, weeks_back: int = 12
) -> list[WeekCount]:
    """Posts per week from `weeks_back` weeks ago (or the first post) through the look-ahead: the dashboard's chart."""
    zone = calendar.timezone
    current = Week.of(now, zone)
    first = current.following(-weeks_back)
    dated = [p.date for p in posts if p.date is not None and p.state is not State.DRAFT]
    if dated:
        first = min(max(first, Week.of(min(dated), zone)), current)
    return week_counts(posts, calendar, first, current.following(calendar.section(CADENCE).lookahead_weeks), now)
