"""The monthly report: every figure in the HTML is the Kpis' figure, a page per department in the PDF,
written whole or not at all, and `invoke report` refusing a month it cannot read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ROOT
from hub_core import i18n
from hub_stats.kpis import Cadence, Coverage, Kpis
from hub_stats.report.html import render
from hub_stats.report.month import MonthProblem, last_full_month, parse_month
from hub_stats.report.write import write_report
from pypdf import PdfReader
from report_sample import ARCHIV, CSV_FILES, PEOPLE, PRODUCT_RESPONSES, WAERMEPUMPE, sample_kpis

BERLIN = ZoneInfo("Europe/Berlin")


def page_of(kpis: Kpis) -> BeautifulSoup:
    return BeautifulSoup(render(kpis, site_name="Wärme & Co. Blog", people=PEOPLE, zone=BERLIN), "html.parser")


@pytest.fixture(scope="module")
def page() -> BeautifulSoup:
    i18n.use_language("de")
    return page_of(sample_kpis())


def table(page: BeautifulSoup | Tag, name: str) -> dict[str, dict[str, Tag]]:
    """A table's rows by key, each its cells by column."""
    found = page.find("table", attrs={"data-table": name})
    assert found is not None, name
    return {
        row["data-key"]: {cell["data-column"]: cell for cell in row.find_all(["th", "td"])}
        for row in found.tbody.find_all("tr")
    }


def values(rows: dict[str, dict[str, Tag]], column: str) -> dict[str, str]:
    return {key: cells[column]["data-value"] for key, cells in rows.items()}


def figure(page: BeautifulSoup | Tag, name: str) -> Tag:
    found = page.find(attrs={"data-figure": name})
    assert found is not None, name
    return found


def test_the_page_is_german_self_contained_and_runs_nothing(page: BeautifulSoup):
    assert page.html["lang"] == "de"
    assert page.find("script") is None
    assert page.find("title").get_text() == "Monatsbericht November 2026 – Wärme & Co. Blog"
    assert "default-src 'none'" in page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    for element in page.find_all(attrs={"src": True}):
        pytest.fail(f"a request for {element['src']}")
    assert {link["href"][0] for link in page.find_all("a", href=True)} == {"#"}  # only within the page
    assert "url(" not in page.style.get_text() and "@import" not in page.style.get_text()
    assert figure(page, "period").get_text() == "Zeitraum: 1. November 2026 bis 30. November 2026"
    assert figure(page, "generated").get_text() == "Erstellt am 1. Dezember 2026, 06:00 Uhr"


def test_every_post_figure_matches_the_kpis(page: BeautifulSoup):
    kpis = sample_kpis()
    rows = table(page, "beitraege")
    assert list(rows) == [post.key for post in kpis.posts]
    for post in kpis.posts:
        cells = rows[post.key]
        assert cells["title"].get_text() == post.title
        assert cells["path"].get_text() == post.path
        assert cells["published"]["data-value"] == post.published.isoformat()
        assert int(cells["views"]["data-value"]) == post.views
        assert cells["views_7"]["data-value"] == ("" if post.views_7 is None else str(post.views_7))
        assert cells["views_30"]["data-value"] == ("" if post.views_30 is None else str(post.views_30))
        assert int(cells["channels"]["data-value"]) == sum(post.channels.values())
        assert int(cells["comments"]["data-value"]) == post.comments
    wp = rows[WAERMEPUMPE.key]
    assert wp["views"].get_text() == "12.345" and wp["views_30"].get_text() == "11.020"
    assert wp["published"].get_text() == "3. November 2026"
    assert rows["de/messe-rueckblick"]["authors"].get_text() == "Jonas Krüger, Mehmet Yılmaz"
    assert rows["de/foerderung-2027"]["views_7"].get_text() == "–"
    assert list(table(page, "meistgelesen")) == [post.key for post in kpis.top]
    assert list(table(page, "ungelesen")) == [ARCHIV.key]
    assert figure(page, "unread").get_text() == (
        "Achtung: 1 Beitrag, der vor mindestens 7 Tagen erschienen ist, wurde in diesem Zeitraum nicht aufgerufen."
    )


def test_channels_categories_authors_and_months_match_the_kpis(page: BeautifulSoup):
    kpis = sample_kpis()
    channels = table(page, "kanaele")
    for channel in kpis.channels:
        cells = channels[channel.channel]
        assert int(cells["teasers"]["data-value"]) == channel.teasers
        assert int(cells["visits"]["data-value"]) == channel.visits
        assert int(cells["replies"]["data-value"]) == channel.reactions.replies
        assert int(cells["reposts"]["data-value"]) == channel.reactions.reposts
        assert int(cells["likes"]["data-value"]) == channel.reactions.likes
        assert int(cells["comments"]["data-value"]) == channel.comments
    assert channels[""]["channel"].get_text() == "ohne Kanal (direkt, Suche, andere Links)"
    for name, groups in (("kategorien", kpis.categories), ("autoren", kpis.authors), ("monate", kpis.months)):
        rows = table(page, name)
        assert list(rows) == [group.name for group in groups]
        for group in groups:
            assert int(rows[group.name]["posts"]["data-value"]) == group.posts
            assert int(rows[group.name]["views"]["data-value"]) == group.views
            assert float(rows[group.name]["views_7_median"]["data-value"]) == group.views_7_median
            assert int(rows[group.name]["comments"]["data-value"]) == group.comments
    assert table(page, "autoren")["mehmet"]["name"].get_text() == "Mehmet Yılmaz"
    assert table(page, "autoren")["mehmet"]["views_7_median"].get_text() == "1.335,5"
    assert table(page, "monate")["2026-10"]["name"].get_text() == "Oktober 2026"
    # The charts draw the same figures.
    channel_bars = page.select('svg[data-chart="aufrufe-kanaele"] rect.bar')
    assert sorted(int(bar["data-value"]) for bar in channel_bars) == sorted(c.visits for c in kpis.channels)
    category_bars = page.select('svg[data-chart="aufrufe-kategorien"] rect.bar')
    assert [int(bar["data-value"]) for bar in category_bars] == [group.views for group in kpis.categories]


def test_cadence_targets_and_coverage_are_stated_with_their_figures(page: BeautifulSoup):
    kpis = sample_kpis()
    weeks = table(page, "wochen")
    for week in kpis.cadence.weeks:
        cells = weeks[week.week]
        assert (int(cells["posts"]["data-value"]), int(cells["target"]["data-value"])) == (week.posts, week.target)
        assert int(cells["views"]["data-value"]) == week.views
        assert cells["met"].get_text() == ("ja" if week.posts >= week.target else "nein")
    assert weeks["2026-W45"]["week"].get_text() == "KW 45/2026"
    assert "missed" in weeks["2026-W45"]["week"].parent["class"]
    bars = page.select('svg[data-chart="aufrufe-wochen"] rect.bar')
    assert [int(bar["data-value"]) for bar in bars] == [week.views for week in kpis.cadence.weeks]
    assert figure(page, "weeks_met")["data-value"] == "2"
    assert "erreicht in 2 von 5 Wochen" in figure(page, "weeks_met").get_text()
    assert figure(page, "slots_met").get_text() == (
        "Achtung: Redaktionsplan: 4 von 5 Terminen mit einem veröffentlichten Beitrag eingehalten."
    )

    targets = table(page, "ziele")
    for target in kpis.targets:
        assert float(targets[target.name]["goal"]["data-value"]) == target.goal
        assert targets[target.name]["actual"]["data-value"] == ("" if target.actual is None else str(target.actual))
    assert {name: cells["met"].get_text() for name, cells in targets.items()} == {
        "posts_per_week": "nein",
        "views_after_7_days": "ja",
        "answered_in_time": "nein",
        "comments_per_post": "nicht messbar",
    }
    assert targets["posts_per_week"]["actual"].get_text() == "1,5"
    # A share reads as a percentage; the machine value stays the fraction the calendar gives.
    answered = next(target for target in kpis.targets if target.name == "answered_in_time")
    assert targets["answered_in_time"]["goal"].get_text() == f"{round(answered.goal * 100)}\u202f%"
    assert figure(page, "targets_met").get_text() == "Achtung: 1 von 4 Zielen erreicht."

    logs = figure(page, "days_with_logs")
    assert logs["data-value"] == "27" and "warning" in logs["class"]
    assert logs.get_text().startswith("Achtung: Für 3 von 30 Tagen fehlen Zugriffsprotokolle")
    assert figure(page, "malformed_lines").get_text() == (
        "Achtung: 1.234 Zeilen der Zugriffsprotokolle waren unlesbar und sind nicht gezählt."
    )
    assert figure(page, "inbox")["data-value"] == "true"


def test_referrers_feeds_404s_and_response_times_match_the_kpis(page: BeautifulSoup):
    kpis = sample_kpis()
    assert values(table(page, "verweise"), "count") == {host: str(count) for host, count in kpis.referrers}
    assert values(table(page, "nicht-gefunden"), "count") == {path: str(count) for path, count in kpis.not_found}
    feeds = table(page, "feeds")["feeds"]
    assert int(feeds["fetches"]["data-value"]) == kpis.feed_fetches
    assert feeds["fetches"].get_text() == "18.250"
    assert int(feeds["subscribers"]["data-value"]) == kpis.feed_subscribers

    responses = table(page, "antwortzeiten")
    assert list(responses) == ["", "Produktmanagement", "Qualität & Service"]
    product = responses["Produktmanagement"]
    assert int(product["median"]["data-value"]) == PRODUCT_RESPONSES.median.total_seconds()  # type: ignore[union-attr]
    assert product["median"].get_text() == "2 Std. 15 Min."
    assert product["p90"].get_text() == "20 Std. 30 Min."
    assert product["deadline"].get_text() == "8 Std."
    assert (product["late"]["data-value"], product["open"]["data-value"]) == ("1", "1")
    assert responses[""]["median"].get_text() == "1 Std. 40 Min."
    assert responses["Qualität & Service"]["median"].get_text() == "–"
    assert responses["Qualität & Service"]["deadline"]["data-value"] == ""


def test_one_page_per_department_with_its_questions_response_times_and_posts(page: BeautifulSoup):
    kpis = sample_kpis()
    sections = page.select("section.department")
    assert [section["data-department"] for section in sections] == ["Produktmanagement", "Qualität & Service"]
    assert ".department{break-before:page}" in page.style.get_text()

    product, service = sections
    assert product.h2.get_text() == "Abteilung: Produktmanagement"
    assert "Für: Anna Berger" in product.get_text()
    assert figure(product, "received")["data-value"] == "3"
    assert figure(product, "received").get_text() == (
        "Achtung: 3 Fragen und Beschwerden sind eingegangen; 2 beantwortet, davon 1 rechtzeitig; 1 offen."
    )
    assert figure(product, "median").get_text() == (
        "Median bis zur ersten Antwort: 2 Std. 15 Min. (die Hälfte der Antworten kam schneller)."
    )
    assert figure(product, "in_time").get_text() == "Achtung: Rechtzeitig beantwortet: 50\u202f%."

    questions = table(product, "fragen-produktmanagement")
    department = kpis.departments[0]
    assert len(questions) == len(department.questions)
    rows = list(questions.values())
    assert [row["received"]["data-value"] for row in rows] == [
        question.received.astimezone(BERLIN).isoformat() for question in department.questions
    ]
    assert rows[0]["received"].get_text() == "4. November 2026, 09:30 Uhr"
    assert [row["status"].get_text() for row in rows] == [
        "rechtzeitig beantwortet",
        "zu spät beantwortet",
        "offen, Frist überschritten",
    ]
    assert [row["source"].get_text() for row in rows] == ["Website", "Mastodon", "Bluesky"]
    assert rows[1]["topic"].get_text() == "Lautstärke"
    assert rows[2]["answered"].get_text() == "–"
    assert "overdue" in rows[2]["status"].parent["class"]
    # The reader's e-mail address in the comment is not repeated; no reader is named.
    assert rows[0]["text"].get_text() == (
        "Geht das auch mit Heizkörpern aus den 70ern? Antwort bitte an [E-Mail-Adresse entfernt]"
    )
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w", page.get_text())
    assert list(table(product, "beitraege-produktmanagement")) == [post.key for post in department.posts]

    service_questions = list(table(service, "fragen-qualitaet-service").values())
    assert [row["status"].get_text() for row in service_questions] == ["offen, Frist läuft"]
    assert service_questions[0]["text"].get_text() == (
        "Beschwerde: Der Techniker kam zwei Stunden zu spät & ohne Ersatzteil."
    )
    assert figure(service, "received").get_text() == (
        "Achtung: 1 Frage oder Beschwerde ist eingegangen; 0 beantwortet, davon 0 rechtzeitig; 1 offen."
    )
    assert service.find(attrs={"data-figure": "median"}) is None  # nothing answered: no median to state
    deadline = figure(service, "deadline")
    assert deadline.get_text() == "Für die erste Antwort ist keine Frist gesetzt (dialogue.respond_within)."
    assert deadline.code.get_text() == "dialogue.respond_within"  # the setting as code, not in backticks
    assert figure(product, "deadline").get_text() == "Frist für die erste Antwort: 8 Std. (Geschäftszeit)."


def test_a_blind_month_says_where_it_is_blind():
    empty = replace(
        sample_kpis(),
        coverage=Coverage(days_with_logs=0, days_with_platforms=0, inbox=False, malformed_lines=0),
        posts=(),
        channels=(),
        categories=(),
        authors=(),
        months=(),
        cadence=Cadence(target_per_week=2, weeks=(), slots_due=0, slots_met=0),
        referrers=(),
        not_found=(),
        responses=None,
        departments=(),
        targets=(),
        top=(),
        unread=(),
    )
    page = page_of(empty)
    warnings = [item.get_text() for item in page.select("#datengrundlage li.warning")]
    assert warnings == [
        "Achtung: Für diesen Zeitraum sind keine Zugriffsprotokolle gezählt: keine Aufrufe, Verweise, Feed-Abrufe"
        " oder 404-Fehler (führen Sie invoke stats aus).",
        "Achtung: Es wurden keine Plattformzahlen abgerufen: Antworten, Teilungen und Likes auf den Kanälen fehlen.",
        "Achtung: Der Kommentar-Eingang wurde nicht gelesen: Kommentare, Fragen und Antwortzeiten fehlen.",
    ]
    assert page.find(attrs={"data-table": "beitraege", "data-rows": "0"}).get_text() == (
        "Kein Beitrag wurde aufgerufen oder veröffentlicht."
    )
    assert page.find(attrs={"data-table": "antwortzeiten"}).get_text() == (
        "Der Kommentar-Eingang wurde nicht gelesen: keine Antwortzeiten."
    )
    assert page.select_one('figure[data-chart="aufrufe-wochen"] .chart-empty') is not None
    assert page.select("section.department") == []


def test_a_fully_counted_month_warns_of_nothing_in_its_coverage():
    counted = replace(
        sample_kpis(), coverage=Coverage(days_with_logs=30, days_with_platforms=30, inbox=True, malformed_lines=0)
    )
    page = page_of(counted)
    assert page.select("#datengrundlage li.warning") == []
    assert [item.get_text() for item in page.select("#datengrundlage li")] == [
        "Zugriffsprotokolle sind für 30 von 30 Tagen gezählt.",
        "Plattformzahlen (Antworten, Teilungen, Likes) wurden an 30 von 30 Tagen abgerufen.",
        "Der Kommentar-Eingang wurde gelesen.",
    ]


def test_the_report_in_english_on_request():
    i18n.use_language("en")
    page = page_of(sample_kpis())
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Monthly report November 2026"
    assert table(page, "beitraege")[WAERMEPUMPE.key]["views"].get_text() == "12,345"
    assert table(page, "beitraege")[WAERMEPUMPE.key]["published"].get_text() == "November 3, 2026"
    assert table(page, "antwortzeiten")["Produktmanagement"]["median"].get_text() == "2 h 15 min"


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_written_report_html_pdf_and_csv_files(tmp_path: Path):
    written = write_report(
        sample_kpis(), tmp_path / "reports", site_name="Wärme & Co. Blog", people=PEOPLE, zone=BERLIN
    )

    assert written.folder == tmp_path / "reports" / "2026-11"
    assert {path.name for path in written.folder.iterdir()} == {"bericht.html", "bericht.pdf", *CSV_FILES}
    assert written.html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(path.name for path in written.csv) == sorted(CSV_FILES)
    assert [path.name for path in tmp_path.joinpath("reports").iterdir()] == ["2026-11"]  # no staging left

    pages = pdf_pages(written.folder / "bericht.pdf")
    text = " ".join(" ".join(pages).split())  # table cells wrap in print
    assert "Monatsbericht November 2026" in pages[0] and "Worauf die Zahlen beruhen" in pages[0]
    assert "Wärmepumpe im Altbau: was wirklich zählt" in text and "12.345" in text
    # Each department starts a page of its own, after the summary.
    starts = {
        name: next(index for index, page in enumerate(pages) if page.lstrip().startswith(f"Abteilung: {name}"))
        for name in ("Produktmanagement", "Qualität & Service")
    }
    assert 0 < starts["Produktmanagement"] < starts["Qualität & Service"]
    assert "Fragen und Beschwerden" in pages[starts["Qualität & Service"]]
    assert "Zusammenfassung" in "".join(pages[: starts["Produktmanagement"]])


def test_a_second_run_replaces_the_month_whole_and_without_pdf_when_asked(tmp_path: Path):
    reports = tmp_path / "reports"
    write_report(sample_kpis(), reports, site_name="Blog", pdf=False)
    killed = reports / ".2026-11.building-999999999-0"  # a run that was killed: its process is gone
    killed.mkdir()
    (killed / "bericht.html").write_text("half")

    fewer = replace(sample_kpis(), departments=sample_kpis().departments[:1])
    written = write_report(fewer, reports, site_name="Blog", pdf=False)

    names = {path.name for path in written.folder.iterdir()}
    assert "fragen-qualitaet-service.csv" not in names  # the old folder was replaced, not written over
    assert "bericht.pdf" not in names and written.pdf is None
    assert [path.name for path in reports.iterdir()] == ["2026-11"]


FAILING_WRITE = """
import errno, resource, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from report_sample import sample_kpis
from hub_stats.report.write import write_report

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a file over the limit raises EFBIG instead of killing us
resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))  # as a full disk or a quota would
try:
    write_report(sample_kpis(), Path(sys.argv[1]), site_name="Neu", pdf=False)
except OSError as error:
    sys.exit(3 if error.errno == errno.EFBIG else 4)
"""


def test_a_failed_write_leaves_the_previous_report_as_it_was(tmp_path: Path):
    reports = tmp_path / "reports"
    before = write_report(sample_kpis(), reports, site_name="Alt", pdf=False)
    files = {path.name: path.read_bytes() for path in before.folder.iterdir()}

    result = subprocess.run(
        [sys.executable, "-c", FAILING_WRITE, str(reports), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 3, result.stderr  # the HTML (about 50 kB) was cut off mid-write
    assert {path.name: path.read_bytes() for path in before.folder.iterdir()} == files
    assert [path.name for path in reports.iterdir()] == ["2026-11"]  # its staging folder is gone too


def test_months_are_read_and_the_default_is_the_last_full_one():
    assert parse_month("2026-11") == last_full_month(date(2026, 12, 1))
    assert parse_month("2026-11").last == date(2026, 11, 30)
    assert parse_month("2028-2").last == date(2028, 2, 29)
    assert last_full_month(date(2027, 1, 31)).first == date(2026, 12, 1)
    assert last_full_month(date(2027, 1, 1)).last == date(2026, 12, 31)
    for wrong in ("2026-13", "11/2026", "November", "2026-11-01", ""):
        with pytest.raises(MonthProblem) as problem:
            parse_month(wrong)
        assert str(problem.value) == f"erwartet: ein Monat wie 2026-11 (JJJJ-MM); gefunden: „{wrong}“"
    assert parse_month("2026-11").days == 30


def test_invoke_report_refuses_a_month_it_cannot_read():
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), "report", "--month", "11/2026"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={key: value for key, value in os.environ.items() if key != "HUB_LANG"},
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "--month: erwartet: ein Monat wie 2026-11 (JJJJ-MM); gefunden: „11/2026“"
    assert "Traceback" not in result.stderr + result.stdout
