"""ISO weeks and working days in the calendar's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    @classmethod
    def of(cls, moment: datetime | date, zone: ZoneInfo | None = None) -> Week:
        day = moment.astimezone(zone).date() if isinstance(moment, datetime) and zone else moment
        if isinstance(day, datetime):
            day = day.date()
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def quarter(self) -> tuple[int, int]:
        # An ISO week belongs to the quarter of its Thursday, as it belongs to the year of it.
        thursday = self.monday + timedelta(days=3)
        return thursday.year, (thursday.month - 1) // 3 + 1

    def start(self, zone: ZoneInfo) -> datetime:
        return datetime.combine(self.monday, time(0), tzinfo=zone)

    def end(self, zone: ZoneInfo) -> datetime:
        return self.start(zone) + timedelta(days=7)  # DST-safe: wall-clock midnight a week later

    def following(self, weeks: int = 1) -> Week:
        return Week.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


def start_of_day(moment: datetime, zone: ZoneInfo) -> datetime:
    return datetime.combine(moment.astimezone(zone).date(), time(0), tzinfo=zone)


def working_days_before(day: date, count: int) -> date:
    """The working day (Mon–Fri) `count` working days before `day`."""
    while count > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
