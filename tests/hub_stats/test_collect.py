"""A run over a folder of logs: new files read once (gzip, a log delivered twice, a late log), broken
lines reported, unknown files named, old raw logs deleted whatever else happened, and nothing of a
reader left in the figures."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from combined_logs import (
    BERLIN_WINTER,
    FEEDLY,
    FIREFOX,
    GOOGLEBOT,
    IPV4,
    IPV6,
    SAFARI,
    combined,
    common,
    write_log,
)
from hub_stats.collect import FiguresUnusable, run
from hub_stats.judge import Rules
from hub_stats.sources import LogSourceError, open_source
from hub_stats.store import FiguresStore

RULES = Rules(own_hosts=("blog.hellwig-antriebe.example",), feeds=("feeds/alle.{format}.xml",))
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
KEEP = 7


def day_lines(day: int, views: int, path: str = "/2026/getriebe/") -> list[str]:
    at = datetime(2026, 11, day, 12, 0, tzinfo=BERLIN_WINTER)
    return [combined(at + timedelta(minutes=n), path, ip=IPV6 if n % 2 else IPV4, agent=SAFARI) for n in range(views)]


def collect(logs: Path, figures: Path, now: datetime = NOW):
    return run(open_source(str(logs), {}), FiguresStore(figures), RULES, keep_days=KEEP, now=now)


def test_new_files_are_read_once_gzip_included_and_a_second_delivery_counts_once(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    hour_ago = NOW - timedelta(hours=1)
    write_log(logs / "access.log.1", day_lines(19, 3), modified=hour_ago)
    write_log(logs / "2026/11/access.log.2.gz", day_lines(18, 2), packed=True, modified=hour_ago)
    write_log(logs / "common.log", [common(datetime(2026, 11, 18, 9, 0, tzinfo=UTC), "/impressum/")], modified=hour_ago)
    write_log(logs / ".gitkeep", [], modified=hour_ago)

    report = collect(logs, figures)
    assert report.ok
    assert report.read == ["2026/11/access.log.2.gz", "access.log.1", "common.log"]
    assert (report.lines, report.views, report.malformed) == (6, 6, 0)
    assert report.days == {date(2026, 11, 18), date(2026, 11, 19)}
    store = FiguresStore(figures)
    assert [f.total_views for f in store.days(date(2026, 11, 18), date(2026, 11, 19))] == [3, 3]

    # The same logs again, one of them also delivered a second time under another name, one
    # rotated into gzip: nothing new.
    shutil.copy2(logs / "access.log.1", logs / "access-copy.log")
    write_log(logs / "access.log.2.gz", day_lines(19, 3), packed=True, modified=hour_ago)
    again = collect(logs, figures)
    assert again.read == [] and sorted(again.skipped) == sorted(
        ["2026/11/access.log.2.gz", "access-copy.log", "access.log.1", "access.log.2.gz", "common.log"]
    )
    assert [f.total_views for f in store.days(date(2026, 11, 18), date(2026, 11, 19))] == [3, 3]


def test_a_late_log_folds_into_its_day_and_a_forgotten_read_log_does_not_count_twice(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    write_log(logs / "a.log", day_lines(20, 4), modified=NOW - timedelta(hours=2))
    collect(logs, figures)
    write_log(logs / "late.log", day_lines(17, 2) + day_lines(20, 1, "/2026/lager/"), modified=NOW - timedelta(hours=1))

    report = collect(logs, figures)
    assert report.read == ["late.log"] and report.days == {date(2026, 11, 17), date(2026, 11, 20)}
    store = FiguresStore(figures)
    assert store.day(date(2026, 11, 17)).total_views == 2
    assert dict(store.day(date(2026, 11, 20)).views) == {"/2026/getriebe/": 4, "/2026/lager/": 1}

    # Even when the read log is lost, each day knows which files it holds.
    (figures / "read-logs.jsonl").unlink()
    assert collect(logs, figures).days == set()
    assert store.day(date(2026, 11, 20)).total_views == 5


def test_broken_lines_are_counted_and_named_by_file_and_line(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    lines = day_lines(20, 3)
    lines.insert(1, "Das ist keine Zeile eines Zugriffsprotokolls")
    lines.append(lines[0].replace("20/Nov/2026", "20/Nov/2026:xx"))
    write_log(logs / "access.log", lines, modified=NOW - timedelta(hours=1))

    report = collect(logs, figures)
    assert report.ok and report.malformed == 2 and report.views == 3
    assert [broken.render().split(": ")[0] for broken in report.examples] == ["access.log:2", "access.log:5"]
    assert FiguresStore(figures).day(date(2026, 11, 20)).malformed == 2
    [entry] = FiguresStore(figures).read_logs()
    assert (entry.name, entry.lines, entry.malformed) == ("access.log", 5, 2)


def test_files_still_being_written_wait_for_the_next_run(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    write_log(logs / "access.log", day_lines(21, 2), modified=NOW - timedelta(minutes=2))
    report = collect(logs, figures)
    assert report.settling == ["access.log"] and report.read == [] and report.ok
    assert collect(logs, figures, NOW + timedelta(minutes=30)).read == ["access.log"]


def test_old_raw_logs_are_deleted_also_when_a_file_cannot_be_read(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    old = NOW - timedelta(days=KEEP, minutes=1)
    write_log(logs / "old.log", day_lines(13, 2), modified=old)
    write_log(logs / "old-unknown.txt", ["Lorem ipsum"], modified=old)
    write_log(logs / "unknown.txt", ["Lorem ipsum"], modified=NOW - timedelta(days=1))
    broken = logs / "broken.log.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00" + b"kein gzip")
    os.utime(broken, (NOW.timestamp() - 3600, NOW.timestamp() - 3600))
    write_log(logs / "recent.log", day_lines(20, 1), modified=NOW - timedelta(days=KEEP - 1))

    report = collect(logs, figures)
    assert not report.ok
    assert report.unknown == ["old-unknown.txt", "unknown.txt"]
    assert [problem.file for problem in report.failed] == ["broken.log.gz"]
    assert report.read == ["old.log", "recent.log"]  # an old log is still counted before it goes
    assert sorted(report.deleted) == ["old-unknown.txt", "old.log"]
    assert sorted(path.name for path in logs.iterdir()) == ["broken.log.gz", "recent.log", "unknown.txt"]


def test_old_raw_logs_are_deleted_also_when_the_figures_cannot_be_written(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    write_log(logs / "old.log", day_lines(10, 2), modified=NOW - timedelta(days=30))
    write_log(logs / "new.log", day_lines(20, 2), modified=NOW - timedelta(days=1))
    figures.write_text("a file where the figures' folder should be\n")

    with pytest.raises(FiguresUnusable, match="stats"):
        collect(logs, figures)
    assert [path.name for path in logs.iterdir()] == ["new.log"]


def test_a_missing_folder_is_a_clear_error_and_nothing_is_written(tmp_path):
    with pytest.raises(LogSourceError, match="existiert nicht"):
        collect(tmp_path / "nowhere", tmp_path / "stats")
    assert not (tmp_path / "stats").exists()


def test_nothing_of_a_reader_is_kept(tmp_path):
    logs, figures = tmp_path / "logs", tmp_path / "stats"
    at = datetime(2026, 11, 20, 12, 0, tzinfo=BERLIN_WINTER)
    agents = (FIREFOX, SAFARI, GOOGLEBOT, FEEDLY, "EinzigartigerBrowser/7.3 (Sonderbau)")
    lines = [
        combined(at, path, ip=ip, agent=agent, referrer="https://social.example/@redaktion/1", status=status)
        for ip in (IPV4, IPV6)
        for agent in agents
        for path, status in (
            ("/2026/getriebe/?utm_source=mastodon", 200),
            ("/feeds/alle.atom.xml", 200),
            ("/weg/", 404),
        )
    ]
    write_log(logs / "access.log", lines, modified=NOW - timedelta(hours=1))
    report = collect(logs, figures)
    assert report.views == 6

    written = "\n".join(path.read_text(encoding="utf-8") for path in figures.rglob("*") if path.is_file())
    assert "/2026/getriebe/" in written and "feedly" in written and "/weg/" in written
    for secret in (IPV4, IPV6, "203.0.113", "2001:db8", *agents, "Mozilla", "Sonderbau", "Googlebot"):
        assert secret not in written
