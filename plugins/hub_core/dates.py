"""The one date grammar of Hub: front matter, the editorial calendar, `invoke new`, `invoke import`,
HUB_CRISIS_SINCE and `--now` all read dates with it.

    2026-11-20                  a bare date
    2026-11-20 09:00            date and time (also 2026-1-5 9:00, 2026-11-20T09:00:30.5)
    2026-11-20 09:00 +01:00     with a UTC offset (+0100, Z), at most 14 hours either way

Month, day and hour may have one digit; seconds and their fraction are optional (the fraction is
not kept). Pure: text (or what YAML made of a value) in, a `WrittenDate` or a `DateProblem` out;
what a missing time or offset means is the caller's rule, `in_zone` the usual one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from . import yaml_hints
from .i18n import translator
from .yamlsource import Entry, describe

_, ngettext = translator("hub_core")

DATE_PATTERN = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
DATE_EXAMPLE = "2026-11-20 09:00 +01:00"
# Real zones lie between UTC-12 and UTC+14; an offset beyond is a typo, never a place.
MAX_OFFSET = timedelta(hours=14)


@dataclass(frozen=True)
class WrittenDate:
    """A date as its author wrote it: the moment, and what they left out."""

    moment: datetime  # aware if an offset was written, naive otherwise
    has_time: bool

    @property
    def has_offset(self) -> bool:
        return self.moment.tzinfo is not None


class Problem(StrEnum):
    FORMAT = "format"  # not the grammar at all
    CALENDAR = "calendar"  # the grammar, but no such day or time (2026-02-30, 25:00)
    OFFSET = "offset"  # a UTC offset no place has


@dataclass(frozen=True)
class DateProblem:
    kind: Problem
    message: str  # "expected …, found …", in the language of the moment it was read


def parse_date(text: str) -> WrittenDate | DateProblem:
    """Read `text` (surrounding blanks ignored) by the grammar above."""
    text = text.strip()
    match = DATE_PATTERN.match(text)
    if not match:
        return DateProblem(
            Problem.FORMAT,
            _("expected a date such as {example}, found '{text}'").format(example=DATE_EXAMPLE, text=text),
        )
    parts = match.groupdict()
    y, m, d, hour, minute, second = (int(parts[name] or 0) for name in ("y", "m", "d", "H", "M", "S"))
    try:
        moment = datetime(y, m, d, hour, minute, second)
    except ValueError:
        return DateProblem(
            Problem.CALENDAR,
            _("expected a real calendar date and time, found '{text}' ({reason})").format(
                text=text, reason=_impossible(y, m, d, hour, minute, second)
            ),
        )
    written = parts["tz"]
    if written is None:
        return WrittenDate(moment, has_time=parts["H"] is not None)
    if written == "Z":
        return WrittenDate(moment.replace(tzinfo=UTC), has_time=True)
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes > 59 or offset > MAX_OFFSET:
        return offset_problem(written)
    sign = -1 if written[0] == "-" else 1
    return WrittenDate(moment.replace(tzinfo=timezone(sign * offset)), has_time=True)


def _impossible(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str:
    """Why the numbers name no moment, in the reader's words (Python's own reason is English)."""
    if not 1 <= month <= 12:
        return _("there is no month {month}").format(month=month)
    if hour > 23:
        return _("the hours go from 0 to 23")
    if minute > 59 or second > 59:
        return _("the minutes and seconds go from 0 to 59")
    return _("the month {year}-{month:02d} has no day {day}").format(year=year, month=month, day=day)


def offset_problem(written: str) -> DateProblem:
    return DateProblem(
        Problem.OFFSET, _("expected a UTC offset between -14:00 and +14:00, found '{offset}'").format(offset=written)
    )


def read_value(value: object) -> WrittenDate | DateProblem | None:
    """A date from YAML: text by the grammar, or the date or datetime YAML made of it; None for any other type."""
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is not None and abs(offset) > MAX_OFFSET:
            hours, rest = divmod(int(abs(offset).total_seconds()) // 60, 60)
            return offset_problem(f"{'-' if offset < timedelta(0) else '+'}{hours:02d}:{rest:02d}")
        return WrittenDate(value, has_time=True)
    if isinstance(value, date):
        return WrittenDate(datetime.combine(value, time(0)), has_time=False)
    if isinstance(value, str):
        return parse_date(value)
    return None


def in_zone(written: WrittenDate, zone: ZoneInfo, *, end_of_day: bool = False) -> datetime:
    """The moment in `zone`: without an offset it is read there, a bare date is its 00:00 or, with
    `end_of_day`, the midnight after it (`to: 2027-01-04` includes that whole day)."""
    if written.moment.tzinfo is not None:
        return written.moment.astimezone(zone)
    moment = written.moment.replace(tzinfo=zone)
    return moment + timedelta(days=1) if end_of_day and not written.has_time else moment


def read_when(value: object, zone: ZoneInfo, *, end_of_day: bool = False) -> datetime | DateProblem | None:
    """`in_zone` of a YAML value; the problem if it breaks the grammar, None if it is no date at all."""
    written = read_value(value)
    if isinstance(written, WrittenDate):
        return in_zone(written, zone, end_of_day=end_of_day)
    return written


def parse_when(value: object, zone: ZoneInfo, *, end_of_day: bool = False) -> datetime | None:
    """`read_when` for callers with their own message: None whatever is wrong."""
    moment = read_when(value, zone, end_of_day=end_of_day)
    return moment if isinstance(moment, datetime) else None


def located_when(entry: Entry, zone: ZoneInfo, example: str, *, end_of_day: bool = False) -> datetime | str:
    """A date of a YAML section (`read_when`), or what is wrong with it as 'expected …, found …'."""
    moment = read_when(entry.value, zone, end_of_day=end_of_day)
    if isinstance(moment, datetime):
        return moment
    if isinstance(moment, DateProblem) and moment.kind is Problem.OFFSET:
        return moment.message
    if (
        isinstance(moment, DateProblem)
        and moment.kind is Problem.FORMAT
        and isinstance(entry.value, str)
        and entry.spot
    ):
        # 18.11.2026: the form the grammar wants, and the author's date written in it
        raw = entry.value.strip()
        return yaml_hints.date_format(entry.spot, raw, example, in_grammar(raw))
    return _("expected a date such as {example}, found {found}").format(example=example, found=describe(entry))


# A date a German author wrote in another form (18.11.2026, 18. November 2026 9 Uhr), rewritten in the
# grammar above so a message can show it; only forms whose meaning is certain (never 11/18 or 18/11).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan", "jänner", "jän"),
            ("februar", "feb"),
            ("märz", "mär", "maerz", "mrz"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ),
        start=1,
    )
    for name in names
}
_ZONE_WORDS = {"mez": "+01:00", "cet": "+01:00", "mesz": "+02:00", "cest": "+02:00", "utc": "+00:00", "gmt": "+00:00"}
_DAY_FIRST = re.compile(r"(?P<d>\d{1,2})\.\s*(?P<m>\d{1,2})\.\s*(?P<y>\d{4}|\d{2})(?!\d)")
_MONTH_NAMED = re.compile(r"(?P<d>\d{1,2})\.?\s*(?P<name>[^\W\d_]+)\.?\s+(?P<y>\d{4})(?!\d)")
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)")
_TIME = re.compile(
    r"(?:,|\s+um\b|T)?\s*(?P<H>\d{1,2})(?:[:.](?P<M>\d{2})(?::(?P<S>\d{2}))?)?\s*(?P<uhr>uhr|h\b)?", re.IGNORECASE
)
_OFFSET = re.compile(r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[A-Za-z]{3,4})?\s*$")


def in_grammar(text: str) -> str | None:
    """`text` rewritten as the grammar wants it (`18.11.2026 9 Uhr` → `2026-11-18 09:00`), or None if
    its meaning is not certain or it is no date at all."""
    text = text.strip()
    day = _DAY_FIRST.match(text) or _MONTH_NAMED.match(text) or _YEAR_FIRST.match(text)
    if day is None:
        return None
    parts = day.groupdict()
    month = int(parts["m"]) if parts.get("m") else _MONTHS.get(parts["name"].lower())
    if month is None:
        return None
    year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)
    result = f"{year:04d}-{month:02d}-{int(parts['d']):02d}"
    rest = text[day.end() :]
    time_written = _TIME.match(rest) if rest.strip() else None
    if time_written is not None:
        if time_written["M"] is None and time_written["uhr"] is None:
            return None  # a bare number after the date: not certainly an hour
        minutes = time_written["M"] or "00"
        result += f" {int(time_written['H']):02d}:{minutes}" + (f":{time_written['S']}" if time_written["S"] else "")
        rest = rest[time_written.end() :]
    offset = _OFFSET.match(rest)
    if offset is None:
        return None
    zone = offset["tz"]
    if zone:
        zone = _ZONE_WORDS.get(zone.lower(), zone)
        if not (zone == "Z" or zone[0] in "+-"):
            return None
        if time_written is None:
            return None  # an offset needs a time in the grammar
        result += f" {zone}"
    return result if result != text and isinstance(parse_date(result), WrittenDate) else None
