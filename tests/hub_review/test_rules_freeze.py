"""Freeze windows and the crisis switch as pure rules: hub_review.freeze on plain data and a fixed clock.

The environment is a plain dict: the switch works without a commit, so no file is involved.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hub_review.calendar_sections import FreezeWindow
from hub_review.freeze import CrisisSettingError, crisis_window, freezes

BERLIN = ZoneInfo("Europe/Berlin")
# 00:30 in Berlin is still the previous day in UTC: the crisis starts at the Berlin midnight.
NOW = datetime(2026, 11, 21, 0, 30, tzinfo=BERLIN)
MESSE = FreezeWindow(
    datetime(2026, 11, 24, tzinfo=BERLIN),
    datetime(2026, 11, 27, tzinfo=BERLIN),
    "Messe",
    line=3,
    allow=frozenset({"messe-stand"}),
)


@pytest.mark.parametrize("value", ["", "0", "false", "No", "OFF", "  "])
def test_the_crisis_switch_is_off_for_empty_and_false_values(value: str) -> None:
    assert crisis_window({"HUB_CRISIS_STOP": value}, NOW, BERLIN) is None
    assert crisis_window({}, NOW, BERLIN) is None


def test_the_crisis_switch_starts_at_midnight_in_the_calendars_zone() -> None:
    window = crisis_window({"HUB_CRISIS_STOP": "Rückruf Serie 7"}, NOW.astimezone(ZoneInfo("UTC")), BERLIN)
    assert window is not None
    assert window.start == datetime(2026, 11, 21, 0, 0, tzinfo=BERLIN)
    assert window.end is None
    assert window.crisis
    assert window.reason == "Rückruf Serie 7; gesetzt durch HUB_CRISIS_STOP"


def test_a_bare_true_gives_a_generic_reason() -> None:
    window = crisis_window({"HUB_CRISIS_STOP": "true"}, NOW, BERLIN)
    assert window is not None and window.reason == "Krisenschalter; gesetzt durch HUB_CRISIS_STOP"


def test_hub_crisis_since_moves_the_start_and_hub_crisis_allow_lets_slugs_through() -> None:
    environ = {
        "HUB_CRISIS_STOP": "1",
        "HUB_CRISIS_SINCE": "2026-11-19 14:00",
        "HUB_CRISIS_ALLOW": " stellungnahme, ,faq ",
    }
    window = crisis_window(environ, NOW, BERLIN)
    assert window is not None
    assert window.start == datetime(2026, 11, 19, 14, 0, tzinfo=BERLIN)
    assert window.allow == frozenset({"stellungnahme", "faq"})


def test_an_unreadable_hub_crisis_since_is_refused() -> None:
    with pytest.raises(CrisisSettingError, match=r"HUB_CRISIS_SINCE: erwartet: ein Datum .* gefunden: „gestern“"):
        crisis_window({"HUB_CRISIS_STOP": "1", "HUB_CRISIS_SINCE": "gestern"}, NOW, BERLIN)


def test_a_window_holds_from_its_start_to_just_before_its_end() -> None:
    windows = freezes([MESSE], None)
    assert windows.holding(datetime(2026, 11, 23, 23, 59, tzinfo=BERLIN), "motor") is None
    assert windows.holding(datetime(2026, 11, 24, 0, 0, tzinfo=BERLIN), "motor") is MESSE
    assert windows.holding(datetime(2026, 11, 26, 23, 59, tzinfo=BERLIN), "motor") is MESSE
    assert windows.holding(datetime(2026, 11, 27, 0, 0, tzinfo=BERLIN), "motor") is None


def test_a_slug_the_window_allows_is_not_held() -> None:
    assert freezes([MESSE], None).holding(datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN), "messe-stand") is None


def test_the_crisis_comes_first_and_stops_cross_posting_whenever_it_started() -> None:
    crisis = crisis_window({"HUB_CRISIS_STOP": "1", "HUB_CRISIS_SINCE": "2026-12-01"}, NOW, BERLIN)
    windows = freezes([MESSE], crisis)
    assert windows.windows == (crisis, MESSE)
    assert windows.active(NOW) is crisis  # before its start: cross-posting stops at once


def test_a_calendar_window_stops_cross_posting_only_while_it_lasts() -> None:
    windows = freezes([MESSE], None)
    assert windows.active(NOW) is None
    assert windows.active(datetime(2026, 11, 25, 12, 0, tzinfo=BERLIN)) is MESSE
