"""Writing a month's report into HUB_STATS_REPORTS/<month>/: bericht.html, bericht.pdf and one CSV per table.

All or nothing: the files are made in a new folder beside the month's folder and that folder is
renamed into place only when every file is complete (hub_fast_clean's staging and swap, the same
as a build's output). A failure on the way (a full disk, a broken renderer) leaves the previous
report of that month exactly as it was, and a run that was killed leaves a staging folder the
next run deletes. The one thing allowed to be missing is the PDF when WeasyPrint cannot load
Pango on this machine: the HTML and CSV are written, and the report says the PDF is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hub_core.options import beside_content, read
from hub_fast_clean.folders import leftovers, new_staging, swap

from ..kpis import Kpis, Period
from ..options import REPORTS
from .csv import csv_files
from .html import render
from .pdf import write_pdf
from .tables import Names, all_tables

HTML = "bericht.html"
PDF = "bericht.pdf"


@dataclass(frozen=True)
class Written:
    folder: Path
    html: Path
    pdf: Path | None  # None: not asked for, or not possible here (pdf_problem says why)
    csv: tuple[Path, ...]
    pdf_problem: str = ""


def reports_folder(settings: Mapping[str, Any]) -> Path:
    """HUB_STATS_REPORTS; a relative path counts from the folder holding content/, like HUB_CALENDAR."""
    return beside_content(settings, read(REPORTS, settings))


def month_folder(reports: Path, period: Period) -> Path:
    """reports/2026-11"""
    return reports / f"{period.first:%Y-%m}"


def pdf_unavailable() -> str:
    """Why WeasyPrint cannot render here ("" when it can): it is missing, or Pango is (an OSError from cffi)."""
    try:
        import weasyprint  # noqa: F401  (loading it is the test)
    except (ImportError, OSError) as error:
        return str(error)
    return ""


def write_report(
    kpis: Kpis,
    reports: Path,
    *,
    site_name: str,
    people: Names | None = None,
    zone: ZoneInfo | None = None,
    pdf: bool = True,
) -> Written:
    """Write the month's report under `reports`; the previous one of that month is replaced whole or not at all."""
    people = people or {}
    target = month_folder(reports, kpis.period)
    found = all_tables(kpis, people, zone)
    page = render(kpis, site_name=site_name, people=people, zone=zone, found=found)
    files = csv_files(found)
    problem = pdf_unavailable() if pdf else ""
    for killed in leftovers(target):
        shutil.rmtree(killed, ignore_errors=True)
    staging = new_staging(target)
    try:
        (staging / HTML).write_text(page, encoding="utf-8")
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if pdf and not problem:
            write_pdf(page, staging / PDF, base=staging)
        old = swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return Written(
        folder=target,
        html=target / HTML,
        pdf=target / PDF if pdf and not problem else None,
        csv=tuple(target / name for name in files),
        pdf_problem=problem,
    )
