"""The report's CSV files as Excel opens them: BOM, semicolons, decimal comma, German headers, the Kpis' figures."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from hub_core import i18n
from hub_stats.report.csv import csv_files
from hub_stats.report.tables import all_tables
from report_sample import ALL_RESPONSES, CSV_FILES, PEOPLE, PRODUCT_RESPONSES, sample_kpis

BERLIN = ZoneInfo("Europe/Berlin")


def files() -> dict[str, bytes]:
    return csv_files(all_tables(sample_kpis(), PEOPLE, BERLIN))


def read(data: bytes, delimiter: str = ";") -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_a_file_per_table_named_for_people():
    assert set(files()) == CSV_FILES


def test_posts_as_excel_reads_them():
    kpis = sample_kpis()
    rows = read(files()["beitraege.csv"])
    assert list(rows[0]) == [
        "Beitrag",
        "Adresse",
        "Kategorie",
        "Autor:innen",
        "Veröffentlicht",
        "Aufrufe",
        "Erste 7 Tage",
        "Erste 30 Tage",
        "Über Kanäle",
        "Kommentare",
    ]
    assert len(rows) == len(kpis.posts)
    for row, post in zip(rows, kpis.posts, strict=True):
        assert row["Beitrag"] == post.title and row["Adresse"] == post.path
        assert row["Veröffentlicht"] == post.published.isoformat()
        assert int(row["Aufrufe"]) == post.views  # no thousands separator: 12345, not 12.345
        assert row["Erste 7 Tage"] == ("" if post.views_7 is None else str(post.views_7))
        assert row["Erste 30 Tage"] == ("" if post.views_30 is None else str(post.views_30))
        assert int(row["Über Kanäle"]) == sum(post.channels.values())
        assert int(row["Kommentare"]) == post.comments
    assert rows[1]["Beitrag"] == "Rückblick: unser Stand auf der „Chillventa“ <2026>"
    assert rows[1]["Autor:innen"] == "Jonas Krüger, Mehmet Yılmaz"


def test_decimals_have_a_comma_and_durations_are_hours():
    authors = {row["Autor:in"]: row for row in read(files()["autoren.csv"])}
    assert authors["Mehmet Yılmaz"]["Median der Aufrufe in den ersten 7 Tagen"] == "1335,5"
    assert authors["Anna Berger"]["Median der Aufrufe in den ersten 7 Tagen"] == "4321"

    targets = {row["Ziel"]: row for row in read(files()["ziele.csv"])}
    assert targets["Beiträge pro Woche"]["Istwert"] == "1,5"
    assert targets["Rechtzeitig beantwortet (Anteil)"]["Sollwert"] == "0,9"
    assert targets["Kommentare pro Beitrag"] == {
        "Ziel": "Kommentare pro Beitrag",
        "Sollwert": "1",
        "Istwert": "",
        "Erreicht": "nicht messbar",
    }

    responses = {row["Bereich"]: row for row in read(files()["antwortzeiten.csv"])}
    product = responses["Produktmanagement"]
    assert product["Median (Std.)"] == "2,25"  # 2 h 15 min
    assert product["90-%-Wert (Std.)"] == "20,5"
    assert product["Frist (Std.)"] == "8"
    assert int(product["Zu spät"]) == PRODUCT_RESPONSES.late
    assert responses["Alle Kommentare"]["Median (Std.)"] == "1,67"  # 1 h 40 min
    assert int(responses["Alle Kommentare"]["Eingegangen"]) == ALL_RESPONSES.received
    assert responses["Qualität & Service"]["Median (Std.)"] == ""
    assert responses["Qualität & Service"]["Frist (Std.)"] == ""


def test_weeks_channels_and_the_lists_match_the_kpis():
    kpis = sample_kpis()
    weeks = read(files()["wochen.csv"])
    assert [(row["Woche"], row["ab"], row["Beiträge"], row["Ziel erreicht"], row["Aufrufe"]) for row in weeks] == [
        (
            f"KW {w.monday.isocalendar().week}/2026",
            w.monday.isoformat(),
            str(w.posts),
            "ja" if w.posts >= w.target else "nein",
            str(w.views),
        )
        for w in kpis.cadence.weeks
    ]
    channels = read(files()["kanaele.csv"])
    assert [(row["Kanal"], int(row["Aufrufe über den Kanal"]), int(row["Likes"])) for row in channels] == [
        (channel.channel or "ohne Kanal (direkt, Suche, andere Links)", channel.visits, channel.reactions.likes)
        for channel in kpis.channels
    ]
    assert [(row["Website"], int(row["Aufrufe"])) for row in read(files()["verweise.csv"])] == list(kpis.referrers)
    assert [(row["Adresse"], int(row["Aufrufe"])) for row in read(files()["nicht-gefunden.csv"])] == list(
        kpis.not_found
    )
    assert read(files()["feeds.csv"]) == [{"Feed-Abrufe": "18250", "Abonnements laut Feedreadern": "412"}]


def test_questions_keep_their_words_but_no_address_and_no_formula():
    rows = read(files()["fragen-produktmanagement.csv"])
    assert list(rows[0]) == ["Eingegangen", "Beitrag", "Wo", "Thema", "Text", "Beantwortet", "Stand"]
    assert [row["Eingegangen"] for row in rows] == ["2026-11-04 09:30", "2026-11-12 10:00", "2026-11-27 16:10"]
    assert rows[0]["Text"].endswith("Antwort bitte an [E-Mail-Adresse entfernt]")
    # A reader's text that starts like a formula stays text in Excel (CSV injection).
    assert rows[1]["Text"] == '\'=HYPERLINK("http://example.org";"Wie laut ist die Außeneinheit nachts?")'
    assert [row["Stand"] for row in rows] == [
        "rechtzeitig beantwortet",
        "zu spät beantwortet",
        "offen, Frist überschritten",
    ]
    assert rows[2]["Beantwortet"] == ""

    service = read(files()["fragen-qualitaet-service.csv"])
    assert service[0]["Text"] == "Beschwerde: Der Techniker kam zwei Stunden zu spät & ohne Ersatzteil."
    assert (
        read(files()["beitraege-qualitaet-service.csv"])[0]["Beitrag"] == "Checkliste Wartung: 12 Punkte vor dem Winter"
    )


def test_an_empty_table_still_has_its_header_row():
    from dataclasses import replace

    data = csv_files(all_tables(replace(sample_kpis(), not_found=()), PEOPLE, BERLIN))["nicht-gefunden.csv"]
    assert data.decode("utf-8-sig") == "Adresse;Aufrufe\r\n"


def test_english_files_use_commas_and_decimal_points():
    i18n.use_language("en")
    authors = read(files()["autoren.csv"], delimiter=",")
    assert authors[2]["Median views in the first 7 days"] == "1335.5"
    assert read(files()["antwortzeiten.csv"], delimiter=",")[1]["Median (hours)"] == "2.25"
