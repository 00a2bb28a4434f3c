"""The one date grammar (hub_core.dates), and that front matter and the calendar both speak it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import Site, valid_post
from hub_content.calendar import parse_calendar
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core import i18n
from hub_core.dates import (
    DateProblem,
    Problem,
    WrittenDate,
    in_zone,
    parse_date,
    parse_when,
    read_value,
)

BERLIN = ZoneInfo("Europe/Berlin")
OFFSET = "erwartet: eine Abweichung von UTC zwischen -14:00 und +14:00"


@pytest.mark.parametrize(
    ("text", "moment", "has_time"),
    [
        ("2026-11-20", datetime(2026, 11, 20), False),
        ("2026-1-5", datetime(2026, 1, 5), False),
        ("2026-1-5 9:00", datetime(2026, 1, 5, 9), True),
        ("2026-11-20T09:00:30", datetime(2026, 11, 20, 9, 0, 30), True),
        ("2026-11-20 09:00:30.25", datetime(2026, 11, 20, 9, 0, 30), True),  # the fraction is not kept
        ("  2026-11-20 09:00  ", datetime(2026, 11, 20, 9), True),
        ("2026-11-20 09:00 +01:00", datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=1))), True),
        ("2026-11-20 09:00+0530", datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=5, minutes=30))), True),
        ("2026-11-20 09:00 -14:00", datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=-14))), True),
        ("2026-11-20 09:00Z", datetime(2026, 11, 20, 9, tzinfo=UTC), True),
    ],
)
def test_the_grammar_reads(text: str, moment: datetime, has_time: bool) -> None:
    assert parse_date(text) == WrittenDate(moment, has_time)


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("20.11.2026", Problem.FORMAT, "erwartet: ein Datum wie 2026-11-20 09:00 +01:00; gefunden: „20.11.2026“"),
        ("2026-11-20 9", Problem.FORMAT, "erwartet: ein Datum wie 2026-11-20 09:00 +01:00; gefunden: „2026-11-20 9“"),
        (
            "2026-02-30",
            Problem.CALENDAR,
            "erwartet: ein Datum und eine Uhrzeit, die es gibt; gefunden: „2026-02-30“"
            " (der Monat 2026-02 hat keinen Tag 30)",
        ),
        (
            "2026-11-20 25:00",
            Problem.CALENDAR,
            "erwartet: ein Datum und eine Uhrzeit, die es gibt; gefunden: „2026-11-20 25:00“ (Stunden gehen von 0 bis 23)",
        ),
        (
            "2026-13-01",
            Problem.CALENDAR,
            "erwartet: ein Datum und eine Uhrzeit, die es gibt; gefunden: „2026-13-01“ (einen Monat 13 gibt es nicht)",
        ),
        (
            "2026-11-20 09:61",
            Problem.CALENDAR,
            "erwartet: ein Datum und eine Uhrzeit, die es gibt; gefunden: „2026-11-20 09:61“"
            " (Minuten und Sekunden gehen von 0 bis 59)",
        ),
        ("2026-11-20 09:00 +15:00", Problem.OFFSET, f"{OFFSET}; gefunden: „+15:00“"),
        ("2026-11-20 09:00 +14:30", Problem.OFFSET, f"{OFFSET}; gefunden: „+14:30“"),
        ("2026-11-20 09:00 -0160", Problem.OFFSET, f"{OFFSET}; gefunden: „-0160“"),
    ],
)
def test_the_grammar_refuses_with_expected_and_found(text: str, kind: Problem, message: str) -> None:
    problem = parse_date(text)
    assert isinstance(problem, DateProblem)
    assert problem.kind is kind
    assert problem.message == message


def test_the_grammar_refuses_in_english_on_request() -> None:
    i18n.use_language("en")
    assert parse_date("20.11.2026") == DateProblem(
        Problem.FORMAT, "expected a date such as 2026-11-20 09:00 +01:00, found '20.11.2026'"
    )
    assert parse_date("2026-02-30") == DateProblem(
        Problem.CALENDAR, "expected a real calendar date and time, found '2026-02-30' (the month 2026-02 has no day 30)"
    )
    assert parse_date("2026-11-20 09:00 +15:00") == DateProblem(
        Problem.OFFSET, "expected a UTC offset between -14:00 and +14:00, found '+15:00'"
    )


def test_values_yaml_made_are_read_too() -> None:
    assert read_value(date(2026, 11, 20)) == WrittenDate(datetime(2026, 11, 20), False)
    aware = datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=1)))
    assert read_value(aware) == WrittenDate(aware, True)
    beyond = read_value(datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=-15, minutes=-30))))
    assert isinstance(beyond, DateProblem) and beyond.message == f"{OFFSET}; gefunden: „-15:30“"
    assert read_value(20261120) is None


def test_in_zone_reads_what_is_left_out_in_the_zone() -> None:
    def moment(text: str, **kwargs: bool) -> datetime:
        written = parse_date(text)
        assert isinstance(written, WrittenDate)
        return in_zone(written, BERLIN, **kwargs)

    assert moment("2026-11-20") == datetime(2026, 11, 20, tzinfo=BERLIN)
    assert moment("2026-11-20", end_of_day=True) == datetime(2026, 11, 21, tzinfo=BERLIN)
    assert moment("2026-11-20 09:00", end_of_day=True) == datetime(2026, 11, 20, 9, tzinfo=BERLIN)
    assert moment("2026-11-20 09:00Z") == datetime(2026, 11, 20, 10, tzinfo=BERLIN)
    assert parse_when("2026-11-20 09:00 +15:00", BERLIN) is None


# The two former disagreements, seen where authors and editors meet them.

CALENDAR = "timezone: Europe/Berlin\nteam:\n  - id: a\n    name: A\n    role: R\n    rights: [author, editor]\n"


def calendar_findings(section: str, tmp_path: Path) -> list[tuple[str, str]]:
    _, findings = parse_calendar(CALENDAR + section, display_path="c.yaml", content_root=tmp_path)
    return [(f.field, f.message) for f in findings]


def test_a_short_month_and_day_pass_in_front_matter_and_in_the_calendar(site: Site, tmp_path: Path) -> None:
    site.write("posts/a.md", valid_post(date="2026-1-5 09:00 +01:00"))
    result = check_content(content_settings(site.settings()))
    assert [f for f in result.report.findings if f.field == "date"] == []
    assert calendar_findings("freeze:\n  - from: 2026-1-5 09:00\n    to: 2026-1-6\n    reason: Messe\n", tmp_path) == []


def test_an_offset_beyond_14_hours_fails_in_front_matter_and_in_the_calendar(site: Site, tmp_path: Path) -> None:
    expected = f"{OFFSET}; gefunden: „+15:00“"
    site.write("posts/a.md", valid_post(date="2026-11-20 09:00 +15:00"))
    result = check_content(content_settings(site.settings()))
    assert [(f.field, f.message, f.check) for f in result.report.findings] == [("date", expected, "date-format")]
    section = "freeze:\n  - from: 2026-11-20 09:00 +15:00\n    reason: Messe\n"
    assert calendar_findings(section, tmp_path) == [("freeze[0].from", expected)]
    section = "approval:\n  since: 2026-11-20 09:00:00 +15:00\n"  # YAML's own timestamp
    assert calendar_findings(section, tmp_path) == [("approval.since", expected)]
