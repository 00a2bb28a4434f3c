"""Cadence as pure rules: hub_review.cadence on reviewed posts, a calendar and a fixed "now".

Is the blog fresh (stale-blog), are the coming weeks filled (gap-ahead), are days crowded or
posts off the publishing days and hours (crowded-day, off-hours)? Findings are compared by
check, place and message, so each test fails when the rule changes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hub_content.calendar import Calendar
from hub_content.model import ApprovalRecord, ContentItem
from hub_review.approval import Verdict
from hub_review.cadence import crowding, gaps_ahead, silent_days, stale_blog, thin_weeks
from hub_review.calendar_sections import Cadence, FreezeWindow
from hub_review.states import PostReview, State

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=BERLIN)  # Saturday of ISO week 2026-W47
CALENDAR_PATH = "editorial_calendar.yaml"
APPROVED = Verdict(1, valid=(ApprovalRecord("eeditor", NOW, "sha256:x", 5),))


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def calendar(cadence: Cadence | None = None) -> Calendar:
    return Calendar(CALENDAR_PATH, sections={"cadence": cadence or Cadence()}, lines={"cadence": 9})


def review(
    slug: str,
    when: datetime,
    state: State = State.PUBLISHED,
    *,
    translation_of: str | None = None,
    status: str = "published",
) -> PostReview:
    item = ContentItem(
        f"content/posts/{slug}.md",
        Path(f"/site/content/posts/{slug}.md"),
        "article",
        title=slug.capitalize(),
        date=when,
        status=status,
        translation_of=translation_of,
        lines={"date": 4},
    )
    verdict = APPROVED if state in (State.PUBLISHED, State.SCHEDULED, State.APPROVED) else Verdict(1)
    return PostReview(item, slug, state, verdict)


def window(start: datetime, end: datetime | None, reason: str = "Messe") -> FreezeWindow:
    return FreezeWindow(start, end, reason, line=20)


# -- stale-blog -------------------------------------------------------------------------------------


def test_a_blog_without_a_published_post_is_stale() -> None:
    [finding] = stale_blog([review("plan", at(11, 25), State.SCHEDULED)], calendar(), NOW)
    assert (finding.check, finding.path, finding.line, finding.field) == (
        "stale-blog",
        CALENDAR_PATH,
        0,
        "cadence.stale_after_days",
    )
    assert finding.message == "erwartet: mindestens ein veröffentlichter Beitrag; gefunden: keiner"


def test_a_blog_whose_posts_are_all_held_says_so() -> None:
    [finding] = stale_blog([review("wartet", at(11, 20), State.HELD)], calendar(), NOW)
    assert "gefunden: keiner. Ein Beitrag wird zurückgehalten, weil er nicht freigegeben ist." in finding.message


def test_the_newest_post_may_be_exactly_stale_after_days_old() -> None:
    assert stale_blog([review("alt", NOW - timedelta(days=14))], calendar(), NOW) == []
    [finding] = stale_blog([review("alt", NOW - timedelta(days=15)), review("älter", at(10, 1))], calendar(), NOW)
    assert (finding.path, finding.line, finding.field) == ("content/posts/alt.md", 4, "date")
    assert "gefunden: der neueste, „Alt“, ist 15 Tage alt" in finding.message


def test_stale_after_days_comes_from_the_calendar() -> None:
    posts = [review("alt", NOW - timedelta(days=8))]
    assert stale_blog(posts, calendar(Cadence(stale_after_days=10)), NOW) == []
    assert [f.check for f in stale_blog(posts, calendar(Cadence(stale_after_days=7)), NOW)] == ["stale-blog"]


def test_time_inside_a_freeze_is_not_silence() -> None:
    posts = [review("alt", NOW - timedelta(days=20))]
    freeze = window(NOW - timedelta(days=15), NOW - timedelta(days=8))
    assert silent_days(NOW - timedelta(days=20), NOW, [freeze]) == 13.0
    assert stale_blog(posts, calendar(), NOW, [freeze]) == []


def test_no_stale_blog_while_a_freeze_covers_now() -> None:
    assert stale_blog([], calendar(), NOW, [window(at(11, 20), None, "Krise")]) == []


# -- gap-ahead ------------------------------------------------------------------------------------


def test_each_week_up_to_the_lookahead_needs_the_minimum() -> None:
    posts = [review("diese", at(11, 19)), review("wartet", at(11, 20), State.IN_REVIEW)]
    findings = gaps_ahead(posts, calendar(Cadence(min_posts_per_week=2, lookahead_weeks=1)), NOW)
    assert [(f.check, f.path, f.line, f.field) for f in findings] == [
        ("gap-ahead", CALENDAR_PATH, 9, "cadence.min_posts_per_week"),
        ("gap-ahead", CALENDAR_PATH, 9, "cadence.min_posts_per_week"),
    ]
    assert findings[0].message == (
        "erwartet: 2 freigegebene Beiträge in Woche 2026-W47 (ab 16.11.); gefunden: 1, es fehlen 1 (1 weitere warten auf Freigabe)"
    )
    assert (
        findings[1].message
        == "erwartet: 2 freigegebene Beiträge in Woche 2026-W48 (ab 23.11.); gefunden: 0, es fehlen 2"
    )


def test_a_translation_counts_once_for_its_week() -> None:
    posts = [
        review("motor", at(11, 24), State.SCHEDULED),
        review("motor-en", at(11, 24), State.SCHEDULED, translation_of="motor"),
    ]
    [finding] = gaps_ahead(posts, calendar(Cadence(min_posts_per_week=2, lookahead_weeks=0)), at(11, 23))
    assert "gefunden: 1, es fehlen 1" in finding.message


def test_no_gaps_when_the_minimum_is_zero_or_the_week_is_frozen() -> None:
    assert gaps_ahead([], calendar(Cadence(min_posts_per_week=0)), NOW) == []
    frozen_week = window(at(11, 23, 0), at(11, 30, 0))
    findings = gaps_ahead([], calendar(Cadence(min_posts_per_week=1, lookahead_weeks=1)), NOW, [frozen_week])
    assert len(findings) == 1
    assert "Woche 2026-W47" in findings[0].message


def test_thin_weeks_are_the_finished_weeks_of_this_quarter() -> None:
    # 2026-Q4 starts with ISO week 40 (Monday 28.09.: its Thursday is 01.10.).
    posts = [review("w45", at(11, 4)), review("w46", at(11, 11)), review("q3", at(9, 23))]
    thin = thin_weeks(posts, calendar(Cadence(min_posts_per_week=1)), NOW)
    assert [str(w.week) for w in thin] == ["2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"]
    assert all(w.past and w.missing == 1 for w in thin)


# -- crowded-day and off-hours --------------------------------------------------------------------


def test_two_posts_on_one_day_each_name_both() -> None:
    posts = [review("erster", at(11, 24, 9)), review("zweiter", at(11, 24, 14))]
    findings = crowding(posts, calendar(), NOW)
    assert [(f.check, f.path) for f in findings] == [
        ("crowded-day", "content/posts/erster.md"),
        ("crowded-day", "content/posts/zweiter.md"),
    ]
    assert findings[0].message == (
        "erwartet: höchstens 1 Beitrag am 2026-11-24 (cadence.max_posts_per_day); gefunden: 2: "
        "„Erster“ (content/posts/erster.md), „Zweiter“ (content/posts/zweiter.md)"
    )


def test_a_post_and_its_translation_are_one_post_on_the_day() -> None:
    posts = [review("motor", at(11, 24)), review("motor-en", at(11, 24), translation_of="motor")]
    assert crowding(posts, calendar(), NOW) == []


def test_posts_off_the_publishing_days_and_hours() -> None:
    posts = [review("sonntag", at(11, 29, 19, 30))]
    [finding] = crowding(posts, calendar(Cadence(hours=(time(8), time(18)))), NOW)
    assert (finding.check, finding.line, finding.field) == ("off-hours", 4, "date")
    assert finding.message == (
        "erwartet: ein Veröffentlichungstag (mon, tue, wed, thu, fri); gefunden: sun; "
        "erwartet: eine Uhrzeit zwischen 08:00 und 18:00 Uhr (Europe/Berlin); gefunden: 19:30 Uhr"
    )


def test_publishing_hours_end_before_their_last_minute() -> None:
    cadence = calendar(Cadence(hours=(time(8), time(18))))
    assert crowding([review("früh", at(11, 24, 8, 0))], cadence, NOW) == []
    assert [f.check for f in crowding([review("spät", at(11, 24, 18, 0))], cadence, NOW)] == ["off-hours"]


def test_crowding_ignores_the_past_drafts_and_hidden_posts() -> None:
    posts = [
        review("gestern", at(11, 15, 9)),  # a Sunday, but over
        review("entwurf", at(11, 29, 9), State.DRAFT, status="draft"),
        review("versteckt", at(11, 29, 9), status="hidden"),
    ]
    assert crowding(posts, calendar(), NOW) == []
