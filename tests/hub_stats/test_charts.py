"""The KPI charts: the bars say the figures, the image has a name, the table says the same, nothing is injected."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from chromium import Chromium, local_server
from hub_core import i18n
from hub_stats import charts
from hub_stats.kpis import GroupFigures, WeekFigures
from report_sample import sample_kpis


def soup(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def test_views_per_week_has_a_bar_per_week_with_its_value_written_beside_it():
    weeks = sample_kpis().cadence.weeks
    page = soup(charts.figure(charts.views_per_week(weeks)))

    svg = page.find("svg")
    assert svg["role"] == "img" and svg["viewbox"].startswith("0 0 ")
    bars = svg.select("rect.bar")
    assert [int(bar["data-value"]) for bar in bars] == [week.views for week in weeks]
    assert [group["data-key"] for group in svg.select("g.bar-group")] == [week.week for week in weeks]
    # Not by colour alone: each value is written as text, each week named on the axis.
    assert [text.get_text() for text in svg.select("text.value")] == ["310", "6.120", "4.870", "3.350", "2.012"]
    assert [text.get_text() for text in svg.select("text.label")] == ["KW 44", "KW 45", "KW 46", "KW 47", "KW 48"]
    assert svg.select("g.bar-group title")[1].get_text() == "KW 45/2026 (ab 2. November 2026): 6.120 Aufrufe"
    # Heights follow the values: the highest week fills the plot up to its top tick.
    heights = [float(bar["height"]) for bar in bars]
    assert heights.index(max(heights)) == 1
    assert abs(heights[0] / heights[1] - 310 / 6120) < 0.01


def test_the_accessible_name_says_what_the_chart_shows_its_largest_bar_and_the_total():
    chart = charts.views_per_week(sample_kpis().cadence.weeks)
    svg = soup(charts.svg(chart)).find("svg")
    expected = (
        "Aufrufe pro Woche: 5 Balken; am meisten: KW 45/2026 (ab 2. November 2026) (6.120 Aufrufe); "
        "zusammen 16.662 Aufrufe"
    )
    assert svg["aria-label"] == expected
    assert svg.find("title").get_text() == expected


def test_the_table_fallback_holds_the_same_numbers():
    kpis = sample_kpis()
    chart = charts.views_per_channel(kpis.channels)
    table = soup(charts.figure(chart)).find("table", class_="chart-numbers")

    rows = table.select("tbody tr")
    assert [row["data-key"] for row in rows] == ["", "linkedin", "mastodon", "bluesky"]  # most first
    assert [int(row.td["data-value"]) for row in rows] == [12262, 3000, 760, 210]
    assert rows[0].th.get_text() == "ohne Kanal (direkt, Suche, andere Links)"
    assert rows[1].td.get_text() == "3.000"
    assert table.caption.get_text() == "Aufrufe über die Kanäle als Tabelle"


def test_names_from_content_are_escaped_and_long_ones_cut_only_on_the_axis():
    hostile = '<script>alert("x")</script> & "Produkte" mit einem sehr langen Namen'
    chart = charts.views_per_category([GroupFigures(hostile, 1, 42, None, 0)])
    markup = charts.figure(chart)
    page = soup(markup)

    assert page.find("script") is None and "<script>" not in markup
    label = page.select_one("text.label").get_text()
    assert label.endswith("…") and len(label) <= charts.LABEL_CHARACTERS
    assert page.select_one("g.bar-group title").get_text() == f"{hostile}: 42 Aufrufe"
    assert page.select_one("table tbody th").get_text() == hostile


def test_a_chart_without_figures_says_so_and_draws_nothing():
    page = soup(charts.figure(charts.views_per_category([])))
    assert page.find("svg") is None and page.find("table") is None
    assert page.select_one(".chart-empty").get_text() == "Keine Zahlen für diesen Zeitraum."


def test_all_zero_weeks_still_draw_an_axis_with_a_tick():
    weeks = [WeekFigures("2026-W45", date(2026, 11, 2), 0, 2, 0), WeekFigures("2026-W46", date(2026, 11, 9), 0, 2, 0)]
    svg = soup(charts.svg(charts.views_per_week(weeks))).find("svg")
    assert [bar["height"] for bar in svg.select("rect.bar")] == ["0.0", "0.0"]
    assert [tick.get_text() for tick in svg.select("text.tick")] == ["0", "1"]


def test_english_on_request():
    i18n.use_language("en")
    svg = soup(charts.svg(charts.views_per_week(sample_kpis().cadence.weeks))).find("svg")
    assert svg["aria-label"].startswith(
        "Views per week: 5 bars; most: week 45/2026 (from November 2, 2026) (6,120 views)"
    )
    assert [text.get_text() for text in svg.select("text.value")][1] == "6,120"


PAGE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Diagramme</title></head>
<body>{figures}</body></html>"""


def test_the_charts_render_in_chromium_with_their_bars_names_and_tables(tmp_path, browser: Chromium):
    kpis = sample_kpis()
    made = [
        charts.views_per_week(kpis.cadence.weeks),
        charts.views_per_channel(kpis.channels),
        charts.views_per_category(kpis.categories),
    ]
    (tmp_path / "index.html").write_text(PAGE.format(figures="".join(map(charts.figure, made))), encoding="utf-8")
    with local_server(tmp_path) as base:
        tab = browser.open(f"{base}/index.html")
        drawn = tab.evaluate(
            """Array.from(document.querySelectorAll('figure.hub-chart'), (figure) => {
              const svg = figure.querySelector('svg');
              const box = svg.getBoundingClientRect();
              return {
                name: figure.dataset.chart,
                width: box.width,
                height: box.height,
                bars: Array.from(svg.querySelectorAll('rect.bar'), (bar) => {
                  const drawn = bar.getBBox();
                  return {value: Number(bar.dataset.value), width: drawn.width, height: drawn.height};
                }),
                rows: figure.querySelectorAll('table.chart-numbers tbody tr').length,
              };
            })"""
        )
        tree = tab.call("Accessibility.getFullAXTree")["nodes"]

    assert [chart["name"] for chart in drawn] == ["aufrufe-wochen", "aufrufe-kanaele", "aufrufe-kategorien"]
    for chart, made_chart in zip(drawn, made, strict=True):
        assert chart["width"] > 100 and chart["height"] > 30
        assert len(chart["bars"]) == len(made_chart.bars) == chart["rows"]
        # The drawn size follows the value: columns grow in height, bars across in width.
        size = "width" if made_chart.across else "height"
        largest = max(chart["bars"], key=lambda bar: bar["value"])
        for bar in chart["bars"]:
            assert abs(bar[size] - largest[size] * bar["value"] / largest["value"]) < 1.5
    images = {
        node["name"]["value"]
        for node in tree
        if node.get("role", {}).get("value") == "image" and not node.get("ignored")
    }
    assert {charts.accessible_name(chart) for chart in made} <= images
