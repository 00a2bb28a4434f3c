"""What hub_review hands the other plugins during a build (see hub_core/state.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


@dataclass(frozen=True)
class OverdueComment:
    """A comment or reply past its response deadline (issue 15: routing and response times).

    Declared here, filled by hub_dialogue: the dashboard is hub_review's, and hub_review may not import
    hub_dialogue (hub_dialogue builds on hub_review). What editors need to act, no personal data:
    neither the text nor the writer's name (the dashboard can be published with the site)."""

    item: str  # the inbox's item id, to find it in the moderation page
    post: str  # the post's key, "de/slug"
    title: str  # the post's title; "" when the build does not know the post
    source: str  # web, mastodon, bluesky
    to: str  # team id the item is routed to; "" when nobody is configured
    created: datetime
    deadline: datetime


@dataclass(frozen=True)
class DialogueDeadlines:
    """The inbox's items past their deadline; `database` is "" when no inbox database was read."""

    database: str = ""
    overdue: tuple[OverdueComment, ...] = ()
    problem: str = ""  # the database could not be read (then `overdue` is empty), in words


# Filled at article_generator_finalized (the posts' categories are known), shown at finalized.
OVERDUE_COMMENTS: Slot[DialogueDeadlines] = Slot(
    "overdue_comments", "hub_dialogue", "the comments past their response deadline"
)


@dataclass(frozen=True)
class KpiSection:
    """The dashboard's KPI section (issue 16: measurement), rendered by hub_stats.

    hub_stats builds on hub_review (the cadence, the plan), so hub_review cannot import its figures or
    charts; the producer hands over the finished markup, escaped, and the dashboard places it. Counts
    only: no reader's data (the dashboard can be published with the site)."""

    html: str  # one <section>, or "" when there is nothing to show
    css: str = ""  # its styles, added to the page's own in <head> (a <style> belongs there)


# Filled before `finalized` (the dashboard is written then), by hub_stats when it is in PLUGINS.
KPI_SECTION: Slot[KpiSection] = Slot("kpi_section", "hub_stats", "the KPI section of the editors' dashboard")
