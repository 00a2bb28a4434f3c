"""Figures as people read them, in the language of the moment (German: 1.234; 3. November 2026; 2 Std. 15 Min.).

Pure and independent of the machine's installed locales (a CI image has none): the separators come
from the language, month names from hub_theme, the words from the catalogue. The report, its charts
and the dashboard's KPI section all format through here, so a figure reads the same everywhere.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hub_core.i18n import language, translator
from hub_theme.dates import long_date, month_name

_, ngettext = translator("hub_stats")

# (thousands, decimal) per language; German groups with a dot and writes a decimal comma.
SEPARATORS = {"de": (".", ","), "en": (",", ".")}


def _separators() -> tuple[str, str]:
    return SEPARATORS.get(language(), SEPARATORS["de"])


def number(value: int) -> str:
    """A whole number with grouped thousands: 1.234 (German), 1,234 (English)."""
    thousands, _decimal = _separators()
    return f"{value:,}".replace(",", thousands)


def decimal(value: float, places: int = 1) -> str:
    """A number with at most `places` decimals, trailing zeros dropped: 12,5; 3; 1.234,25."""
    thousands, point = _separators()
    text = f"{value:,.{places}f}"
    if places:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", point).replace("\0", thousands)


def percent(share: float) -> str:
    """A share (0.875) as a whole percentage: 88 % in German (with a narrow no-break space), 88% in English."""
    return _("{percent}%").format(percent=decimal(share * 100, 0))


def day(value: date) -> str:
    """3. November 2026 (German), November 3, 2026 (English)."""
    return long_date(value, language())


def moment(value: datetime) -> str:
    """A day and time as written out: 3. November 2026, 09:15 Uhr; `value` in the zone to show."""
    return _("{day}, {time}").format(day=day(value.date()), time=value.strftime("%H:%M"))


def month(first: date) -> str:
    """The month a day lies in: November 2026."""
    return f"{month_name(first.month, language())} {first.year}"


def duration(value: timedelta) -> str:
    """A span of (business) time in hours and minutes: 2 Std. 15 Min., 45 Min., 30 Std.

    Rounded to the minute; whole days are not split off, because a response time counts business
    hours, and "1 day" would read as 24 of them."""
    minutes = round(value.total_seconds() / 60)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return _("{minutes} min").format(minutes=minutes)
    if not minutes:
        return _("{hours} h").format(hours=number(hours))
    return _("{hours} h {minutes} min").format(hours=number(hours), minutes=minutes)


def period_text(first: date, last: date) -> str:
    """November 2026 for a whole month, else from one day to the other."""
    whole_month = first.day == 1 and (last + timedelta(days=1)).day == 1
    if whole_month and first.month == last.month:
        return month(first)
    return _("{first} to {last}").format(first=day(first), last=day(last))
