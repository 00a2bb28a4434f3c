"""The editors' dashboard's KPI section ("Reichweite"): its period, its frame, and the hint for a
site that has counted nothing yet. The figures themselves are arranged by dashboard_figures.py.

The period is the last RECENT_WEEKS whole ISO weeks before the build's week, in the calendar's time
zone (on Saturday 21 November 2026: Monday 21 September to Sunday 15 November). Whole weeks,
because the figures arrive in batches (`invoke stats` once a day, CDN logs hours late): the
running week would always look weak, and weeks of seven days compare with each other.

Kept light on purpose: a site without figures (every new site, the sample) gets its hint from
here without loading the KPIs, the charts or the report's tables, so its build stays as fast as
before. The dashboard may be published with the site: the section holds counts and our own posts
only, no question text, nothing about a reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hub_content.loader import ContentSettings
from hub_core.i18n import translator
from hub_review.slots import KpiSection
from jinja2 import BytecodeCache, FileSystemBytecodeCache
from jinja2.bccache import Bucket

from .options import figures_folder
from .readable import number, period_text
from .store import FiguresStore
from .templating import environment, keep_compiled

_, ngettext = translator("hub_stats")

RECENT_WEEKS = 8


@dataclass(frozen=True)
class Weeks:
    """The section's period, first Monday to last Sunday (kpis.Period once the KPIs are computed:
    this module does without the KPIs' shapes)."""

    first: date
    last: date


def recent_weeks(today: date) -> Weeks:
    """The last RECENT_WEEKS whole ISO weeks before `today`'s week (Monday to Sunday)."""
    last = today - timedelta(days=today.weekday() + 1)
    return Weeks(last - timedelta(days=7 * RECENT_WEEKS - 1), last)


@dataclass(frozen=True)
class Notice:
    """What the section says instead of figures: how to start, or what could not be read."""

    text: str
    figure: str  # data-figure, for scripts: "figures"
    value: str  # data-value: "none", "unreadable"
    warning: bool = False  # shown with the word "Achtung", never by colour alone


def start_hint(folder: str) -> Notice:
    text = _(
        "No figures yet. To start, set HUB_STATS_LOGS to where the web server or the CDN delivers its access"
        " logs (a folder or s3://bucket/prefix/) and run `invoke stats`: it keeps the daily figures in {folder},"
        " and the next build shows them here."
    ).format(folder=folder)
    return Notice(text, "figures", "none")


def start_section(settings: Mapping[str, Any], weeks: Weeks, checked: ContentSettings) -> KpiSection | None:
    """The hint how to start when nothing was ever counted or fetched; None when there are figures."""
    folder = figures_folder(settings)
    if not FiguresStore(folder).is_empty():
        return None
    return render(weeks, notice=start_hint(checked.display(folder)))


class KeptTemplates(FileSystemBytecodeCache):
    """Compiled templates in a folder, only ever a shortcut: a folder that went away meanwhile
    (`make clean` during `pelican --autoreload`) costs a compile, never a build."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def use_template_cache(folder: Path | None) -> BytecodeCache | None:
    """Keep the section's compiled templates in `folder` between builds (HUB_STATS_TEMPLATE_CACHE):
    Jinja recompiles a template whose source changed. None, or a folder that cannot be made: none kept."""
    cache = None
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            cache = KeptTemplates(str(folder))
        except OSError:
            cache = None  # a cache is only ever a shortcut
    keep_compiled(cache)
    return cache


def render(
    weeks: Weeks,
    *,
    notice: Notice | None = None,
    lines: Sequence[Any] = (),
    charts: Sequence[str] = (),
    sections: Sequence[Any] = (),
    **tables: Any,
) -> KpiSection:
    """The section (template dashboard-kpi.html). `lines` and `sections` are the report's Line and
    Section values, `charts` charts.figure markup; `tables` the report's cell helpers (shown,
    machine, numeric) when a section has tables."""
    html = (
        environment()
        .get_template("dashboard-kpi.html")
        .render(
            heading=_("Reach"),
            period=ngettext(
                "The last whole calendar week: {period}",
                "The last {count} whole calendar weeks: {period}",
                RECENT_WEEKS,
            ).format(count=number(RECENT_WEEKS), period=period_text(weeks.first, weeks.last)),
            first=weeks.first,
            last=weeks.last,
            attention=_("Attention:"),
            notice=notice,
            found=lines,
            charts=charts,
            sections=sections,
            **tables,
        )
    )
    return KpiSection(html, CSS)


# Scoped to the section: the dashboard's own styles cover tables, captions and headings.
CSS = """
.kpi .lines{list-style:none;padding:0;margin:.6rem 0}.kpi .lines li{margin:.3rem 0}
.kpi .lines li.warning,.kpi-notice{border-left:4px solid #b45309;background:#fffbeb;padding:.3rem .6rem}
.kpi .lines li.warning strong,.kpi-notice strong{color:#92400e}
.kpi .hub-chart{margin:1.2rem 0}.kpi .hub-chart figcaption{font-weight:600;margin-bottom:.3rem}
.kpi .hub-chart svg{max-width:100%;height:auto;display:block}
.kpi .chart-numbers-box summary{cursor:pointer;color:#1d4ed8;margin:.3rem 0}
.kpi .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.kpi .empty{color:#4b5563;font-style:italic}
.kpi tr.missed td,.kpi tr.missed th,.kpi tr.late td,.kpi tr.late th{background:#fff7ed}
"""
