"""The comment inbox's part of the KPIs: comments per post and source, first answers against the
deadline, and the questions a department must read (kpis.DialogueFigures).

What counts, and why:
- Received: every reader's item (a web comment, a reply on Mastodon or Bluesky) that came in during
  the period, by its day in the calendar's time zone. Spam is left out (Status.SPAM, or a "spam"
  step in its log), and so are deleted items: withdrawn by their writer, erased on request or gone
  from the platform, nothing of them is reported.
- Owed an answer: the received ones except those a moderator rejected. A rejection is the team's
  decision that the item gets no public answer, and its text was judged unfit to show, so it is
  neither timed nor handed to a department; it still counts among the comments of its post.
- Answered: by the first published staff answer in its thread: an approved staff item whose parent
  is the item or any reply below it. Published means the approval that made it public (four eyes:
  the colleague's), because that is when the reader sees it. Answers published after `now` do not
  count yet. Platform replies answered on the platform itself are not in the inbox: they stay open.
- The deadline is hub_dialogue's (routing.track: `dialogue.respond_within` in business hours, the
  calendar's `cadence.weekdays` and `cadence.hours`); in time means published before it, as the
  notifier judges overdue. Without `respond_within` nothing is late.
- Response times are business time (routing.business_time), the clock the deadline counts in: an
  answer on Monday 09:00 to a comment of Friday 17:30 took 30 minutes with hours 08:00-18:00. The
  median is the middle value (the mean of the two middle ones for an even count); the 90th
  percentile is the nearest rank: the smallest time within which at least 9 in 10 were answered.

Pure: items, rules, business hours and posts in, figures out (`figures_of`). Reading the store is
the thin `dialogue_figures` (any Store) and `inbox_figures` (the settings' inbox, read-only).
A question carries the item's text without contacts: no name, no e-mail address, no handle
(mentions are taken out of the text, e-mail addresses masked).
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hub_content.calendar import Calendar
from hub_core.errors import ConfigurationError
from hub_core.i18n import translator
from hub_dialogue.calendar_sections import DIALOGUE
from hub_dialogue.deadlines import business_hours
from hub_dialogue.routing import BusinessHours, DialogueRules, business_time, route_for, track
from hub_inbox.model import Item, Source, Status
from hub_inbox.options import configured_database, database_location
from hub_inbox.spam import word_pattern
from hub_inbox.store import Store, StoreBusy
from hub_inbox.stores import open_location, store_exists

from .kpis import DialogueFigures, Period, Question, ResponseTimes

_, ngettext = translator("hub_stats")

READERS = frozenset({Source.WEB, Source.MASTODON, Source.BLUESKY})
SPAM = "spam"  # the log's step when a moderator or a rule marked it as spam
# An e-mail address anywhere in the text, and a handle (@name, @name@instance, @name.bsky.social).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MENTION = re.compile(r"(?<![\w@])@[\w][\w.-]*(?:@[\w-]+(?:\.[\w-]+)+)?")
LEADING_MENTIONS = re.compile(r"^(?:\s*(?<![\w@])@[\w][\w.-]*(?:@[\w-]+(?:\.[\w-]+)+)?)+[\s,:]*")


@dataclass(frozen=True)
class _Answered:
    """One received item and what became of it."""

    item: Item
    topic: str
    deadline: datetime | None
    answered: datetime | None
    owed: bool  # not rejected


def figures_of(
    items: Iterable[Item],
    rules: DialogueRules,
    hours: BusinessHours,
    posts: Mapping[str, tuple[str, str]],
    period: Period,
    now: datetime,
) -> DialogueFigures:
    """The dialogue's figures for `period` as of `now`; `posts` maps a post key to (title, category)."""
    items = [item for item in items if item.created <= now]
    published = _first_answers(items, now)
    received: list[_Answered] = []
    for item in items:
        if not _counted(item) or not period.first <= item.created.astimezone(hours.zone).date() <= period.last:
            continue
        category = posts.get(item.post, ("", ""))[1]
        tracked = track(item, category, rules, hours)
        received.append(
            _Answered(
                item,
                topic_of(rules, category, item.text),
                tracked.deadline,
                published.get(item.id),
                item.status is not Status.REJECTED,
            )
        )
    owed = [entry for entry in received if entry.owed]
    return DialogueFigures(
        responses=_response_times(owed, rules, hours, now),
        questions=tuple(_question(entry, posts, now) for entry in owed),
        comments=dict(sorted(Counter(entry.item.post for entry in received).items())),
        by_source=dict(sorted(Counter(entry.item.source.value for entry in received).items())),
    )


def _counted(item: Item) -> bool:
    if item.source not in READERS or item.status in (Status.SPAM, Status.DELETED):
        return False
    return not any(decision.action == SPAM for decision in item.decisions)


def _first_answers(items: Sequence[Item], now: datetime) -> dict[str, datetime]:
    """Item id → when the first staff answer in its thread (to it, or to a reply below it) was published."""
    parents = {item.id: item.parent for item in items}
    first: dict[str, datetime] = {}
    for item in items:
        if item.source is not Source.STAFF or item.status is not Status.APPROVED:
            continue
        at = published_at(item)
        if at > now:
            continue
        seen: set[str] = set()
        above = item.parent
        while above and above not in seen:  # every item above it in the thread is answered by it
            seen.add(above)
            if above not in first or at < first[above]:
                first[above] = at
            above = parents.get(above, "")
    return first


def published_at(answer: Item) -> datetime:
    """When an approved staff answer became public: the approval that completed its four eyes."""
    return max((approval.at for approval in answer.approvals), default=answer.created)


def topic_of(rules: DialogueRules, category: str, text: str) -> str:
    """The topic word of the route that takes the item, as the calendar spells it; "" when a route by
    category alone, the default or the lead takes it."""
    route = route_for(rules, category, text)
    if route is None:
        return ""
    return next((topic for topic in route.topics if word_pattern((topic,)).search(text)), "")


def _response_times(
    owed: Sequence[_Answered], rules: DialogueRules, hours: BusinessHours, now: datetime
) -> ResponseTimes:
    answered = [entry for entry in owed if entry.answered is not None]
    times = sorted(business_time(entry.item.created, entry.answered, hours) for entry in answered if entry.answered)
    return ResponseTimes(
        deadline=rules.respond_within,
        received=len(owed),
        answered=len(answered),
        in_time=sum(1 for entry in answered if _in_time(entry, now)),
        open=len(owed) - len(answered),
        median=median(times),
        p90=percentile(times, 90),
    )


def _in_time(entry: _Answered, now: datetime) -> bool | None:
    """Answered before the deadline; not answered: False once the deadline has passed, else None."""
    if entry.answered is not None:
        return entry.deadline is None or entry.answered < entry.deadline
    if entry.deadline is not None and now >= entry.deadline:
        return False
    return None


def _question(entry: _Answered, posts: Mapping[str, tuple[str, str]], now: datetime) -> Question:
    item = entry.item
    return Question(
        post=item.post,
        title=posts.get(item.post, ("", ""))[0],
        source=item.source.value,
        received=item.created,
        text=without_contacts(item.text),
        topic=entry.topic,
        answered=entry.answered,
        in_time=_in_time(entry, now),
    )


def without_contacts(text: str) -> str:
    """The text with no way to reach its writer or others: leading mentions (a platform reply's
    address line) dropped, other mentions and e-mail addresses masked."""
    text = MENTION.sub("@…", LEADING_MENTIONS.sub("", text))  # before the addresses: @name@host is a handle
    return EMAIL.sub("…@…", text).strip()


def median(times: Sequence[timedelta]) -> timedelta | None:
    """The middle value; for an even count the mean of the two middle ones."""
    if not times:
        return None
    ordered, middle = sorted(times), len(times) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def percentile(times: Sequence[timedelta], rank: int) -> timedelta | None:
    """Nearest rank: the smallest of the sorted `times` with at least `rank` % of them at or below it."""
    if not times:
        return None
    ordered = sorted(times)
    return ordered[max(1, math.ceil(rank / 100 * len(ordered))) - 1]


# The thin adapters: a store, or the settings' inbox.


def dialogue_figures(
    store: Store, calendar: Calendar, posts: Mapping[str, tuple[str, str]], period: Period, now: datetime
) -> DialogueFigures:
    """The figures of every item in `store` under the calendar's `dialogue:` rules and business hours."""
    return figures_of(store.items(), calendar.section(DIALOGUE), business_hours(calendar), posts, period, now)


class InboxUnreadable(Exception):
    """The inbox exists but could not be read (busy, refused, broken): the figures say nothing about it."""


def inbox_figures(
    settings: Mapping[str, Any],
    calendar: Calendar,
    posts: Mapping[str, tuple[str, str]],
    period: Period,
    now: datetime,
    *,
    database: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> DialogueFigures | None:
    """The figures of the settings' inbox (HUB_INBOX_DATABASE, or `database`), opened read-only;
    None when there is no inbox (the setting is None, or no database file yet): the report then says
    it is blind there. InboxUnreadable when it exists and cannot be read."""
    location = database_location(settings, database) if database else configured_database(settings)
    if location is None or not store_exists(location):
        return None
    try:
        store = open_location(location, read_only=True, busy_timeout=2.0, environ=environ)
        try:
            return dialogue_figures(store, calendar, posts, period, now)
        finally:
            store.close()
    except (sqlite3.Error, StoreBusy, ConfigurationError, OSError) as error:
        message = _("the comment inbox {database} cannot be read: {error}")
        raise InboxUnreadable(message.format(database=location, error=str(error) or type(error).__name__)) from error
