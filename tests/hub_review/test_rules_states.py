"""A post's review state as a pure rule: hub_review.states.decide on plain data.

status, verdict, "is it due", freeze in; one State and the note editors read out.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hub_content.model import ApprovalRecord, ContentItem
from hub_review.approval import Problem, Verdict
from hub_review.calendar_sections import FreezeWindow
from hub_review.states import PostReview, State, decide

BERLIN = ZoneInfo("Europe/Berlin")
WHEN = "2026-11-25 09:00"
RECORD = ApprovalRecord("eeditor", datetime(2026, 11, 19, 15, 0, tzinfo=BERLIN), "sha256:old", 7)
APPROVED = Verdict(1, valid=(RECORD,))
MISSING = Verdict(1)
STALE = Verdict(1, problems=(Problem(RECORD, "approval-stale", "content changed after approval: re-approve"),))
FREEZE = FreezeWindow(datetime(2026, 11, 24, tzinfo=BERLIN), datetime(2026, 11, 27, tzinfo=BERLIN), "Messe", line=3)


@pytest.mark.parametrize("status", ["draft", "skip"])
def test_drafts_are_drafts_whatever_their_approval(status: str) -> None:
    assert decide(status, APPROVED, True, None, WHEN) == (State.DRAFT, "")


def test_an_approved_post_in_review_waits_to_be_released() -> None:
    assert decide("review", APPROVED, False, None, WHEN) == (
        State.APPROVED,
        "setzen Sie status: published, damit er am 2026-11-25 09:00 erscheint",
    )


def test_a_post_in_review_without_approval_is_in_review() -> None:
    assert decide("review", MISSING, False, None, WHEN) == (
        State.IN_REVIEW,
        "noch nicht freigegeben: nötig ist eine Freigabe",
    )


def test_a_post_in_review_with_a_stale_approval_is_stale() -> None:
    state, note = decide("review", STALE, False, None, WHEN)
    assert state is State.STALE
    assert note == "content changed after approval: re-approve"


@pytest.mark.parametrize("status", ["published", "hidden"])
def test_a_released_post_without_approval_is_held(status: str) -> None:
    assert decide(status, MISSING, True, None, WHEN) == (State.HELD, "noch nicht freigegeben: nötig ist eine Freigabe")


def test_an_approved_post_inside_a_freeze_is_held_and_names_the_window() -> None:
    assert decide("published", APPROVED, True, FREEZE, WHEN) == (
        State.HELD,
        "Datum im Veröffentlichungsstopp 2026-11-24 00:00 – 2026-11-27 00:00 (Messe)",
    )


def test_an_approved_released_post_is_scheduled_until_due_then_published() -> None:
    assert decide("published", APPROVED, False, None, WHEN) == (State.SCHEDULED, "erscheint am 2026-11-25 09:00")
    assert decide("published", APPROVED, True, None, WHEN) == (State.PUBLISHED, "")


def review(state: State, *, slug: str = "motor", translation_of: str | None = None) -> PostReview:
    item = ContentItem("content/posts/motor.md", Path("/site/motor.md"), "article", translation_of=translation_of)
    return PostReview(item, slug, state, APPROVED)


def test_only_published_posts_go_out() -> None:
    assert [s for s in State if review(s).goes_out] == [State.PUBLISHED]


def test_published_and_scheduled_posts_count_for_cadence() -> None:
    assert {s for s in State if review(s).counts_for_cadence} == {State.PUBLISHED, State.SCHEDULED}


def test_a_translation_is_grouped_with_its_original() -> None:
    assert review(State.PUBLISHED, slug="motor-en", translation_of="motor").group == "motor"
    assert review(State.PUBLISHED, slug="motor").group == "motor"
