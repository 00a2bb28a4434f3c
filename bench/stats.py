"""The `stats` case: how many lines of access log `invoke stats` counts per second, and whether its
memory stays flat in the number of lines.

    python -m bench.stats [--lines 2000000] [--keep DIR] [--workers N]

Generates N lines once (bench/logsgen.py: a month of daily gzip logs of the sample site, seeded,
untimed; reused from --keep), then runs the real `invoke stats --content <site>/content --logs
<folder>` in a fresh process twice: over the first days, about N/2 lines, and over all N, each into
an empty figures folder. Wall clock (interpreter start and settings included) and peak memory of
each come from bench/run.py's run_process; the lines are what the run recorded in its read log. The
verdict: the projected time for a month of a busy company blog (10 million lines, from the rate of
the full run) under two minutes, and the peak memory at N no more than FLAT_SHARE above the peak at
N/2. `--workers` sets HUB_WORKERS for the runs (1: one process, to compare).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench import ROOT, logsgen

LINES = 2_000_000
MONTH = 10_000_000  # a month of logs of a busy company blog
TARGET_SECONDS = 120.0
MAX_PARALLEL = 8  # counting.MAX_WORKERS
FLAT_SHARE = 0.10  # peak memory at N lines at most this much above the peak at N/2
MARKER = ".bench-logs.json"


@dataclass(frozen=True)
class StatsRun:
    label: str
    files: int
    lines: int
    seconds: float
    peak_mib: float  # the largest single process (the task or a worker)
    tree_mib: float  # the task and its workers together (PSS, sampled)
    cpu_seconds: float  # user + system of the task and its workers
    load: tuple[float, float]  # the machine's 1-minute load average before and after (other work shares the cores)

    @property
    def rate(self) -> float:
        return self.lines / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class StatsReport:
    lines: int
    generated: float | None  # seconds; None: reused
    log_bytes: int
    half: StatsRun
    full: StatsRun
    workers: str
    cores: int

    @property
    def projected(self) -> float:
        """Seconds for MONTH lines at the full run's rate."""
        return MONTH / self.full.rate if self.full.rate else float("inf")

    @property
    def flat(self) -> bool:
        return self.full.peak_mib <= self.half.peak_mib * (1 + FLAT_SHARE)

    def verdict(self) -> str:
        missed = [name for name, ok in (("time", self.projected < TARGET_SECONDS), ("memory", self.flat)) if not ok]
        return f"FAIL ({', '.join(missed)})" if missed else "PASS"

    def note(self) -> str:
        return (
            f"{self.full.lines:,} lines, {self.full.rate:,.0f} lines/s; 10M: {self.projected:.0f} s; "
            f"peak {self.half.peak_mib:.0f} → {self.full.peak_mib:.0f} MiB"
        )

    def render(self) -> str:
        made = f"generated in {self.generated:.1f} s" if self.generated is not None else "reused"
        rows = [
            f"stats: {self.lines:,} lines of combined log (bench/logsgen.py, {self.full.files} daily gzip files, "
            f"{self.log_bytes / 2**20:,.0f} MiB, {made}); invoke stats in a fresh process, workers: {self.workers}",
            "",
            "| run  | files | lines      | seconds | lines/s | CPU s | lines/CPU s | peak MiB | tree MiB | load before/after |",
            "| ---- | ----- | ---------- | ------- | ------- | ----- | ----------- | -------- | -------- | ----------------- |",
        ]
        for run in (self.half, self.full):
            per_cpu = run.lines / run.cpu_seconds if run.cpu_seconds else 0
            rows.append(
                f"| {run.label} | {run.files} | {run.lines:,} | {run.seconds:.2f} | {run.rate:,.0f} "
                f"| {run.cpu_seconds:.1f} | {per_cpu:,.0f} | {run.peak_mib:.0f} | {run.tree_mib:.0f} "
                f"| {run.load[0]:.1f} / {run.load[1]:.1f} |"
            )
        idle = self.full.cpu_seconds / min(self.cores, MAX_PARALLEL) * MONTH / self.full.lines if self.full.lines else 0
        rows += [
            "",
            f"10 million lines (a month of a busy company blog) at this rate: {self.projected:.0f} s; "
            f"target < {TARGET_SECONDS:.0f} s: {'PASS' if self.projected < TARGET_SECONDS else 'FAIL'}",
            f"(the CPU time spread over {min(self.cores, MAX_PARALLEL)} idle cores would give {idle:.0f} s; a load "
            f"above {self.cores} means other processes had the cores part of the time)",
            f"Memory flat (peak at {self.full.lines:,} lines ≤ {1 + FLAT_SHARE:.2f} × peak at {self.half.lines:,}): "
            f"{'PASS' if self.flat else 'FAIL'} ({self.half.peak_mib:.0f} → {self.full.peak_mib:.0f} MiB)",
        ]
        return "\n".join(rows)


def prepare_logs(root: Path, lines: int) -> tuple[Path, float | None]:
    """The generated logs in root/logs-<lines>, reused when the marker says they are the same."""
    folder = root / f"logs-{lines}"
    generator = hashlib.sha256(Path(logsgen.__file__).read_bytes()).hexdigest()[
        :16
    ]  # not its mtime: a checkout changes that
    wanted = {"lines": lines, "seed": logsgen.SEED, "generator": generator}
    marker = folder / MARKER
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        _refresh(folder)
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    logsgen.generate(folder, lines)
    marker.write_text(json.dumps(wanted), encoding="utf-8")  # hidden: the folder source skips it
    return folder, time.perf_counter() - start


def _refresh(folder: Path) -> None:
    """Reused logs delivered an hour ago again: neither still being written nor old enough to delete."""
    moment = time.time() - 3600
    for path in folder.glob("*.gz"):
        os.utime(path, (moment, moment))


def first_half(folder: Path, lines: int, target: Path) -> Path:
    """A folder with links to the first days' files, about half the lines."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    counts = logsgen.day_lines(lines, logsgen.DAYS, logsgen.START)
    total = 0
    for number, count in enumerate(counts):
        if total >= lines / 2:
            break
        day = logsgen.START + timedelta(days=number)
        name = logsgen.file_name(day)
        os.link(folder / name, target / name)
        total += count
    return target


def run_stats(root: Path, label: str, logs: Path, workers: int | None) -> StatsRun:
    """`invoke stats` over `logs` into an empty figures folder under root/site-<label>."""
    from bench.run import clean_env, run_process

    site = root / f"site-{label}"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    env = clean_env()
    if workers is not None:
        env["HUB_WORKERS"] = str(workers)
    # The moment from the clock that dated the logs (an hour before it): each run sees them delivered
    # an hour ago, never still being written nor old enough to delete (the logs are kept for the next run).
    now = datetime.fromtimestamp(time.time(), logsgen.BERLIN).strftime("%Y-%m-%d %H:%M")
    command = [sys.executable, "-m", "invoke", "-r", str(ROOT), "stats", "--content", str(site / "content")]
    before = os.getloadavg()[0]
    run = run_process([*command, "--logs", str(logs), "--now", now], env=env)
    after = os.getloadavg()[0]
    if run.returncode != 0:
        raise SystemExit(f"invoke stats failed ({run.returncode}):\n{run.stdout[-2000:]}{run.stderr[-4000:]}")
    read_log = site / "data" / "stats" / "read-logs.jsonl"
    entries = [json.loads(line) for line in read_log.read_text(encoding="utf-8").splitlines()]
    lines = sum(entry["lines"] for entry in entries)
    return StatsRun(
        label, len(entries), lines, run.seconds, run.peak_mib, run.tree_mib, run.cpu_seconds, (before, after)
    )


def measure(root: Path, lines: int = LINES, workers: int | None = None) -> StatsReport:
    logs, generated = prepare_logs(root, lines)
    half = run_stats(root, "half", first_half(logs, lines, root / "logs-half"), workers)
    full = run_stats(root, "full", logs, workers)
    size = sum(path.stat().st_size for path in logs.glob("*.gz"))
    cores = _cores()
    described = str(workers) if workers is not None else f"automatic ({cores} cores)"
    return StatsReport(lines, generated, size, half, full, described, cores if workers is None else workers)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=LINES, help=f"lines of log (default {LINES:,})")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder instead of a temporary one")
    parser.add_argument("--workers", type=int, help="HUB_WORKERS for the runs (default: automatic)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hub-bench-stats-") as temporary:
        root = args.keep.resolve() if args.keep else Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        report = measure(root, args.lines, args.workers)
        print(report.render())
        print(f"\nverdict: {report.verdict()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
