"""Every Hub build starts here: the language of its messages is chosen, PLUGINS' order and the HUB_*
settings are checked, and each run gets a fresh build state.

Called by every Hub plugin's register() (once would be enough; connecting again changes nothing).
Pelican sends no signal when a run starts or fails, so `Pelican.run` is wrapped at `initialized`,
as hub_search and hub_fast_clean wrap it: the state opens before the first generator and ends
when run() returns or raises.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from pelican import signals

from . import i18n, state
from .settings_check import check_settings
from .timeline import check_order

logger = logging.getLogger(__name__)
PREFIX = "settings:"


def track_builds() -> None:
    signals.initialized.connect(_start)


def _start(pelican: Any) -> None:
    # First, so that every message of the build (settings included) is in the team's language.
    i18n.use_language_of(pelican.settings)
    check_order(pelican.settings.get("PLUGINS"))
    check_settings(pelican.settings, lambda warning: logger.warning("%s %s", PREFIX, warning))
    run = pelican.run

    @functools.wraps(run)
    def run_with_state() -> None:
        build = state.begin(pelican)
        try:
            run()
        finally:
            state.finish(pelican, build)

    pelican.run = run_with_state
