"""What hub_review hands the other plugins during a build (see hub_core/state.py)."""

from __future__ import annotations

from dataclasses import dataclass

from hub_content.loader import ContentSettings
from hub_core.findings import Report
from hub_core.state import Slot

from .gate import GateResult


@dataclass(frozen=True)
class Review:
    """The gate's judgement of every post, its findings, and the settings it judged with."""

    result: GateResult
    report: Report
    content: ContentSettings


# Filled at article_generator_init, before any post is read.
REVIEW: Slot[Review] = Slot("review", "hub_review", "the review gate's result")
