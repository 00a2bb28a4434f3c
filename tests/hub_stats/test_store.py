"""The figures on disk: folding a log file's figures is idempotent per day and survives a re-read."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from hub_stats.model import DayFigures, PlatformDay, Reactions
from hub_stats.store import FiguresStore, ReadLog


def _figures(day: date, views: dict[str, int]) -> DayFigures:
    return DayFigures(day, views=Counter(views), channels={"mastodon": Counter({"/a/": 1})})


def test_a_file_folded_twice_counts_once_and_another_file_adds(tmp_path):
    store = FiguresStore(tmp_path)
    day = date(2026, 11, 3)

    assert store.fold("aaaa", [_figures(day, {"/a/": 2})]) == [day]
    assert store.fold("aaaa", [_figures(day, {"/a/": 2})]) == []
    assert store.fold("bbbb", [_figures(day, {"/a/": 1, "/b/": 4})]) == [day]

    figures = store.day(day)
    assert figures.views == Counter({"/a/": 3, "/b/": 4})
    assert figures.channels["mastodon"]["/a/"] == 2
    assert figures.sources == {"aaaa", "bbbb"}
    assert store.counted_days() == [day]


def test_a_late_file_touching_two_days_folds_into_each(tmp_path):
    store = FiguresStore(tmp_path)
    first, second = date(2026, 11, 3), date(2026, 11, 4)
    store.fold("aaaa", [_figures(second, {"/a/": 1})])

    store.fold("late", [_figures(first, {"/a/": 5}), _figures(second, {"/a/": 1})])

    assert [figures.total_views for figures in store.days(first, second)] == [5, 2]
    # Stable bytes: the same figures written again leave the file as it was.
    path = tmp_path / "days" / "2026" / "2026-11-04.json"
    before = path.read_bytes()
    store.fold("late", [_figures(second, {"/a/": 1})])
    assert path.read_bytes() == before


def test_the_read_log_forgets_old_entries(tmp_path):
    store = FiguresStore(tmp_path)
    old = ReadLog("old1", "a.log", 10, 0, (date(2026, 9, 1),), datetime(2026, 9, 1, tzinfo=UTC))
    new = ReadLog("new1", "b.log.gz", 20, 1, (date(2026, 11, 2), date(2026, 11, 3)), datetime(2026, 11, 3, tzinfo=UTC))
    store.record_read([old])
    store.record_read([new], forget_before=datetime(2026, 10, 1, tzinfo=UTC))

    assert store.read_logs() == [new]
    assert store.has_read("new1") and not store.has_read("old1")


def test_platform_days_round_trip(tmp_path):
    store = FiguresStore(tmp_path)
    figures = PlatformDay(date(2026, 11, 3), {"de/a": {"mastodon": Reactions(replies=2, reposts=1, likes=7)}})
    store.save_platform_day(figures)

    assert store.platform_days(date(2026, 11, 1), date(2026, 11, 30)) == [figures]
    assert store.platform_day(date(2026, 11, 4)) is None
