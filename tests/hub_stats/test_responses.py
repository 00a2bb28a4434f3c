"""The comment inbox's figures for the KPIs: a real inbox store (SQLite, and PostgreSQL once) holding
comments, platform replies and staff answers written and approved the way the moderation does it;
business hours Monday to Friday 08:00-18:00 in Berlin, answers across an evening and a weekend; the
median and 90th percentile checked against numbers worked out by hand below."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import BERLIN
from hub_content.calendar import Calendar, parse_calendar
from hub_dialogue.deadlines import business_hours
from hub_dialogue.routing import add_business_time, business_time
from hub_inbox.model import Decision, Item, Source, Status
from hub_inbox.postgres import PostgresStore
from hub_inbox.rights import staff_answer
from hub_inbox.sqlite import SqliteStore
from hub_inbox.store import Store
from hub_stats.kpis import Period, Question
from hub_stats.responses import dialogue_figures, inbox_figures, percentile, without_contacts

CALENDAR = """\
timezone: Europe/Berlin
team:
  - {id: sroth, name: Sabine Roth, role: Leitung, email: s.roth@example.com, rights: [editor], approves: all}
  - {id: kmeier, name: Kai Meier, role: Redaktion, email: k.meier@example.com, rights: [editor], approves: all}
  - {id: maydin, name: Murat Aydin, role: Technik, email: m.aydin@example.com, rights: [author]}
  - {id: tberger, name: Tom Berger, role: Vertrieb, rights: [author]}
cadence:
  weekdays: [mon, tue, wed, thu, fri]
  hours: "08:00-18:00"
dialogue:
  respond_within: 8h
  lead: sroth
  routes:
    - {categories: [Produkte], to: maydin}
    - {topics: [Lieferzeit, Reklamation], to: tberger}
  default: sroth
"""
NEU, LAGER = "de/neu", "de/lager"
POSTS = {NEU: ("Der neue Antrieb", "Produkte"), LAGER: ("Unser Lager", "Logistik")}
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=BERLIN)  # Tuesday noon


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def calendar() -> Calendar:
    book, findings = parse_calendar(CALENDAR, display_path="editorial_calendar.yaml", content_root=Path("."))
    assert [f for f in findings if f.level.value == "error"] == []
    return book


def reader(store: Store, id: str, post: str, created: datetime, text: str, **fields: object) -> None:
    source = Source(id.split(":", 1)[0])
    store.add(Item(id, post, source, text, created, author="Karla K.", email="karla@example.org", **fields))  # type: ignore[arg-type]


def answer(store: Store, book: Calendar, parent: str, written: datetime, published: datetime | None) -> None:
    """A staff answer as the moderation writes it (the writer's approval), and the colleague's approval
    that makes it public at `published` (None: still waiting for it)."""
    post = store.get(parent).post  # type: ignore[union-attr]
    item = staff_answer(f"staff:{parent}", post, parent, "Danke, wir kümmern uns.", "sroth", "", book, written)
    store.add(item)
    if published is not None:
        store.approve(item.id, Decision("kmeier", published, "approve"), status=Status.APPROVED)


def fill(store: Store, book: Calendar) -> None:
    # Friday 17:30, half an hour before closing; answered Monday 09:00: 0:30 + 1:00 = 1:30, in time
    # (the deadline: Monday 15:30). Its topic word routes it.
    reader(store, "web:a", LAGER, at(20, 17, 30), "Wie ist die Lieferzeit für Ersatzteile?")
    answer(store, book, "web:a", at(23, 8, 40), at(23, 9, 0))
    # Friday evening, after closing: the clock starts Monday 08:00 (deadline 16:00); answered Tuesday
    # 10:00: 10:00 + 2:00 = 12:00, late.
    reader(store, "web:b", NEU, at(20, 19), "Wie laut ist der Antrieb?")
    answer(store, book, "web:b", at(24, 9), at(24, 10))
    # Saturday, on Mastodon, and a second reader below it; our answer to the second (Monday 08:30)
    # answers the first one's thread too: 0:30 each, in time. A category route takes both (no topic
    # word, though "Reklamation" is in the text: the first route that matches wins).
    reader(
        store,
        "mastodon:https://social.example/@max/1",
        NEU,
        at(21, 11),
        "@redaktion@social.example Reklamation: mein Gerät ist kaputt, schreibt mir an max@example.org",
        handle="@max@social.example",
    )
    reader(
        store,
        "mastodon:https://social.example/@eva/2",
        NEU,
        at(21, 12),
        "@max Bei mir auch, fragt @anna.bsky.social",
        handle="@eva@social.example",
        parent="mastodon:https://social.example/@max/1",
    )
    answer(store, book, "mastodon:https://social.example/@eva/2", at(23, 8, 10), at(23, 8, 30))
    # Tuesday on Bluesky, answered in 0:45.
    reader(
        store, "bluesky:at://did:plc:leser/app.bsky.feed.post/3l1", LAGER, at(24, 9), "Wann kommt meine Reklamation?"
    )
    answer(store, book, "bluesky:at://did:plc:leser/app.bsky.feed.post/3l1", at(24, 9, 30), at(24, 9, 45))
    # Thursday 08:00, answered 10:30: 2:30.
    reader(store, "web:g", LAGER, at(26, 8), "Gibt es Lieferzeit-Infos für Österreich?")
    answer(store, book, "web:g", at(26, 10), at(26, 10, 30))
    # Unanswered: Wednesday (its deadline, 18:00 that day, has passed) and Monday 17:00 (deadline
    # Tuesday 15:00, after NOW) whose answer is approved only after NOW.
    reader(store, "web:c", LAGER, at(25, 10), "Danke für den Beitrag!")
    answer(store, book, "web:c", at(25, 11), None)  # the colleague has not approved it yet
    reader(store, "web:f", NEU, at(30, 17), "Gibt es den Antrieb auch in Blau?")
    answer(store, book, "web:f", at(1, 9, month=12), at(1, 14, month=12))
    # Rejected: one of the post's comments, owed no answer. Spam and deleted ones: not counted at all.
    reader(store, "web:r", NEU, at(26, 10), "Ihr seid alle …")
    store.decide("web:r", Status.REJECTED, Decision("sroth", at(26, 11), "reject", "Beleidigung"))
    store.add(Item("web:s", LAGER, Source.WEB, "Casino!", at(26, 9), status=Status.SPAM))
    reader(store, "web:d", LAGER, at(26, 9), "Frage")
    store.decide("web:d", Status.DELETED, Decision("system", at(26, 10), "delete", "vom Verfasser gelöscht"))
    # October: another period.
    reader(store, "web:old", NEU, at(30, 10, month=10), "Schon im Oktober gefragt")


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(tmp_path / "inbox.sqlite")
    yield store
    store.close()


def check(store: Store) -> None:
    book = calendar()
    fill(store, book)
    figures = dialogue_figures(store, book, POSTS, NOVEMBER, NOW)

    assert figures.comments == {LAGER: 4, NEU: 5}
    assert figures.by_source == {"bluesky": 1, "mastodon": 2, "web": 6}
    times = figures.responses
    assert (times.deadline, times.received, times.answered, times.in_time, times.late, times.open) == (
        timedelta(hours=8),
        8,
        6,
        5,
        1,
        2,
    )
    # Business time, sorted: 0:30, 0:30, 0:45, 1:30, 2:30, 12:00. The median is the mean of the
    # middle two, (0:45 + 1:30) / 2 = 1:07:30; the 90th percentile by nearest rank is the
    # ceil(0.9 × 6) = 6th value.
    assert times.median == timedelta(hours=1, minutes=7, seconds=30)
    assert times.p90 == timedelta(hours=12)

    questions = {question.received: question for question in figures.questions}
    assert len(questions) == 8
    assert questions[at(20, 17, 30)] == Question(
        post=LAGER,
        title="Unser Lager",
        source="web",
        received=at(20, 17, 30),
        text="Wie ist die Lieferzeit für Ersatzteile?",
        topic="Lieferzeit",
        answered=at(23, 9),
        in_time=True,
    )
    late = questions[at(20, 19)]
    assert (late.topic, late.answered, late.in_time) == ("", at(24, 10), False)
    first, second = questions[at(21, 11)], questions[at(21, 12)]
    assert (first.source, first.topic, first.answered, first.in_time) == ("mastodon", "", at(23, 8, 30), True)
    assert first.text == "Reklamation: mein Gerät ist kaputt, schreibt mir an …@…"  # no handle, no address
    assert second.text == "Bei mir auch, fragt @…" and second.answered == at(23, 8, 30)
    assert (questions[at(24, 9)].topic, questions[at(26, 8)].topic) == ("Reklamation", "Lieferzeit")
    overdue, waiting = questions[at(25, 10)], questions[at(30, 17)]
    assert (overdue.answered, overdue.in_time, overdue.topic) == (None, False, "")
    assert (waiting.answered, waiting.in_time) == (None, None)
    texts = " ".join(question.text for question in figures.questions)
    assert "Karla" not in texts and "karla@" not in texts and "Beleidigung" not in texts and "Ihr seid" not in texts
    assert {question.answered.tzinfo is not None for question in figures.questions if question.answered} == {True}

    # A day later the Monday comment's deadline has passed and its answer is public, in time.
    later = dialogue_figures(store, book, POSTS, NOVEMBER, at(2, 12, month=12))
    assert (later.responses.answered, later.responses.in_time, later.responses.open) == (7, 6, 1)
    # Business time from Monday 17:00 to Tuesday 14:00: 1:00 + 6:00 = 7:00; sorted 0:30, 0:30, 0:45,
    # 1:30, 2:30, 7:00, 12:00: the median is the 4th value, the 90th percentile the ceil(6.3) = 7th.
    assert (later.responses.median, later.responses.p90) == (timedelta(hours=1, minutes=30), timedelta(hours=12))


def test_the_dialogue_figures_of_a_month_from_sqlite(sqlite_store: SqliteStore) -> None:
    check(sqlite_store)


def test_the_dialogue_figures_of_a_month_from_postgresql(postgres_url: str) -> None:
    store = PostgresStore(postgres_url)
    try:
        check(store)
    finally:
        store.close()


def test_without_respond_within_nothing_is_late(sqlite_store: SqliteStore) -> None:
    text = CALENDAR.replace("  respond_within: 8h\n", "")
    book, _findings = parse_calendar(text, display_path="editorial_calendar.yaml", content_root=Path("."))
    fill(sqlite_store, book)
    times = dialogue_figures(sqlite_store, book, POSTS, NOVEMBER, NOW).responses
    assert (times.deadline, times.answered, times.in_time, times.late) == (None, 6, 6, 0)


def test_the_settings_inbox_is_read_read_only_and_no_inbox_is_none(tmp_path: Path) -> None:
    book = calendar()
    database = tmp_path / "var" / "inbox.sqlite"
    settings = {"PATH": str(tmp_path / "content"), "HUB_INBOX_DATABASE": "var/inbox.sqlite"}
    assert inbox_figures(settings, book, POSTS, NOVEMBER, NOW) is None and not database.exists()
    store = SqliteStore(database)
    fill(store, book)
    store.close()
    before = database.read_bytes()
    figures = inbox_figures(settings, book, POSTS, NOVEMBER, NOW)
    assert figures is not None and figures.responses.received == 8
    assert database.read_bytes() == before
    assert inbox_figures({**settings, "HUB_INBOX_DATABASE": None}, book, POSTS, NOVEMBER, NOW) is None


def test_percentiles_by_nearest_rank_checked_by_hand() -> None:
    minutes = [timedelta(minutes=m) for m in (50, 10, 40, 20, 30, 100, 60, 70, 80, 90, 5)]
    # Sorted: 5 10 20 30 40 50 60 70 80 90 100 (11 values): the 90th percentile is the
    # ceil(9.9) = 10th, 90 min; the 50th the ceil(5.5) = 6th, 50 min; the 100th the largest.
    assert percentile(minutes, 90) == timedelta(minutes=90)
    assert percentile(minutes, 50) == timedelta(minutes=50)
    assert percentile(minutes, 100) == timedelta(minutes=100)
    assert percentile(minutes[:1], 90) == timedelta(minutes=50) and percentile([], 90) is None


def test_business_time_is_the_inverse_of_the_deadline_arithmetic() -> None:
    hours = business_hours(calendar())
    # Friday 17:30 to Monday 09:00 is 1:30 of business time; the night and the weekend do not count.
    assert business_time(at(20, 17, 30), at(23, 9), hours) == timedelta(hours=1, minutes=30)
    assert business_time(at(21, 10), at(22, 20), hours) == timedelta(0)  # a weekend
    assert business_time(at(23, 10), at(23, 9), hours) == timedelta(0)  # the end before the start
    # Across the end of summer time (Sunday 2026-10-25): Friday 17:00 to Monday 09:00 is 2:00.
    assert business_time(at(23, 17, month=10), at(26, 9, month=10), hours) == timedelta(hours=2)
    for start in (at(20, 17, 30), at(21, 3), at(24, 12, 15), at(23, 16, month=10)):
        for amount in (timedelta(minutes=20), timedelta(hours=8), timedelta(hours=27, minutes=5)):
            assert business_time(start, add_business_time(start, amount, hours), hours) == amount


def test_questions_carry_no_contacts() -> None:
    assert without_contacts("@hub@social.example @anna Danke! Schreiben Sie an a.b+c@firma.example.de") == (
        "Danke! Schreiben Sie an …@…"
    )
    assert without_contacts("Frage an @maria.bsky.social: wann?") == "Frage an @…: wann?"
    assert without_contacts("Preis 5 € @ 10 Stück, E-Mail folgt") == "Preis 5 € @ 10 Stück, E-Mail folgt"
