"""The editorial plan: which slot became which post, and which slots are in trouble."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from pathlib import PurePosixPath

from hub_content.calendar import Calendar
from hub_content.fields import CHECKS
from hub_core.findings import Finding
from hub_core.i18n import N_, translator
from hub_core.suggest import did_you_mean

from .calendar_sections import PlanSlot
from .states import PostReview, State
from .weeks import working_days_before

_, ngettext = translator("hub_review")

# Approved this many working days before the due day, or the slot is at risk.
APPROVAL_LEAD_DAYS = 2
ORDER = (State.PUBLISHED, State.SCHEDULED, State.APPROVED, State.IN_REVIEW, State.STALE, State.HELD, State.DRAFT)


class SlotState(StrEnum):
    OPEN = "open"
    WRITING = "in progress"
    AT_RISK = "at risk"
    READY = "ready"
    PUBLISHED = "published"
    MISSED = "missed"

    def shown(self) -> str:
        """The slot's state as a person reads it (the value stays English: JSON and CSS use it)."""
        return _(SLOT_STATE_NAMES[self])


SLOT_STATE_NAMES = {
    SlotState.OPEN: N_("open"),
    SlotState.WRITING: N_("in progress"),
    SlotState.AT_RISK: N_("at risk"),
    SlotState.READY: N_("ready"),
    SlotState.PUBLISHED: N_("published"),
    SlotState.MISSED: N_("missed"),
}


@dataclass(frozen=True)
class SlotReview:
    slot: PlanSlot
    state: SlotState
    post: PostReview | None
    note: str


def _finding(path: str, line: int, field: str, message: str, check: str) -> Finding:
    return Finding(path, line, field, message, check, CHECKS[check][0])


def _index(posts: Sequence[PostReview]) -> dict[str, list[PostReview]]:
    """Every name a slot's `post:` may use for a post: its slug and each tail of its path
    ('content/posts/2026/x.md', 'posts/2026/x.md', '2026/x.md', 'x.md')."""
    index: dict[str, list[PostReview]] = defaultdict(list)
    for post in posts:
        names = {post.slug}
        parts = PurePosixPath(post.item.path).parts
        names.update("/".join(parts[i:]) for i in range(len(parts)))
        for name in names:
            index[name].append(post)
    return index


def link(
    slots: Sequence[PlanSlot], posts: Sequence[PostReview], calendar: Calendar
) -> tuple[dict[str, list[PostReview]], list[Finding]]:
    """Posts per slot id, from the slot's `post:` and the posts' `plan:`; dangling links are errors."""
    linked: dict[str, list[PostReview]] = {slot.id: [] for slot in slots}
    findings = []
    index = _index(posts) if any(slot.post for slot in slots) else {}
    for slot in slots:
        if not slot.post:
            continue
        found = index.get(PurePosixPath(slot.post).as_posix(), [])
        if not found:
            findings.append(
                _finding(
                    calendar.path,
                    slot.line,
                    f"plan[{slot.id}].post",
                    _("expected the slug or path of a post, found '{found}'{suggestion}, which names none").format(
                        found=slot.post, suggestion=did_you_mean(slot.post, [p.slug for p in posts])
                    ),
                    "slot-unknown-post",
                )
            )
        linked[slot.id].extend(found)
    for post in posts:
        if post.item.plan is None:
            continue
        if post.item.plan not in linked:
            findings.append(
                _finding(
                    post.item.path,
                    post.item.line_of("plan"),
                    "plan",
                    _("expected the id of a slot in {calendar}, found '{found}'{suggestion}, which names none").format(
                        calendar=calendar.path, found=post.item.plan, suggestion=did_you_mean(post.item.plan, linked)
                    ),
                    "unknown-slot",
                )
            )
        elif all(p is not post for p in linked[post.item.plan]):
            linked[post.item.plan].append(post)
    return linked, findings


def review_slots(
    slots: Sequence[PlanSlot], linked: dict[str, list[PostReview]], calendar: Calendar, now: datetime
) -> tuple[list[SlotReview], list[Finding]]:
    zone = calendar.timezone
    reviews = []
    findings = []
    for slot in sorted(slots, key=lambda s: (s.due_day, s.id)):
        posts = sorted(linked.get(slot.id, []), key=lambda p: ORDER.index(p.state))
        post = posts[0] if posts else None
        deadline_day = working_days_before(slot.due_day, APPROVAL_LEAD_DAYS)
        risky_from = datetime.combine(deadline_day + timedelta(days=1), time(0), tzinfo=zone)
        due, deadline = slot.label, f"{deadline_day:%Y-%m-%d}"
        if post is not None and post.state is State.PUBLISHED:
            state, note = SlotState.PUBLISHED, _("published {date}").format(date=f"{post.date:%Y-%m-%d}")
        elif now >= slot.due:
            state = SlotState.MISSED
            if post:
                note = _("due {date} has passed: the post is {state} ({note})").format(
                    date=due, state=post.state.shown(), note=post.note
                )
            else:
                note = _("due {date} has passed: no post was written").format(date=due)
        elif post is not None and post.state in (State.SCHEDULED, State.APPROVED):
            state, note = SlotState.READY, _("{state}, due {date}").format(state=post.state.shown(), date=due)
        elif now >= risky_from:
            state = SlotState.AT_RISK
            values = {"date": due, "deadline": deadline, "days": APPROVAL_LEAD_DAYS}
            if post:
                note = _(
                    "due {date}, and the post is {state}: approval was due by {deadline} ({days} working days before)"
                ).format(state=post.state.shown(), **values)
            else:
                note = _(
                    "due {date}, and no post yet: approval was due by {deadline} ({days} working days before)"
                ).format(**values)
        else:
            state = SlotState.WRITING if post else SlotState.OPEN
            note = _("due {date}, approval by {deadline}").format(date=due, deadline=deadline)
        reviews.append(SlotReview(slot, state, post, note))
        if state in (SlotState.MISSED, SlotState.AT_RISK):
            check = "slot-missed" if state is SlotState.MISSED else "slot-at-risk"
            message = _("'{topic}': {note}").format(topic=slot.topic, note=note)
            findings.append(_finding(calendar.path, slot.line, f"plan[{slot.id}]", message, check))
    return reviews, findings
