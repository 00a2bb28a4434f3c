"""The issue's "done means": on a copy of the sample site with generated access logs, `invoke stats`
and `invoke report` show which posts and channels worked, without keeping any reader's address.

Real processes as a person runs them (invoke from the repository), real files: the logs in a folder,
the figures in data/stats/ of the copy, the report in reports/2026-11/. The expected numbers are
worked out by hand from the lines written below, not from the code under test.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from combined_logs import FIREFOX, GOOGLEBOT, HEALTHCHECK, IPV4, IPV6, SAFARI, combined

ROOT = Path(__file__).resolve().parents[2]
UTC = UTC
ENDPRUEFUNG = "kein-getriebe-ohne-endpruefung-geraeusch-und-schwingungsanalyse"  # 2026-11-05, Technik & Labor
GIRLS_DAY = "girls-day-bei-hellwig-was-wir-gelernt-haben-und-was-2027-kommt"  # 2026-11-03, Ausbildung & Karriere
RUECKBLICK = "rueckblick-auf-den-tag-der-offenen-tuer-volle-hallen-viele-fragen"  # 2026-11-10, no reader


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


def november_log() -> list[str]:
    lines = []
    # Our monitor every day: not a reader, but every day of the month is covered by the logs.
    day = datetime(2026, 11, 1, 0, 5, tzinfo=UTC)
    while day.month == 11:
        lines.append(combined(day, "/", agent=HEALTHCHECK))
        day += timedelta(days=1)
    endpruefung = f"/2026/{ENDPRUEFUNG}/"
    # Its first 7 days (5 to 11 November): 5 + 3 views, one through the LinkedIn teaser.
    lines += [combined(at(5, 10 + n), endpruefung, ip=IPV6) for n in range(4)]
    lines.append(combined(at(5, 15), endpruefung + "?utm_source=linkedin&utm_medium=social&utm_campaign=blog"))
    lines += [combined(at(9, 9 + n), endpruefung + "index.html", agent=SAFARI) for n in range(3)]
    # Later in the month: 2 more.
    lines += [combined(at(20, 8 + n), endpruefung) for n in range(2)]
    # Crawlers, a prefetch, a HEAD and an image of the post: none is a view.
    lines += [combined(at(6, n), endpruefung, agent=GOOGLEBOT) for n in range(20)]
    lines.append(combined(at(6, 12), endpruefung, purpose="prefetch"))
    lines.append(combined(at(6, 13), endpruefung, method="HEAD"))
    lines.append(combined(at(6, 14), "/images/endpruefung-800w.webp"))
    # Girls' Day: 4 views, 2 of them from a search engine.
    girls_day = f"/2026/{GIRLS_DAY}/"
    lines += [combined(at(4, 8 + n), girls_day, referrer="https://www.google.de/") for n in range(2)]
    lines += [combined(at(4, 12 + n), girls_day, referrer="https://blog.hellwig-antriebe.example/") for n in range(2)]
    # A scanner looking for WordPress.
    lines.append(combined(at(7), "/wp-login.php", status=404, agent=FIREFOX))
    return sorted(lines, key=lambda line: line.split("[", 1)[1])


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copy(ROOT / "editorial_calendar.yaml", root / "editorial_calendar.yaml")
    (root / "data").mkdir()
    shutil.copy(ROOT / "data" / "published-urls.yaml", root / "data" / "published-urls.yaml")
    logs = root / "logs"
    logs.mkdir()
    log = logs / "access.log.1"
    log.write_text("\n".join(november_log()) + "\n", encoding="utf-8")
    delivered = datetime(2026, 12, 1, 0, 0, tzinfo=UTC).timestamp()
    os.utime(log, (delivered, delivered))
    return root


def invoke(sample: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), *arguments,
               "--content", str(sample / "content"), "--calendar", str(sample / "editorial_calendar.yaml")]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, env=os.environ.copy())


@pytest.fixture(scope="module")
def report(sample: Path) -> Path:
    counted = invoke(sample, "stats", "--logs", str(sample / "logs"), "--now", "2026-12-01 06:00", "--no-platforms")
    assert counted.returncode == 0, counted.stdout + counted.stderr
    assert "1 Datei gelesen" in counted.stdout, counted.stdout
    written = invoke(sample, "report", "--month", "2026-11", "--now", "2026-12-01 07:00")
    assert written.returncode == 0, written.stdout + written.stderr
    return sample / "reports" / "2026-11"


def rows(page: BeautifulSoup, name: str) -> dict[str, dict[str, str]]:
    table = page.find("table", attrs={"data-table": name})
    assert table is not None, f"no table {name}"
    return {
        row["data-key"]: {
            cell["data-column"]: cell.get("data-value", cell.get_text()) for cell in row.find_all(["th", "td"])
        }
        for row in table.find_all("tr", attrs={"data-key": True})
    }


def test_the_report_shows_the_views_channels_and_referrers_the_logs_hold(report: Path) -> None:
    page = BeautifulSoup((report / "bericht.html").read_text(encoding="utf-8"), "html.parser")
    posts = rows(page, "beitraege")

    endpruefung = posts[f"de/{ENDPRUEFUNG}"]
    assert (endpruefung["views"], endpruefung["views_7"], endpruefung["channels"]) == ("10", "8", "1")
    assert endpruefung["views_30"] == ""  # its first 30 days are not over on 1 December
    assert posts[f"de/{GIRLS_DAY}"]["views"] == "4"
    assert next(iter(rows(page, "meistgelesen"))) == f"de/{ENDPRUEFUNG}"
    assert f"de/{RUECKBLICK}" in rows(page, "ungelesen")
    assert f"de/{ENDPRUEFUNG}" not in rows(page, "ungelesen")

    assert rows(page, "kanaele")["linkedin"]["visits"] == "1"
    assert {host: cells["count"] for host, cells in rows(page, "verweise").items()} == {"www.google.de": "2"}
    assert rows(page, "nicht-gefunden")["/wp-login.php"]["count"] == "1"
    # Technik & Labor belongs to Produktmanagement (the calendar's kpi: section): its page lists the post.
    department = page.find(attrs={"data-department": "Produktmanagement"})
    assert department is not None
    assert f"de/{ENDPRUEFUNG}" in rows(department, "beitraege-produktmanagement")


def test_the_csv_files_carry_the_same_figures_for_excel(report: Path) -> None:
    raw = (report / "beitraege.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    table = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    header, body = table[0], table[1:]
    by_title = {row[header.index("Beitrag")]: row for row in body}
    endpruefung = next(row for title, row in by_title.items() if title.startswith("Kein Getriebe ohne Endprüfung"))
    assert endpruefung[header.index("Aufrufe")] == "10"


def test_no_address_or_browser_string_is_kept_and_the_pdf_exists(sample: Path, report: Path) -> None:
    kept = b"".join(path.read_bytes() for path in (sample / "data" / "stats").rglob("*") if path.is_file())
    kept += b"".join(path.read_bytes() for path in report.iterdir() if path.suffix in (".html", ".csv"))
    for trace in (IPV4, IPV6, "Firefox", "Googlebot", "Safari", "Hub-Healthcheck"):
        assert trace.encode() not in kept, trace
    assert (report / "bericht.pdf").read_bytes().startswith(b"%PDF")
