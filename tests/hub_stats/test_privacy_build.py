"""`stats-privacy-notice` in real builds: with HUB_STATS_LOGS set, a privacy page that does not say
what the settings do is a warning with file and line, an error in production (nothing written)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import ROOT, Site
from hub_core.build_log import FINDING
from hub_core.errors import BuildStopped
from hub_core.findings import Finding, Level
from hub_core.options import read
from hub_stats.options import KEEP_RAW_DAYS
from hub_stats.privacy import privacy_notice_problems
from pelican.settings import read_settings

PRIVACY = """\
---
title: Datenschutzerklärung
slug: datenschutz
---

## Reichweitenmessung ohne Cookies

Wir zählen Seitenaufrufe je Seite und Tag aus den Server-Logfiles.

**Speicherdauer:** Die Logfiles löschen wir nach 30 Tagen.
"""
CHECK = "stats-privacy-notice"


def findings(caplog: pytest.LogCaptureFixture) -> list[Finding]:
    found = [getattr(record, FINDING, None) for record in caplog.records]
    return [finding for finding in found if isinstance(finding, Finding) and finding.check == CHECK]


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    return folder


def test_a_page_with_other_days_than_the_setting_is_a_warning_with_file_and_line(
    site: Site, logs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site.write("pages/datenschutz.md", PRIVACY)
    site.build(HUB_STATS_LOGS=str(logs))

    [finding] = findings(caplog)
    assert finding.level is Level.WARNING
    assert finding.render() == (
        "content/pages/datenschutz.md:10: erwartet: die Anzahl der Tage, nach der die Server-Logfiles gelöscht"
        " werden, wie HUB_STATS_KEEP_RAW_DAYS sie festlegt: „7 Tagen“ oder „sieben Tagen“; gefunden: „30 Tagen“."
        " Passen Sie den Text oder die Einstellung an. [Warnung: stats-privacy-notice]"
    )
    assert (site.output / "datenschutz" / "index.html").is_file()  # a warning: the site is still built


def test_the_page_matching_the_setting_passes(site: Site, logs: Path, caplog: pytest.LogCaptureFixture) -> None:
    site.write("pages/datenschutz.md", PRIVACY)
    site.build(HUB_STATS_LOGS=str(logs), HUB_STATS_KEEP_RAW_DAYS=30)
    assert findings(caplog) == []


def test_without_logs_nothing_is_counted_and_nothing_is_checked(site: Site, caplog: pytest.LogCaptureFixture) -> None:
    site.build()  # the fixture's page says only "Keine Cookies."
    assert findings(caplog) == []


def test_in_production_it_is_an_error_and_nothing_is_written(
    site: Site, logs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site.write("pages/datenschutz.md", PRIVACY)
    with pytest.raises(BuildStopped, match="nichts wurde geschrieben"):
        site.build(prod=True, HUB_STATS_LOGS=str(logs))
    [finding] = findings(caplog)
    assert finding.level is Level.ERROR and (finding.path, finding.line) == ("content/pages/datenschutz.md", 10)
    assert not site.output.exists()


def test_a_page_without_the_counting_gets_both_findings_and_the_level_can_be_changed(
    site: Site, logs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site.build(HUB_STATS_LOGS=str(logs))
    assert [(f.path, f.line) for f in findings(caplog)] == [("content/pages/datenschutz.md", 1)] * 2
    caplog.clear()
    site.build(HUB_STATS_LOGS=str(logs), HUB_CHECKS={CHECK: "off"})
    assert findings(caplog) == []


def test_a_site_counting_without_a_privacy_page_is_told_so(
    site: Site, logs: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (site.content / "pages" / "datenschutz.md").unlink()
    caplog.set_level(logging.WARNING)
    site.build(HUB_STATS_LOGS=str(logs), HUB_LEGAL_PAGES=["impressum"])
    [finding] = findings(caplog)
    assert finding.path == "content/pages" and finding.message.startswith(
        "erwartet: eine Datenschutzseite mit dem Slug „datenschutz“, die die Reichweitenmessung"
    )


def test_the_sample_privacy_page_names_the_counting_and_the_settings_days() -> None:
    for conf in ("pelicanconf.py", "publishconf.py"):
        settings = read_settings(str(ROOT / conf))
        text = (ROOT / "content" / "pages" / "datenschutz.md").read_text(encoding="utf-8")
        assert privacy_notice_problems(text, read(KEEP_RAW_DAYS, settings)) == [], conf
    flat = " ".join(text.split())
    assert "## 5. Reichweitenmessung ohne Cookies" in text
    for said in (
        "Die Server-Logfiles löschen wir nach sieben Tagen",
        "Die Logfiles werden nach sieben Tagen automatisch gelöscht",  # section 4 says the same
        "Parameter `utm_source`",
        "nur deren Hostnamen",
        "die Zahl der Abonnentinnen und Abonnenten, die Feed-Dienste beim Abruf selbst mitteilen",
        "(Fehler 404)",
        "Die IP-Adresse verwendet es dabei nicht",
        "danach wird sie verworfen",
        "Aufbewahrt werden nur die Tagessummen",
        "setzen wir kein Cookie, verwenden kein Skript und kein Zählpixel",
        "§ 25 TDDDG",
        "Art. 6 Abs. 1 lit. f DSGVO. Unser berechtigtes Interesse liegt darin zu erfahren, welche Inhalte gelesen werden",
        "Kein Analyse-Anbieter oder anderer Dritter ist beteiligt",
    ):
        assert said in flat, said
