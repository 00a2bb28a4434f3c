"""The calendar's business hours and the items that wait for an answer, as the notifier, `invoke review`
and the editors' dashboard see them: one reading of the rules in routing.py for all three.

Pure: a calendar, the items (from whatever store), the posts' categories and now in; plain data out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from hub_content.calendar import Calendar
from hub_core.errors import ConfigurationError
from hub_inbox.model import Item
from hub_inbox.store import StoreBusy
from hub_inbox.stores import open_location, store_exists
from hub_review.calendar_sections import CADENCE
from hub_review.slots import DialogueDeadlines, OverdueComment

from .calendar_sections import DIALOGUE
from .routing import BusinessHours, DialogueRules, Tracked, overdue, tracked_items


def business_hours(calendar: Calendar) -> BusinessHours:
    """`cadence.weekdays` and `cadence.hours` in the calendar's time zone: when deadlines run."""
    cadence = calendar.section(CADENCE)
    return BusinessHours(cadence.weekdays, cadence.hours, calendar.timezone)


def tracked(calendar: Calendar, items: Iterable[Item], categories: Mapping[str, str]) -> list[Tracked]:
    """Every item that waits for an answer, with its assignee, deadline and escalation moment."""
    rules: DialogueRules = calendar.section(DIALOGUE)
    return tracked_items(items, dict(categories), rules, business_hours(calendar))


def overdue_comments(
    calendar: Calendar, items: Iterable[Item], posts: Mapping[str, tuple[str, str]], now: datetime
) -> tuple[OverdueComment, ...]:
    """Items past their deadline, the longest overdue first; `posts` maps a post key to (title, category).

    Only what editors need to act: the post, who has it, since when, the deadline. Neither the text nor
    the writer's name: the dashboard may be published with the site."""
    categories = {key: category for key, (_title, category) in posts.items()}
    late = overdue(tracked(calendar, items, categories), now)
    return tuple(
        OverdueComment(
            item=entry.item.id,
            post=entry.item.post,
            title=posts.get(entry.item.post, ("", ""))[0],
            source=entry.item.source.value,
            to=entry.to,
            created=entry.item.created,
            deadline=entry.deadline,
        )
        for entry in late
        if entry.deadline is not None
    )


def read_deadlines(
    database: Path | str | None, calendar: Calendar, posts: Mapping[str, tuple[str, str]], now: datetime
) -> DialogueDeadlines:
    """The overdue items of the inbox's database, opened read-only (a build or `invoke review` never
    changes it). No database configured or no file yet: nothing to show, and no error."""
    if database is None or not store_exists(database):
        return DialogueDeadlines()
    try:
        store = open_location(database, read_only=True, busy_timeout=2.0)
        try:
            items = store.items()
        finally:
            store.close()
    except (sqlite3.Error, StoreBusy, ConfigurationError, OSError) as error:
        return DialogueDeadlines(str(database), (), str(error) or type(error).__name__)
    return DialogueDeadlines(str(database), overdue_comments(calendar, items, posts, now))
