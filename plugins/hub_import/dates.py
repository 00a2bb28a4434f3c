"""Dates as old blogs write them, read with our one date grammar (hub_content's DATE_PATTERN)
and, for what only Pelican accepts (`Sat 04 Feb 2012`), Pelican's own parser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hub_content.fields import DATE_PATTERN


@dataclass(frozen=True)
class SourceDate:
    moment: datetime  # aware: naive values are placed in the calendar's zone
    naive: bool  # the source gave no UTC offset
    has_time: bool


def parse_date(value: object, zone: ZoneInfo) -> SourceDate | None:
    """A date from a header value (text, or what YAML made of it); None if it cannot be read."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return SourceDate(value.replace(tzinfo=zone), True, True)
        return SourceDate(value, False, True)
    if isinstance(value, date):
        return SourceDate(datetime(value.year, value.month, value.day, tzinfo=zone), True, False)
    if not isinstance(value, str):
        return None
    text = value.strip().strip("'\"").strip()
    match = DATE_PATTERN.match(text)
    if match:
        return _from_match(match.groupdict(), zone)
    return _pelican_fallback(text, zone)


def _from_match(parts: dict[str, str | None], zone: ZoneInfo) -> SourceDate | None:
    try:
        moment = datetime(
            int(parts["y"] or 0),
            int(parts["m"] or 0),
            int(parts["d"] or 0),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
        )
    except ValueError:
        return None
    offset = parts["tz"]
    if offset is None:
        return SourceDate(moment.replace(tzinfo=zone), True, parts["H"] is not None)
    if offset == "Z":
        return SourceDate(moment.replace(tzinfo=UTC), False, True)
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    sign = -1 if offset[0] == "-" else 1
    return SourceDate(moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes))), False, True)


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
