"""The review gate's calendar rules: ISO weeks, time zones, cadence, the plan and freezes.

Every test passes a fixed "now" to the gate (never the real clock) and reads the
gate's result and report the way `invoke review` and the build do. The README
section "The editorial calendar and the review gate" is the spec.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import CALENDAR, Site, valid_post
from hub_content.calendar import parse_calendar
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core.findings import Finding, Level, Report
from hub_crosspost.channels import CHANNELS
from hub_review.calendar_sections import APPROVAL, CADENCE, FREEZE
from hub_review.calendar_sections import PLAN as PLAN_SECTION
from hub_review.freeze import CrisisSettingError
from hub_review.gate import GateResult
from hub_review.plan import SlotState
from hub_review.runner import run_gate
from hub_review.states import State
from hub_review.weeks import Week

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR_PATH = "editorial_calendar.yaml"


# -- helpers -------------------------------------------------------------------


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment on the Berlin wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def write_calendar(site: Site, extra: str = "") -> None:
    """The fixture's team plus the editorial sections in `extra` (dedented YAML)."""
    site.calendar.write_text(CALENDAR + textwrap.dedent(extra), encoding="utf-8")


def add_post(site: Site, slug: str, when: str, *, approve: bool = True, **fields: str) -> str:
    """Write content/posts/<slug>.md dated `when`; with `approve`, eeditor approves it for real."""
    relative = f"posts/{slug}.md"
    site.write(relative, valid_post(title=f'"Beitrag {slug}"', slug=slug, date=when, **fields))
    if approve:
        message = site.approve(relative, by="eeditor")
        assert "freigegeben von" in message, message
    return relative


def gate(
    site: Site, now: datetime, *, prod: bool = True, environ: dict[str, str] | None = None
) -> tuple[GateResult, Report]:
    settings = content_settings(site.settings(prod=prod))
    return run_gate(check_content(settings), settings, now, environ=environ or {})


def of_check(report: Report, check: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check]


def states(result: GateResult) -> dict[str, State]:
    return {p.slug: p.state for p in result.posts}


def slot_states(result: GateResult) -> dict[str, SlotState]:
    return {s.slot.id: s.state for s in result.slots}


def week_table(result: GateResult) -> dict[str, tuple[int, int]]:
    """Week → (approved posts, posts waiting), for the weeks the gate charted."""
    return {str(w.week): (w.posts, w.in_review) for w in result.weeks}


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the `occurrence`-th line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def parse(text: str, tmp_path: Path):
    return parse_calendar(text, display_path=CALENDAR_PATH, content_root=tmp_path)


# -- 1. ISO weeks and the year change ------------------------------------------


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        (at(2026, 12, 27, 23, 30), Week(2026, 52)),  # Sunday night
        (at(2026, 12, 28, 0, 30), Week(2026, 53)),  # Monday just after midnight
        (datetime(2026, 12, 27, 23, 30, tzinfo=UTC), Week(2026, 53)),  # 00:30 Monday in Berlin
        (at(2027, 1, 1, 12, 0), Week(2026, 53)),  # New Year's Day still in 2026-W53
        (at(2027, 1, 3, 23, 59), Week(2026, 53)),
        (at(2027, 1, 4, 0, 0), Week(2027, 1)),
        (date(2027, 1, 1), Week(2026, 53)),
        (date(2025, 12, 29), Week(2026, 1)),  # and the other way round: 29.12.2025 is 2026-W01
    ],
)
def test_week_of_a_moment_is_the_iso_week_on_the_berlin_clock(moment: datetime | date, week: Week) -> None:
    assert Week.of(moment, BERLIN) == week


def test_week_arithmetic_across_the_year_change() -> None:
    w53 = Week(2026, 53)
    assert str(w53) == "2026-W53" and str(Week(2027, 1)) == "2027-W01"
    assert w53.monday == date(2026, 12, 28)
    assert w53.following() == Week(2027, 1)
    assert Week(2027, 1).following(-1) == w53
    assert Week(2026, 52).following(2) == Week(2027, 1)
    assert Week(2026, 52) < w53 < Week(2027, 1)
    # Quarter of the week's Thursday: 31.12.2026 and 7.1.2027.
    assert w53.quarter == (2026, 4) and Week(2027, 1).quarter == (2027, 1)
    assert Week(2026, 40).quarter == (2026, 4)  # Monday 28.09., Thursday 01.10.
    assert Week(2026, 39).quarter == (2026, 3)
    assert w53.start(BERLIN) == at(2026, 12, 28) and w53.end(BERLIN) == at(2027, 1, 4)


def test_posts_around_midnight_of_the_year_change_fall_into_the_right_weeks(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 1\n  lookahead_weeks: 2\n")
    add_post(site, "sonntag-spaet", "2026-12-27 23:30 +01:00")
    add_post(site, "montag-frueh", "2026-12-28 00:30 +01:00")
    add_post(site, "neujahr", "2027-01-01 10:00 +01:00")
    add_post(site, "utc-sonntag", "2027-01-03 22:30 +00:00")  # 23:30 Sunday in Berlin: still W53
    add_post(site, "utc-montag", "2027-01-03 23:30 +00:00")  # 00:30 Monday in Berlin: 2027-W01
    result, report = gate(site, at(2026, 12, 22, 10, 0))

    weeks = week_table(result)
    assert weeks["2026-W52"] == (1, 0)
    assert weeks["2026-W53"] == (3, 0)
    assert weeks["2027-W01"] == (1, 0)
    assert of_check(report, "gap-ahead") == []


def test_gap_ahead_names_the_weeks_across_the_year_change(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 2\n  lookahead_weeks: 3\n")
    # W52 (this week): two approved posts, no gap.
    add_post(site, "w52-a", "2026-12-21 09:00 +01:00")
    add_post(site, "w52-b", "2026-12-27 23:30 +01:00")
    # W53: one approved, one still in review.
    add_post(site, "w53-approved", "2026-12-28 00:30 +01:00")
    add_post(site, "w53-review", "2027-01-01 10:00 +01:00", approve=False, status="review")
    # 2027-W01: nothing approved, two in review (one written in UTC, Monday 00:30 in Berlin).
    add_post(site, "w01-review-a", "2027-01-04 09:00 +01:00", approve=False, status="review")
    add_post(site, "w01-review-b", "2027-01-03 23:30 +00:00", approve=False, status="review")
    # 2027-W02: nothing at all.
    result, report = gate(site, at(2026, 12, 22, 10, 0))

    gaps = of_check(report, "gap-ahead")
    assert [f.message for f in gaps] == [
        "erwartet: 2 freigegebene Beiträge in Woche 2026-W53 (ab 28.12.); gefunden: 1, es fehlen 1 "
        "(1 weitere warten auf Freigabe)",
        "erwartet: 2 freigegebene Beiträge in Woche 2027-W01 (ab 04.01.); gefunden: 0, es fehlen 2 "
        "(2 weitere warten auf Freigabe)",
        "erwartet: 2 freigegebene Beiträge in Woche 2027-W02 (ab 11.01.); gefunden: 0, es fehlen 2",
    ]
    assert all(f.path == CALENDAR_PATH and f.field == "cadence.min_posts_per_week" for f in gaps)
    assert all(f.level is Level.WARNING for f in gaps)
    assert gaps[0].line == line_of(site.calendar.read_text(encoding="utf-8"), "cadence:")
    weeks = week_table(result)
    assert weeks["2026-W53"] == (1, 1) and weeks["2027-W01"] == (0, 2) and weeks["2027-W02"] == (0, 0)


def test_gap_ahead_looks_exactly_lookahead_weeks_past_this_one(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 1\n  lookahead_weeks: 1\n")
    add_post(site, "this-week", "2026-12-29 09:00 +01:00")  # 2026-W53
    _, report = gate(site, at(2026, 12, 28, 0, 0))  # the first moment of 2026-W53
    assert [f.message.split(" (ab")[0] for f in of_check(report, "gap-ahead")] == [
        "erwartet: 1 freigegebene Beiträge in Woche 2027-W01"
    ]


def test_no_gap_findings_when_the_minimum_is_zero(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 0\n")
    _, report = gate(site, at(2026, 12, 22, 10, 0))
    assert of_check(report, "gap-ahead") == []


def test_a_translation_counts_once_for_the_week(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 2\n  lookahead_weeks: 0\n")
    add_post(site, "kaeltetest", "2026-11-24 09:00 +01:00")
    add_post(site, "cold-test", "2026-11-24 09:00 +01:00", lang="en", translation_of="kaeltetest")
    result, report = gate(site, at(2026, 11, 23, 9, 0))
    assert week_table(result)["2026-W48"] == (1, 0)
    assert [f.message.split(", ")[-1] for f in of_check(report, "gap-ahead")] == ["es fehlen 1"]


# -- 2. Time zones and daylight saving -------------------------------------------

DST_CADENCE = """\
cadence:
  hours: "08:00-18:00"
  max_posts_per_day: 1
"""


def test_utc_offsets_are_counted_on_the_berlin_day_and_week(site: Site) -> None:
    write_calendar(site, DST_CADENCE)
    # End of summer time: Sunday 25.10.2026, 03:00 CEST becomes 02:00 CET.
    add_post(site, "sonntag-frueh", "2026-10-24 22:30 +00:00", approve=False, status="review")  # Sun 00:30 CEST
    add_post(site, "sonntag-spaet", "2026-10-25 22:59 +00:00", approve=False, status="review")  # Sun 23:59 CET
    add_post(site, "montag-null-uhr", "2026-10-25 23:00 +00:00", approve=False, status="review")  # Mon 00:00 CET
    result, report = gate(site, at(2026, 10, 20, 10, 0))

    by_slug = {p.slug: p for p in result.posts}
    assert by_slug["sonntag-frueh"].date.astimezone(BERLIN).isoformat() == "2026-10-25T00:30:00+02:00"
    assert by_slug["sonntag-spaet"].date.astimezone(BERLIN).isoformat() == "2026-10-25T23:59:00+01:00"
    assert by_slug["montag-null-uhr"].date.astimezone(BERLIN).isoformat() == "2026-10-26T00:00:00+01:00"
    weeks = week_table(result)
    assert weeks["2026-W43"] == (0, 2) and weeks["2026-W44"] == (0, 1)

    crowded = of_check(report, "crowded-day")
    assert {f.path for f in crowded} == {"content/posts/sonntag-frueh.md", "content/posts/sonntag-spaet.md"}
    assert all("am 2026-10-25 (cadence.max_posts_per_day); gefunden: 2" in f.message for f in crowded)


def test_crowded_day_across_the_start_of_summer_time(site: Site) -> None:
    write_calendar(site, DST_CADENCE)
    # Sunday 29.03.2026: 02:00 CET becomes 03:00 CEST, the day has 23 hours.
    add_post(site, "vor-der-umstellung", "2026-03-28 23:30 +00:00", approve=False, status="review")  # 00:30 CET
    add_post(site, "nach-der-umstellung", "2026-03-29 21:59 +00:00", approve=False, status="review")  # 23:59 CEST
    add_post(site, "montag", "2026-03-29 22:00 +00:00", approve=False, status="review")  # Mon 00:00 CEST
    _, report = gate(site, at(2026, 3, 20, 10, 0))
    crowded = of_check(report, "crowded-day")
    assert {f.path for f in crowded} == {
        "content/posts/vor-der-umstellung.md",
        "content/posts/nach-der-umstellung.md",
    }
    assert all("am 2026-03-29" in f.message for f in crowded)


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        # Monday after the end of summer time: CET, UTC+1.
        ("2026-10-26 06:59 +00:00", "gefunden: 07:59 Uhr"),
        ("2026-10-26 07:00 +00:00", None),  # 08:00 is inside
        ("2026-10-26 16:59 +00:00", None),  # 17:59
        ("2026-10-26 17:00 +00:00", "gefunden: 18:00 Uhr"),  # the end is exclusive
        # Friday before it: CEST, UTC+2, the same UTC hours mean other local hours.
        ("2026-10-23 05:59 +00:00", "gefunden: 07:59 Uhr"),
        ("2026-10-23 06:00 +00:00", None),
        ("2026-10-23 16:00 +00:00", "gefunden: 18:00 Uhr"),
        # Monday after the start of summer time (CEST) and the Friday before it (CET).
        ("2026-03-30 05:59 +00:00", "gefunden: 07:59 Uhr"),
        ("2026-03-30 06:00 +00:00", None),
        ("2026-03-27 06:59 +00:00", "gefunden: 07:59 Uhr"),
        ("2026-03-27 07:00 +00:00", None),
        # The same local time written with the local offset.
        ("2026-10-26 07:59 +01:00", "gefunden: 07:59 Uhr"),
        ("2026-10-26 08:00 +01:00", None),
        ("2026-10-26 18:00 +01:00", "gefunden: 18:00 Uhr"),
    ],
)
def test_publishing_hours_are_read_on_the_berlin_clock(site: Site, when: str, problem: str | None) -> None:
    write_calendar(site, DST_CADENCE)
    add_post(site, "zeitpunkt", when, approve=False, status="review")
    _, report = gate(site, at(2026, 3, 20, 10, 0))
    messages = [f.message for f in of_check(report, "off-hours")]
    if problem is None:
        assert messages == []
    else:
        assert messages == [f"erwartet: eine Uhrzeit zwischen 08:00 und 18:00 Uhr (Europe/Berlin); {problem}"]


def test_weekend_posts_are_off_the_publishing_days(site: Site) -> None:
    write_calendar(site, DST_CADENCE)
    add_post(site, "samstag", "2026-10-24 10:00 +02:00", approve=False, status="review")
    # 02:30 on the Sunday the clock goes back, twice: first in CEST, then in CET.
    add_post(site, "sonntag-cest", "2026-10-25 00:30 +00:00", approve=False, status="review")
    add_post(site, "sonntag-cet", "2026-10-25 01:30 +00:00", approve=False, status="review")
    # Friday 23:30 UTC is already Saturday in Berlin.
    add_post(site, "freitag-utc", "2026-10-23 22:30 +00:00", approve=False, status="review")
    result, report = gate(site, at(2026, 10, 20, 10, 0))

    off = {f.path.removeprefix("content/posts/"): f for f in of_check(report, "off-hours")}
    assert set(off) == {"samstag.md", "sonntag-cest.md", "sonntag-cet.md", "freitag-utc.md"}
    assert off["samstag.md"].message == "erwartet: ein Veröffentlichungstag (mon, tue, wed, thu, fri); gefunden: sat"
    assert off["freitag-utc.md"].message.startswith(
        "erwartet: ein Veröffentlichungstag (mon, tue, wed, thu, fri); gefunden: sat"
    )
    for name in ("sonntag-cest.md", "sonntag-cet.md"):
        assert off[name].message == (
            "erwartet: ein Veröffentlichungstag (mon, tue, wed, thu, fri); gefunden: sun; "
            "erwartet: eine Uhrzeit zwischen 08:00 und 18:00 Uhr (Europe/Berlin); gefunden: 02:30 Uhr"
        )
        assert off[name].field == "date" and off[name].level is Level.WARNING
    assert off["samstag.md"].line == line_of((site.content / "posts/samstag.md").read_text(), "date:")
    # Both 02:30s are the same Sunday (W43); Saturday 00:30 is the same Saturday as 10:00.
    assert week_table(result)["2026-W43"] == (0, 4)
    crowded_days = {f.message.split(" am ")[1][:10] for f in of_check(report, "crowded-day")}
    assert crowded_days == {"2026-10-24", "2026-10-25"}


def test_custom_weekdays_are_honoured(site: Site) -> None:
    write_calendar(site, "cadence:\n  weekdays: [tue, thu, sat]\n")
    add_post(site, "montag", "2026-11-23 10:00 +01:00", approve=False, status="review")
    add_post(site, "dienstag", "2026-11-24 10:00 +01:00", approve=False, status="review")
    add_post(site, "samstag", "2026-11-28 10:00 +01:00", approve=False, status="review")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    assert [(f.path, f.message) for f in of_check(report, "off-hours")] == [
        ("content/posts/montag.md", "erwartet: ein Veröffentlichungstag (tue, thu, sat); gefunden: mon")
    ]


def test_off_hours_and_crowding_look_only_at_today_and_later(site: Site) -> None:
    write_calendar(site, DST_CADENCE)
    add_post(site, "gestern-a", "2026-11-22 07:00 +01:00")  # Sunday, early: but over
    add_post(site, "gestern-b", "2026-11-22 19:00 +01:00")
    add_post(site, "heute-frueh", "2026-11-23 07:30 +01:00")  # today, before now: still looked at
    add_post(site, "heute-spaet", "2026-11-23 12:00 +01:00")
    _, report = gate(site, at(2026, 11, 23, 10, 0))
    assert {f.path for f in of_check(report, "off-hours")} == {"content/posts/heute-frueh.md"}
    assert {f.path for f in of_check(report, "crowded-day")} == {
        "content/posts/heute-frueh.md",
        "content/posts/heute-spaet.md",
    }


# -- 3. Stale blog ---------------------------------------------------------------


def test_stale_blog_is_an_error_in_production_and_a_warning_in_development(site: Site) -> None:
    write_calendar(site)
    add_post(site, "alt", "2026-11-06 10:00 +01:00")  # 15 days before now
    now = at(2026, 11, 21, 10, 0)

    _, prod = gate(site, now, prod=True)
    [stale] = of_check(prod, "stale-blog")
    assert stale.level is Level.ERROR
    assert stale.path == "content/posts/alt.md" and stale.field == "date"
    assert stale.line == line_of((site.content / "posts/alt.md").read_text(), "date:")
    assert "erwartet: ein veröffentlichter Beitrag in den letzten 14 Tagen (cadence.stale_after_days)" in stale.message
    assert "„Beitrag alt“, ist 15 Tage alt" in stale.message

    _, dev = gate(site, now, prod=False)
    assert [f.level for f in of_check(dev, "stale-blog")] == [Level.WARNING]


def test_a_post_exactly_stale_after_days_old_is_fine(site: Site) -> None:
    write_calendar(site)
    add_post(site, "genau", "2026-11-07 10:00 +01:00")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    assert of_check(report, "stale-blog") == []
    _, report = gate(site, at(2026, 11, 22, 10, 0))
    assert len(of_check(report, "stale-blog")) == 1


def test_stale_after_days_from_the_calendar(site: Site) -> None:
    write_calendar(site, "cadence:\n  stale_after_days: 3\n")
    add_post(site, "alt", "2026-11-17 10:00 +01:00")  # 4 days
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    [stale] = of_check(report, "stale-blog")
    assert "in den letzten 3 Tagen" in stale.message and "4 Tage alt" in stale.message


def test_scheduled_and_unreleased_posts_do_not_make_a_blog_fresh(site: Site) -> None:
    write_calendar(site)
    add_post(site, "alt", "2026-11-01 10:00 +01:00")
    add_post(site, "morgen", "2026-11-22 10:00 +01:00")  # approved, but scheduled
    add_post(site, "in-pruefung", "2026-11-20 10:00 +01:00", approve=False, status="review")
    add_post(site, "nicht-freigegeben", "2026-11-20 11:00 +01:00", approve=False)  # released, not approved: held
    add_post(site, "entwurf", "2026-11-20 12:00 +01:00", approve=False, status="draft")
    result, report = gate(site, at(2026, 11, 21, 10, 0))
    assert states(result) == {
        "alt": State.PUBLISHED,
        "morgen": State.SCHEDULED,
        "in-pruefung": State.IN_REVIEW,
        "nicht-freigegeben": State.HELD,
        "entwurf": State.DRAFT,
    }
    [stale] = of_check(report, "stale-blog")
    assert stale.path == "content/posts/alt.md" and "20 Tage alt" in stale.message


def test_a_blog_without_posts_is_stale(site: Site) -> None:
    write_calendar(site)
    add_post(site, "nur-entwurf", "2026-11-20 12:00 +01:00", approve=False, status="draft")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    [stale] = of_check(report, "stale-blog")
    assert stale.path == CALENDAR_PATH and stale.field == "cadence.stale_after_days"
    assert stale.message == "erwartet: mindestens ein veröffentlichter Beitrag; gefunden: keiner"
    assert stale.level is Level.ERROR


# -- 4. Thin past weeks of the quarter ----------------------------------------------


def test_thin_weeks_are_the_finished_weeks_of_this_quarter(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 1\n")
    add_post(site, "w39", "2026-09-24 10:00 +02:00")  # Q3: not looked at
    add_post(site, "w40", "2026-09-28 10:00 +02:00")  # September, but W40's Thursday is 01.10.: Q4
    # W41: nothing → thin.
    add_post(site, "w42", "2026-10-14 10:00 +02:00")
    add_post(site, "w43", "2026-10-25 23:30 +01:00")  # Sunday night, still W43
    add_post(site, "w44", "2026-10-25 23:30 +00:00")  # Monday 00:30 in Berlin: W44
    add_post(site, "w45", "2026-11-04 10:00 +01:00")
    add_post(site, "w46", "2026-11-11 10:00 +01:00")
    # W47 (this week) has nothing yet, but it is not over.
    result, report = gate(site, at(2026, 11, 21, 10, 0))
    assert [(str(w.week), w.posts, w.missing, w.past) for w in result.thin_weeks] == [("2026-W41", 0, 1, True)]
    assert not any("thin" in f.check for f in report.findings)  # listed, not a finding


def test_thin_weeks_count_translations_once_and_only_live_posts(site: Site) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 2\n")
    add_post(site, "w46-de", "2026-11-10 10:00 +01:00")
    add_post(site, "w46-en", "2026-11-10 10:00 +01:00", lang="en", translation_of="w46-de")
    add_post(site, "w46-review", "2026-11-12 10:00 +01:00", approve=False, status="review")
    result, _ = gate(site, at(2026, 11, 17, 10, 0))  # Tuesday of W47: W40–W46 are over
    thin = {str(w.week): (w.posts, w.in_review) for w in result.thin_weeks}
    assert list(thin) == [f"2026-W{n}" for n in range(40, 47)]
    assert thin["2026-W46"] == (1, 1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 10, 1, 10, 0), []),  # W40 opens Q4: nothing over yet
        (at(2026, 9, 27, 23, 59), [f"2026-W{n}" for n in range(27, 39)]),  # W39 is the last week of Q3
        (at(2026, 7, 8, 10, 0), ["2026-W27"]),  # W27 starts on 29.06. but its Thursday is in July
        (at(2026, 12, 30, 10, 0), [f"2026-W{n}" for n in range(40, 53)]),  # W53 itself is not over
        (at(2027, 1, 5, 10, 0), []),  # 2027-W01 opens Q1 2027; 2026-W53 belongs to Q4 2026
        (at(2027, 1, 12, 10, 0), ["2027-W01"]),
    ],
)
def test_the_quarter_is_the_quarter_of_the_iso_weeks_thursday(site: Site, now: datetime, expected: list[str]) -> None:
    write_calendar(site, "cadence:\n  min_posts_per_week: 1\n")
    result, _ = gate(site, now)
    assert [str(w.week) for w in result.thin_weeks] == expected


# -- 5. Crowded days -------------------------------------------------------------


def test_two_posts_on_one_day_name_each_other(site: Site) -> None:
    write_calendar(site)
    add_post(site, "erster", "2026-11-24 09:00 +01:00")
    add_post(site, "zweiter", "2026-11-24 15:00 +01:00", approve=False, status="review")
    add_post(site, "anderer-tag", "2026-11-25 09:00 +01:00")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    crowded = of_check(report, "crowded-day")
    assert [f.path for f in crowded] == ["content/posts/erster.md", "content/posts/zweiter.md"]
    expected = (
        "erwartet: höchstens 1 Beitrag am 2026-11-24 (cadence.max_posts_per_day); gefunden: 2: "
        "„Beitrag erster“ (content/posts/erster.md), „Beitrag zweiter“ (content/posts/zweiter.md)"
    )
    assert all(f.message == expected and f.field == "date" and f.level is Level.WARNING for f in crowded)


def test_a_post_and_its_translation_count_once_and_drafts_not_at_all(site: Site) -> None:
    write_calendar(site)
    add_post(site, "kaeltetest", "2026-11-24 09:00 +01:00")
    add_post(site, "cold-test", "2026-11-24 09:00 +01:00", lang="en", translation_of="kaeltetest")
    add_post(site, "entwurf", "2026-11-24 11:00 +01:00", approve=False, status="draft")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    assert of_check(report, "crowded-day") == []


def test_max_posts_per_day_from_the_calendar(site: Site) -> None:
    write_calendar(site, "cadence:\n  max_posts_per_day: 2\n")
    add_post(site, "a", "2026-11-24 09:00 +01:00", approve=False, status="review")
    add_post(site, "b", "2026-11-24 10:00 +01:00", approve=False, status="review")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    assert of_check(report, "crowded-day") == []
    add_post(site, "c", "2026-11-24 11:00 +01:00", approve=False, status="review")
    _, report = gate(site, at(2026, 11, 21, 10, 0))
    assert len(of_check(report, "crowded-day")) == 3
    assert "erwartet: höchstens 2 Beiträge am 2026-11-24" in of_check(report, "crowded-day")[0].message


# -- 6. Plan slots ---------------------------------------------------------------

PLAN = """\
channels:
  linkedin: {type: feed}
plan:
  - id: verpasst
    due: 2026-11-20
    topic: Verpasstes Thema
  - id: knapp
    due: 2026-11-24
    topic: Knappes Thema
    owner: mmuster
  - id: fertig
    due: 2026-11-25
    topic: Fertiges Thema
    channels: [linkedin]
    post: fertig
  - id: erschienen
    due: 2026-11-18
    topic: Erschienenes Thema
    post: content/posts/erschienen.md
  - id: woche-49
    week: 2026-W49
    topic: Wochenthema
  - id: in-arbeit
    due: 2026-12-10
    topic: Thema in Arbeit
"""


def test_every_slot_state(site: Site) -> None:
    write_calendar(site, PLAN)
    add_post(site, "fertig", "2026-11-25 09:00 +01:00")
    add_post(site, "erschienen", "2026-11-18 09:00 +01:00")
    add_post(site, "arbeit", "2026-12-10 09:00 +01:00", approve=False, status="review", plan="in-arbeit")
    result, report = gate(site, at(2026, 11, 21, 10, 0))

    assert slot_states(result) == {
        "erschienen": SlotState.PUBLISHED,
        "verpasst": SlotState.MISSED,
        "knapp": SlotState.AT_RISK,
        "fertig": SlotState.READY,
        "woche-49": SlotState.OPEN,
        "in-arbeit": SlotState.WRITING,
    }
    # Sorted by due day; a week slot is due on its last publishing day (Friday).
    assert [s.slot.id for s in result.slots] == ["erschienen", "verpasst", "knapp", "fertig", "woche-49", "in-arbeit"]
    notes = {s.slot.id: s.note for s in result.slots}
    assert notes["erschienen"] == "veröffentlicht am 2026-11-18"
    assert notes["verpasst"] == "fällig am 2026-11-20, Termin verstrichen: kein Beitrag geschrieben"
    assert notes["knapp"] == (
        "fällig am 2026-11-24, noch kein Beitrag: Die Freigabe war bis 2026-11-20 fällig (2 Arbeitstage vorher)"
    )
    assert notes["fertig"] == "geplant, fällig am 2026-11-25"
    assert notes["woche-49"] == "fällig am 2026-W49, Freigabe bis 2026-12-02"
    assert notes["in-arbeit"] == "fällig am 2026-12-10, Freigabe bis 2026-12-08"

    # The posts know their slot, whichever side named it.
    assert {p.slug: p.slot for p in result.posts} == {
        "erschienen": "erschienen",
        "fertig": "fertig",
        "arbeit": "in-arbeit",
    }

    text = site.calendar.read_text(encoding="utf-8")
    slot_findings = {(f.check, f.field, f.line, f.level) for f in report.findings if f.check.startswith("slot-")}
    assert slot_findings == {
        ("slot-missed", "plan[verpasst]", line_of(text, "id: verpasst"), Level.WARNING),
        ("slot-at-risk", "plan[knapp]", line_of(text, "id: knapp"), Level.WARNING),
    }
    assert "„Knappes Thema“: fällig am 2026-11-24, noch kein Beitrag" in of_check(report, "slot-at-risk")[0].message


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        # Due Tuesday 24.11.: approval by Friday 20.11., at risk from Saturday 00:00.
        ("2026-11-24", at(2026, 11, 20, 23, 59), SlotState.OPEN),
        ("2026-11-24", at(2026, 11, 21, 0, 0), SlotState.AT_RISK),
        ("2026-11-24", at(2026, 11, 24, 23, 59), SlotState.AT_RISK),
        ("2026-11-24", at(2026, 11, 25, 0, 0), SlotState.MISSED),
        # Due Monday 23.11.: two working days before are Friday and Thursday: approval by Thursday 19.11.
        ("2026-11-23", at(2026, 11, 19, 23, 59), SlotState.OPEN),
        ("2026-11-23", at(2026, 11, 20, 0, 0), SlotState.AT_RISK),
        # Due Wednesday 25.11.: approval by Monday 23.11., at risk from Tuesday.
        ("2026-11-25", at(2026, 11, 23, 23, 59), SlotState.OPEN),
        ("2026-11-25", at(2026, 11, 24, 0, 0), SlotState.AT_RISK),
    ],
)
def test_a_slot_is_at_risk_two_working_days_before_it_is_due(
    site: Site, due: str, now: datetime, expected: SlotState
) -> None:
    write_calendar(site, f"plan:\n  - id: slot\n    due: {due}\n    topic: Thema\n")
    result, _ = gate(site, now)
    assert slot_states(result) == {"slot": expected}


def test_a_week_slot_is_due_on_the_weeks_last_publishing_day(site: Site) -> None:
    write_calendar(site, "plan:\n  - id: woche\n    week: 2026-W49\n    topic: Wochenthema\n")
    # W49: Monday 30.11. to Friday 04.12.; approval by Wednesday 02.12.
    expectations = {
        at(2026, 12, 2, 23, 59): SlotState.OPEN,
        at(2026, 12, 3, 0, 0): SlotState.AT_RISK,
        at(2026, 12, 4, 23, 59): SlotState.AT_RISK,
        at(2026, 12, 5, 0, 0): SlotState.MISSED,
    }
    for now, expected in expectations.items():
        result, _ = gate(site, now)
        [slot] = result.slots
        assert (now, slot.state) == (now, expected)
    assert slot.slot.label == "2026-W49" and slot.slot.due == at(2026, 12, 5)


def test_a_week_slot_follows_custom_publishing_days(site: Site) -> None:
    write_calendar(site, "cadence:\n  weekdays: [mon, wed]\nplan:\n  - id: woche\n    week: 2026-W53\n    topic: T\n")
    result, _ = gate(site, at(2026, 12, 22, 10, 0))
    [slot] = result.slots
    assert slot.slot.due_day == date(2026, 12, 30)  # Wednesday of 2026-W53
    assert slot.note == "fällig am 2026-W53, Freigabe bis 2026-12-28"


def test_slot_states_follow_the_post(site: Site) -> None:
    write_calendar(
        site,
        """\
        plan:
          - id: im-review
            due: 2026-11-24
            topic: Im Review
          - id: zu-spaet
            due: 2026-11-20
            topic: Zu spät
          - id: bereits-live
            due: 2026-11-30
            topic: Früh erschienen
        """,
    )
    add_post(site, "review", "2026-11-24 09:00 +01:00", approve=False, status="review", plan="im-review")
    add_post(site, "spaet", "2026-11-20 09:00 +01:00", approve=False, status="review", plan="zu-spaet")
    add_post(site, "frueh", "2026-11-19 09:00 +01:00", plan="bereits-live")
    result, _ = gate(site, at(2026, 11, 21, 10, 0))
    slots = {s.slot.id: s for s in result.slots}
    assert slots["im-review"].state is SlotState.AT_RISK
    assert "der Beitrag ist in Prüfung: Die Freigabe war bis 2026-11-20 fällig" in slots["im-review"].note
    assert slots["zu-spaet"].state is SlotState.MISSED
    assert slots["zu-spaet"].note == (
        "fällig am 2026-11-20, Termin verstrichen: Der Beitrag ist in Prüfung (noch nicht freigegeben: nötig ist eine Freigabe)"
    )
    assert slots["bereits-live"].state is SlotState.PUBLISHED and slots["bereits-live"].post.slug == "frueh"


def test_a_due_slot_with_only_a_scheduled_post_is_missed(site: Site) -> None:
    # README: `missed` = "due without a published post". The post is approved but dated after
    # the due day, so on 21.11. nothing was published for a slot due on 20.11.
    write_calendar(site, "plan:\n  - id: slot\n    due: 2026-11-20\n    topic: Thema\n    post: spaeter\n")
    add_post(site, "spaeter", "2026-11-26 09:00 +01:00")
    result, _ = gate(site, at(2026, 11, 21, 10, 0))
    assert states(result) == {"spaeter": State.SCHEDULED}
    assert slot_states(result) == {"slot": SlotState.MISSED}


@pytest.mark.parametrize("reference", ["linked", "posts/linked.md", "content/posts/linked.md", "linked.md"])
def test_a_slot_names_its_post_by_slug_or_path(site: Site, reference: str) -> None:
    write_calendar(site, f"plan:\n  - id: slot\n    due: 2026-11-25\n    topic: T\n    post: {reference}\n")
    add_post(site, "linked", "2026-11-25 09:00 +01:00")
    result, report = gate(site, at(2026, 11, 21, 10, 0))
    [slot] = result.slots
    assert slot.post is not None and slot.post.slug == "linked" and slot.state is SlotState.READY
    assert [p.slot for p in result.posts] == ["slot"]
    assert of_check(report, "slot-unknown-post") == []


def test_a_slot_naming_a_missing_post_is_an_error(site: Site) -> None:
    write_calendar(site, "plan:\n  - id: slot\n    due: 2026-11-25\n    topic: T\n    post: linkd\n")
    add_post(site, "linked", "2026-11-25 09:00 +01:00")
    result, report = gate(site, at(2026, 11, 21, 10, 0))
    [finding] = of_check(report, "slot-unknown-post")
    assert finding.level is Level.ERROR
    assert (finding.path, finding.line, finding.field) == (
        CALENDAR_PATH,
        line_of(site.calendar.read_text(encoding="utf-8"), "id: slot"),
        "plan[slot].post",
    )
    assert "gefunden: „linkd“" in finding.message and "(Meinten Sie „linked“?)" in finding.message
    assert result.slots[0].post is None


def test_a_post_naming_a_missing_slot_is_an_error(site: Site) -> None:
    write_calendar(site, "plan:\n  - id: kaeltetest\n    due: 2026-11-25\n    topic: T\n")
    relative = add_post(site, "beitrag", "2026-11-25 09:00 +01:00", plan="kaeltetst")
    result, report = gate(site, at(2026, 11, 21, 10, 0))
    [finding] = of_check(report, "unknown-slot")
    assert finding.level is Level.ERROR
    assert (finding.path, finding.field) == ("content/posts/beitrag.md", "plan")
    assert finding.line == line_of((site.content / relative).read_text(), "plan:")
    assert "gefunden: „kaeltetst“" in finding.message and "(Meinten Sie „kaeltetest“?)" in finding.message
    assert slot_states(result) == {"kaeltetest": SlotState.OPEN}


def test_a_slot_naming_an_undefined_channel_is_an_error(site: Site) -> None:
    write_calendar(
        site,
        "channels:\n  linkedin: {type: feed}\nplan:\n  - id: slot\n    due: 2026-11-25\n    topic: T\n"
        "    channels: [linkedin, intranet]\n",
    )
    settings = content_settings(site.settings(prod=True))
    [finding] = [f for f in check_content(settings).report.findings if f.check == "unknown-channel"]
    assert finding.level is Level.ERROR
    assert (finding.path, finding.field) == (CALENDAR_PATH, "plan[0].channels")
    assert finding.line == line_of(site.calendar.read_text(encoding="utf-8"), "channels: [linkedin, intranet]")
    assert "gefunden: „intranet“" in finding.message and "(linkedin)" in finding.message


# -- 7. Freeze windows and the crisis switch -------------------------------------------

HOLIDAYS = """\
freeze:
  - from: 2026-12-23
    to: 2027-01-04
    reason: Betriebsferien
    allow: [weihnachtsgruss]
"""


def test_posts_inside_a_freeze_window_are_held(site: Site) -> None:
    write_calendar(site, HOLIDAYS)
    add_post(site, "davor", "2026-12-22 23:59 +01:00")
    add_post(site, "erster-tag", "2026-12-23 00:00 +01:00")
    add_post(site, "letzter-tag", "2027-01-04 23:59 +01:00")  # a bare `to` includes its whole day
    add_post(site, "danach", "2027-01-05 00:00 +01:00")
    add_post(site, "weihnachtsgruss", "2026-12-24 10:00 +01:00")  # allowed
    result, report = gate(site, at(2026, 11, 21, 10, 0))

    assert states(result) == {
        "davor": State.SCHEDULED,
        "erster-tag": State.HELD,
        "weihnachtsgruss": State.SCHEDULED,
        "letzter-tag": State.HELD,
        "danach": State.SCHEDULED,
    }
    held = {p.slug: p for p in result.held}
    for post in held.values():
        assert post.note == "Datum im Veröffentlichungsstopp 2026-12-23 00:00 – 2027-01-05 00:00 (Betriebsferien)"
        assert post.freeze is not None and post.freeze.reason == "Betriebsferien"
        assert post.item.source in result.withheld_sources()
    messages = {f.path: f.message for f in of_check(report, "held-back")}
    assert set(messages) == {"content/posts/erster-tag.md", "content/posts/letzter-tag.md"}
    assert all(
        "Betriebsferien" in m and m.startswith("zurückgehalten, weder veröffentlicht noch als Cross-Post geteilt")
        for m in messages.values()
    )
    assert result.crossposting_stop() is None  # the window is not in force yet


def test_during_a_freeze_nothing_is_crossposted_and_earlier_posts_stay_live(site: Site) -> None:
    write_calendar(site, HOLIDAYS)
    davor = add_post(site, "davor", "2026-12-22 10:00 +01:00")
    mitten = add_post(site, "mitten", "2026-12-28 09:00 +01:00")
    result, _ = gate(site, at(2026, 12, 28, 10, 0))
    assert states(result) == {"davor": State.PUBLISHED, "mitten": State.HELD}
    assert result.withheld_sources() == {site.content / mitten}
    assert site.content / davor not in result.withheld_sources()
    stop = result.crossposting_stop()
    assert stop is not None and stop.reason == "Betriebsferien"


def test_an_approved_frozen_post_is_not_waiting_for_approval(site: Site) -> None:
    write_calendar(site, HOLIDAYS + "cadence:\n  min_posts_per_week: 1\n  lookahead_weeks: 5\n")
    add_post(site, "mitten", "2026-12-28 09:00 +01:00")  # approved by eeditor, but frozen
    result, report = gate(site, at(2026, 11, 24, 10, 0))
    assert states(result) == {"mitten": State.HELD}
    assert result.held[0].verdict.approved
    # 2026-W53 lies wholly inside the holidays: meant to be quiet, no gap reported.
    assert not [f for f in of_check(report, "gap-ahead") if "2026-W53" in f.message]
    # 2026-W52 is only partly frozen: its gap counts, and the frozen post is not "waiting for approval".
    [w52] = [f for f in of_check(report, "gap-ahead") if "2026-W52" in f.message]
    assert "warten auf Freigabe" not in w52.message
    assert [c.in_review for c in result.weeks if str(c.week) == "2026-W53"] == [0]


@pytest.mark.parametrize(
    ("now", "in_force"),
    [
        (at(2026, 12, 22, 23, 59), False),
        (at(2026, 12, 23, 0, 0), True),  # the start is inclusive
        (at(2027, 1, 4, 23, 59), True),  # the whole last day
        (at(2027, 1, 5, 0, 0), False),  # the end is exclusive
    ],
)
def test_crossposting_stops_exactly_while_the_window_lasts(site: Site, now: datetime, in_force: bool) -> None:
    write_calendar(site, HOLIDAYS)
    result, _ = gate(site, now)
    assert (result.crossposting_stop() is not None) is in_force


def test_a_window_with_times_holds_from_its_start_to_just_before_its_end(site: Site) -> None:
    write_calendar(
        site,
        """\
        cadence:
          max_posts_per_day: 9
        freeze:
          - from: "2026-12-01 14:00 +01:00"
            to: "2026-12-01 16:00"
            reason: Betriebsversammlung
        """,
    )
    for slug, when in [("t1359", "13:59"), ("t1400", "14:00"), ("t1559", "15:59"), ("t1600", "16:00")]:
        add_post(site, slug, f"2026-12-01 {when} +01:00")
    result, _ = gate(site, at(2026, 11, 21, 10, 0))
    assert states(result) == {
        "t1359": State.SCHEDULED,
        "t1400": State.HELD,
        "t1559": State.HELD,
        "t1600": State.SCHEDULED,
    }
    assert (
        result.held[0].note
        == "Datum im Veröffentlichungsstopp 2026-12-01 14:00 – 2026-12-01 16:00 (Betriebsversammlung)"
    )


def test_a_freeze_without_end_is_a_crisis_stop(site: Site) -> None:
    write_calendar(
        site,
        """\
        freeze:
          - from: 2026-11-20 15:00
            reason: Produktrückruf
            allow: [stellungnahme]
        """,
    )
    add_post(site, "vorher", "2026-11-20 14:59 +01:00")
    add_post(site, "nachher", "2026-11-20 15:00 +01:00")
    add_post(site, "naechstes-jahr", "2027-06-01 10:00 +02:00")
    add_post(site, "stellungnahme", "2026-11-21 09:00 +01:00")
    result, _ = gate(site, at(2026, 11, 21, 10, 0))
    assert states(result) == {
        "vorher": State.PUBLISHED,
        "nachher": State.HELD,
        "stellungnahme": State.PUBLISHED,
        "naechstes-jahr": State.HELD,
    }
    stop = result.crossposting_stop()
    assert stop is not None and stop.end is None and stop.reason == "Produktrückruf"
    assert {p.note for p in result.held} == {
        "Datum im Veröffentlichungsstopp 2026-11-20 15:00 – bis auf Weiteres (Produktrückruf)"
    }


def test_the_crisis_switch_holds_everything_from_the_start_of_today(site: Site) -> None:
    write_calendar(site)
    add_post(site, "gestern", "2026-11-20 23:59 +01:00")
    add_post(site, "heute-frueh", "2026-11-21 08:00 +01:00")  # already due: out since this morning
    add_post(site, "heute-spaet", "2026-11-21 16:00 +01:00")  # scheduled later today
    add_post(site, "naechste-woche", "2026-11-24 09:00 +01:00")
    now = at(2026, 11, 21, 10, 0)

    result, report = gate(site, now, environ={"HUB_CRISIS_STOP": "Brand im Werk"})
    assert states(result) == {
        "gestern": State.PUBLISHED,
        "heute-frueh": State.HELD,
        "heute-spaet": State.HELD,
        "naechste-woche": State.HELD,
    }
    for post in result.held:
        assert "Brand im Werk" in post.note and "HUB_CRISIS_STOP" in post.note
        assert post.item.source in result.withheld_sources()
    stop = result.crossposting_stop()
    assert stop is not None and stop.reason.startswith("Brand im Werk") and stop.end is None
    assert stop.start == at(2026, 11, 21)
    assert len(of_check(report, "held-back")) == 3

    # Without the switch the same site is as usual.
    result, _ = gate(site, now, environ={})
    assert states(result)["heute-frueh"] is State.PUBLISHED and result.crossposting_stop() is None


def test_the_crisis_switch_uses_the_day_in_the_calendars_zone(site: Site) -> None:
    write_calendar(site)
    add_post(site, "kurz-nach-mitternacht", "2026-11-21 00:10 +01:00")
    # 23:30 UTC on the 20th is 00:30 on the 21st in Berlin: "today" starts at 00:00 Berlin.
    result, _ = gate(site, datetime(2026, 11, 20, 23, 30, tzinfo=UTC), environ={"HUB_CRISIS_STOP": "Sturm"})
    assert states(result) == {"kurz-nach-mitternacht": State.HELD}


def test_hub_crisis_since_moves_the_start(site: Site) -> None:
    write_calendar(site)
    add_post(site, "heute-frueh", "2026-11-21 08:00 +01:00")
    add_post(site, "vierzehn-uhr", "2026-11-21 14:00 +01:00")
    add_post(site, "vorgestern", "2026-11-19 12:00 +01:00")
    environ = {"HUB_CRISIS_STOP": "Brand im Werk", "HUB_CRISIS_SINCE": "2026-11-21 14:00 +01:00"}
    result, _ = gate(site, at(2026, 11, 21, 10, 0), environ=environ)
    assert states(result) == {
        "vorgestern": State.PUBLISHED,
        "heute-frueh": State.PUBLISHED,
        "vierzehn-uhr": State.HELD,
    }
    # An earlier start also holds what was published before today.
    environ["HUB_CRISIS_SINCE"] = "2026-11-19"
    result, _ = gate(site, at(2026, 11, 21, 10, 0), environ=environ)
    assert set(states(result).values()) == {State.HELD}
    assert result.crossposting_stop() is not None


@pytest.mark.parametrize("since", ["gestern", "21.11.2026 14:00", "2026-13-01", "2026-11-21 25:00"])
def test_an_unreadable_hub_crisis_since_stops_the_gate(site: Site, since: str) -> None:
    write_calendar(site)
    with pytest.raises(CrisisSettingError, match="HUB_CRISIS_SINCE"):
        gate(site, at(2026, 11, 21, 10, 0), environ={"HUB_CRISIS_STOP": "Brand", "HUB_CRISIS_SINCE": since})


@pytest.mark.parametrize("value", ["0", "false", "", "  ", "FALSE", "off", "no"])
def test_crisis_switch_values_that_mean_off(site: Site, value: str) -> None:
    write_calendar(site)
    add_post(site, "heute", "2026-11-21 08:00 +01:00")
    environ = {"HUB_CRISIS_STOP": value, "HUB_CRISIS_SINCE": "unlesbar"}  # not read while off
    result, _ = gate(site, at(2026, 11, 21, 10, 0), environ=environ)
    assert states(result) == {"heute": State.PUBLISHED}
    assert result.crossposting_stop() is None


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_crisis_switch_without_a_reason(site: Site, value: str) -> None:
    write_calendar(site)
    result, _ = gate(site, at(2026, 11, 21, 10, 0), environ={"HUB_CRISIS_STOP": value})
    stop = result.crossposting_stop()
    assert stop is not None and stop.reason == "Krisenschalter; gesetzt durch HUB_CRISIS_STOP"


# -- 8. A broken calendar: every problem at once ------------------------------------

BROKEN = (
    CALENDAR
    + """\
cadence:
  min_posts_per_week: -1
  weekdays: [mo, tue]
  hours: "18:00-08:00"
  stale_after_dayz: 10
approval:
  categories:
    Finanzen:
      approvers: [nobody, mmuster, eeditor]
plan:
  - id: no-topic
    due: 2026-11-24
  - topic: Ohne Id
    due: 2026-11-25
  - id: both
    topic: Beides
    due: 2026-11-24
    week: 2026-W48
  - id: bad-week
    topic: Falsche Woche
    week: 2026-W60
  - id: twice
    topic: Erstes
    due: 2026-11-26
  - id: twice
    topic: Zweites
    due: 2026-11-27
  - id: bad-channel
    topic: Kanal
    due: 2026-11-28
    channels: [linkedn]
    owner: nobody
    ownr: jdoe
  - id: Bad_Id
    topic: Großbuchstaben
    due: 24.11.2026
freeze:
  - from: 2026-12-23
    to: 2026-12-22
    reason: Rückwärts
  - from: 2026-12-24
    to: 2026-12-26
    reasn: Tippfehler
channels:
  linkedin: {type: feed}
  mastodon-x: {type: mastadon}
  intranet: {url: https://intranet.example}
"""
)


def test_every_problem_in_the_editorial_sections_is_reported_at_once(tmp_path: Path) -> None:
    calendar, findings = parse(BROKEN, tmp_path)

    def line(needle: str, occurrence: int = 1) -> int:
        return line_of(BROKEN, needle, occurrence)

    got = sorted((f.line, f.field, f.check) for f in findings)
    expected = sorted(
        [
            (line("min_posts_per_week: -1"), "cadence.min_posts_per_week", "calendar"),
            (line("weekdays: [mo, tue]"), "cadence.weekdays", "calendar"),
            (line('hours: "18:00-08:00"'), "cadence.hours", "calendar"),
            (line("stale_after_dayz"), "cadence.stale_after_dayz", "unknown-key"),
            (line("Finanzen:"), "approval.categories.Finanzen.approvers", "calendar"),  # nobody
            (line("Finanzen:"), "approval.categories.Finanzen.approvers", "calendar"),  # mmuster
            (line("id: no-topic"), "plan[0].topic", "calendar"),
            (line("topic: Ohne Id"), "plan[1].id", "calendar"),
            (line("week: 2026-W48"), "plan[2].week", "calendar"),
            (line("week: 2026-W60"), "plan[3].week", "calendar"),
            (line("id: twice", 2), "plan[5].id", "calendar"),
            (line("channels: [linkedn]"), "plan[6].channels", "unknown-channel"),
            (line("ownr: jdoe"), "plan[6].ownr", "unknown-key"),
            (line("id: bad-channel"), "plan[bad-channel].owner", "calendar"),
            (line("id: Bad_Id"), "plan[7].id", "calendar"),
            (line("due: 24.11.2026"), "plan[7].due", "calendar"),
            (line("to: 2026-12-22"), "freeze[0].to", "calendar"),
            (line("reasn: Tippfehler"), "freeze[1].reasn", "unknown-key"),
            (line("from: 2026-12-24"), "freeze[1].reason", "calendar"),
            (line("mastodon-x:"), "channels.mastodon-x.type", "calendar"),
            (line("intranet:"), "channels.intranet.type", "calendar"),
        ]
    )
    assert got == expected
    assert all(f.path == CALENDAR_PATH for f in findings)

    message = {(f.field, f.check): f.message for f in findings}
    assert "gefunden: 'mo'" in message["cadence.weekdays", "calendar"]
    assert "ab 0; gefunden: -1" in message["cadence.min_posts_per_week", "calendar"]
    assert "„08:00-18:00“" in message["cadence.hours", "calendar"]
    assert "(Meinten Sie „stale_after_days“?)" in message["cadence.stale_after_dayz", "unknown-key"]
    assert "(Meinten Sie „owner“?)" in message["plan[6].ownr", "unknown-key"]
    assert "(Meinten Sie „reason“?)" in message["freeze[1].reasn", "unknown-key"]
    assert "(Meinten Sie „linkedin“?)" in message["plan[6].channels", "unknown-channel"]
    assert "(Meinten Sie „mastodon“?)" in message["channels.mastodon-x.type", "calendar"]
    assert "gefunden: beide" in message["plan[2].week", "calendar"]
    assert "gefunden: '2026-W60'" in message["plan[3].week", "calendar"]
    assert "gefunden: „twice“ noch einmal" in message["plan[5].id", "calendar"]
    assert "erwartet: ein Ende nach 2026-12-23 00:00" in message["freeze[0].to", "calendar"]
    approvers = sorted(f.message for f in findings if f.field == "approval.categories.Finanzen.approvers")
    assert approvers == [
        "erwartet: eine Person der Redaktion; gefunden: „mmuster“ ohne das Recht „editor“",
        "erwartet: eine Team-ID; gefunden: „nobody“",
    ]

    # What could be read is kept; the rest falls back to the defaults.
    assert calendar.section(CADENCE).min_posts_per_week == 2 and calendar.section(CADENCE).weekdays == frozenset(
        range(5)
    )
    assert calendar.section(CADENCE).hours is None
    assert [slot.id for slot in calendar.section(PLAN_SECTION)] == ["twice", "bad-channel"]
    assert calendar.section(PLAN_SECTION)[0].topic == "Erstes"
    assert calendar.section(FREEZE) == []
    assert list(calendar.section(CHANNELS)) == ["linkedin"]


def test_a_valid_calendar_has_no_findings(tmp_path: Path) -> None:
    text = CALENDAR + textwrap.dedent(
        """\
        cadence:
          min_posts_per_week: 0
          max_posts_per_day: 2
          weekdays: [Monday, tue, wed]
          hours: "8:00-24:00"
          stale_after_days: 30
          lookahead_weeks: 0
        approval:
          required: 2
          since: 2026-01-01
          categories:
            Finanzen:
              approvers: [eeditor, jdoe]
              required: 1
        plan:
          - {id: a, due: 2026-11-24, topic: A, owner: jdoe, channels: [linkedin], post: x, category: Technik}
          - {id: b, week: 2026-W53, topic: B}
        freeze:
          - {from: "2026-12-23 12:00 +01:00", to: 2027-01-04, reason: Ferien, allow: [gruss]}
          - {from: 2027-02-01, reason: Krise}
        channels:
          linkedin: {type: linkedin, organization: "urn:li:organization:123", token_env: HUB_LINKEDIN_TOKEN, since: 2026-11-01}
        """
    )
    calendar, findings = parse(text, tmp_path)
    assert findings == []
    assert calendar.section(CADENCE).weekdays == frozenset({0, 1, 2})
    assert calendar.section(CADENCE).hours is not None and calendar.section(CADENCE).hours[0].hour == 8
    assert (
        calendar.section(APPROVAL).required_for("Finanzen") == 1
        and calendar.section(APPROVAL).required_for("Technik") == 2
    )
    assert calendar.section(PLAN_SECTION)[1].due_day == date(2026, 12, 30)  # the last publishing day (wed) of 2026-W53
    holiday, crisis = calendar.section(FREEZE)
    assert holiday.start == at(2026, 12, 23, 12) and holiday.end == at(2027, 1, 5) and holiday.allow == {"gruss"}
    assert crisis.end is None and crisis.start == at(2027, 2, 1)
    linkedin = calendar.section(CHANNELS)["linkedin"]
    assert linkedin.settings["organization"] == "urn:li:organization:123"
    assert linkedin.env_names() == {"token_env": "HUB_LINKEDIN_TOKEN"} and linkedin.since == at(2026, 11, 1)


def test_unknown_calendar_keys_are_warnings(site: Site) -> None:
    # README: the calendar "is validated like front matter: every problem with its line, unknown keys warned".
    write_calendar(site, "cadence:\n  min_post_per_week: 2\nchanels: {}\n")
    settings = content_settings(site.settings(prod=True))
    unknown = [f for f in check_content(settings).report.findings if f.check == "unknown-key"]
    assert {f.field for f in unknown} == {"cadence.min_post_per_week", "chanels"}
    assert {f.level for f in unknown} == {Level.WARNING}


def test_a_weekday_range_is_not_silently_read_as_monday(tmp_path: Path) -> None:
    _, findings = parse(CALENDAR + 'cadence:\n  weekdays: "mon-fri"\n', tmp_path)
    assert [f.field for f in findings] == ["cadence.weekdays"]


def test_hours_ending_after_midnight_are_refused(tmp_path: Path) -> None:
    _, findings = parse(CALENDAR + 'cadence:\n  hours: "08:00-24:30"\n', tmp_path)
    assert [f.field for f in findings] == ["cadence.hours"]


def test_a_freeze_entry_reports_all_its_problems(tmp_path: Path) -> None:
    _, findings = parse(CALENDAR + "freeze:\n  - from: 2026-12-23\n    to: bald\n", tmp_path)
    assert sorted(f.field for f in findings) == ["freeze[0].reason", "freeze[0].to"]


def test_the_crisis_switch_stops_crossposting_at_once_and_lets_the_statement_through(site: Site) -> None:
    write_calendar(site)
    add_post(site, "fruehling", "2026-11-21 09:00 +01:00")
    add_post(site, "stellungnahme", "2026-11-21 09:30 +01:00")
    environ = {
        "HUB_CRISIS_STOP": "Brand im Werk",
        "HUB_CRISIS_SINCE": "2026-11-22 00:00 +01:00",  # the hold starts later …
        "HUB_CRISIS_ALLOW": "stellungnahme, ",
    }
    result, _ = gate(site, at(2026, 11, 21, 10, 0), environ=environ)
    stop = result.crossposting_stop()  # … but cross-posting stops now
    assert stop is not None and stop.crisis and "Brand im Werk" in stop.reason
    environ["HUB_CRISIS_SINCE"] = "2026-11-21 00:00 +01:00"
    result, _ = gate(site, at(2026, 11, 21, 10, 0), environ=environ)
    assert states(result) == {"fruehling": State.HELD, "stellungnahme": State.PUBLISHED}
