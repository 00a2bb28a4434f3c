"""Routing and response times: who gets an item, its deadline in business hours (weekends, the
daylight-saving changes on the last Sundays of March and October, the year's end), escalation
and overdue, with fixed datetimes in Europe/Berlin; and the calendar's `dialogue:` section."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hub_content.calendar import parse_calendar
from hub_dialogue.calendar_sections import DIALOGUE
from hub_dialogue.routing import (
    ESCALATE,
    ROUTE,
    BusinessHours,
    DialogueRules,
    Route,
    add_business_time,
    assignee,
    business_time,
    notices_due,
    overdue,
    tracked_items,
)
from hub_inbox.model import Decision, Item, Source, Status

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = BusinessHours(frozenset(range(5)), (time(8), time(18)), BERLIN)  # Mon–Fri 08:00–18:00
ROUND_THE_CLOCK = BusinessHours(frozenset(range(7)), None, BERLIN)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("start", "hours", "deadline"),
    [
        ("2026-11-18 09:00", 8, "2026-11-18 17:00"),  # within one day
        ("2026-11-18 15:00", 8, "2026-11-19 13:00"),  # across the night
        ("2026-11-18 06:30", 2, "2026-11-18 10:00"),  # before opening: counts from 08:00
        ("2026-11-18 19:00", 1, "2026-11-19 09:00"),  # after closing: counts from the next morning
        ("2026-11-20 16:00", 8, "2026-11-23 14:00"),  # Friday afternoon: across the weekend
        ("2026-11-21 11:00", 8, "2026-11-23 16:00"),  # written on Saturday: Monday's hours
        ("2026-12-31 17:00", 3, "2027-01-01 10:00"),  # the year's end (a Friday after Thursday)
        ("2027-12-31 17:00", 3, "2028-01-03 10:00"),  # Friday 31 December: into the new year's Monday
    ],
)
def test_deadlines_count_business_hours_only(start: str, hours: int, deadline: str) -> None:
    assert add_business_time(at(start), timedelta(hours=hours), OFFICE) == at(deadline)


def test_a_window_keeps_its_wall_clock_edges_across_the_march_change() -> None:
    # Friday 2026-03-27 17:00 CET; the clocks go forward on Sunday 29 March; Monday is CEST.
    deadline = add_business_time(at("2026-03-27 17:00"), timedelta(hours=3), OFFICE)
    assert deadline == at("2026-03-30 10:00")
    assert deadline.utcoffset() == timedelta(hours=2)
    assert deadline.astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_a_window_keeps_its_wall_clock_edges_across_the_october_change() -> None:
    # Friday 2026-10-23 17:00 CEST; back on Sunday 25 October; Monday is CET.
    deadline = add_business_time(at("2026-10-23 17:00"), timedelta(hours=3), OFFICE)
    assert deadline == at("2026-10-26 10:00")
    assert deadline.astimezone(UTC) == datetime(2026, 10, 26, 9, 0, tzinfo=UTC)


def test_hours_that_really_pass_count_on_the_short_and_the_long_sunday() -> None:
    # Without an hours window the whole day counts: 29 March has 23 hours, 25 October 25.
    spring = add_business_time(at("2026-03-29 00:00"), timedelta(hours=24), ROUND_THE_CLOCK)
    assert spring == at("2026-03-30 01:00")
    autumn = add_business_time(at("2026-10-25 00:00"), timedelta(hours=24), ROUND_THE_CLOCK)
    assert autumn == at("2026-10-25 23:00")


def test_a_deadline_is_counted_from_any_zone_the_item_was_stored_in() -> None:
    created = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert add_business_time(created, timedelta(hours=8), OFFICE) == at("2026-11-18 17:00")


def test_business_hours_that_never_open_are_refused() -> None:
    with pytest.raises(ValueError, match="no business hours"):
        add_business_time(at("2026-11-18 09:00"), timedelta(hours=1), BusinessHours(frozenset(), None, BERLIN))


RULES = DialogueRules(
    respond_within=timedelta(hours=8),
    escalate_after=timedelta(hours=6),
    lead="sroth",
    routes=(
        Route("maydin", categories=frozenset({"Produkte"})),
        Route("tberger", topics=("Reklamation", "Lieferzeit")),
        Route("jweber", categories=frozenset({"Technik"}), topics=("Kälte",)),
    ),
    default="kdefault",
)


@pytest.mark.parametrize(
    ("category", "text", "to"),
    [
        ("Produkte", "Gibt es das auch in Blau?", "maydin"),
        ("Produkte", "Meine Reklamation!", "maydin"),  # the first route that matches
        ("Allgemein", "Wie lang ist die Lieferzeit?", "tberger"),
        ("Allgemein", "eine REKLAMATION", "tberger"),  # case-insensitive
        ("Allgemein", "Reklamationsabteilung?", "kdefault"),  # whole words only
        ("Technik", "Hält das die Kälte aus?", "jweber"),  # both conditions
        ("Technik", "Hält das?", "kdefault"),  # only one of them
        ("", "Hallo", "kdefault"),
    ],
)
def test_an_item_goes_to_the_first_matching_route_else_the_default(category: str, text: str, to: str) -> None:
    assert assignee(RULES, category, text) == to


def test_without_a_default_the_lead_gets_what_no_route_takes() -> None:
    assert assignee(DialogueRules(lead="sroth"), "", "Hallo") == "sroth"


def item(
    created: str, *, status: Status = Status.PENDING, source: Source = Source.WEB, sent: tuple[str, ...] = ()
) -> Item:
    log = tuple(Decision("system", at(created), action, "x") for action in sent)
    return Item(
        f"web:{created}{status}{source}",
        "de/a",
        source,
        "Wann kommt die Lieferung?",
        at(created),
        status,
        decisions=log,
    )


def test_escalation_comes_before_the_deadline_and_each_notice_once() -> None:
    waiting = item("2026-11-18 09:00")  # deadline 17:00, escalation 15:00
    tracked = tracked_items([waiting], {}, RULES, OFFICE)
    assert [(t.to, t.deadline, t.escalate_at) for t in tracked] == [
        ("kdefault", at("2026-11-18 17:00"), at("2026-11-18 15:00"))
    ]
    assert [(n.kind, n.to) for n in notices_due(tracked, RULES, at("2026-11-18 09:05"))] == [(ROUTE, "kdefault")]
    assert [(n.kind, n.to) for n in notices_due(tracked, RULES, at("2026-11-18 15:00"))] == [
        (ROUTE, "kdefault"),
        (ESCALATE, "sroth"),
    ]
    routed = tracked_items([item("2026-11-18 09:00", sent=(ROUTE,))], {}, RULES, OFFICE)
    assert [(n.kind, n.to) for n in notices_due(routed, RULES, at("2026-11-18 15:00"))] == [(ESCALATE, "sroth")]
    both = tracked_items([item("2026-11-18 09:00", sent=(ROUTE, ESCALATE))], {}, RULES, OFFICE)
    assert notices_due(both, RULES, at("2026-11-20 15:00")) == []


def test_only_pending_items_of_readers_are_tracked_and_overdue_after_the_deadline() -> None:
    items = [
        item("2026-11-18 09:00"),
        item("2026-11-17 09:00"),
        item("2026-11-18 09:00", status=Status.APPROVED),
        item("2026-11-18 09:00", status=Status.SPAM),
        item("2026-11-18 09:00", source=Source.STAFF),
        item("2026-11-18 10:00", source=Source.MASTODON),
    ]
    tracked = tracked_items(items, {"de/a": "Produkte"}, RULES, OFFICE)
    assert [t.item.created for t in tracked] == [at("2026-11-18 09:00"), at("2026-11-17 09:00"), at("2026-11-18 10:00")]
    assert all(t.to == "maydin" for t in tracked)
    assert [t.item.created for t in overdue(tracked, at("2026-11-18 16:59"))] == [at("2026-11-17 09:00")]
    late = overdue(tracked, at("2026-11-18 18:00"))
    assert [t.deadline for t in late] == [at("2026-11-17 17:00"), at("2026-11-18 17:00"), at("2026-11-18 18:00")]


def test_without_respond_within_nothing_is_due_or_overdue() -> None:
    tracked = tracked_items([item("2026-11-18 09:00")], {}, DialogueRules(default="sroth"), OFFICE)
    assert tracked[0].deadline is None and overdue(tracked, at("2027-01-01 00:00")) == []


# The calendar's section

TEAM = """timezone: Europe/Berlin
team:
  - {id: sroth, name: Sabine Roth, role: Leitung, rights: [editor]}
  - {id: maydin, name: Mert Aydin, role: Produkte, rights: [author]}
channels:
  chat: {type: webhook, url_env: HUB_CHAT_URL, format: teams, since: 2026-01-01}
  feed: {type: feed}
"""


def parse(section: str) -> tuple[DialogueRules, list[str]]:
    calendar, findings = parse_calendar(TEAM + section, display_path="editorial_calendar.yaml", content_root=Path("."))
    return calendar.section(DIALOGUE), [f"{f.line}: {f.field}: {f.message}" for f in findings]


def test_the_section_reads_into_rules() -> None:
    rules, findings = parse(
        "dialogue:\n  respond_within: 1h30m\n  escalate_after: 45m\n  lead: sroth\n  words: [Casino, Viagra]\n"
        "  routes:\n    - {categories: [Produkte], to: maydin}\n    - {topics: Lieferzeit, to: maydin}\n"
        "  default: sroth\n  webhook: chat\n"
    )
    assert findings == []
    assert rules.respond_within == timedelta(minutes=90) and rules.escalate_after == timedelta(minutes=45)
    assert rules.words == ("Casino", "Viagra")
    assert rules.routes == (
        Route("maydin", frozenset({"Produkte"}), (), 14),
        Route("maydin", frozenset(), ("Lieferzeit",), 15),
    )
    assert (rules.lead, rules.default, rules.webhook) == ("sroth", "sroth", "chat")


def test_every_mistake_in_the_section_is_reported_at_its_line_in_german() -> None:
    _, findings = parse(
        "dialogue:\n  respond_within: 8 Stunden\n  escalate_after: 6h\n  lead: sroht\n  routes:\n"
        "    - {categories: [Produkte], to: maydn}\n    - {to: maydin}\n  default: sroth\n  webhook: feed\n"
        "  respons_within: 8h\n"
    )
    assert findings == [
        "17: dialogue.respons_within: unbekanntes Feld (Meinten Sie „respond_within“?); bekannte Felder: "
        "respond_within, escalate_after, lead, words, routes, default, webhook",
        "9: dialogue.respond_within: erwartet: Geschäftszeit wie 8h, 90m oder 1h30m; gefunden: '8 Stunden'",
        "14: dialogue.routes[1]: erwartet: „categories“ oder „topics“ (oder beides); gefunden: keins von beiden",
        "11: dialogue.lead: erwartet: eine Team-ID (Meinten Sie „sroth“?); gefunden: „sroht“",
        "13: dialogue.routes[0].to: erwartet: eine Team-ID (Meinten Sie „maydin“?); gefunden: „maydn“",
        "16: dialogue.webhook: erwartet: ein Webhook-Kanal aus den Kanälen des Redaktionskalenders (chat); "
        "gefunden: „feed“",
    ]


def test_escalation_must_come_before_the_deadline() -> None:
    _, findings = parse("dialogue:\n  respond_within: 4h\n  escalate_after: 4h\n  lead: sroth\n")
    assert findings == [
        "10: dialogue.escalate_after: erwartet: weniger als respond_within, damit die Leitung vor Fristablauf "
        "davon erfährt"
    ]


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2026-11-18 09:00", "2026-11-18 17:00", 8),  # within one day
        ("2026-11-20 17:00", "2026-11-23 09:00", 2),  # Friday's last hour, Monday's first
        ("2026-11-21 10:00", "2026-11-22 20:00", 0),  # a weekend
        ("2026-11-18 19:00", "2026-11-19 07:00", 0),  # a night
        ("2026-11-18 12:00", "2026-11-18 11:00", 0),  # the end before the start
        ("2026-11-16 08:00", "2026-11-23 08:00", 50),  # a week
    ],
)
def test_business_time_two_moments(start: str, end: str, hours: int) -> None:
    assert business_time(at(start), at(end), OFFICE) == timedelta(hours=hours)


def test_business_time_undoes_a_deadline() -> None:
    for start in ("2026-11-18 09:00", "2026-11-20 16:30", "2026-03-27 17:00", "2026-12-24 12:00"):
        for hours in (1, 8, 30):
            deadline = add_business_time(at(start), timedelta(hours=hours), OFFICE)
            assert business_time(at(start), deadline, OFFICE) == timedelta(hours=hours)
