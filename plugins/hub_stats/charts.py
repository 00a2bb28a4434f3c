"""Charts of the KPIs as accessible SVG, each with the same numbers as a table (the report, later the dashboard).

Pure: figures in, markup out. Like the editorial dashboard's chart (hub_review/dashboard.py): a
viewBox so it scales, role="img" with an accessible name that says what the chart shows and its
extremes, a <title> per bar (the tooltip), and every bar's value written beside it, so nothing is
told by colour alone and a black-and-white print reads the same. Colours and fonts are presentation
attributes, not page CSS: the chart looks the same in any page that embeds it and in WeasyPrint.
The markup comes from Jinja templates with autoescape: every name from content or logs is escaped.

Two shapes: columns along a time axis (views per week) and bars across, one per named thing
(channels, categories), whose names can be long.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from hub_core.i18n import translator
from hub_review.readable import week_label
from markupsafe import Markup

from .kpis import ChannelFigures, GroupFigures, WeekFigures
from .readable import day, number
from .templating import environment

_, ngettext = translator("hub_stats")


# Columns (weeks), in SVG user units.
SLOT = 56
COLUMN = 34
LEFT = 56  # room for tick labels such as 12.345
RIGHT = 12
TOP = 20  # room for the value above the highest column
PLOT_HEIGHT = 180
BOTTOM = 30
MAX_TICKS = 5

# Bars across (channels, categories).
LABEL_WIDTH = 180
PLOT_WIDTH = 360
VALUE_WIDTH = 72
ROW = 26
BAR_HEIGHT = 16
LABEL_CHARACTERS = 26  # a longer name is cut on the axis; the bar's title and the table keep it whole

INK = "#1f2937"
BAR = "#1d4ed8"  # dark enough to stay a solid grey when printed in black and white
GRID = "#d1d5db"


@dataclass(frozen=True)
class Bar:
    key: str  # what scripts and tests find it by: "2026-W46", "linkedin", a category name
    label: str  # on the axis: "KW 46"
    name: str  # in the table and the tooltip: "KW 46/2026 (ab 9. November 2026)"
    value: int


@dataclass(frozen=True)
class Chart:
    name: str  # the figure's id and data-chart: "aufrufe-wochen"
    title: str  # the caption, and the start of the accessible name
    label_heading: str  # the table's first column: Woche, Kanal, Kategorie
    bars: tuple[Bar, ...]
    across: bool  # bars across with names on the left; else columns along a time axis


@dataclass(frozen=True)
class Placed:
    """A bar with its geometry, as the template draws it."""

    bar: Bar
    shown: str  # the value as written beside the bar: 1.234
    title: str  # tooltip: name and value
    x: float
    y: float
    width: float
    height: float
    label: str  # the axis label, cut to fit
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Tick:
    value: str
    at: float  # y of the grid line


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    bars: tuple[Placed, ...]
    ticks: tuple[Tick, ...]
    plot_left: float
    plot_right: float
    base: float  # y of the axis (columns) or x of the axis (bars across)


def views(value: int) -> str:
    return ngettext("{count} view", "{count} views", value).format(count=number(value))


def views_per_week(weeks: Sequence[WeekFigures]) -> Chart:
    """Views of all pages per ISO week."""
    bars = tuple(
        Bar(
            key=week.week,
            label=_("wk {number}").format(number=week.monday.isocalendar().week),
            name=_("{week} (from {monday})").format(
                week=week_label(*week.monday.isocalendar()[:2]), monday=day(week.monday)
            ),
            value=week.views,
        )
        for week in weeks
    )
    return Chart("aufrufe-wochen", _("Views per week"), _("Week"), bars, across=False)


def channel_name(channel: str) -> str:
    """A channel as the calendar names it; "" is every view that came through no channel's link."""
    return channel or _("no channel (direct, search, other links)")


def views_per_channel(channels: Sequence[ChannelFigures]) -> Chart:
    """Views that came through each channel's UTM links, most first."""
    ordered = sorted(channels, key=lambda channel: (-channel.visits, channel.channel))
    bars = tuple(
        Bar(
            key=channel.channel,
            label=channel_name(channel.channel),
            name=channel_name(channel.channel),
            value=channel.visits,
        )
        for channel in ordered
    )
    return Chart("aufrufe-kanaele", _("Views through the channels"), _("Channel"), bars, across=True)


def views_per_category(categories: Sequence[GroupFigures]) -> Chart:
    """Views of each category's posts, most first."""
    ordered = sorted(categories, key=lambda group: (-group.views, group.name))
    bars = tuple(Bar(key=group.name, label=group.name, name=group.name, value=group.views) for group in ordered)
    return Chart("aufrufe-kategorien", _("Views per category"), _("Category"), bars, across=True)


def accessible_name(chart: Chart) -> str:
    """What the chart shows, its largest bar and the total: what a screen reader says for the image."""
    if not chart.bars:
        return _("{title}: no figures").format(title=chart.title)
    highest = max(chart.bars, key=lambda bar: bar.value)
    total = sum(bar.value for bar in chart.bars)
    return _("{title}: {count}; most: {name} ({value}); together {total}").format(
        title=chart.title,
        count=ngettext("{count} bar", "{count} bars", len(chart.bars)).format(count=len(chart.bars)),
        name=highest.name,
        value=views(highest.value),
        total=views(total),
    )


def _step(highest: int) -> int:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most MAX_TICKS steps to `highest`."""
    rough = max(1, highest) / MAX_TICKS
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * power >= rough:
            return factor * power
    return 10 * power  # pragma: no cover - the loop ends at 10


def _columns(chart: Chart) -> Geometry:
    highest = max(bar.value for bar in chart.bars)
    step = _step(highest)
    top = max(step, math.ceil(highest / step) * step)
    width = LEFT + SLOT * len(chart.bars) + RIGHT
    base = TOP + PLOT_HEIGHT

    def y(value: float) -> float:
        return round(base - value / top * PLOT_HEIGHT, 1)

    placed = []
    for index, bar in enumerate(chart.bars):
        left = LEFT + index * SLOT
        middle = left + SLOT / 2
        placed.append(
            Placed(
                bar=bar,
                shown=number(bar.value),
                title=f"{bar.name}: {views(bar.value)}",
                x=left + (SLOT - COLUMN) / 2,
                y=y(bar.value),
                width=COLUMN,
                height=round(base - y(bar.value), 1),
                label=bar.label,
                label_x=middle,
                label_y=base + 18,
                value_x=middle,
                value_y=y(bar.value) - 5,
            )
        )
    ticks = tuple(Tick(number(value), y(value)) for value in range(0, top + 1, step))
    return Geometry(width, base + BOTTOM, tuple(placed), ticks, LEFT, width - RIGHT, base)


def _cut(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1].rstrip() + "…"


def _across(chart: Chart) -> Geometry:
    highest = max(1, max(bar.value for bar in chart.bars))
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    placed = []
    for index, bar in enumerate(chart.bars):
        top = TOP / 2 + index * ROW
        length = round(bar.value / highest * PLOT_WIDTH, 1)
        middle = top + ROW / 2
        placed.append(
            Placed(
                bar=bar,
                shown=number(bar.value),
                title=f"{bar.name}: {views(bar.value)}",
                x=LABEL_WIDTH,
                y=top + (ROW - BAR_HEIGHT) / 2,
                width=length,
                height=BAR_HEIGHT,
                label=_cut(bar.label),
                label_x=LABEL_WIDTH - 8,
                label_y=middle + 4,
                value_x=LABEL_WIDTH + length + 6,
                value_y=middle + 4,
            )
        )
    height = TOP + ROW * len(chart.bars)
    return Geometry(width, height, tuple(placed), (), LABEL_WIDTH, LABEL_WIDTH + PLOT_WIDTH, LABEL_WIDTH)


def geometry(chart: Chart) -> Geometry:
    return _across(chart) if chart.across else _columns(chart)


def svg(chart: Chart) -> str:
    """The chart as an SVG image; "" for a chart without bars (figure() says so in words)."""
    if not chart.bars:
        return ""
    return Markup(
        environment()
        .get_template("chart.svg")
        .render(
            chart=chart,
            shape=geometry(chart),
            label=accessible_name(chart),
            colours={"ink": INK, "bar": BAR, "grid": GRID},
        )
    )


def table(chart: Chart) -> str:
    """The same numbers as a table: for screen readers that skip images, for copying, for a page without SVG."""
    return Markup(
        environment()
        .get_template("chart-table.html")
        .render(
            chart=chart,
            caption=_("{title} as a table").format(title=chart.title),
            value_heading=_("Views"),
            rows=[(bar, number(bar.value)) for bar in chart.bars],
        )
    )


def figure(chart: Chart) -> str:
    """The chart with its caption and, below it, its table (folded away on screen, left out in print)."""
    return Markup(
        environment()
        .get_template("chart.html")
        .render(
            chart=chart,
            image=svg(chart),
            numbers=table(chart),
            show_numbers=_("The numbers as a table"),
            empty=_("No figures for this period."),
        )
    )
