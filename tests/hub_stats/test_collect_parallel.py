"""Counting on every core: the same figures, byte for byte, as in one process; a worker that dies
fails its files, never the run; each day of a run is written once, and a day that holds a file
before a crash does not take it twice."""

from __future__ import annotations

import gzip
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from combined_logs import BERLIN_WINTER, SAFARI, combined, write_log
from hub_stats.collect import run
from hub_stats.counting import count_files, workers_for
from hub_stats.judge import Rules
from hub_stats.model import DayFigures
from hub_stats.reading import FileReading, read_new
from hub_stats.sources import open_source
from hub_stats.store import FiguresStore

from bench import logsgen

RULES = Rules(
    own_hosts=(logsgen.HOST,),
    feeds=("feeds/alle.{format}.xml", "feeds/{lang}.{format}.xml", "teaser/{name}.xml"),
    health_agents=("Hub-Healthcheck", "UptimeRobot"),
)
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DELIVERED = NOW - timedelta(hours=2)


def generated_logs(folder: Path) -> list[Path]:
    """Six days of the generator's logs, plus what goes wrong in real folders: a log delivered twice
    under another name, broken lines, a cut gzip file, a file of no known format, an old log."""
    files = logsgen.generate(folder, 3000, days=6, start=date(2026, 11, 9))
    for path in files:
        os.utime(path, (DELIVERED.timestamp(), DELIVERED.timestamp()))
    shutil.copy2(files[2], folder / "zz-copy-of-the-third.gz")
    text = gzip.decompress(files[4].read_bytes()).decode().splitlines()
    text[10] = "kein Protokoll"
    write_log(folder / "broken-lines.log", text[:200], modified=DELIVERED)
    cut = folder / "cut.log.gz"
    cut.write_bytes(files[3].read_bytes()[:5000])
    os.utime(cut, (DELIVERED.timestamp(), DELIVERED.timestamp()))
    write_log(folder / "notes.txt", ["Kein Zugriffsprotokoll."], modified=DELIVERED)
    write_log(folder / "old.log", text[200:260], modified=NOW - timedelta(days=9))
    return files


def figures_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_worker_processes_write_the_same_bytes_as_one_process(tmp_path):
    generated_logs(tmp_path / "logs")
    copies = {}
    for workers in (1, 2):
        logs = tmp_path / f"logs-{workers}"
        shutil.copytree(tmp_path / "logs", logs)  # each run deletes the old log
        report = run(
            open_source(str(logs), {}), FiguresStore(tmp_path / f"stats-{workers}"), RULES, keep_days=7, now=NOW,
            workers=workers,
        )  # fmt: skip
        copies[workers] = report

    serial, parallel = copies[1], copies[2]
    assert figures_of(tmp_path / "stats-1") == figures_of(tmp_path / "stats-2")
    assert vars(serial) | {"location": "", "figures": ""} == vars(parallel) | {"location": "", "figures": ""}
    assert serial.skipped == ["zz-copy-of-the-third.gz"] and serial.unknown == ["notes.txt"]
    assert [problem.file for problem in serial.failed] == ["cut.log.gz"]
    assert serial.deleted == ["old.log"] and serial.malformed == 1
    assert serial.lines == 3000 + 200 + 60 and len(serial.read) == 8
    # The generated month as a reader of the figures sees it: 11 UTC days (local midnight rotation).
    store = FiguresStore(tmp_path / "stats-2")
    assert len(store.counted_days()) == 7
    assert sum(store.day(day).total_views for day in store.counted_days()) == serial.views > 0


def test_the_counting_happens_in_other_processes_in_the_files_order(tmp_path):
    files = generated_logs(tmp_path / "logs")
    source = open_source(str(tmp_path / "logs"), {})
    listed = [file for file in source.files() if file.name.startswith("access.log-")]
    marks = tmp_path / "pids"
    marks.mkdir()

    outcomes = list(count_files(source, listed, RULES, frozenset(), workers=2, count=counted_by_pid(marks)))

    assert [outcome.file.name for outcome in outcomes] == [path.name for path in files]
    pids = {int(path.name.split("-")[0]) for path in marks.iterdir()}
    assert len(pids) >= 1 and os.getpid() not in pids
    assert all(outcome.reading is not None for outcome in outcomes)
    known = frozenset(outcome.digest for outcome in outcomes[:2])
    again = list(count_files(source, listed, RULES, known, workers=2))
    assert [outcome.reading is None for outcome in again] == [True, True, False, False, False, False]


def counted_by_pid(marks: Path):
    return _CountedByPid(str(marks))


class _CountedByPid:
    """read_new that leaves a mark of the process it ran in (a plain class: it goes to the workers)."""

    def __init__(self, marks: str) -> None:
        self.marks = marks

    def __call__(self, path: str, name: str, rules: Rules, known: frozenset[str]) -> tuple[str, FileReading | None]:
        Path(self.marks, f"{os.getpid()}-{name}").touch()
        return read_new(path, name, rules, known)


def dies_on_poison(path: str, name: str, rules: Rules, known: frozenset[str]) -> tuple[str, FileReading | None]:
    """read_new, except that the process dies (as when the kernel kills it) on one file."""
    if name == "0-poison.log":
        os._exit(1)
    return read_new(path, name, rules, known)


def test_a_worker_that_dies_fails_its_files_and_the_run_goes_on(tmp_path):
    logs = tmp_path / "logs"
    at = datetime(2026, 11, 20, 12, 0, tzinfo=BERLIN_WINTER)
    write_log(logs / "0-poison.log", [combined(at, "/gift/", agent=SAFARI)], modified=DELIVERED)
    for number in range(1, 9):
        write_log(logs / f"{number}.log", [combined(at, f"/{number}/", agent=SAFARI)], modified=DELIVERED)
    source = open_source(str(logs), {})
    files = list(source.files())

    outcomes = list(count_files(source, files, RULES, frozenset(), workers=2, count=dies_on_poison))

    assert [outcome.file.name for outcome in outcomes] == [file.name for file in files]
    poison = outcomes[0]
    assert poison.reading is None and poison.failure and "nächste Lauf" in poison.failure
    # The files handed out with it may fail with it; those after them go to a new pool.
    assert all(outcome.reading is not None for outcome in outcomes[4:])
    assert all(outcome.reading is not None or outcome.failure == poison.failure for outcome in outcomes[1:4])


def test_small_runs_stay_in_this_process_and_big_ones_use_the_cores(tmp_path):
    source = open_source(str(tmp_path), {})
    tmp_path.joinpath("a.log").write_bytes(b"x" * 10)
    tmp_path.joinpath("b.log").write_bytes(b"x" * (2 << 20))
    one, both = [f for f in source.files() if f.name == "b.log"], list(source.files())
    assert workers_for(one) == 1 and workers_for(both[:1]) == 1
    assert workers_for(both) == min(2, len(os.sched_getaffinity(0)))
    assert workers_for(both, 1) == 1 and workers_for(one, 3) == 3


def test_a_run_writes_each_day_once_and_a_day_that_holds_a_file_does_not_take_it_again(tmp_path):
    store = FiguresStore(tmp_path / "stats")
    first, second = date(2026, 11, 19), date(2026, 11, 20)

    def views(day: date, count: int) -> DayFigures:
        figures = DayFigures(day)
        figures.views["/2026/getriebe/"] = count
        return figures

    # As after a crash while a run wrote its days: the first day holds file "a", the second does not.
    store.fold("a", [views(first, 1)])
    written = store.day_file(first).stat().st_mtime_ns
    fold = store.folding()
    assert fold.add("a", [views(first, 1), views(second, 1)]) == [second]
    assert fold.add("b", [views(first, 10), views(second, 10)]) == [first, second]
    assert not store.day_file(second).exists()  # nothing written before `write`
    assert store.day_file(first).stat().st_mtime_ns == written

    assert fold.write() == [first, second]
    assert store.day(first).views["/2026/getriebe/"] == 11 and store.day(first).sources == {"a", "b"}
    assert store.day(second).views["/2026/getriebe/"] == 11 and store.day(second).sources == {"a", "b"}
    assert fold.write() == []
