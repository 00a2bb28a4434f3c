"""The monthly report as one self-contained HTML document, in the language of the moment (German by default).

Pure: a Kpis value in, the page as text out. A summary page (what the figures rest on and where
they are blind, the targets, the cadence, posts, channels, categories, authors, referrers, feeds,
404s, response times), then one page per department with their questions and complaints, their
response times and their posts' reach (`break-before: page`: WeasyPrint starts each on a new
sheet, a browser's print dialog too). No script, no font, no image from anywhere: the styles are
inline and a Content-Security-Policy says so. Every figure carries its machine value
(data-value on table cells, data-figure/data-value on sentences), so a test or a script can
compare the page with the Kpis it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hub_core.i18n import language, translator
from jinja2 import Environment
from markupsafe import Markup

from .. import charts
from ..kpis import Department, Kpis
from ..readable import day, duration, moment, number, percent, period_text
from ..templating import environment
from . import tables
from .tables import Names, Table, machine, shown

_, ngettext = translator("hub_stats")

# Right-aligned, tabular figures.
NUMERIC = frozenset({"count", "decimal", "share", "duration"})


@dataclass(frozen=True)
class Line:
    """A sentence of the report, with the figure it states for scripts (data-figure, data-value)."""

    text: str
    figure: str = ""
    value: str = ""
    warning: bool = False  # shown with the word "Achtung" and a frame, never by colour alone


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    lines: tuple[Line, ...] = ()
    chart: str = ""  # markup from charts.figure
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Page:
    id: str
    heading: str
    lines: tuple[Line, ...]
    sections: tuple[Section, ...]
    department: str = ""  # the department's name on its own page


def coverage_lines(kpis: Kpis) -> tuple[Line, ...]:
    """What the figures rest on: days with logs and platform counts, the inbox, unreadable log lines."""
    coverage, days = kpis.coverage, kpis.period.days
    lines = []
    missing = days - coverage.days_with_logs
    if coverage.days_with_logs == 0:
        text = _(
            "No access logs were counted for this period: no views, referrers, feeds or 404s (run `invoke stats`)."
        )
        lines.append(Line(text, "days_with_logs", "0", warning=True))
    elif missing > 0:
        text = ngettext(
            "Access logs are missing for {missing} of {days} days: views, referrers, feeds and 404s of that day"
            " are not counted, so these figures are too low.",
            "Access logs are missing for {missing} of {days} days: views, referrers, feeds and 404s of those days"
            " are not counted, so these figures are too low.",
            missing,
        ).format(missing=number(missing), days=number(days))
        lines.append(Line(text, "days_with_logs", str(coverage.days_with_logs), warning=True))
    else:
        text = ngettext(
            "Access logs were counted for {counted} of {days} day.",
            "Access logs were counted for {counted} of {days} days.",
            days,
        ).format(counted=number(coverage.days_with_logs), days=number(days))
        lines.append(Line(text, "days_with_logs", str(coverage.days_with_logs)))
    if coverage.days_with_platforms == 0:
        text = _("No platform counts were fetched: replies, reposts and likes on the channels are missing.")
        lines.append(Line(text, "days_with_platforms", "0", warning=True))
    else:
        text = ngettext(
            "Platform counts (replies, reposts, likes) were fetched on {count} of {days} days.",
            "Platform counts (replies, reposts, likes) were fetched on {count} of {days} days.",
            coverage.days_with_platforms,
        ).format(count=number(coverage.days_with_platforms), days=number(days))
        lines.append(Line(text, "days_with_platforms", str(coverage.days_with_platforms)))
    if coverage.inbox:
        lines.append(Line(_("The comment inbox was read."), "inbox", "true"))
    else:
        text = _("The comment inbox was not read: comments, questions and response times are missing.")
        lines.append(Line(text, "inbox", "false", warning=True))
    if coverage.malformed_lines:
        text = ngettext(
            "{count} line of the access logs could not be read and was not counted.",
            "{count} lines of the access logs could not be read and were not counted.",
            coverage.malformed_lines,
        ).format(count=number(coverage.malformed_lines))
        lines.append(Line(text, "malformed_lines", str(coverage.malformed_lines), warning=True))
    return tuple(lines)


def target_lines(kpis: Kpis) -> tuple[Line, ...]:
    if not kpis.targets:
        return ()
    met = sum(1 for target in kpis.targets if target.met)
    missed = sum(1 for target in kpis.targets if target.met is False)
    text = ngettext("{met} of {count} target met.", "{met} of {count} targets met.", len(kpis.targets)).format(
        met=number(met), count=number(len(kpis.targets))
    )
    lines = [Line(text, "targets_met", str(met), warning=bool(missed))]
    return tuple(lines)


def cadence_lines(kpis: Kpis) -> tuple[Line, ...]:
    cadence = kpis.cadence
    weeks = len(cadence.weeks)
    lines = []
    if cadence.target_per_week:
        per_week = ngettext(
            "Cadence: {target} post per week; met in {met} of {weeks} weeks.",
            "Cadence: {target} posts per week; met in {met} of {weeks} weeks.",
            cadence.target_per_week,
        ).format(target=number(cadence.target_per_week), met=number(cadence.weeks_met), weeks=number(weeks))
        lines.append(Line(per_week, "weeks_met", str(cadence.weeks_met), warning=cadence.weeks_met < weeks))
    if cadence.slots_due:
        slots = ngettext(
            "Editorial plan: {met} of {due} slot met with a published post.",
            "Editorial plan: {met} of {due} slots met with a published post.",
            cadence.slots_due,
        ).format(met=number(cadence.slots_met), due=number(cadence.slots_due))
        lines.append(Line(slots, "slots_met", str(cadence.slots_met), warning=cadence.slots_met < cadence.slots_due))
    else:
        lines.append(Line(_("No slot of the editorial plan was due in this period."), "slots_due", "0"))
    return tuple(lines)


def unread_lines(kpis: Kpis) -> tuple[Line, ...]:
    if not kpis.unread:
        return ()
    text = ngettext(
        "{count} post published at least 7 days ago had no view in this period.",
        "{count} posts published at least 7 days ago had no view in this period.",
        len(kpis.unread),
    ).format(count=number(len(kpis.unread)))
    return (Line(text, "unread", str(len(kpis.unread)), warning=True),)


def response_lines(department: Department) -> tuple[Line, ...]:
    """A department's response times in sentences: what its readers waited for."""
    found = department.responses
    if found is None:
        return (Line(_("The comment inbox was not read: no response times."), "received", "", warning=True),)
    lines = [
        Line(
            ngettext(
                "{count} question or complaint came in; {answered} answered, {in_time} of them in time; {open} open.",
                "{count} questions and complaints came in; {answered} answered, {in_time} of them in time; {open} open.",
                found.received,
            ).format(
                count=number(found.received),
                answered=number(found.answered),
                in_time=number(found.in_time),
                open=number(found.open),
            ),
            "received",
            str(found.received),
            warning=bool(found.late or found.open),
        ),
        _deadline_line(found.deadline),
    ]
    if found.answered:
        lines.append(
            Line(
                _("Answered in time: {share}.").format(share=percent(found.in_time / found.answered)),
                "in_time",
                str(found.in_time),
                warning=found.in_time < found.answered,
            )
        )
    if found.median is not None:
        lines.append(
            Line(
                _("Median time to the first answer: {median} (half of the answers came sooner).").format(
                    median=duration(found.median)
                ),
                "median",
                machine(found.median, tables.Kind.DURATION),
            )
        )
    if found.p90 is not None:
        lines.append(
            Line(
                _("90th percentile: {p90} (nine in ten answers came sooner).").format(p90=duration(found.p90)),
                "p90",
                machine(found.p90, tables.Kind.DURATION),
            )
        )
    return tuple(lines)


def _deadline_line(deadline: timedelta | None) -> Line:
    if deadline is None:
        return Line(_("No deadline for the first answer is set (`dialogue.respond_within`)."), "deadline", "")
    return Line(
        _("Deadline for the first answer: {deadline} (business hours).").format(deadline=duration(deadline)),
        "deadline",
        machine(deadline, tables.Kind.DURATION),
    )


def summary_page(kpis: Kpis, found: dict[str, Table]) -> Page:
    sections = (
        Section("datengrundlage", _("What the figures rest on"), coverage_lines(kpis)),
        Section("ziele", _("Targets"), target_lines(kpis), tables=(found["ziele"],)),
        Section(
            "takt",
            _("Posts per week against the cadence"),
            cadence_lines(kpis),
            charts.figure(charts.views_per_week(kpis.cadence.weeks)),
            (found["wochen"],),
        ),
        Section("meistgelesen", _("Most read posts"), tables=(found["meistgelesen"],)),
        Section("ungelesen", _("Posts nobody read"), unread_lines(kpis), tables=(found["ungelesen"],)),
        Section(
            "kanaele",
            _("Channels"),
            chart=charts.figure(charts.views_per_channel(kpis.channels)),
            tables=(found["kanaele"],),
        ),
        Section(
            "kategorien",
            _("Categories"),
            chart=charts.figure(charts.views_per_category(kpis.categories)),
            tables=(found["kategorien"],),
        ),
        Section("autoren", _("Authors"), tables=(found["autoren"],)),
        Section("monate", _("Months"), tables=(found["monate"],)),
        Section("beitraege", _("All posts"), tables=(found["beitraege"],)),
        Section("verweise", _("Referrers"), tables=(found["verweise"],)),
        Section("feeds", _("Feeds"), tables=(found["feeds"],)),
        Section("nicht-gefunden", _("Addresses not found"), tables=(found["nicht-gefunden"],)),
        Section("antwortzeiten", _("Response times"), tables=(found["antwortzeiten"],)),
    )
    heading = _("Summary")
    return Page("zusammenfassung", heading, (), sections)


def department_page(department: Department, file_slug: str, found: dict[str, Table], people: Names) -> Page:
    lines = []
    if department.recipients:
        names = ", ".join(people.get(member, member) for member in department.recipients)
        lines.append(Line(_("For: {names}").format(names=names)))
    sections = (
        Section(f"antworten-{file_slug}", _("Response times"), response_lines(department)),
        Section(f"fragen-{file_slug}", _("Questions and complaints"), tables=(found[f"fragen-{file_slug}"],)),
        Section(f"reichweite-{file_slug}", _("Reach of your posts"), tables=(found[f"beitraege-{file_slug}"],)),
    )
    heading = _("Department: {name}").format(name=department.name)
    return Page(f"abteilung-{file_slug}", heading, tuple(lines), sections, department.name)


def pages(kpis: Kpis, found: dict[str, Table], people: Names) -> tuple[Page, ...]:
    slugs = tables.department_slugs(kpis.departments)
    departments = tuple(department_page(d, slugs[d.name], found, people) for d in kpis.departments)
    return (summary_page(kpis, found), *departments)


@cache
def _templates() -> Environment:
    found = environment()
    found.globals.update(shown=shown, machine=machine, numeric=NUMERIC)
    return found


def render(
    kpis: Kpis,
    *,
    site_name: str,
    people: Names | None = None,
    zone: ZoneInfo | None = None,
    found: dict[str, Table] | None = None,
) -> str:
    """The report page. `people`: team ids → names (the calendar's team); `zone`: the one to show times in;
    `found`: the tables if the caller made them already (for the CSV files), else they are made here."""
    people = people or {}
    found = found if found is not None else tables.all_tables(kpis, people, zone)
    period = period_text(kpis.period.first, kpis.period.last)
    title = _("Monthly report {period} – {site}").format(period=period, site=site_name)
    generated = kpis.generated.astimezone(zone) if zone is not None else kpis.generated
    return (
        _templates()
        .get_template("report.html")
        .render(
            language=language(),
            title=title,
            heading=_("Monthly report {period}").format(period=period),
            site=site_name,
            period=_("Period: {first} to {last}").format(first=day(kpis.period.first), last=day(kpis.period.last)),
            first=kpis.period.first,
            last=kpis.period.last,
            generated=_("Made on {moment}").format(moment=moment(generated)),
            generated_at=generated.isoformat(),
            contents=_("Contents"),
            attention=_("Attention:"),
            pages=pages(kpis, found, people),
            css=Markup(CSS),
        )
    )


CSS = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1f2937;margin:0 auto;
max-width:72rem;padding:1rem 1.5rem 3rem;line-height:1.45;font-size:15px}
h1{margin:.2rem 0 .4rem;font-size:1.7rem}h2{margin-top:2rem;border-bottom:2px solid #1f2937;padding-bottom:.2rem}
h3{margin-top:1.6rem}
.meta{color:#4b5563;margin:.15rem 0}
nav ol{columns:2;padding-left:1.2rem}
.lines{list-style:none;padding:0;margin:.6rem 0}.lines li{margin:.3rem 0}
.lines li.warning{border-left:4px solid #b45309;background:#fffbeb;padding:.3rem .6rem}
.lines li.warning strong{color:#92400e}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.6rem 0 1.2rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
th,td{border-bottom:1px solid #d1d5db;padding:.3rem .45rem;text-align:left;vertical-align:top}
thead th{background:#f3f4f6;border-bottom:2px solid #9ca3af}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.text{overflow-wrap:break-word}td[data-column=path]{overflow-wrap:anywhere}
tr.missed td,tr.missed th,tr.late td,tr.late th,tr.overdue td,tr.overdue th{background:#fff7ed}
tr.overdue td,tr.overdue th{font-weight:600}
.empty{color:#4b5563;font-style:italic}
.hub-chart{margin:1rem 0}.hub-chart figcaption{font-weight:600;margin-bottom:.3rem}
.hub-chart svg{max-width:100%;height:auto;display:block}
.chart-numbers-box summary{cursor:pointer;color:#1d4ed8;margin:.3rem 0}
.department{break-before:page}
@page{size:A4;margin:16mm 14mm 18mm;@bottom-right{content:counter(page) " / " counter(pages);font-size:9pt;color:#4b5563}}
@media print{
body{max-width:none;padding:0;font-size:10pt}
nav{display:none}
.chart-numbers-box{display:none}
.hub-chart svg{max-width:100%}
thead{display:table-header-group}
tr{break-inside:avoid}
h2,h3{break-after:avoid}
a{color:inherit;text-decoration:none}
}
"""
