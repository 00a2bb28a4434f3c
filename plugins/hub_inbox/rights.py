"""Who may decide about an item, and when an approval makes it public. Pure: an item, the post's
category, the calendar's team and approval policy in; a refusal (German text) or a verdict out.

Which editor may approve what is hub_review's rule for posts (`category_refusal`: the calendar's
`approval.categories` approvers, else the member's `approves`), so a comment under a post is
approved by the people who may approve the post. A reader's item needs one approval. A staff answer
is company content: four eyes, as posts. Writing it counts as its writer's approval (when the writer
may approve the category); it becomes public only once an editor other than its writer approved it.
"""

from __future__ import annotations

from datetime import datetime

from hub_content.calendar import Calendar
from hub_core.i18n import translator
from hub_review.approval import category_refusal

from .model import Decision, Item, Source, Status

_, ngettext = translator("hub_inbox")

STAFF_APPROVALS = 2  # the writer and a colleague
WRITE = "write"  # the log's first step of a staff answer: who wrote it


def writer_of(item: Item) -> str:
    """The team id that wrote a staff answer; "" for readers' items."""
    if item.source is not Source.STAFF:
        return ""
    return next((decision.by for decision in item.decisions if decision.action == WRITE), "")


def decision_refusal(member_id: str, item: Item, category: str, calendar: Calendar) -> str | None:
    """Why `member_id` may not decide about `item` (approve, reject, spam) at all, or None."""
    member = calendar.team.get(member_id)
    if member is None:
        return _("'{member}' is not in the team of {calendar}").format(member=member_id, calendar=calendar.path)
    if item.status is not Status.PENDING:
        return _("this item has already been decided")
    return category_refusal(member, member_id, category, calendar)


def approval_refusal(member_id: str, item: Item, category: str, calendar: Calendar) -> str | None:
    """Why `member_id` may not approve `item`, or None."""
    refused = decision_refusal(member_id, item, category, calendar)
    if refused is not None:
        return refused
    if any(approval.by == member_id for approval in item.approvals):
        if item.source is Source.STAFF:
            return _(
                "you have already approved this answer: four eyes means a second editor approves it before it appears"
            )
        return _("you have already approved this item")
    return None


def public_after(item: Item, approver: str) -> bool:
    """Whether `item` becomes public with `approver`'s approval (already checked by approval_refusal)."""
    if item.source is not Source.STAFF:
        return True
    approvers = {approval.by for approval in item.approvals} | {approver}
    writer = writer_of(item)
    return len(approvers) >= STAFF_APPROVALS and any(by != writer for by in approvers)


def approvals_missing(item: Item) -> int:
    """How many approvals a pending item still needs (shown in the queue)."""
    if item.source is not Source.STAFF:
        return 0 if item.approvals else 1
    return max(0, STAFF_APPROVALS - len({approval.by for approval in item.approvals}))


def staff_answer(
    item_id: str, post: str, parent: str, text: str, writer: str, category: str, calendar: Calendar, at: datetime
) -> Item:
    """A new staff answer, pending, its writing logged; with the writer's approval if they may approve."""
    member = calendar.team[writer]
    written = Decision(writer, at, WRITE)
    approvals: tuple[Decision, ...] = ()
    log: tuple[Decision, ...] = (written,)
    if category_refusal(member, writer, category, calendar) is None:
        approval = Decision(writer, at, "approve")
        approvals, log = (approval,), (written, approval)
    return Item(
        id=item_id,
        post=post,
        source=Source.STAFF,
        text=text,
        created=at,
        author=member.name,
        parent=parent,
        approvals=approvals,
        decisions=log,
    )
