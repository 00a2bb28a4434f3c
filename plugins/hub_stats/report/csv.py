"""Every table of the report as its own CSV file, as Excel opens it with a double click.

German Excel expects what German Windows writes: semicolons between fields, a decimal comma,
and a byte-order mark to know the file is UTF-8 (without it, "Qualität" arrives as "QualitÃ¤t").
English gets commas and decimal points. Numbers carry no thousands separator (Excel would read
1.234 as a date or text), days are ISO (2026-11-03, which every Excel reads as a date), durations
are hours as a decimal (a column Excel can sum); the header row says the unit.

Comment texts come from readers: a cell starting with = + - @ would be run by Excel as a
formula (CSV injection), so such a text gets a leading apostrophe, which Excel shows as text.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from hub_core.i18n import language, translator

from .tables import Column, Kind, Table, Value

_, ngettext = translator("hub_stats")

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# (field delimiter, decimal point) per language.
DIALECTS = {"de": (";", ","), "en": (",", ".")}


def _dialect() -> tuple[str, str]:
    return DIALECTS.get(language(), DIALECTS["de"])


def _decimal(value: float, point: str, places: int = 2) -> str:
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text.replace(".", point)


def heading(column: Column) -> str:
    """The header cell; durations and shares name their unit, as the cells hold bare numbers."""
    if column.kind is Kind.DURATION:
        return _("{heading} (hours)").format(heading=column.heading)
    if column.kind is Kind.SHARE:
        return _("{heading} (%)").format(heading=column.heading)
    return column.heading


def cell(value: Value, kind: Kind) -> str:
    """A value as Excel reads it in the language of the moment."""
    _delimiter, point = _dialect()
    if value is None:
        return ""
    if kind is Kind.YES_NO:
        return _("yes") if value else _("no")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _decimal(value.total_seconds() / 3600, point)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _decimal(value * 100 if kind is Kind.SHARE else value, point)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(table: Table) -> bytes:
    """The table as a CSV file: byte-order mark, header row, one line per row (CRLF, as Excel writes)."""
    delimiter, _point = _dialect()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([heading(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([cell(value, column.kind) for value, column in zip(row.values, table.columns, strict=True)])
    return (BOM + out.getvalue()).encode("utf-8")


def csv_files(tables: dict[str, Table]) -> dict[str, bytes]:
    """File name → content, for every table (an empty one keeps its header row: the file is always there)."""
    return {f"{name}.csv": csv_bytes(table) for name, table in tables.items()}
