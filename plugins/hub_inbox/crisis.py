"""The crisis switch closes the comment intake at once, as it stops publishing and cross-posting.

The inbox runs for weeks; the calendar changes under it. `IntakeStop` answers, per request, whether
intake is closed right now: the environment's HUB_CRISIS_STOP (hub_review.freeze.crisis_window), or a
freeze in `editorial_calendar.yaml` in force at this moment (a crisis `freeze` without `to`, or the
company holidays). The calendar is read again when its file changes (one `stat` per request), so a
crisis freeze pulled onto the server closes intake with the next comment, without a restart.
Listening (`invoke listen`) goes on: the issue wants replies gathered during a crisis.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from hub_content.calendar import Calendar, load_calendar
from hub_review.calendar_sections import FREEZE
from hub_review.freeze import crisis_window, freezes


def stop_reason(calendar: Calendar, environ: Mapping[str, str], now: datetime) -> str | None:
    """Why intake is closed at `now` (for the editors' log), or None while it is open."""
    zone = calendar.timezone
    moment = now.astimezone(zone)
    window = freezes(calendar.section(FREEZE), crisis_window(environ, moment, zone)).active(moment)
    return window.reason if window is not None else None


class IntakeStop:
    """`stopped()` for the intake: the reason intake is closed now, or None."""

    def __init__(
        self,
        calendar_file: Path,
        content_root: Path,
        environ: Mapping[str, str],
        clock: Callable[[], datetime],
    ) -> None:
        self.calendar_file = calendar_file
        self.content_root = content_root
        self.environ = environ
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: float | None = None
        self._calendar = Calendar(str(calendar_file))

    def calendar(self) -> Calendar:
        try:
            changed = self.calendar_file.stat().st_mtime_ns
        except OSError:
            changed = None
        with self._lock:
            if changed != self._seen:
                # A broken calendar keeps what was read before: `invoke check` reports it to the editors.
                read, findings = load_calendar(
                    self.calendar_file, display_path=str(self.calendar_file), content_root=self.content_root
                )
                if not any(f.level.value == "error" for f in findings) or self._seen is None:
                    self._calendar = read
                self._seen = changed
            return self._calendar

    def __call__(self) -> str | None:
        return stop_reason(self.calendar(), self.environ, self.clock())
