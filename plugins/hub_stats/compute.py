"""The KPIs of a period (kpis.Kpis), from the posts, the figures, the ledger and the inbox's part.

`kpis(...)` is pure: the review gate's result (posts, cadence, plan, the calendar's sections), the
published posts and their addresses, the day files and platform counts, the teasers that went out
and, when there is an inbox, its DialogueFigures in; one Kpis out. `month_kpis(...)` and
`period_kpis(...)` are the thin loaders: they read the files (inputs.py) and call it.

How each figure is meant (the report and the dashboard show them; docs/reference.md "KPIs and targets"):
- A post's views are every view of every address it ever had (addresses.py), counted per UTC day.
- views_7 / views_30: views in the post's first 7 / 30 days, the day of publication (its UTC date)
  being the first; None until the window's last day is over, or when a day of it has no figures.
- The cadence counts ISO weeks whose Thursday lies in the period (a week belongs to the month of its
  Thursday), with hub_review's own counting (published or scheduled, a translation counted once).
- A plan slot is met when its post was published by the slot's end.
- A channel's reach is the views that came through its UTM links (utm_source = the channel's name);
  its engagement the platform counts of the teasers it posted in the period, as fetched last by the
  period's end, and the comments that reached the inbox from that platform. The row "" is the rest:
  views without a channel's link, and the comments written on the site.
- Unread: published at least 7 days before the period's end and no view in the period; not judged
  when no day of the period has figures (no logs is not no readers).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hub_content.calendar import Calendar
from hub_content.loader import ContentSettings
from hub_core.i18n import N_, translator
from hub_crosspost.channels import CHANNELS
from hub_crosspost.ledger import Entry
from hub_dialogue.deadlines import business_hours
from hub_dialogue.routing import BusinessHours, business_time
from hub_inbox.spam import word_pattern
from hub_review.cadence import week_counts
from hub_review.calendar_sections import CADENCE
from hub_review.gate import GateResult
from hub_review.runner import judge_site
from hub_review.states import State
from hub_review.weeks import Week

from . import inputs, responses
from .addresses import AddressBook
from .calendar_sections import KPI, KpiRules
from .inputs import Figures, PublishedPost
from .kpis import (
    Cadence,
    ChannelFigures,
    Coverage,
    Department,
    DialogueFigures,
    GroupFigures,
    Kpis,
    Period,
    PostFigures,
    Question,
    ResponseTimes,
    Target,
    WeekFigures,
)
from .model import Reactions

_, ngettext = translator("hub_stats")

TOP_POSTS = 10
UNREAD_AFTER = timedelta(days=7)
WEB = "web"  # the inbox's source for comments written on the site
TARGET_LABELS = {
    "posts_per_week": N_("posts per week"),
    "views_after_7_days": N_("views in a post's first 7 days (median)"),
    "views_after_30_days": N_("views in a post's first 30 days (median)"),
    "answered_in_time": N_("comments answered in time"),
}

# The inbox's part for the loaders: (the calendar, post key → (title, category), the period) → figures,
# None without an inbox. `from_inbox` gives the one that reads the settings' inbox.
DialogueSource = Callable[[Calendar, Mapping[str, tuple[str, str]], Period], DialogueFigures | None]


def kpis(
    period: Period,
    now: datetime,
    *,
    gate: GateResult,
    posts: Sequence[PublishedPost],
    addresses: AddressBook,
    figures: Figures,
    teasers: Sequence[Entry] = (),
    dialogue: DialogueFigures | None = None,
) -> Kpis:
    """Every KPI of `period` as known at `now`. `posts`: the published ones (inputs.published_posts);
    `teasers`: the ledger's posted lines; `dialogue`: None when there is no inbox."""
    zone = gate.calendar.timezone
    period_days = [day for day in _each_day(period.first, period.last) if day in figures.days]
    views, visits = _post_counts(figures, addresses)
    reactions = _latest_reactions(figures, period.last)
    comments = dialogue.comments if dialogue else {}
    today = now.astimezone(UTC).date()
    published_by_end = [post for post in posts if _local_day(post.published, zone) <= period.last]

    def figures_of(post: PublishedPost) -> PostFigures:
        first = post.published.astimezone(UTC).date()
        channels: Counter[str] = Counter()
        for day in period_days:
            for channel, counts in visits[day].items():
                channels[channel] += counts[post.key]
        return PostFigures(
            key=post.key,
            title=post.title,
            path=post.path,
            category=post.category,
            authors=post.authors,
            published=_local_day(post.published, zone),
            views=sum(views[day][post.key] for day in period_days),
            views_7=_window(views, post.key, first, 7, today),
            views_30=_window(views, post.key, first, 30, today),
            channels={channel: count for channel, count in sorted(channels.items()) if count},
            reactions={channel: counts for (key, channel), counts in sorted(reactions.items()) if key == post.key},
            comments=comments.get(post.key, 0),
        )

    every = [figures_of(post) for post in published_by_end]
    every.sort(key=lambda p: (-p.views, -p.published.toordinal(), p.key))
    listed = tuple(p for p in every if p.views or period.first <= p.published)
    fresh = [p for p in listed if period.first <= p.published]
    unread = tuple(
        sorted(
            (p for p in every if not p.views and p.published <= period.last - UNREAD_AFTER),
            key=lambda p: (-p.published.toordinal(), p.key),
        )
        if period_days
        else ()
    )
    cadence = _cadence(gate, period, figures)
    rules: KpiRules = gate.calendar.section(KPI)
    hours = business_hours(gate.calendar)
    return Kpis(
        period=period,
        generated=now,
        coverage=Coverage(
            days_with_logs=len(period_days),
            days_with_platforms=sum(1 for day in figures.platforms if period.first <= day.day <= period.last),
            inbox=dialogue is not None,
            malformed_lines=sum(figures.days[day].malformed for day in period_days),
        ),
        posts=listed,
        channels=_channels(gate, period, figures, period_days, teasers, reactions, dialogue),
        categories=_groups(listed, lambda p: [p.category], period),
        authors=_groups(listed, lambda p: p.authors, period),
        months=tuple(sorted(_groups(listed, lambda p: [f"{p.published:%Y-%m}"], period), key=lambda g: g.name)),
        cadence=cadence,
        referrers=_most_first(_summed(figures, period_days, lambda day: day.referrers)),
        feed_fetches=sum(sum(figures.days[day].feeds.values()) for day in period_days),
        feed_subscribers=_subscribers(figures, period_days),
        not_found=_most_first(_summed(figures, period_days, lambda day: day.not_found)),
        responses=dialogue.responses if dialogue else None,
        departments=_departments(rules, listed, posts, dialogue, hours),
        targets=_targets(rules, gate, cadence, fresh, dialogue, now),
        top=tuple(p for p in listed if p.views)[:TOP_POSTS],
        unread=unread,
    )


# -- views per post and day ----------------------------------------------------------------------


def _post_counts(
    figures: Figures, addresses: AddressBook
) -> tuple[dict[date, Counter[str]], dict[date, dict[str, Counter[str]]]]:
    """Per day: post key → views, and channel → post key → visits (a path no post has is left out)."""
    owners: dict[str, str | None] = {}

    def owner(path: str) -> str | None:
        if path not in owners:
            owners[path] = addresses.post_of(path)
        return owners[path]

    def by_post(paths: Mapping[str, int]) -> Counter[str]:
        counts: Counter[str] = Counter()
        for path, count in paths.items():
            key = owner(path)
            if key is not None:
                counts[key] += count
        return counts

    views = defaultdict(Counter, {day: by_post(day_figures.views) for day, day_figures in figures.days.items()})
    visits: dict[date, dict[str, Counter[str]]] = defaultdict(dict)
    for day, day_figures in figures.days.items():
        visits[day] = {channel: by_post(paths) for channel, paths in day_figures.channels.items()}
    return views, visits


def _window(views: Mapping[date, Counter[str]], key: str, first: date, length: int, today: date) -> int | None:
    """Views of `key` in the `length` days from `first`; None while the last of them is not over (UTC)
    or when one of them has no figures."""
    days = [first + timedelta(days=offset) for offset in range(length)]
    if days[-1] >= today or any(day not in views for day in days):
        return None
    return sum(views[day][key] for day in days)


def _latest_reactions(figures: Figures, last: date) -> dict[tuple[str, str], Reactions]:
    """(post key, channel) → the counts as fetched last on or before `last` (they are running totals)."""
    latest: dict[tuple[str, str], Reactions] = {}
    for day in sorted(figures.platforms, key=lambda platform_day: platform_day.day):
        if day.day <= last:
            for post, channels in day.posts.items():
                for channel, counts in channels.items():
                    latest[(post, channel)] = counts
    return latest


# -- channels --------------------------------------------------------------------------------------


def _channels(
    gate: GateResult,
    period: Period,
    figures: Figures,
    period_days: Sequence[date],
    teasers: Sequence[Entry],
    reactions: Mapping[tuple[str, str], Reactions],
    dialogue: DialogueFigures | None,
) -> tuple[ChannelFigures, ...]:
    zone = gate.calendar.timezone
    configured = gate.calendar.section(CHANNELS)
    sent: dict[str, set[str]] = defaultdict(set)
    for teaser in teasers:
        if period.first <= _local_day(teaser.moment, zone) <= period.last:
            sent[teaser.channel].add(teaser.post)
    visits = _summed(figures, period_days, lambda day: Counter({c: sum(p.values()) for c, p in day.channels.items()}))
    comments: Counter[str] = Counter()
    for source, count in (dialogue.by_source if dialogue else {}).items():
        of_type = [name for name, channel in configured.items() if channel.type == source]
        if source == WEB:
            comments[""] += count
        elif len(of_type) == 1:  # with two accounts on one platform, the inbox cannot tell them apart
            comments[of_type[0]] += count
    names = [name for name, channel in configured.items() if channel.enabled or sent[name] or visits[name]]
    names += sorted(set(visits) - set(configured))  # a utm_source set by hand (a newsletter)
    rows = [
        ChannelFigures(
            name,
            len(sent[name]),
            visits[name],
            _sum_reactions(reactions.get((post, name)) for post in sent[name]),
            comments[name],
        )
        for name in names
    ]
    rows.sort(key=lambda row: (-row.visits, -row.teasers, row.channel))
    total = sum(figures.days[day].total_views for day in period_days)
    direct = total - sum(visits.values())
    if direct or comments[""]:
        rows.append(ChannelFigures("", 0, direct, Reactions(), comments[""]))
    return tuple(rows)


def _sum_reactions(counts: Iterable[Reactions | None]) -> Reactions:
    known = [c for c in counts if c is not None]
    return Reactions(sum(c.replies for c in known), sum(c.reposts for c in known), sum(c.likes for c in known))


# -- groups, cadence ------------------------------------------------------------------------------


def _groups(
    posts: Sequence[PostFigures], names_of: Callable[[PostFigures], Iterable[str]], period: Period
) -> tuple[GroupFigures, ...]:
    members: dict[str, list[PostFigures]] = defaultdict(list)
    for post in posts:
        for name in names_of(post):
            members[name].append(post)
    groups = []
    for name, group in members.items():
        fresh = [post for post in group if period.first <= post.published]
        groups.append(
            GroupFigures(
                name,
                len(fresh),
                sum(post.views for post in group),
                _median([post.views_7 for post in fresh if post.views_7 is not None]),
                sum(post.comments for post in group),
            )
        )
    return tuple(sorted(groups, key=lambda group: (-group.views, group.name)))


def period_weeks(period: Period) -> list[Week]:
    """The ISO weeks whose Thursday lies in the period; for a period without one, the week of its end."""
    weeks = []
    week = Week.of(period.first)
    while week <= Week.of(period.last):
        if period.first <= week.monday + timedelta(days=3) <= period.last:
            weeks.append(week)
        week = week.following()
    return weeks or [Week.of(period.last)]


def _cadence(gate: GateResult, period: Period, figures: Figures) -> Cadence:
    weeks = period_weeks(period)
    counts = week_counts(gate.posts, gate.calendar, weeks[0], weeks[-1], gate.now)
    rows = tuple(
        WeekFigures(
            str(count.week),
            count.week.monday,
            count.posts,
            count.target,
            sum(
                figures.days[day].total_views
                for day in _each_day(count.week.monday, count.week.monday + timedelta(6))
                if day in figures.days
            ),
        )
        for count in counts
    )
    due = [slot for slot in gate.slots if period.first <= slot.slot.due_day <= period.last]
    met = [
        slot
        for slot in due
        if slot.post is not None
        and slot.post.state is State.PUBLISHED
        and slot.post.date is not None
        and slot.post.date < slot.slot.due
    ]
    return Cadence(gate.calendar.section(CADENCE).min_posts_per_week, rows, len(due), len(met))


# -- targets and departments ---------------------------------------------------------------------


def _targets(
    rules: KpiRules,
    gate: GateResult,
    cadence: Cadence,
    fresh: Sequence[PostFigures],
    dialogue: DialogueFigures | None,
    now: datetime,
) -> tuple[Target, ...]:
    goals = rules.targets
    today = now.astimezone(gate.calendar.timezone).date()
    over = [week for week in cadence.weeks if week.monday + timedelta(days=7) <= today]
    decided = [
        question.in_time for question in (dialogue.questions if dialogue else ()) if question.in_time is not None
    ]
    actual: dict[str, float | None] = {
        "posts_per_week": sum(week.posts for week in over) / len(over) if over else None,
        "views_after_7_days": _median([p.views_7 for p in fresh if p.views_7 is not None]),
        "views_after_30_days": _median([p.views_30 for p in fresh if p.views_30 is not None]),
        "answered_in_time": sum(decided) / len(decided) if decided else None,
    }
    wanted: dict[str, float | None] = {
        "posts_per_week": goals.posts_per_week if goals.posts_per_week is not None else cadence.target_per_week or None,
        "views_after_7_days": goals.views_after_7_days,
        "views_after_30_days": goals.views_after_30_days,
        "answered_in_time": goals.answered_in_time,
    }
    return tuple(
        Target(name, _(TARGET_LABELS[name]), goal, actual[name]) for name, goal in wanted.items() if goal is not None
    )


def _departments(
    rules: KpiRules,
    listed: Sequence[PostFigures],
    posts: Sequence[PublishedPost],
    dialogue: DialogueFigures | None,
    hours: BusinessHours,
) -> tuple[Department, ...]:
    category_of = {post.key: post.category for post in posts}
    departments = []
    for rule in rules.departments:
        topics = {topic.casefold() for topic in rule.topics}
        mentions = word_pattern(rule.topics)
        questions = tuple(
            question
            for question in (dialogue.questions if dialogue else ())
            if category_of.get(question.post) in rule.categories
            or question.topic.casefold() in topics
            or mentions.search(question.text)
        )
        departments.append(
            Department(
                rule.name,
                rule.to,
                tuple(post for post in listed if post.category in rule.categories),
                questions,
                _responses(questions, dialogue.responses.deadline, hours) if dialogue else None,
            )
        )
    return tuple(departments)


def _responses(questions: Sequence[Question], deadline: timedelta | None, hours: BusinessHours) -> ResponseTimes:
    """The first answers to a department's questions, measured as responses.py measures the inbox's."""
    waited = [
        business_time(question.received, question.answered, hours)
        for question in questions
        if question.answered is not None
    ]
    return ResponseTimes(
        deadline=deadline,
        received=len(questions),
        answered=len(waited),
        in_time=sum(1 for question in questions if question.answered is not None and question.in_time),
        open=sum(1 for question in questions if question.answered is None),
        median=responses.median(waited),
        p90=responses.percentile(waited, 90),
    )


# -- small helpers ------------------------------------------------------------------------------


def _median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _summed(figures: Figures, days: Sequence[date], part: Callable[[Any], Mapping[str, int]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for day in days:
        total.update(part(figures.days[day]))
    return total


def _most_first(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(((key, count) for key, count in counts.items() if count), key=lambda kv: (-kv[1], kv[0])))


def _subscribers(figures: Figures, days: Sequence[date]) -> int:
    """What feed readers report last in the period, per feed and service, summed (a service that did
    not fetch on the last day still has its subscribers)."""
    last: dict[tuple[str, str], int] = {}
    for day in days:
        for feed, services in figures.days[day].subscribers.items():
            for service, count in services.items():
                last[(feed, service)] = count
    return sum(last.values())


def _local_day(moment: datetime, zone: Any) -> date:
    return moment.astimezone(zone).date()


def _each_day(first: date, last: date) -> Iterable[date]:
    return (first + timedelta(days=offset) for offset in range((last - first).days + 1))


# -- the loaders ----------------------------------------------------------------------------------


def month_period(month: str) -> Period:
    """ "2026-11" → the 1st to the 30th of November; ValueError for anything else."""
    first = datetime.strptime(month, "%Y-%m").date()
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def month_kpis(
    settings: Mapping[str, Any],
    month: str,
    now: datetime,
    environ: Mapping[str, str],
    *,
    checked: ContentSettings,
    dialogue: DialogueSource | None = None,
) -> Kpis:
    """The KPIs of a calendar month ("2026-11") for the report; see period_kpis."""
    return period_kpis(settings, month_period(month), now, environ, checked=checked, dialogue=dialogue)


def period_kpis(
    settings: Mapping[str, Any],
    period: Period,
    now: datetime,
    environ: Mapping[str, str],
    *,
    checked: ContentSettings,
    dialogue: DialogueSource | None = None,
) -> Kpis:
    """Read what the KPIs rest on and compute them. `settings`: the production settings (SITEURL,
    HUB_*); `checked`: hub_content's reading of them (`content_settings(settings)`); `dialogue`:
    the inbox's figures (`from_inbox(settings, now, environ)`), or None for no inbox."""
    _site_check, gate, _report = judge_site(checked, lambda zone: now.astimezone(zone), environ)
    return judged_kpis(settings, period, now, gate=gate, checked=checked, dialogue=dialogue)


def judged_kpis(
    settings: Mapping[str, Any],
    period: Period,
    now: datetime,
    *,
    gate: GateResult,
    checked: ContentSettings,
    dialogue: DialogueSource | None = None,
) -> Kpis:
    """period_kpis with the gate's result at hand (a build has judged the site already): the files
    read, the KPIs computed. store.UnreadableFigures for a figures file that cannot be read; a
    ConfigurationError for the record of addresses or the ledger."""
    posts = inputs.published_posts(gate, checked)
    store = inputs.figures_store(settings)
    book = inputs.address_book(posts, inputs.url_record(settings), str(settings.get("SITEURL", "")))
    sent = inputs.teasers(inputs.ledger(settings))
    first_teaser = min((_local_day(entry.moment, gate.calendar.timezone) for entry in sent), default=period.first)
    weeks = period_weeks(period)
    first, last = min(period.first, weeks[0].monday), max(period.last, weeks[-1].monday + timedelta(days=6))
    figures = inputs.read_figures(
        store, inputs.needed_days(first, last, posts), min(first_teaser, period.first), period.last
    )
    return kpis(
        period,
        now,
        gate=gate,
        posts=posts,
        addresses=book,
        figures=figures,
        teasers=sent,
        dialogue=dialogue(gate.calendar, {p.key: (p.title, p.category) for p in posts}, period) if dialogue else None,
    )


def from_inbox(settings: Mapping[str, Any], now: datetime, environ: Mapping[str, str]) -> DialogueSource:
    """The settings' comment inbox (HUB_INBOX_DATABASE), read-only by responses.py: None when there
    is none; responses.InboxUnreadable when it exists and cannot be read."""
    return lambda calendar, posts, period: responses.inbox_figures(
        settings, calendar, posts, period, now, environ=environ
    )
