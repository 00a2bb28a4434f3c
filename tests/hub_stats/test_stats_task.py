"""`invoke stats` as cron or CI runs it on a site: German output, the figures beside content/, the
exit code, old raw logs gone, and no reader's IP address or User-Agent anywhere in the figures."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from combined_logs import BERLIN_WINTER, FEEDLY, FIREFOX, GOOGLEBOT, IPV4, IPV6, SAFARI, combined, write_log
from conftest import ROOT, Site

MOMENT = "2026-11-21 10:00"  # Europe/Berlin
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def stats(site: Site, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "stats", "--content", str(site.content), *args]
    return subprocess.run(command, cwd=ROOT, env={**os.environ, **environ}, capture_output=True, text=True, timeout=120)


def lines_of(day: int) -> list[str]:
    at = datetime(2026, 11, day, 9, 0, tzinfo=BERLIN_WINTER)
    return [
        combined(at, "/2026/getriebe/?utm_source=mastodon", agent=FIREFOX, ip=IPV4),
        combined(at, "/2026/getriebe/", agent=SAFARI, ip=IPV6, referrer="https://www.google.de/"),
        combined(at, "/2026/getriebe/", agent=GOOGLEBOT),
        combined(at, "/feeds/alle.atom.xml", agent=FEEDLY),
        combined(at, "/gibt-es-nicht/", status=404),
        "eine kaputte Zeile",
    ]


def test_stats_counts_a_folder_reports_in_german_and_deletes_old_logs(site: Site, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "access.log.1", lines_of(20), modified=NOW - timedelta(hours=2))
    write_log(logs / "access.log.2.gz", lines_of(19), packed=True, modified=NOW - timedelta(days=1))
    write_log(logs / "access.log.9.gz", lines_of(10), packed=True, modified=NOW - timedelta(days=11))

    result = stats(site, "--logs", str(logs), "--now", MOMENT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Zugriffsprotokolle: {logs}" in out
    assert "3 Dateien gelesen" in out
    assert "18 Zeilen, 6 Seitenaufrufe, 3 fehlerhafte Zeilen" in out
    assert "fehlerhafte Zeile access.log.1:6: keine Zeit in [eckigen Klammern]" in out
    assert f"Zahlen von 3 Tagen geändert (2026-11-10 bis 2026-11-20): {site.root / 'data' / 'stats'}" in out
    assert "1 alte Protokolldatei gelöscht" in out
    assert sorted(path.name for path in logs.iterdir()) == ["access.log.1", "access.log.2.gz"]

    figures = site.root / "data" / "stats"
    day = (figures / "days" / "2026" / "2026-11-20.json").read_text(encoding="utf-8")
    assert '"/2026/getriebe/": 2' in day and '"mastodon"' in day and '"www.google.de": 1' in day
    written = "\n".join(path.read_text(encoding="utf-8") for path in figures.rglob("*") if path.is_file())
    for secret in (IPV4, IPV6, FIREFOX, SAFARI, GOOGLEBOT, FEEDLY, "Mozilla", "Feedly/1.0"):
        assert secret not in written

    again = stats(site, "--logs", str(logs), "--now", MOMENT)
    assert again.returncode == 0 and "0 Dateien gelesen, 2 schon gezählt" in again.stdout


def test_a_file_of_no_known_format_fails_the_run_after_counting_and_deleting(site: Site, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write_log(logs / "access.log", lines_of(20), modified=NOW - timedelta(hours=2))
    write_log(logs / "notizen.txt", ["Das ist kein Zugriffsprotokoll."], modified=NOW - timedelta(hours=2))
    write_log(logs / "alt.log", lines_of(1), modified=NOW - timedelta(days=20))

    result = stats(site, "--logs", str(logs), "--now", MOMENT)
    assert result.returncode == 1
    assert "nicht gezählt: notizen.txt: kein Format von Zugriffsprotokollen, das Hub liest" in result.stderr
    assert "2 Dateien gelesen" in result.stdout and "Traceback" not in result.stderr
    assert not (logs / "alt.log").exists()


def test_a_missing_logs_folder_is_a_clear_german_error(site: Site, tmp_path: Path) -> None:
    result = stats(site, "--logs", str(tmp_path / "nirgends"), "--now", MOMENT)
    assert result.returncode == 1
    assert "der Ordner der Zugriffsprotokolle existiert nicht" in result.stderr
    assert "Traceback" not in result.stderr
    s3 = stats(site, "--logs", "s3://logs/cloudfront/", "--now", MOMENT, AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="")
    assert s3.returncode == 1 and "s3://logs/cloudfront/" in s3.stderr and "Traceback" not in s3.stderr


def test_without_logs_configured_nothing_is_counted(site: Site) -> None:
    result = stats(site, "--now", MOMENT)
    assert result.returncode == 0, result.stderr
    assert "HUB_STATS_LOGS ist nicht gesetzt" in result.stdout
    english = stats(site, "--now", MOMENT, HUB_LANG="en")
    assert "HUB_STATS_LOGS is not set" in english.stdout
