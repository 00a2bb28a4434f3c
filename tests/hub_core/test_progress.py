"""Progress: plain lines now and then in CI (never one per item), a bar at a terminal."""

from __future__ import annotations

import io
import threading

from hub_core.progress import PlainProgress, progress


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_fast_work_shows_a_line_per_tenth_and_the_end() -> None:
    out, clock = io.StringIO(), Clock()
    shown = PlainProgress(480, "Hochladen", unit="Dateien", stream=out, clock=clock)
    for _ in range(480):
        shown.advance()
    shown.close()
    lines = out.getvalue().splitlines()
    assert lines == [f"Hochladen: {done}/480 Dateien" for done in range(48, 481, 48)]


def test_small_work_shows_only_its_end() -> None:
    out = io.StringIO()
    shown = PlainProgress(5, "Hochladen", unit="Dateien", stream=out, clock=Clock())
    for _ in range(5):
        shown.advance()
    shown.close()
    assert out.getvalue() == "Hochladen: 5/5 Dateien\n"


def test_slow_work_shows_a_line_every_interval() -> None:
    out, clock = io.StringIO(), Clock()
    shown = PlainProgress(1000, "Hochladen", unit="Dateien", stream=out, clock=clock, interval=10)
    for _ in range(30):  # 3 s per item: a line every fourth item, by the clock, not by the count
        clock.now += 3
        shown.advance()
    shown.close()
    assert out.getvalue().splitlines() == [
        "Hochladen: 4/1000 Dateien",
        "Hochladen: 8/1000 Dateien",
        "Hochladen: 12/1000 Dateien",
        "Hochladen: 16/1000 Dateien",
        "Hochladen: 20/1000 Dateien",
        "Hochladen: 24/1000 Dateien",
        "Hochladen: 28/1000 Dateien",
        "Hochladen: 30/1000 Dateien",  # the end of the work, where it stopped
    ]


def test_steps_from_many_threads_are_all_counted() -> None:
    out = io.StringIO()
    with progress(800, "Hochladen", unit="Dateien", stream=out, environ={"CI": "true"}) as step:
        threads = [threading.Thread(target=lambda: [step() for _ in range(100)]) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    lines = out.getvalue().splitlines()
    assert lines[-1] == "Hochladen: 800/800 Dateien"
    assert len(lines) <= 11, lines


def test_without_a_terminal_progress_is_plain_lines() -> None:
    out = io.StringIO()  # not a terminal, as in CI
    with progress(100, "Karten", environ={}, stream=out) as step:
        step(60)
        step(40)
    assert out.getvalue() == "Karten: 60/100\nKarten: 100/100\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_progress_is_a_bar_that_goes_away() -> None:
    out = Terminal()
    with progress(3, "Hochladen", unit="Dateien", stream=out, environ={}) as step:
        step()
        step(2)
    assert "Hochladen" in out.getvalue()
    assert "Hochladen: " not in out.getvalue()  # no plain line: the bar shows the count


def test_ci_wins_over_a_terminal() -> None:
    out = Terminal()
    with progress(3, "Hochladen", stream=out, environ={"CI": "true"}) as step:
        step(3)
    assert out.getvalue() == "Hochladen: 3/3\n"
