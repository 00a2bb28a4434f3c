"""Cross-posting's section of editorial_calendar.yaml, found by hub_content.calendar under this name."""

from __future__ import annotations

from typing import Any

from hub_core.schema import Section

from .channels import CHANNELS

SECTIONS: tuple[Section[Any], ...] = (CHANNELS,)
