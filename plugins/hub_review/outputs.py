"""Write the editorial plan for editors: an iCalendar file and an HTML dashboard, side by side."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hub_core.findings import Finding
from hub_core.i18n import translator

from .dashboard import editorial_dashboard
from .gate import GateResult
from .ics import editorial_ics
from .slots import DialogueDeadlines, KpiSection

ICS_NAME = "redaktionsplan.ics"
DASHBOARD_NAME = "index.html"

_, ngettext = translator("hub_review")


def write_editorial_outputs(
    result: GateResult,
    folder: Path,
    *,
    site_name: str,
    uid_domain: str,
    findings: Sequence[Finding],
    deadlines: DialogueDeadlines | None = None,
    kpi: KpiSection | None = None,
) -> tuple[Path, Path]:
    """Write `redaktionsplan.ics` and the dashboard (`index.html`, linking the .ics) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ics = folder / ICS_NAME
    # Bytes: the file has CRLF line ends as RFC 5545 wants; text mode could change them.
    ics.write_bytes(
        editorial_ics(result, calendar_name=_("Editorial plan {site}").format(site=site_name), uid_domain=uid_domain)
    )
    page = folder / DASHBOARD_NAME
    page.write_text(
        editorial_dashboard(
            result, site_name=site_name, ics_name=ICS_NAME, findings=findings, deadlines=deadlines, kpi=kpi
        ),
        encoding="utf-8",
    )
    return ics, page
