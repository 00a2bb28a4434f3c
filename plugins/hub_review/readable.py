"""Dates, weeks and team members as editors read them, in their language (German: 24.11.2026, KW 48/2026)."""

from __future__ import annotations

from datetime import date, datetime

from hub_content.calendar import Calendar
from hub_core.i18n import translator

_, ngettext = translator("hub_review")


def day(value: date) -> str:
    """A day as editors write it (German: 24.11.2026)."""
    return value.strftime(_("%Y-%m-%d"))


def short_day(value: date) -> str:
    """A day without its year, where the year is clear (German: 24.11.)."""
    return value.strftime(_("%m-%d"))


def moment(value: datetime) -> str:
    """A day and time as editors write it (German: 24.11.2026 09:00); `value` in the zone to show."""
    return value.strftime(_("%Y-%m-%d %H:%M"))


def week_label(year: int, number: int) -> str:
    """An ISO week as editors name it (German: KW 48/2026)."""
    return _("week {number}/{year}").format(number=number, year=year)


def member_name(calendar: Calendar, member_id: str) -> str:
    """The team member's name from the calendar, or the id when the team does not know it."""
    member = calendar.team.get(member_id)
    return member.name if member else member_id
