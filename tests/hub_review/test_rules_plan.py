"""The editorial plan as pure rules: hub_review.plan links slots and posts and judges each slot.

Plain PlanSlot and PostReview values and a fixed "now" (Saturday 21.11.2026 10:00 in Berlin).
A slot is at risk from the day after its approval deadline, two working days before it is due.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hub_content.calendar import Calendar
from hub_content.model import ContentItem
from hub_review.approval import Verdict
from hub_review.calendar_sections import PlanSlot
from hub_review.plan import SlotState, link, review_slots
from hub_review.states import PostReview, State
from hub_review.weeks import working_days_before

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)
CALENDAR = Calendar("editorial_calendar.yaml")


def slot(slot_id: str, due_day: date, *, post: str = "", line: int = 12) -> PlanSlot:
    # `due` is the midnight after the due day, as the calendar parser sets it.
    due = datetime.combine(due_day + timedelta(days=1), datetime.min.time(), tzinfo=BERLIN)
    return PlanSlot(slot_id, due, f"Thema {slot_id}", line, post=post)


def review(slug: str, state: State, *, when: datetime | None = None, plan: str | None = None) -> PostReview:
    item = ContentItem(
        f"content/posts/2026/{slug}.md",
        Path(f"/site/content/posts/2026/{slug}.md"),
        "article",
        date=when or datetime(2026, 11, 18, 9, 0, tzinfo=BERLIN),
        plan=plan,
        lines={"plan": 6},
    )
    return PostReview(item, slug, state, Verdict(1), note="not approved yet")


def states(slots: list[PlanSlot], posts: list[PostReview], now: datetime = NOW) -> dict[str, SlotState]:
    linked, _ = link(slots, posts, CALENDAR)
    reviews, _ = review_slots(slots, linked, CALENDAR, now)
    return {r.slot.id: r.state for r in reviews}


# -- link -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["motor", "content/posts/2026/motor.md", "posts/2026/motor.md", "2026/motor.md", "motor.md"]
)
def test_a_slot_names_its_post_by_slug_or_any_tail_of_its_path(name: str) -> None:
    post = review("motor", State.PUBLISHED)
    linked, findings = link([slot("s", date(2026, 11, 18), post=name)], [post], CALENDAR)
    assert findings == []
    assert linked == {"s": [post]}


def test_a_post_names_its_slot_with_plan() -> None:
    post = review("motor", State.IN_REVIEW, plan="s")
    linked, findings = link([slot("s", date(2026, 12, 10))], [post], CALENDAR)
    assert (linked, findings) == ({"s": [post]}, [])


def test_a_slot_naming_no_post_is_an_error_with_a_suggestion() -> None:
    _, [finding] = link([slot("s", date(2026, 12, 10), post="motr")], [review("motor", State.DRAFT)], CALENDAR)
    assert (finding.check, finding.path, finding.line, finding.field) == (
        "slot-unknown-post",
        "editorial_calendar.yaml",
        12,
        "plan[s].post",
    )
    assert "gefunden: „motr“" in finding.message and "motor" in finding.message


def test_a_post_naming_no_slot_is_an_error_at_its_plan_line() -> None:
    _, [finding] = link([slot("s", date(2026, 12, 10))], [review("motor", State.DRAFT, plan="t")], CALENDAR)
    assert (finding.check, finding.path, finding.line, finding.field) == (
        "unknown-slot",
        "content/posts/2026/motor.md",
        6,
        "plan",
    )


# -- review_slots ---------------------------------------------------------------------------------


def test_every_slot_state_on_a_fixed_day() -> None:
    slots = [
        slot("erschienen", date(2026, 11, 18), post="erschienen"),
        slot("verpasst", date(2026, 11, 20)),
        slot("knapp", date(2026, 11, 24)),
        slot("fertig", date(2026, 11, 25), post="fertig"),
        slot("offen", date(2026, 12, 10)),
        slot("in-arbeit", date(2026, 12, 10), post="arbeit"),
    ]
    posts = [
        review("erschienen", State.PUBLISHED),
        review("fertig", State.SCHEDULED, when=datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)),
        review("arbeit", State.IN_REVIEW),
    ]
    assert states(slots, posts) == {
        "erschienen": SlotState.PUBLISHED,
        "verpasst": SlotState.MISSED,
        "knapp": SlotState.AT_RISK,
        "fertig": SlotState.READY,
        "offen": SlotState.OPEN,
        "in-arbeit": SlotState.WRITING,
    }


def test_missed_and_at_risk_slots_are_findings_with_the_reason() -> None:
    slots = [slot("verpasst", date(2026, 11, 20), line=3), slot("knapp", date(2026, 11, 24), line=8)]
    linked, _ = link(slots, [], CALENDAR)
    reviews, findings = review_slots(slots, linked, CALENDAR, NOW)
    assert [(f.check, f.line, f.field) for f in findings] == [
        ("slot-missed", 3, "plan[verpasst]"),
        ("slot-at-risk", 8, "plan[knapp]"),
    ]
    assert findings[0].message == "„Thema verpasst“: fällig am 2026-11-20, Termin verstrichen: kein Beitrag geschrieben"
    assert reviews[1].note == (
        "fällig am 2026-11-24, noch kein Beitrag: Die Freigabe war bis 2026-11-20 fällig (2 Arbeitstage vorher)"
    )


def test_a_due_slot_whose_post_is_only_scheduled_is_missed() -> None:
    post = review("spät", State.SCHEDULED, when=datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN))
    assert states([slot("s", date(2026, 11, 20), post="spät")], [post]) == {"s": SlotState.MISSED}


def test_the_best_linked_post_decides() -> None:
    posts = [review("entwurf", State.DRAFT, plan="s"), review("genehmigt", State.APPROVED, plan="s")]
    assert states([slot("s", date(2026, 12, 10))], posts) == {"s": SlotState.READY}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 20, 23, 59, tzinfo=BERLIN), SlotState.OPEN),
        (datetime(2026, 11, 21, 0, 0, tzinfo=BERLIN), SlotState.AT_RISK),
        (datetime(2026, 11, 24, 23, 59, tzinfo=BERLIN), SlotState.AT_RISK),
        (datetime(2026, 11, 25, 0, 0, tzinfo=BERLIN), SlotState.MISSED),
    ],
)
def test_at_risk_starts_the_day_after_the_approval_deadline(now: datetime, expected: SlotState) -> None:
    assert states([slot("s", date(2026, 11, 24))], [], now) == {"s": expected}


def test_working_days_skip_the_weekend() -> None:
    assert working_days_before(date(2026, 11, 24), 2) == date(2026, 11, 20)  # Tue -> Fri
    assert working_days_before(date(2026, 11, 23), 2) == date(2026, 11, 19)  # Mon -> Thu
    assert working_days_before(date(2026, 11, 25), 0) == date(2026, 11, 25)
