"""The editorial dashboard: one static, self-contained HTML page from a GateResult, in the editors' language.

Pure: a GateResult in, the page as text out. No JavaScript and no external
requests (fonts, CDNs), so it can sit on an internal share or behind basic
auth and still render; every value from content or calendar is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from html import escape

from hub_core.findings import Finding, Level
from hub_core.i18n import language, translator

from .cadence import WeekCount
from .gate import GateResult
from .ics import post_title, slot_days
from .plan import SlotReview
from .readable import day, member_name, moment, short_day, week_label
from .slots import DialogueDeadlines, KpiSection
from .states import PostReview, State
from .weeks import Week

_, ngettext = translator("hub_review")

# Chart geometry in SVG user units; the viewBox lets it scale down on small screens.
SLOT_WIDTH = 44
BAR_WIDTH = 28
LEFT = 36
RIGHT = 56
TOP = 14
PLOT_HEIGHT = 180
BOTTOM = 30
MAX_TICKS = 6

CSS = """
:root{color-scheme:light;--ink:#1f2937;--muted:#6b7280;--line:#d1d5db;--posts:#1d4ed8;--waiting:#93c5fd;
--below:#c2410c;--below-bg:#fde8dd;--target:#15803d}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0 auto;
max-width:72rem;padding:1rem 1.5rem 3rem;line-height:1.45}
h1{margin:.2rem 0}h2{margin-top:2.2rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.meta{color:var(--muted);margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.stop{border:3px solid #b91c1c;background:#fef2f2;color:#7f1d1d;padding:.8rem 1rem;margin:1rem 0;font-size:1.1rem}
.stop strong{font-size:1.25rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:.6rem;font-size:.85rem;white-space:nowrap;
background:#e5e7eb}
.slot-open .badge{background:#e5e7eb}.slot-in-progress .badge{background:#dbeafe}
.slot-at-risk .badge{background:#fed7aa}.slot-ready .badge{background:#bbf7d0}
.slot-published .badge{background:#15803d;color:#fff}.slot-missed .badge{background:#b91c1c;color:#fff}
.slot-missed td,.slot-at-risk td{background:#fff7ed}
.state-draft .badge{background:#e5e7eb}.state-in-review .badge{background:#dbeafe}
.state-approved .badge{background:#bbf7d0}.state-stale-approval .badge{background:#fed7aa}
.state-scheduled .badge{background:#15803d;color:#fff}.state-held .badge{background:#b91c1c;color:#fff}
.chart svg{width:100%;max-width:64rem;height:auto;display:block}
.chart .grid{stroke:var(--line);stroke-width:1}.chart .axis{stroke:var(--ink);stroke-width:1}
.chart text{font-size:11px;fill:var(--ink)}.chart .tick{text-anchor:end}
.chart .week-label,.chart .value{text-anchor:middle}.chart .current .week-label{font-weight:700}
.chart .posts{fill:var(--posts)}.chart .below .posts{fill:var(--below)}.chart .waiting{fill:var(--waiting)}
.chart .below-bg{fill:var(--below-bg)}.chart .current-frame{fill:none;stroke:var(--ink);stroke-dasharray:4 3}
.chart .target{stroke:var(--target);stroke-width:2;stroke-dasharray:6 4}.chart .target-label{fill:var(--target)}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.9rem}
.swatch{display:inline-block;width:.9rem;height:.9rem;vertical-align:-.1rem;margin-right:.3rem;border:1px solid #0003}
.swatch.posts{background:var(--posts)}.swatch.waiting{background:var(--waiting)}
.swatch.below{background:var(--below-bg);border-bottom:.3rem solid var(--below)}.swatch.target{height:0;border:0;border-top:2px dashed var(--target)}
.swatch.current{background:none;border:1px dashed var(--ink)}
tr.below td{background:var(--below-bg)}tr.current td{font-weight:600}
.findings li.error::marker{color:#b91c1c}.findings li{margin:.25rem 0;font-family:ui-monospace,monospace;
font-size:.85rem;overflow-wrap:anywhere}
.level{font-weight:700}.error .level{color:#b91c1c}.warning .level{color:#c2410c}
@media print{.chart svg{max-width:100%}a{color:inherit}}
"""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def css_name(value: str) -> str:
    return value.replace(" ", "-")


def editorial_dashboard(
    result: GateResult,
    *,
    site_name: str,
    ics_name: str = "redaktionsplan.ics",
    findings: Sequence[Finding] | None = None,
    deadlines: DialogueDeadlines | None = None,
    kpi: KpiSection | None = None,
) -> str:
    """The dashboard page. `findings` defaults to the gate's own; pass the Report's to honour HUB_CHECKS.
    `deadlines`: the inbox's overdue comments (hub_dialogue), shown when an inbox database was read.
    `kpi`: what posts and channels achieved (hub_stats), shown when the build counted figures."""
    zone = result.calendar.timezone
    now = result.now.astimezone(zone)
    shown = list(result.findings if findings is None else findings)
    title = e(_("Editorial plan – {site}").format(site=site_name))
    subscribe = _("Subscribe to the editorial plan as a calendar (.ics)")
    how = _("add the address in Outlook or Google Calendar as an internet calendar.")
    as_of = _("As of {now} ({zone})").format(now=moment(now), zone=zone.key)
    parts = [
        f'<!DOCTYPE html>\n<html lang="{language()}">\n<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="noindex, nofollow">',
        # The page needs nothing from anywhere: say so, so a stray value can never load anything.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{CSS}{kpi.css if kpi else ''}</style>\n</head>\n<body>",
        f"<header>\n<h1>{title}</h1>",
        f'<p class="meta">{e(as_of)}</p>',
        f'<p><a href="{e(ics_name)}" type="text/calendar">{e(subscribe)}</a> – {e(how)}</p>\n</header>\n<main>',
        _active_stop(result),
        _findings_summary(shown),
        _chart_section(result.weeks, Week.of(now, zone)),
        kpi.html if kpi else "",
        _slots_section(result),
        _posts_section(result),
        _overdue_section(result, deadlines),
        _coming_stops(result),
        _findings_section(shown),
        "</main>\n</body>\n</html>\n",
    ]
    return "\n".join(part for part in parts if part)


def _day(value: date) -> str:
    return day(value)


def _moment(result: GateResult, value: datetime) -> str:
    return moment(value.astimezone(result.calendar.timezone))


def _active_stop(result: GateResult) -> str:
    """The freeze in force is the first thing an editor must see."""
    active = result.crossposting_stop()
    if active is None:
        return ""
    since = _moment(result, active.start)
    if active.end:
        span = _("From {start} until {end}: nothing is published or cross-posted.").format(
            start=since, end=_moment(result, active.end)
        )
    else:
        span = _("From {start} until further notice: nothing is published or cross-posted.").format(start=since)
    if active.allow:
        span += " " + _("Exempt: {slugs}.").format(slugs=", ".join(sorted(active.allow)))
    heading = _("Publication freeze in force: {reason}").format(reason=active.reason)
    return (
        '<section class="stop" aria-labelledby="stop-title">\n'
        f'<p><strong id="stop-title">{e(heading)}</strong></p>\n'
        f"<p>{e(span)}</p>\n</section>"
    )


def _coming_stops(result: GateResult) -> str:
    coming = [w for w in result.freezes.windows if w.start > result.now]
    if not coming:
        return ""
    open_ended, heading = _("open-ended"), _("Planned publication freezes")
    items = "\n".join(
        f"<li>{_moment(result, w.start)} – {_moment(result, w.end) if w.end else e(open_ended)}: {e(w.reason)}</li>"
        for w in coming
    )
    return f"<section>\n<h2>{e(heading)}</h2>\n<ul>\n{items}\n</ul>\n</section>"


def _counts(findings: Sequence[Finding]) -> tuple[int, int]:
    errors = sum(1 for f in findings if f.level is Level.ERROR)
    warnings = sum(1 for f in findings if f.level is Level.WARNING)
    return errors, warnings


def _error_count(count: int) -> str:
    return ngettext("{count} error", "{count} errors", count).format(count=count)


def _warning_count(count: int) -> str:
    return ngettext("{count} warning", "{count} warnings", count).format(count=count)


def _findings_summary(findings: Sequence[Finding]) -> str:
    errors, warnings = _counts(findings)
    label, link = _("Findings:"), _("list")
    return (
        f'<p class="summary">{e(label)} <strong class="errors">{e(_error_count(errors))}</strong>, '
        f'<strong class="warnings">{e(_warning_count(warnings))}</strong> (<a href="#befunde">{e(link)}</a>)</p>'
    )


def _findings_section(findings: Sequence[Finding]) -> str:
    errors, warnings = _counts(findings)
    shown = sorted(
        (f for f in findings if f.level is not Level.OFF), key=lambda f: (f.level is not Level.ERROR, f.path, f.line)
    )
    items = "\n".join(
        f'<li class="{e(f.level.value)}"><span class="level">{e(f.level.shown().capitalize())}:'
        f"</span> {e(f.render())}</li>"
        for f in shown
    )
    none = _("No findings.")
    body = f'<ul class="findings">\n{items}\n</ul>' if shown else f"<p>{e(none)}</p>"
    heading = _("Findings: {errors}, {warnings}").format(errors=_error_count(errors), warnings=_warning_count(warnings))
    return f'<section id="befunde">\n<h2>{e(heading)}</h2>\n{body}\n</section>'


def _week_label(week: Week) -> str:
    return _("week {number}").format(number=week.number)


def _week_title(count: WeekCount, current: Week) -> str:
    parts = [
        _("{week} (from {monday})").format(
            week=week_label(count.week.year, count.week.number), monday=short_day(count.week.monday)
        ),
        _("{count} published or scheduled").format(count=count.posts),
        _("{count} waiting for approval").format(count=count.in_review),
        _("target {count}").format(count=count.target),
    ]
    if count.missing:
        parts.append(_("{count} missing").format(count=count.missing))
    if count.week == current:
        parts.append(_("current week"))
    return ", ".join(parts)


def _scale(weeks: Sequence[WeekCount]) -> tuple[int, int]:
    """Top of the y axis and the tick step, both whole posts."""
    highest = max([1] + [w.target for w in weeks] + [w.posts + w.in_review for w in weeks])
    step = max(1, math.ceil(highest / MAX_TICKS))
    return math.ceil(highest / step) * step, step


def chart_svg(weeks: Sequence[WeekCount], current: Week) -> str:
    """Stacked bars per ISO week (ready posts, then those waiting for approval) against the target."""
    top, step = _scale(weeks)
    width = LEFT + SLOT_WIDTH * len(weeks) + RIGHT
    height = TOP + PLOT_HEIGHT + BOTTOM
    base = TOP + PLOT_HEIGHT

    def y(value: float) -> float:
        return round(base - value / top * PLOT_HEIGHT, 1)

    target = max((w.target for w in weeks), default=0)
    below = sum(1 for w in weeks if w.missing)
    label = _("Posts per week from {first} to {last}; target {target} per week; {below} weeks below target").format(
        first=_week_label(weeks[0].week), last=_week_label(weeks[-1].week), target=target, below=below
    )
    out = [
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{e(label)}">',
        f"<title>{e(label)}</title>",
    ]
    for value in range(0, top + 1, step):
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y(value)}" y2="{y(value)}"/>'
            f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4}">{value}</text>'
        )
    out += [_week_group(index, count, current, y) for index, count in enumerate(weeks)]
    out.append(f'<line class="axis" x1="{LEFT}" x2="{width - RIGHT}" y1="{base}" y2="{base}"/>')
    if target:
        target_label = _("target {count}").format(count=target)
        out.append(
            f'<line class="target" x1="{LEFT}" x2="{width - RIGHT}" y1="{y(target)}" y2="{y(target)}" '
            f'data-value="{target}"/><text class="target-label" x="{width - RIGHT + 4}" y="{y(target) + 4}">'
            f"{e(target_label)}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def _week_group(index: int, count: WeekCount, current: Week, y: Callable[[float], float]) -> str:
    """One week's column: tooltip, below-target tint, current-week frame, stacked bar, labels."""
    base = TOP + PLOT_HEIGHT
    x = LEFT + index * SLOT_WIDTH
    bar_x = x + (SLOT_WIDTH - BAR_WIDTH) / 2
    classes = ["week"] + ["below"] * bool(count.missing) + ["current"] * (count.week == current)
    classes += ["past"] if count.past else []
    group = [
        f'<g class="{" ".join(classes)}" data-week="{count.week}">',
        f"<title>{e(_week_title(count, current))}</title>",
    ]
    if count.missing:
        group.append(f'<rect class="below-bg" x="{x + 2}" y="{TOP}" width="{SLOT_WIDTH - 4}" height="{PLOT_HEIGHT}"/>')
    if count.week == current:
        group.append(
            f'<rect class="current-frame" x="{x + 1}" y="{TOP - 4}" width="{SLOT_WIDTH - 2}" '
            f'height="{PLOT_HEIGHT + BOTTOM}"/>'
        )
    group.append(
        f'<rect class="bar posts" x="{bar_x}" y="{y(count.posts)}" width="{BAR_WIDTH}" '
        f'height="{round(base - y(count.posts), 1)}" data-value="{count.posts}"/>'
    )
    total = count.posts + count.in_review
    if count.in_review:
        group.append(
            f'<rect class="bar waiting" x="{bar_x}" y="{y(total)}" width="{BAR_WIDTH}" '
            f'height="{round(y(count.posts) - y(total), 1)}" data-value="{count.in_review}"/>'
        )
    if total:
        text = (f"{count.posts}" if count.posts else "") + (f"+{count.in_review}" if count.in_review else "")
        group.append(f'<text class="value" x="{x + SLOT_WIDTH / 2}" y="{y(total) - 4}">{text}</text>')
    group.append(
        f'<text class="week-label" x="{x + SLOT_WIDTH / 2}" y="{base + 18}">{_week_label(count.week)}</text></g>'
    )
    return "".join(group)


def _legend(target: int) -> str:
    swatches = (
        ("posts", _("published or scheduled")),
        ("waiting", _("waiting for approval")),
        ("below", _("week below target")),
        ("current", _("current week")),
    )
    items = [f'<li><span class="swatch {kind}"></span>{e(text)}</li>' for kind, text in swatches]
    if target:
        per_week = ngettext("target: {count} post per week", "target: {count} posts per week", target)
        items.insert(3, f'<li><span class="swatch target"></span>{e(per_week.format(count=target))}</li>')
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _weeks_table(weeks: Sequence[WeekCount], current: Week) -> str:
    rows = []
    for count in weeks:
        classes = " ".join(["below"] * bool(count.missing) + ["current"] * (count.week == current))
        name = week_label(count.week.year, count.week.number)
        if count.week == current:
            name = _("{week} (current)").format(week=name)
        rows.append(
            f'<tr class="{classes}" data-week="{count.week}"><th scope="row">{e(name)}</th>'
            f"<td>{_day(count.week.monday)}</td>"
            f'<td class="num">{count.posts}</td><td class="num">{count.in_review}</td>'
            f'<td class="num">{count.target}</td><td class="num">{count.missing}</td></tr>'
        )
    caption = _("Posts per week as a table")
    numbers = (_("published/scheduled"), _("waiting for approval"), _("target"), _("missing"))
    header = _header_cells((_("Week"), _("from"))) + "".join(
        f'<th scope="col" class="num">{e(name)}</th>' for name in numbers
    )
    return (
        f'<table class="weeks">\n<caption>{e(caption)}</caption>\n<thead><tr>{header}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _chart_section(weeks: Sequence[WeekCount], current: Week) -> str:
    heading = e(_("Posts per week"))
    if not weeks:
        none = _("No weeks to show.")
        return f"<section>\n<h2>{heading}</h2>\n<p>{e(none)}</p>\n</section>"
    target = max(w.target for w in weeks)
    return (
        f'<section class="chart">\n<h2>{heading}</h2>\n'
        + chart_svg(weeks, current)
        + "\n"
        + _legend(target)
        + "\n"
        + _weeks_table(weeks, current)
        + "\n</section>"
    )


def _slot_due(review: SlotReview) -> str:
    slot = review.slot
    first, last = slot_days(review)
    if slot.week:
        return f"{week_label(*slot.week)} ({short_day(first)}–{_day(last)})"
    return _day(last)


def _slots_section(result: GateResult) -> str:
    heading = e(_("Plan slots"))
    if not result.slots:
        none = _("The editorial plan has no slots.")
        return f"<section>\n<h2>{heading}</h2>\n<p>{e(none)}</p>\n</section>"
    rows = []
    for review in result.slots:
        slot = review.slot
        post = f"{e(post_title(review.post))} ({e(review.post.state.shown())})" if review.post else "–"
        owner = member_name(result.calendar, slot.owner) if slot.owner else "–"
        rows.append(
            f'<tr class="slot-{css_name(review.state.value)}" data-slot="{e(slot.id)}">'
            f"<td>{e(_slot_due(review))}</td><td>{e(slot.topic)}</td><td>{e(owner)}</td>"
            f"<td>{e(', '.join(slot.channels) or '–')}</td><td>{post}</td>"
            f'<td><span class="badge">{e(review.state.shown())}</span></td><td>{e(review.note)}</td></tr>'
        )
    columns = (_("due"), _("topic"), _("owner"), _("channels"), _("post"), _("state"), _("note"))
    return (
        f'<section>\n<h2>{heading}</h2>\n<table class="slots">\n<thead><tr>{_header_cells(columns)}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</section>"
    )


def _header_cells(columns: Sequence[str]) -> str:
    return "".join(f'<th scope="col">{e(name)}</th>' for name in columns)


def _approval(result: GateResult, post: PostReview) -> str:
    verdict = post.verdict
    if verdict.grandfathered:
        return _("not needed (archive)")
    names = ", ".join(member_name(result.calendar, by) for by in verdict.approvers)
    have = _("{have} of {required}").format(have=len(verdict.approvers), required=verdict.required)
    return f"{have}: {names}" if names else have


def _posts_section(result: GateResult) -> str:
    """Everything that is not live: the editors' to-do list, undated drafts last."""
    waiting = [p for p in result.posts if p.state is not State.PUBLISHED]
    heading = e(_("Upcoming posts"))
    if not waiting:
        done = _("Every post is published.")
        return f"<section>\n<h2>{heading}</h2>\n<p>{e(done)}</p>\n</section>"
    rows = []
    for post in waiting:
        when = _moment(result, post.date) if post.date else _("no date")
        authors = ", ".join(member_name(result.calendar, a) for a in post.item.authors) or "–"
        rows.append(
            f'<tr class="state-{css_name(post.state.value)}" data-slug="{e(post.slug)}">'
            f"<td>{e(when)}</td><td>{e(post_title(post))}</td><td>{e(authors)}</td>"
            f'<td><span class="badge">{e(post.state.shown())}</span></td>'
            f"<td>{e(_approval(result, post))}</td><td>{e(post.note)}</td></tr>"
        )
    columns = (_("date"), _("title"), _("authors"), _("state"), _("approval"), _("note"))
    return (
        f'<section>\n<h2>{heading}</h2>\n<table class="posts">\n<thead><tr>{_header_cells(columns)}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</section>"
    )


def _overdue_section(result: GateResult, deadlines: DialogueDeadlines | None) -> str:
    """Comments past their response deadline; nothing without an inbox database."""
    if deadlines is None or not deadlines.database:
        return ""
    heading = _("Overdue comments")
    if deadlines.problem:
        note = _("The inbox's database could not be read: {problem}").format(problem=deadlines.problem)
        return f'<section id="kommentare">\n<h2>{e(heading)}</h2>\n<p>{e(note)}</p>\n</section>'
    if not deadlines.overdue:
        none = _("No comment is past its response deadline.")
        return f'<section id="kommentare">\n<h2>{e(heading)}</h2>\n<p>{e(none)}</p>\n</section>'
    columns = (_("Post"), _("Source"), _("Assigned to"), _("Received"), _("Deadline"), _("Item"))
    head = "".join(f'<th scope="col">{e(column)}</th>' for column in columns)
    rows = "\n".join(
        "<tr>"
        f"<td>{e(late.title or late.post)}</td><td>{e(late.source)}</td>"
        f"<td>{e(member_name(result.calendar, late.to) if late.to else '–')}</td>"
        f"<td>{e(_moment(result, late.created))}</td><td>{e(_moment(result, late.deadline))}</td>"
        f"<td><code>{e(late.item)}</code></td>"
        "</tr>"
        for late in deadlines.overdue
    )
    caption = ngettext(
        "{count} comment past its response deadline",
        "{count} comments past their response deadline",
        len(deadlines.overdue),
    ).format(count=len(deadlines.overdue))
    return (
        f'<section id="kommentare" class="overdue">\n<h2>{e(heading)}</h2>\n<table>\n<caption>{e(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n</section>"
    )
