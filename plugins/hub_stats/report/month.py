"""Which month a report covers: `--month 2026-11`, or by default the last month that has ended."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hub_core.i18n import translator

from ..kpis import Period

_, ngettext = translator("hub_stats")

MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})")


class MonthProblem(ValueError):
    """What is wrong with a written month, as "expected …, found …" for the person who wrote it."""


def month_period(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def parse_month(text: str) -> Period:
    """2026-11 → 1 to 30 November 2026; MonthProblem for anything else (also 2026-13)."""
    found = MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found["month"]) <= 12:
        raise MonthProblem(_("expected a month such as 2026-11 (YYYY-MM), found '{found}'").format(found=text))
    return month_period(int(found["year"]), int(found["month"]))


def last_full_month(today: date) -> Period:
    """The month before `today`'s: on 1 December 2026 (and on the 31st) that is November 2026."""
    before = today.replace(day=1) - timedelta(days=1)
    return month_period(before.year, before.month)
