"""The dashboard's KPI section with figures: the KPIs of the recent period read and arranged.

`load` reads the figures with the gate's result the build already has (compute.judged_kpis: the
site is not judged a second time) and never raises for them: a file that cannot be read and an
inbox that cannot be read each become an outcome the section shows and the build log warns about.
`kpi_section` arranges the KPIs in dashboard.py's frame with the report's sentences, charts and
tables: what the figures rest on ("Zahlen für 54 von 56 Tagen"), views per week, per channel and
per category, the targets, the most read and the unread posts, and the response times when the
inbox was read (counts and durations, never a question's text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hub_content.calendar import Calendar
from hub_content.loader import ContentSettings
from hub_core.errors import ConfigurationError
from hub_core.i18n import translator
from hub_review.gate import GateResult
from hub_review.slots import KpiSection

from . import charts, compute, responses
from .dashboard import Notice, Weeks, render
from .kpis import DialogueFigures, Kpis, Period
from .readable import number
from .report import tables
from .report.html import NUMERIC, Line, Section, coverage_lines, target_lines, unread_lines
from .report.tables import Names, machine, shown
from .store import UnreadableFigures

_, ngettext = translator("hub_stats")

UNREAD_SHOWN = 10  # the most recent of them; the monthly report lists every one


@dataclass(frozen=True)
class Unreadable:
    """A file the figures rest on cannot be read; `problem` names it."""

    problem: str


@dataclass(frozen=True)
class Counted:
    kpis: Kpis
    inbox_problem: str = ""  # the inbox exists and could not be read: no response times


Outcome = Unreadable | Counted


def load(
    settings: Mapping[str, Any],
    period: Period,
    gate: GateResult,
    checked: ContentSettings,
    environ: Mapping[str, str],
) -> Outcome:
    """The KPIs of `period` from HUB_STATS_DIR, the ledger, the record of addresses and the inbox
    (if there is one), as of the gate's `now`."""
    now = gate.now
    inbox_problem = ""

    def dialogue(calendar: Calendar, posts: Mapping[str, tuple[str, str]], asked: Period) -> DialogueFigures | None:
        nonlocal inbox_problem
        try:
            return responses.inbox_figures(settings, calendar, posts, asked, now, environ=environ)
        except responses.InboxUnreadable as error:
            inbox_problem = str(error)
            return None

    try:
        kpis = compute.judged_kpis(settings, period, now, gate=gate, checked=checked, dialogue=dialogue)
    except UnreadableFigures as error:
        return Unreadable(f"{checked.display(error.path)} ({error.problem})")
    except ConfigurationError as error:  # the ledger or the record of addresses; their messages name the file
        return Unreadable(str(error))
    return Counted(kpis, inbox_problem)


def unreadable_text(outcome: Unreadable) -> str:
    return _(
        "The figures could not be read: {problem}. Restore the file from version control (git) or delete it"
        " (then that day's figures are missing); the next build shows the figures again."
    ).format(problem=outcome.problem)


def inbox_text(problem: str) -> str:
    return _("{problem}; the response times are missing.").format(problem=problem)


def warnings(outcome: Outcome) -> list[str]:
    """What the build log says about the section: what could not be read."""
    if isinstance(outcome, Unreadable):
        return [unreadable_text(outcome)]
    return [inbox_text(outcome.inbox_problem)] if outcome.inbox_problem else []


def coverage_line(kpis: Kpis) -> Line:
    """'Figures for N of M days', and what a gap means."""
    counted, days = kpis.coverage.days_with_logs, kpis.period.days
    figures = ngettext("Figures for {counted} of {days} day", "Figures for {counted} of {days} days", days).format(
        counted=number(counted), days=number(days)
    )
    if counted == 0:
        text = _("{figures}: no access logs were counted for this period (run `invoke stats`).")
    elif counted < days:
        text = _("{figures}: no access logs were counted for the other days, so the views are too low.")
    else:
        text = _("{figures}.")
    return Line(text.format(figures=figures), "days_with_logs", str(counted), warning=counted < days)


def lines(outcome: Counted) -> tuple[Line, ...]:
    """What the figures rest on, and how many targets were met."""
    kpis = outcome.kpis
    found = (
        coverage_line(kpis),
        *(line for line in coverage_lines(kpis) if line.figure in ("days_with_platforms", "malformed_lines")),
        *target_lines(kpis),
    )
    if outcome.inbox_problem:
        found += (Line(inbox_text(outcome.inbox_problem), "inbox", "unreadable", warning=True),)
    return found


def figures(kpis: Kpis) -> list[str]:
    """The three charts; none when no day of the period has figures (no empty charts)."""
    if not kpis.coverage.days_with_logs:
        return []
    return [
        charts.figure(charts.views_per_week(kpis.cadence.weeks)),
        charts.figure(charts.views_per_channel(kpis.channels)),
        charts.figure(charts.views_per_category(kpis.categories)),
    ]


def sections(kpis: Kpis, people: Names) -> tuple[Section, ...]:
    """Targets, the most read and the unread posts, and the response times if the inbox was read."""
    top = tables.posts("meistgelesen", _("Most read posts"), kpis.top, _("No post was read in this period."), people)
    unread = kpis.unread[:UNREAD_SHOWN]
    listed: tuple[Line, ...] = ()
    if len(kpis.unread) > len(unread):
        more = _("The {shown} most recent are listed; the monthly report (`invoke report`) lists all {count}.")
        listed = (Line(more.format(shown=number(len(unread)), count=number(len(kpis.unread)))),)
    nobody = _("Every post published at least 7 days ago was read.")
    found = [
        Section("kpi-ziele", _("Targets"), tables=(tables.targets(kpis),)),
        Section("kpi-meistgelesen", _("Most read posts"), tables=(top,)),
        Section(
            "kpi-ungelesen",
            _("Posts nobody read"),
            unread_lines(kpis) + listed,
            tables=(tables.posts("ungelesen", _("Posts nobody read"), unread, nobody, people),),
        ),
    ]
    if kpis.responses is not None:
        found.append(Section("kpi-antwortzeiten", _("Response times"), tables=(tables.responses(kpis),)))
    return tuple(found)


def kpi_section(
    settings: Mapping[str, Any],
    weeks: Weeks,
    gate: GateResult,
    checked: ContentSettings,
    environ: Mapping[str, str],
) -> tuple[KpiSection, list[str]]:
    """The section of the `weeks` and the warnings for the build log (the compiled templates are kept
    where dashboard.use_template_cache said: charts, tables and the section share one environment)."""
    outcome = load(settings, Period(weeks.first, weeks.last), gate, checked, environ)
    if isinstance(outcome, Unreadable):
        notice = Notice(unreadable_text(outcome), "figures", "unreadable", warning=True)
        return render(weeks, notice=notice), warnings(outcome)
    people = {member.id: member.name for member in gate.calendar.team.values()}
    section = render(
        weeks,
        lines=lines(outcome),
        charts=figures(outcome.kpis),
        sections=sections(outcome.kpis, people),
        shown=shown,
        machine=machine,
        numeric=NUMERIC,
    )
    return section, warnings(outcome)
