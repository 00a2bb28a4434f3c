"""The editors' view (`invoke review`): the review table, for a terminal, for a log, and as JSON.

One content, three forms. `review_view` gathers what an editor reads (headers and cells already
in the reader's language); `render_text` writes it as plain lines, one row per line and no box
drawing, the same at any width, so a CI log can be read and grepped; `print_rich` draws it with
rich at a terminal, the columns fitted to its width. `render_json` is for scripts: English keys,
states as their stable English values.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from hub_core.findings import Level, Report
from hub_core.i18n import translator
from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .gate import GateResult
from .plan import SlotState
from .readable import short_day
from .states import State

_, ngettext = translator("hub_review")

MAX_TITLE = 44
# At a terminal the state column says at a glance what needs an editor.
STATE_STYLES = {State.HELD: "bold red", State.STALE: "yellow", State.PUBLISHED: "green", State.SCHEDULED: "green"}
SLOT_STYLES = {SlotState.MISSED: "bold red", SlotState.AT_RISK: "yellow", SlotState.READY: "green"}
STATE_COLUMN = 1


@dataclass(frozen=True)
class Grid:
    """A table as people read it: a heading (or none), the column headers and the rows."""

    heading: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    styles: tuple[str, ...] = ()  # per row, for the state cell at a terminal


@dataclass(frozen=True)
class ReviewView:
    """Everything `invoke review` shows, in the reader's language."""

    title: str
    posts: Grid
    plan: Grid | None
    thin_weeks_heading: str
    thin_weeks: tuple[str, ...]
    stop: str | None
    findings_heading: str
    findings: tuple[tuple[Level, str], ...]
    no_findings: str
    counts: str


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def review_view(result: GateResult, report: Report) -> ReviewView:
    zone = result.calendar.timezone
    posts = Grid(
        "",
        (_("date"), _("state"), _("title"), _("authors"), _("approved by"), _("slot"), _("note")),
        tuple(
            (
                f"{p.date.astimezone(zone):%Y-%m-%d %H:%M}" if p.date else "-",
                p.state.shown(),
                _cut(p.item.title or p.slug, MAX_TITLE),
                ", ".join(p.item.authors),
                ", ".join(p.verdict.approvers) or (_("(before approval.since)") if p.verdict.grandfathered else "-"),
                p.slot or "-",
                p.note,
            )
            for p in result.posts
        ),
        tuple(STATE_STYLES.get(p.state, "") for p in result.posts),
    )
    plan = None
    if result.slots:
        plan = Grid(
            _("Editorial plan"),
            (_("due"), _("state"), _("topic"), _("owner"), _("channels"), _("post"), _("note")),
            tuple(
                (
                    s.slot.label,
                    s.state.shown(),
                    _cut(s.slot.topic, MAX_TITLE),
                    s.slot.owner or "-",
                    ", ".join(s.slot.channels) or "-",
                    s.post.slug if s.post else "-",
                    s.note,
                )
                for s in result.slots
            ),
            tuple(SLOT_STYLES.get(s.state, "") for s in result.slots),
        )
    thin = tuple(
        _("{week} (from {monday}): {posts} of {target}").format(
            week=w.week, monday=short_day(w.week.monday), posts=w.posts, target=w.target
        )
        for w in result.thin_weeks
    )
    stop = result.crossposting_stop()
    counts: dict[State, int] = {}
    for post in result.posts:
        counts[post.state] = counts.get(post.state, 0) + 1
    return ReviewView(
        title=_("Review as of {now} ({zone})").format(
            now=f"{result.now.astimezone(zone):%Y-%m-%d %H:%M}", zone=zone.key
        ),
        posts=posts,
        plan=plan,
        thin_weeks_heading=_("Thin weeks this quarter (fewer posts than the minimum)"),
        thin_weeks=thin,
        stop=None
        if stop is None
        else _("FROZEN NOW: {freeze}: nothing new is published or cross-posted").format(freeze=stop.describe()),
        findings_heading=_("Findings"),
        findings=tuple((f.level, f.render()) for f in report.findings),
        no_findings=_("none"),
        counts=_("Posts: {counts}").format(counts=", ".join(f"{n} {state.shown()}" for state, n in counts.items())),
    )


def _plain_table(grid: Grid) -> list[str]:
    header, rows = grid.header, grid.rows
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]

    # The last column (the note) is not padded: it may be long.
    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < len(cells) - 1 else c for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def render_text(result: GateResult, report: Report) -> str:
    """Plain lines for logs and pipes: one post or slot per line, no box drawing, whatever the width."""
    view = review_view(result, report)
    out = [view.title, "", *_plain_table(view.posts)]
    if view.plan is not None:
        out += ["", view.plan.heading, *_plain_table(view.plan)]
    if view.thin_weeks:
        out += ["", view.thin_weeks_heading, *(f"  {line}" for line in view.thin_weeks)]
    if view.stop:
        out += ["", view.stop]
    out += ["", view.findings_heading]
    out += [f"  {text}" for _level, text in view.findings] or [f"  {view.no_findings}"]
    out += ["", view.counts]
    return "\n".join(out)


def _rich_table(grid: Grid) -> Table:
    table = Table(
        title=grid.heading or None,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
    )
    last = len(grid.header) - 1
    for index, name in enumerate(grid.header):
        # Dates, states and ids never wrap; the title and the note take what width is left.
        wraps = index in (2, last)
        table.add_column(
            name,
            no_wrap=not wraps,
            overflow="fold",
            max_width=MAX_TITLE if index == 2 else None,
            ratio=1 if index == last else None,
        )
    for row, style in zip(grid.rows, grid.styles, strict=True):
        cells = [Text(cell) for cell in row]  # Text, not markup: a title may contain [brackets]
        cells[STATE_COLUMN].stylize(style)
        table.add_row(*cells)
    return table


def print_rich(result: GateResult, report: Report, console: Console | None = None) -> None:
    """The review at a terminal: aligned columns fitted to its width, held posts and errors in colour."""
    view = review_view(result, report)
    out = console or Console(highlight=False)
    out.print(Text(view.title, style="bold"))
    out.print(_rich_table(view.posts))
    if view.plan is not None:
        out.print(_rich_table(view.plan))
    if view.thin_weeks:
        out.print(Text(view.thin_weeks_heading, style="bold"))
        for line in view.thin_weeks:
            out.print(Text(f"  {line}"))
    if view.stop:
        out.print(Text(view.stop, style="bold red"))
    out.print(Text(view.findings_heading, style="bold"))
    for level, text in view.findings:
        # Indented as a block: a long finding wraps under itself, not under the heading.
        out.print(Padding(Text(text, style="red" if level is Level.ERROR else "yellow"), (0, 0, 0, 2)))
    if not view.findings:
        out.print(Padding(Text(view.no_findings), (0, 0, 0, 2)))
    out.print()
    out.print(Text(view.counts))


def render_json(result: GateResult, report: Report) -> str:
    zone = result.calendar.timezone
    stop = result.crossposting_stop()
    data = {
        "now": result.now.isoformat(),
        "timezone": zone.key,
        "frozen": None if stop is None else {"reason": stop.reason, "from": stop.start.isoformat()},
        "posts": [
            {
                "path": p.item.path,
                "slug": p.slug,
                "title": p.item.title,
                "date": p.date.astimezone(zone).isoformat() if p.date else None,
                "state": p.state.value,
                "status": p.item.status,
                "authors": list(p.item.authors),
                "approved_by": list(p.verdict.approvers),
                "approvals_required": p.verdict.required,
                "slot": p.slot,
                "note": p.note,
            }
            for p in result.posts
        ],
        "plan": [
            {
                "id": s.slot.id,
                "due": s.slot.label,
                "topic": s.slot.topic,
                "owner": s.slot.owner,
                "channels": list(s.slot.channels),
                "state": s.state.value,
                "post": s.post.item.path if s.post else None,
                "note": s.note,
            }
            for s in result.slots
        ],
        "thin_weeks": [{"week": str(w.week), "posts": w.posts, "target": w.target} for w in result.thin_weeks],
        "findings": [f.as_dict() for f in report.findings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
