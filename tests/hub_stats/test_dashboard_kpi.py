"""The dashboard's KPI section ("Reichweite") in real builds of a temporary site: the figures the test
writes through FiguresStore, summed here by hand, are the figures the page shows and its charts
draw; no figures give a hint how to start; a broken figures file costs a warning, not the build;
production reads nothing; in Chromium the charts render with their names and tables and the page
asks for nothing."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from chromium import Chromium, local_server
from conftest import BERLIN, CALENDAR, ROOT, Site, post
from hub_content.calendar import parse_calendar
from hub_core import state
from hub_inbox.model import Decision, Item, Source, Status
from hub_inbox.rights import staff_answer
from hub_inbox.sqlite import SqliteStore
from hub_review.slots import KPI_SECTION, KpiSection
from hub_stats import charts
from hub_stats.model import DayFigures
from hub_stats.store import FiguresStore
from pelican import Pelican

# The tests run on Saturday 21 November 2026 (conftest.NOW): the last 8 whole ISO weeks are
# W39 (from Monday 21 September) to W46 (to Sunday 15 November).
FIRST, LAST = date(2026, 9, 21), date(2026, 11, 15)
PERIOD = [FIRST + timedelta(days=n) for n in range(56)]
MISSING = {date(2026, 10, 3), date(2026, 11, 1)}  # no log covered these days
A_PUBLISHED, B_PUBLISHED = date(2026, 10, 5), date(2026, 11, 2)

SITE_CALENDAR = (
    CALENDAR
    + """\
cadence:
  min_posts_per_week: 1
approval:
  since: 2027-01-01
channels:
  linkedin:
    type: feed
kpi:
  targets:
    views_after_7_days: 50
"""
)
POSTS = {  # file: (slug, date, category)
    "posts/a.md": ("a-technik", "2026-10-05 09:00 +02:00", "Technik"),
    "posts/b.md": ("b-service", "2026-11-02 09:00 +01:00", "Service"),
    "posts/c.md": ("c-alt", "2026-09-01 09:00 +02:00", "Technik"),  # before the period, never read
}


def readers(day: date) -> DayFigures:
    """What the logs of `day` counted: the home page, post a from its day on, post b from its day on;
    every Monday four of a's views came through the LinkedIn teaser, on 10 November six of b's
    through a newsletter's own link."""
    views = Counter({"/": 3 + day.day % 4})
    channels: dict[str, Counter[str]] = {}
    if day >= A_PUBLISHED:
        views["/2026/a-technik/"] = 10 + day.day % 3
        if day.weekday() == 0:
            channels["linkedin"] = Counter({"/2026/a-technik/": 4})
    if day >= B_PUBLISHED:
        views["/2026/b-service/"] = 20
    if day == date(2026, 11, 10):
        channels["newsletter"] = Counter({"/2026/b-service/": 6})
    return DayFigures(day, views=views, channels=channels)


COUNTED = [readers(day) for day in PERIOD if day not in MISSING]


def views_of(path: str) -> int:
    return sum(figures.views[path] for figures in COUNTED)


def site_with_posts(site: Site) -> Site:
    site.calendar.write_text(SITE_CALENDAR, encoding="utf-8")
    for file, (slug, when, category) in POSTS.items():
        site.write(file, post(title=f'"Beitrag {slug}"', slug=slug, date=when, category=category, authors="[jdoe]"))
    return site


@pytest.fixture
def counted(site: Site) -> Site:
    """The site with 54 of the period's 56 days counted."""
    site_with_posts(site)
    store = FiguresStore(site.root / "data" / "stats")
    for figures in COUNTED:
        store.fold(f"log-{figures.day}", [figures])
    return site


def dashboard(site: Site) -> BeautifulSoup:
    return site.html("redaktion/index.html")


def kpi(page: BeautifulSoup) -> Tag:
    found = page.find("section", id="reichweite")
    assert isinstance(found, Tag)
    return found


def bars(section: Tag, chart: str) -> dict[str, int]:
    svg = section.find("svg", attrs={"data-chart": chart})
    assert isinstance(svg, Tag), chart
    return {group["data-key"]: int(group.rect["data-value"]) for group in svg.select("g.bar-group")}


def fallback(section: Tag, chart: str) -> dict[str, int]:
    table = section.find("table", attrs={"data-chart": chart})
    assert isinstance(table, Tag), chart
    return {row["data-key"]: int(row.td["data-value"]) for row in table.tbody.find_all("tr")}


def rows(section: Tag, name: str) -> dict[str, dict[str, Tag]]:
    table = section.find("table", attrs={"data-table": name})
    assert isinstance(table, Tag), name
    return {
        row["data-key"]: {cell["data-column"]: cell for cell in row.find_all(["th", "td"])}
        for row in table.tbody.find_all("tr")
    }


def test_the_section_shows_the_figures_written_for_the_last_eight_weeks(counted: Site) -> None:
    counted.build()
    page = dashboard(counted)
    section = kpi(page)

    # After the posts-per-week chart, before the plan: where hub_review places it.
    headings = [h2.get_text() for h2 in page.main.find_all("h2")]
    assert headings.index("Reichweite") == headings.index("Beiträge pro Woche") + 1
    assert section.find(attrs={"data-figure": "period"}).get_text() == (
        "Die letzten 8 abgeschlossenen Kalenderwochen: 21. September 2026 bis 15. November 2026"
    )
    coverage = section.find(attrs={"data-figure": "days_with_logs"})
    assert coverage["data-value"] == "54"
    assert coverage.get_text() == (
        "Achtung: Zahlen für 54 von 56 Tagen: Für die übrigen Tage wurden keine Zugriffsprotokolle gezählt,"
        " die Aufrufe sind also zu niedrig."
    )

    # Views per ISO week, summed by hand from the days written.
    weeks: Counter[str] = Counter()
    for figures in COUNTED:
        year, week, _ = figures.day.isocalendar()
        weeks[f"{year}-W{week:02d}"] += sum(figures.views.values())
    assert len(weeks) == 8
    assert bars(section, "aufrufe-wochen") == dict(weeks)
    assert fallback(section, "aufrufe-wochen") == dict(weeks)
    assert weeks["2026-W39"] == sum(3 + day % 4 for day in range(21, 28))  # the home page alone

    # Per channel: LinkedIn's Mondays, the newsletter's link, the rest came through no channel's link.
    linkedin = sum(4 for figures in COUNTED if figures.day.weekday() == 0 and figures.day >= A_PUBLISHED)
    total = sum(weeks.values())
    channels = {"linkedin": linkedin, "newsletter": 6, "": total - linkedin - 6}
    assert bars(section, "aufrufe-kanaele") == channels
    assert fallback(section, "aufrufe-kanaele") == channels
    # Per category: the posts' views (the home page is no post).
    a, b = views_of("/2026/a-technik/"), views_of("/2026/b-service/")
    assert b == 14 * 20
    assert bars(section, "aufrufe-kategorien") == {"Technik": a, "Service": b}
    assert fallback(section, "aufrufe-kategorien") == {"Technik": a, "Service": b}

    top = rows(section, "meistgelesen")
    assert list(top) == ["de/a-technik", "de/b-service"]
    assert int(top["de/a-technik"]["views"]["data-value"]) == a
    assert top["de/b-service"]["views"].get_text() == "280"
    assert top["de/a-technik"]["authors"].get_text() == "Jana Döring"
    assert list(rows(section, "ungelesen")) == ["de/c-alt"]
    assert section.find(attrs={"data-figure": "unread"})["data-value"] == "1"

    # Targets: one post a week (2 in 8 weeks: missed); 50 views in the first 7 days (median of a and b: met)
    targets = rows(section, "ziele")
    assert {name: cells["met"].get_text() for name, cells in targets.items()} == {
        "posts_per_week": "nein",
        "views_after_7_days": "ja",
    }
    a_first_week = sum(10 + day % 3 for day in range(5, 12))
    assert float(targets["views_after_7_days"]["actual"]["data-value"]) == (a_first_week + 7 * 20) / 2
    assert section.find(attrs={"data-figure": "targets_met"}).get_text() == "Achtung: 1 von 2 Zielen erreicht."
    # No inbox: no response times, and no word about it.
    assert section.find("table", attrs={"data-table": "antwortzeiten"}) is None
    assert ".kpi .hub-chart" in page.head.style.get_text()


def test_without_any_figures_the_section_says_how_to_start(site: Site) -> None:
    site_with_posts(site).build()
    section = kpi(dashboard(site))

    notice = section.find("p", class_="kpi-notice")
    assert notice["data-value"] == "none"
    text = notice.get_text()
    assert text.startswith("Noch keine Zahlen. So fangen Sie an: Tragen Sie in HUB_STATS_LOGS ein")
    assert "führen Sie invoke stats aus" in text and "data/stats" in text
    assert [code.get_text() for code in notice.find_all("code")] == ["invoke stats"]
    assert section.find("svg") is None and section.find("table") is None and section.find("figure") is None


def test_a_broken_day_file_is_a_warning_and_the_section_names_it(
    counted: Site, caplog: pytest.LogCaptureFixture
) -> None:
    broken = counted.root / "data" / "stats" / "days" / "2026" / "2026-10-14.json"
    broken.write_text('{"version": 1, "day": "2026-10-14", "views": {', encoding="utf-8")  # cut off
    with caplog.at_level(logging.WARNING):
        counted.build()

    # Named from the folder holding content/, as every finding of the build is.
    shown = "data/stats/days/2026/2026-10-14.json"
    [warning] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("stats:")]
    assert warning.startswith(f"stats: Die Zahlen konnten nicht gelesen werden: {shown} (Expecting ")
    assert "Stellen Sie die Datei aus der Versionsverwaltung (Git) wieder her" in warning
    section = kpi(dashboard(counted))
    notice = section.find("p", class_="kpi-notice")
    assert notice["data-value"] == "unreadable" and f"{shown} (" in notice.get_text()
    assert notice.get_text().startswith("Achtung: Die Zahlen konnten nicht gelesen werden:")
    assert section.find("svg") is None
    assert (counted.output / "index.html").exists()  # the site itself is built


def test_production_writes_no_dashboard_and_reads_no_figures(counted: Site, caplog: pytest.LogCaptureFixture) -> None:
    (counted.root / "data" / "stats" / "days" / "2026" / "2026-10-14.json").write_text("kaputt", encoding="utf-8")
    # A post of this week: production stops a blog that has been silent for 14 days.
    counted.write("posts/d.md", post(title='"Neu"', slug="d-neu", date="2026-11-18 09:00 +01:00", authors="[jdoe]"))
    settings = counted.settings(True)
    pelican = Pelican(settings=settings)
    with caplog.at_level(logging.WARNING):
        pelican.run()

    build = state.finished(pelican)
    assert build is not None and build.get(KPI_SECTION) == KpiSection("")
    assert not any(r.getMessage().startswith("stats:") for r in caplog.records)  # the broken file was not read
    assert not (counted.output / "redaktion").exists()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


def test_response_times_are_counts_without_the_readers_words(counted: Site) -> None:
    book, _findings = parse_calendar(
        SITE_CALENDAR, display_path="editorial_calendar.yaml", content_root=counted.content
    )
    store = SqliteStore(counted.root / "var" / "inbox.sqlite")  # HUB_INBOX_DATABASE's default
    question = Item(
        "web:1", "de/b-service", Source.WEB, "Wie laut ist das Gerät?", at("2026-11-03 09:00"), author="Karla K."
    )
    store.add(question)
    answer = staff_answer("staff:1", "de/b-service", "web:1", "Sehr leise.", "jdoe", "", book, at("2026-11-03 10:00"))
    store.add(answer)
    store.approve(answer.id, Decision("eeditor", at("2026-11-03 11:00"), "approve"), status=Status.APPROVED)
    store.close()

    counted.build()
    page = dashboard(counted)
    section = kpi(page)

    overall = rows(section, "antwortzeiten")[""]
    assert (overall["received"]["data-value"], overall["answered"]["data-value"]) == ("1", "1")
    assert overall["in_time"]["data-value"] == "1" and overall["median"].get_text() == "2 Std."
    text = page.get_text()
    assert "Wie laut" not in text and "Karla" not in text and "Sehr leise" not in text


def test_the_charts_render_in_chromium_with_names_and_tables_and_nothing_is_requested(
    counted: Site, browser: Chromium
) -> None:
    counted.build()
    with local_server(counted.output) as base:
        asked_before = len(browser.requests)
        tab = browser.open(f"{base}/redaktion/index.html")
        drawn: list[dict[str, Any]] = tab.evaluate(
            """Array.from(document.querySelectorAll('#reichweite figure.hub-chart'), (figure) => {
              const svg = figure.querySelector('svg');
              const box = svg.getBoundingClientRect();
              return {
                name: figure.dataset.chart,
                width: box.width,
                height: box.height,
                bars: Array.from(svg.querySelectorAll('rect.bar'), (bar) => {
                  const size = bar.getBBox();
                  return {key: bar.parentElement.dataset.key, value: Number(bar.dataset.value),
                          width: size.width, height: size.height};
                }),
                rows: Array.from(figure.querySelectorAll('table.chart-numbers tbody tr'), (row) => row.dataset.key),
              };
            })"""
        )
        tree = tab.call("Accessibility.getFullAXTree")["nodes"]
        asked = browser.requests[asked_before:]

    assert [chart["name"] for chart in drawn] == ["aufrufe-wochen", "aufrufe-kanaele", "aufrufe-kategorien"]
    weeks = drawn[0]
    assert [bar["key"] for bar in weeks["bars"]] == [f"2026-W{week}" for week in range(39, 47)]
    for chart in drawn:
        assert chart["width"] > 100 and chart["height"] > 30
        assert chart["rows"] == [bar["key"] for bar in chart["bars"]]  # the table fallback, bar for bar
        # The drawn size follows the value: columns in height (weeks), bars across in width.
        size = "height" if chart is weeks else "width"
        largest = max(chart["bars"], key=lambda bar: bar["value"])
        for bar in chart["bars"]:
            assert bar[size] > 0
            assert abs(bar[size] - largest[size] * bar["value"] / largest["value"]) < 1.5
    images = {
        node["name"]["value"]
        for node in tree
        if node.get("role", {}).get("value") == "image" and not node.get("ignored")
    }
    week_name = next(name for name in images if name.startswith("Aufrufe pro Woche: 8 Balken"))
    assert week_name.endswith(f"zusammen {charts.number(sum(bar['value'] for bar in weeks['bars']))} Aufrufe")
    assert any(name.startswith("Aufrufe über die Kanäle: 3 Balken") for name in images)
    assert any(name.startswith("Aufrufe pro Kategorie: 2 Balken") for name in images)
    # The dashboard's CSP is default-src 'none': the page itself, nothing else.
    assert asked == [f"{base}/redaktion/index.html"]


BUILD = """
import json, sys
from pelican import Pelican
from pelican.settings import read_settings
Pelican(settings=read_settings(sys.argv[1], override=json.loads(sys.argv[2]))).run()
"""


def build_elsewhere(site: Site, **overrides: Any) -> None:
    """A build in a process of its own: Jinja keeps compiled templates in memory, so only a fresh
    process shows what the cache folder holds."""
    settings = {
        "PATH": str(site.content),
        "OUTPUT_PATH": str(site.output),
        "HUB_CALENDAR": str(site.calendar),
        "THEME": str(ROOT / "themes" / "hub"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "CACHE_PATH": str(site.root / "cache"),
        **overrides,
    }
    done = subprocess.run(
        [sys.executable, "-c", BUILD, str(ROOT / "pelicanconf.py"), json.dumps(settings)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_compiled_templates_are_kept_for_the_next_build_unless_turned_off(counted: Site) -> None:
    kept = counted.root / "cache" / "hub-stats"  # CACHE_PATH/hub-stats
    build_elsewhere(counted)
    cached = {path.name: path.read_bytes() for path in kept.glob("__jinja2_*.cache")}
    assert len(cached) == 5  # the section, its macros, and the charts' three templates
    first = kpi(dashboard(counted))

    build_elsewhere(counted)  # from the kept templates: the same section, the cache as it was
    assert kpi(dashboard(counted)) == first
    assert {path.name: path.read_bytes() for path in kept.glob("__jinja2_*.cache")} == cached

    shutil.rmtree(kept)
    counted.build(HUB_STATS_TEMPLATE_CACHE="")
    assert kpi(dashboard(counted)) == first and not kept.exists()
