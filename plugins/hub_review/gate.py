"""The review gate: one decision per post, plus cadence and plan findings.

Pure: posts (checked items and bodies), the calendar, "now" and the
environment (for the crisis switch) in; a GateResult out. The Pelican adapter
and the invoke tasks pass the real things in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from hub_content.calendar import Calendar
from hub_content.fields import CHECKS
from hub_content.model import ContentItem
from hub_core.findings import Finding
from hub_core.i18n import translator

from . import cadence, plan
from .approval import Verdict, judge
from .calendar_sections import FREEZE, PLAN, FreezeWindow
from .fingerprint import fingerprint
from .freeze import Freezes, crisis_window, freezes
from .plan import SlotReview
from .states import PostReview, State, decide

_, ngettext = translator("hub_review")


@dataclass(frozen=True)
class Post:
    """What the gate needs of one post."""

    item: ContentItem
    body: str
    slug: str


@dataclass
class GateResult:
    now: datetime
    calendar: Calendar
    posts: list[PostReview]
    slots: list[SlotReview]
    findings: list[Finding]
    thin_weeks: list[cadence.WeekCount]
    weeks: list[cadence.WeekCount]
    freezes: Freezes
    by_source: dict[Path, PostReview] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_source = {p.item.source: p for p in self.posts}

    @property
    def held(self) -> list[PostReview]:
        return [p for p in self.posts if p.state is State.HELD]

    def published_sources(self) -> set[Path]:
        """The only posts a production build may put into any output."""
        return {p.item.source for p in self.posts if p.goes_out}

    def withheld_sources(self) -> set[Path]:
        """Posts a production build must leave out of every output: all that is not published now."""
        return {p.item.source for p in self.posts if not p.goes_out}

    def crossposting_stop(self) -> FreezeWindow | None:
        """While a freeze or the crisis switch is in force, nothing is cross-posted at all."""
        return self.freezes.active(self.now)


def evaluate(
    posts: list[Post],
    calendar: Calendar,
    now: datetime,
    *,
    digest: Callable[[str], str],
    environ: Mapping[str, str],
    proofs: Mapping[Path, Mapping[int, str]] | None = None,
) -> GateResult:
    """Review every post. `proofs` (git_proof mode) maps a source to its unproven approval lines."""
    zone = calendar.timezone
    now = now.astimezone(zone)
    windows = freezes(calendar.section(FREEZE), crisis_window(environ, now, zone))
    findings: list[Finding] = []
    reviews: list[PostReview] = []
    for post in posts:
        item = post.item
        current = fingerprint(item, post.body, digest) if item.approvals else ""
        proven = None if proofs is None else proofs.get(item.source, {})
        verdict = judge(item, current, calendar, proven=proven) if item.date else Verdict(1)
        due = item.date is not None and item.date <= now
        freeze = windows.holding(item.date, post.slug) if item.date else None
        when = f"{item.date:%Y-%m-%d %H:%M}" if item.date else _("(no date)")
        state, note = decide(item.status, verdict, due, freeze, when)
        reviews.append(PostReview(item, post.slug, state, verdict, note, freeze, item.plan))
        for problem in verdict.problems:
            findings.append(
                Finding(
                    item.path,
                    problem.record.line,
                    "approvals",
                    problem.message,
                    problem.check,
                    CHECKS[problem.check][0],
                )
            )
        if state is State.HELD:
            findings.append(
                Finding(
                    item.path,
                    item.line_of("status" if "status" in item.lines else "date"),
                    "status",
                    _("held back, not published or cross-posted: {reason}").format(reason=note),
                    "held-back",
                    CHECKS["held-back"][0],
                )
            )
    reviews.sort(key=lambda r: (r.date is None, r.date or now, r.item.path))
    linked, link_findings = plan.link(calendar.section(PLAN), reviews, calendar)
    slot_of = {p.item.source: slot_id for slot_id, ps in linked.items() for p in ps}
    reviews = [
        PostReview(r.item, r.slug, r.state, r.verdict, r.note, r.freeze, slot_of.get(r.item.source, r.slot))
        for r in reviews
    ]
    slots, slot_findings = plan.review_slots(calendar.section(PLAN), linked, calendar, now)
    findings += link_findings + slot_findings
    findings += cadence.stale_blog(reviews, calendar, now, windows.windows)
    findings += cadence.gaps_ahead(reviews, calendar, now, windows.windows)
    findings += cadence.crowding(reviews, calendar, now)
    return GateResult(
        now,
        calendar,
        reviews,
        slots,
        findings,
        cadence.thin_weeks(reviews, calendar, now),
        cadence.published_per_week(reviews, calendar, now),
        windows,
    )
