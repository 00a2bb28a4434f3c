"""The report's tables as data: each defined once, then shown in the HTML and written as a CSV file.

A Table knows its file name (`beitraege` → beitraege.csv), its German caption and columns, and
its rows as typed values (a count, a day, a duration). How a value reads depends on where it goes:
`shown` for people (1.234; 3. November 2026; 2 Std. 15 Min.), `machine` for the HTML's
data-value attributes (what a test or a script compares: 1234, 2026-11-03, seconds), and csv.py
for Excel (1234; 12,5; hours as a decimal). The builders below arrange a Kpis value; nothing
is computed here that compute.py has not already decided, beyond sums a reader would do by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from hub_core.i18n import translator
from hub_review.readable import week_label

from ..charts import channel_name
from ..kpis import ChannelFigures, Department, GroupFigures, Kpis, PostFigures, Question, ResponseTimes, Target
from ..readable import day, decimal, duration, moment, month, number, percent

_, ngettext = translator("hub_stats")


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    DECIMAL = "decimal"
    SHARE = "share"  # 0.875, shown as 88 %
    DAY = "day"
    MOMENT = "moment"
    DURATION = "duration"
    YES_NO = "yes-no"


class Share(float):
    """A fraction in a column of plain numbers, shown as a percentage: the target "answered in time"
    (0.9, read as 90 %) stands in one table with targets counted in posts and views."""


Value = str | int | float | date | datetime | timedelta | bool | None

SHARE_TARGETS = frozenset({"answered_in_time"})  # compute.py's targets that are fractions


@dataclass(frozen=True)
class Column:
    key: str  # stable English: data-column in the HTML, what a script looks for
    heading: str  # German: the header cell and the CSV's header row
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Row:
    key: str  # what identifies the row: a post's key, a channel, a week
    values: tuple[Value, ...]
    mark: str = ""  # a CSS class for a row that needs attention ("missed", "late"); its words are in a cell too


@dataclass(frozen=True)
class Table:
    name: str  # the CSV file's name without .csv, and data-table in the HTML
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    empty: str  # said instead of a table without rows

    def column(self, key: str) -> int:
        return next(index for index, column in enumerate(self.columns) if column.key == key)


def shown(value: Value, kind: Kind) -> str:
    """A value as people read it, in the language of the moment; "–" for none."""
    if value is None or value == "":
        return "–"
    if kind is Kind.YES_NO:
        return _("yes") if value else _("no")
    if kind is Kind.COUNT and isinstance(value, int):
        return number(value)
    if isinstance(value, Share) or (kind is Kind.SHARE and isinstance(value, int | float)):
        return percent(value)
    if kind is Kind.DECIMAL and isinstance(value, int | float):
        return decimal(value)
    if kind is Kind.SHARE and isinstance(value, int | float):
        return percent(value)
    if kind is Kind.MOMENT and isinstance(value, datetime):
        return moment(value)
    if kind is Kind.DAY and isinstance(value, date):
        return day(value)
    if kind is Kind.DURATION and isinstance(value, timedelta):
        return duration(value)
    return str(value)


def machine(value: Value, kind: Kind) -> str:
    """A value as a program reads it (data-value): plain numbers, ISO days and moments, seconds."""
    if value is None:
        return ""
    if kind is Kind.YES_NO:
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(round(value.total_seconds()))
    return str(value)


def slug(name: str) -> str:
    """A department's name as part of a file name: Produktmanagement → produktmanagement,
    Qualität & Service → qualitaet-service (plain ASCII: Excel and every mail client open it)."""
    text = name.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "abteilung"


def department_slugs(departments: Sequence[Department]) -> dict[str, str]:
    """Each department's slug, made unique (two names may read the same in ASCII)."""
    slugs: dict[str, str] = {}
    for department in departments:
        base = candidate = slug(department.name)
        number = 2
        while candidate in slugs.values():
            candidate, number = f"{base}-{number}", number + 1
        slugs[department.name] = candidate
    return slugs


# Readers' e-mail addresses sometimes stand in their comment text; a department's page does not repeat them.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def without_addresses(text: str) -> str:
    return EMAIL.sub(_("[e-mail address removed]"), text)


Names = Mapping[str, str]  # team id → name, from the calendar's team


def _names(ids: Sequence[str], people: Names) -> str:
    return ", ".join(people.get(member, member) for member in ids)


def _goal_and_actual(target: Target) -> tuple[Value, Value]:
    if target.name not in SHARE_TARGETS:
        return target.goal, target.actual
    return Share(target.goal), None if target.actual is None else Share(target.actual)


def targets(kpis: Kpis) -> Table:
    columns = (
        Column("target", _("Target")),
        Column("goal", _("Goal"), Kind.DECIMAL),
        Column("actual", _("Achieved"), Kind.DECIMAL),
        Column("met", _("Met")),
    )
    rows = tuple(
        Row(target.name, (target.label, *_goal_and_actual(target), _met(target)), "" if target.met else "missed")
        for target in kpis.targets
    )
    return Table("ziele", _("Targets"), columns, rows, _("The editorial calendar sets no KPI targets (`kpi:`)."))


def _met(target: Target) -> str:
    if target.met is None:
        return _("not measurable")
    return _("yes") if target.met else _("no")


def weeks(kpis: Kpis) -> Table:
    columns = (
        Column("week", _("Week")),
        Column("monday", _("from"), Kind.DAY),
        Column("posts", _("Posts"), Kind.COUNT),
        Column("target", _("Target"), Kind.COUNT),
        Column("met", _("Target met"), Kind.YES_NO),
        Column("views", _("Views"), Kind.COUNT),
    )
    rows = tuple(
        Row(
            week.week,
            (
                week_label(*week.monday.isocalendar()[:2]),
                week.monday,
                week.posts,
                week.target,
                week.posts >= week.target,
                week.views,
            ),
            "" if week.posts >= week.target else "missed",
        )
        for week in kpis.cadence.weeks
    )
    return Table("wochen", _("Posts and views per week"), columns, rows, _("No week lies in this period."))


def posts(
    name: str, caption: str, shown_posts: Sequence[PostFigures], empty: str, people: Names, *, full: bool = False
) -> Table:
    """Posts with their reach: the most read, the unread, a department's; `full` (all posts) adds the
    address and the views that came through channels, which make the table too wide for a summary."""
    columns = (
        Column("title", _("Post")),
        *([Column("path", _("Address"))] if full else []),
        Column("category", _("Category")),
        Column("authors", _("Authors")),
        Column("published", _("Published"), Kind.DAY),
        Column("views", _("Views"), Kind.COUNT),
        Column("views_7", _("First 7 days"), Kind.COUNT),
        Column("views_30", _("First 30 days"), Kind.COUNT),
        *([Column("channels", _("Through channels"), Kind.COUNT)] if full else []),
        Column("comments", _("Comments"), Kind.COUNT),
    )
    rows = tuple(Row(post.key, _post_values(post, people, full)) for post in shown_posts)
    return Table(name, caption, columns, rows, empty)


def _post_values(post: PostFigures, people: Names, full: bool) -> tuple[Value, ...]:
    return (
        post.title,
        *([post.path] if full else []),
        post.category,
        _names(post.authors, people),
        post.published,
        post.views,
        post.views_7,
        post.views_30,
        *([sum(post.channels.values())] if full else []),
        post.comments,
    )


def channels(kpis: Kpis) -> Table:
    columns = (
        Column("channel", _("Channel")),
        Column("teasers", _("Teasers"), Kind.COUNT),
        Column("visits", _("Views through the channel"), Kind.COUNT),
        Column("replies", _("Replies"), Kind.COUNT),
        Column("reposts", _("Reposts"), Kind.COUNT),
        Column("likes", _("Likes"), Kind.COUNT),
        Column("comments", _("Comments in the inbox"), Kind.COUNT),
    )
    rows = tuple(_channel_row(channel) for channel in kpis.channels)
    return Table(
        "kanaele", _("Channels: reach and engagement"), columns, rows, _("No channel had a teaser or a visit.")
    )


def _channel_row(channel: ChannelFigures) -> Row:
    reactions = channel.reactions
    return Row(
        channel.channel,
        (
            channel_name(channel.channel),
            channel.teasers,
            channel.visits,
            reactions.replies,
            reactions.reposts,
            reactions.likes,
            channel.comments,
        ),
    )


def groups(name: str, caption: str, heading: str, found: Sequence[GroupFigures], label: Callable[[str], str]) -> Table:
    """Posts grouped by category, author or month."""
    columns = (
        Column("name", heading),
        Column("posts", _("Posts published"), Kind.COUNT),
        Column("views", _("Views"), Kind.COUNT),
        Column("views_7_median", _("Median views in the first 7 days"), Kind.DECIMAL),
        Column("comments", _("Comments"), Kind.COUNT),
    )
    rows = tuple(
        Row(group.name, (label(group.name), group.posts, group.views, group.views_7_median, group.comments))
        for group in found
    )
    return Table(name, caption, columns, rows, _("Nothing to show for this period."))


def month_label(name: str) -> str:
    """ "2026-11" → November 2026; anything else as it is."""
    found = re.fullmatch(r"(\d{4})-(\d{2})", name)
    if not found or not 1 <= int(found[2]) <= 12:
        return name
    return month(date(int(found[1]), int(found[2]), 1))


def counted(name: str, caption: str, heading: str, pairs: Sequence[tuple[str, int]], empty: str) -> Table:
    """A list of (thing, count): referrers, pages not found."""
    columns = (Column("name", heading), Column("count", _("Views"), Kind.COUNT))
    return Table(name, caption, columns, tuple(Row(thing, (thing, count)) for thing, count in pairs), empty)


def feeds(kpis: Kpis) -> Table:
    columns = (
        Column("fetches", _("Feed fetches"), Kind.COUNT),
        Column("subscribers", _("Subscribers reported by feed readers"), Kind.COUNT),
    )
    row = Row("feeds", (kpis.feed_fetches, kpis.feed_subscribers))
    return Table("feeds", _("Feeds (RSS and Atom)"), columns, (row,), "")


def responses(kpis: Kpis) -> Table:
    """First-response times overall and per department."""
    columns = (
        Column("scope", _("Scope")),
        Column("deadline", _("Deadline"), Kind.DURATION),
        Column("received", _("Received"), Kind.COUNT),
        Column("answered", _("Answered"), Kind.COUNT),
        Column("in_time", _("In time"), Kind.COUNT),
        Column("late", _("Late"), Kind.COUNT),
        Column("open", _("Open"), Kind.COUNT),
        Column("median", _("Median"), Kind.DURATION),
        Column("p90", _("90th percentile"), Kind.DURATION),
    )
    scopes: list[tuple[str, str, ResponseTimes]] = []
    if kpis.responses is not None:
        scopes.append(("", _("All comments"), kpis.responses))
    scopes += [(d.name, d.name, d.responses) for d in kpis.departments if d.responses is not None]
    rows = tuple(
        Row(
            key,
            (label, r.deadline, r.received, r.answered, r.in_time, r.late, r.open, r.median, r.p90),
            "late" if r.late or r.open else "",
        )
        for key, label, r in scopes
    )
    empty = _("The comment inbox was not read: no response times.")
    return Table("antwortzeiten", _("First response to comments and replies"), columns, rows, empty)


SOURCES = {"web": "Website", "mastodon": "Mastodon", "bluesky": "Bluesky"}


def status(question: Question) -> str:
    """Where a question stands, in words (so a row's colour is never the only sign)."""
    if question.answered is not None:
        if question.in_time is None:
            return _("answered")
        return _("answered in time") if question.in_time else _("answered late")
    return _("open, deadline passed") if question.in_time is False else _("open, deadline running")


def _mark(question: Question) -> str:
    if question.in_time is False:
        return "late" if question.answered else "overdue"
    return "open" if question.answered is None else ""


def questions(department: Department, file_slug: str, zone: ZoneInfo | None) -> Table:
    """A department's questions and complaints: what was asked, on which post, and whether it was answered in time."""
    columns = (
        Column("received", _("Received"), Kind.MOMENT),
        Column("post", _("Post")),
        Column("source", _("Where")),
        Column("topic", _("Topic")),
        Column("text", _("Text")),
        Column("answered", _("Answered"), Kind.MOMENT),
        Column("status", _("Status")),
    )
    ordered = sorted(department.questions, key=lambda question: question.received)
    rows = tuple(
        Row(
            f"{question.post}@{question.received.isoformat()}",
            (
                _in(question.received, zone),
                question.title,
                SOURCES.get(question.source, question.source),
                question.topic,
                without_addresses(question.text),
                _in(question.answered, zone) if question.answered else None,
                status(question),
            ),
            _mark(question),
        )
        for question in ordered
    )
    caption = _("Questions and complaints: {department}").format(department=department.name)
    empty = _("No question or complaint came in for this department.")
    return Table(f"fragen-{file_slug}", caption, columns, rows, empty)


def _in(value: datetime, zone: ZoneInfo | None) -> datetime:
    return value.astimezone(zone) if zone is not None and value.tzinfo is not None else value


def all_tables(kpis: Kpis, people: Names, zone: ZoneInfo | None) -> dict[str, Table]:
    """Every table of the report, by file name, in the order the report shows them."""
    found = [
        targets(kpis),
        weeks(kpis),
        posts("meistgelesen", _("Most read posts"), kpis.top, _("No post was read in this period."), people),
        posts(
            "ungelesen",
            _("Posts nobody read"),
            kpis.unread,
            _("Every post published at least 7 days ago was read."),
            people,
        ),
        posts("beitraege", _("All posts"), kpis.posts, _("No post had views or was published."), people, full=True),
        channels(kpis),
        groups("kategorien", _("Categories"), _("Category"), kpis.categories, str),
        groups(
            "autoren",
            _("Authors"),
            _("Author"),
            kpis.authors,
            lambda member: people.get(member, member),
        ),
        groups("monate", _("Months"), _("Month"), kpis.months, month_label),
        counted(
            "verweise",
            _("Referrers: where readers came from"),
            _("Site"),
            kpis.referrers,
            _("No visit came from another site."),
        ),
        feeds(kpis),
        counted(
            "nicht-gefunden",
            _("Addresses not found (404)"),
            _("Address"),
            kpis.not_found,
            _("No address was asked for in vain."),
        ),
        responses(kpis),
    ]
    slugs = department_slugs(kpis.departments)
    for department in kpis.departments:
        file_slug = slugs[department.name]
        found.append(questions(department, file_slug, zone))
        found.append(
            posts(
                f"beitraege-{file_slug}",
                _("Reach of the posts: {department}").format(department=department.name),
                department.posts,
                _("None of this department's posts was read in this period."),
                people,
            )
        )
    return {table.name: table for table in found}
