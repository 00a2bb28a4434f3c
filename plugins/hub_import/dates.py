"""Dates as old blogs write them, read with our one date grammar (hub_core.dates)
and, for what only Pelican accepts (`2012/10/23 12:00:00`, `Sat 04 Feb 2012`), Pelican's own parser:
a Pelican blog's dates are whatever Pelican read, so its function decides, not a copy of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_core.dates import DateProblem, Problem, WrittenDate, in_zone, read_value


@dataclass(frozen=True)
class SourceDate:
    moment: datetime  # aware: naive values are placed in the calendar's zone
    naive: bool  # the source gave no UTC offset
    has_time: bool


def parse_date(value: object, zone: ZoneInfo) -> SourceDate | None:
    """A date from a header value (text, or what YAML made of it); None if it cannot be read."""
    if isinstance(value, str):
        value = value.strip().strip("'\"").strip()
    written = read_value(value)
    if isinstance(written, WrittenDate):
        moment = written.moment if written.has_offset else in_zone(written, zone)  # keeps the source's offset
        return SourceDate(moment, not written.has_offset, written.has_time)
    if isinstance(written, DateProblem) and written.kind is Problem.FORMAT and isinstance(value, str):
        return _pelican_fallback(value, zone)
    return None


def _pelican_fallback(text: str, zone: ZoneInfo) -> SourceDate | None:
    from pelican.utils import get_date

    try:
        moment = get_date(text)
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        return SourceDate(moment.replace(tzinfo=zone), True, bool(moment.hour or moment.minute or ":" in text))
    return SourceDate(moment, False, True)


def wordpress_date(gmt: str, local: str, zone: ZoneInfo) -> SourceDate | None:
    """WordPress writes the time in UTC (`post_date_gmt`), or 0000-00-00 for unsaved drafts:
    then only the site's local time is known (`post_date`)."""
    if gmt and not gmt.startswith("0000"):
        parsed = parse_date(gmt.strip() + "Z", zone)
        if parsed is not None:
            return parsed
    if local and not local.startswith("0000"):
        return parse_date(local, zone)
    return None
