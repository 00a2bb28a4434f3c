"""Freeze windows and the crisis switch: when nothing new goes out.

A window from the calendar holds back every post dated inside it; while a
window covers "now", nothing is cross-posted. The crisis switch is the
environment variable HUB_CRISIS_STOP (its value is the reason): it works
without a commit, e.g. set as a CI variable, and acts as an open-ended window
from HUB_CRISIS_SINCE or, by default, the start of the current day. Cross-posting
stops at once, whatever the start; HUB_CRISIS_ALLOW lists slugs (comma-separated)
that may still go out, such as the company's statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from hub_core.dates import parse_when
from hub_core.errors import ConfigurationError
from hub_core.i18n import translator

from .calendar_sections import FreezeWindow

CRISIS_VARIABLE = "HUB_CRISIS_STOP"
CRISIS_SINCE_VARIABLE = "HUB_CRISIS_SINCE"
CRISIS_ALLOW_VARIABLE = "HUB_CRISIS_ALLOW"
OFF_VALUES = ("", "0", "false", "no", "off")

_, ngettext = translator("hub_review")


class CrisisSettingError(ConfigurationError, ValueError):
    """HUB_CRISIS_SINCE cannot be read (a build stops on it as BuildStopped, the tasks with exit code 2)."""


@dataclass(frozen=True)
class Freezes:
    windows: tuple[FreezeWindow, ...]

    def holding(self, moment: datetime, slug: str | None) -> FreezeWindow | None:
        """The window that holds back a post dated `moment`, if any."""
        for window in self.windows:
            if window.covers(moment) and (slug is None or slug not in window.allow):
                return window
        return None

    def active(self, now: datetime) -> FreezeWindow | None:
        """The window in force right now: no cross-posting at all while it lasts (the crisis switch: always)."""
        for window in self.windows:
            if window.crisis or window.covers(now):
                return window
        return None


def crisis_window(environ: Mapping[str, str], now: datetime, zone: ZoneInfo) -> FreezeWindow | None:
    value = environ.get(CRISIS_VARIABLE, "").strip()
    if value.lower() in OFF_VALUES:
        return None
    reason = _("crisis stop") if value.lower() in ("1", "true", "yes", "on") else value
    since_text = environ.get(CRISIS_SINCE_VARIABLE, "").strip()
    if since_text:
        since = parse_when(since_text, zone)
        if since is None:
            raise CrisisSettingError(
                _("{variable}: expected a date such as 2026-11-21 14:00 +01:00, found '{found}'").format(
                    variable=CRISIS_SINCE_VARIABLE, found=since_text
                )
            )
    else:
        since = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    allow = frozenset(slug.strip() for slug in environ.get(CRISIS_ALLOW_VARIABLE, "").split(",") if slug.strip())
    reason = _("{reason}; set by {variable}").format(reason=reason, variable=CRISIS_VARIABLE)
    return FreezeWindow(since, None, reason, 0, allow, crisis=True)


def freezes(calendar_windows: Sequence[FreezeWindow], crisis: FreezeWindow | None) -> Freezes:
    # The crisis comes first: its reason is the one people need to read.
    return Freezes(tuple([crisis] if crisis else []) + tuple(calendar_windows))
