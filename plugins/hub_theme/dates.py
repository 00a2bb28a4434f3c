"""Dates in the reader's language, independent of the machine's installed locales."""

from __future__ import annotations

from datetime import date

MONTHS = {
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(value: date, lang: str = "de") -> str:
    """'21. November 2026' in German, 'November 21, 2026' in English."""
    months = MONTHS.get(lang, MONTHS["de"])
    month = months[value.month - 1]
    if lang == "en":
        return f"{month} {value.day}, {value.year}"
    return f"{value.day}. {month} {value.year}"


def month_name(month: int, lang: str = "de") -> str:
    """'November' for 11 (German by default)."""
    return MONTHS.get(lang, MONTHS["de"])[int(month) - 1]
