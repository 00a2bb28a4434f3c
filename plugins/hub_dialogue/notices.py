"""The text of a notice (routing.Notice): what the routed person or the lead reads, by e-mail or in the
team's chat. Pure: a notice in, a subject and a body out, in the editors' language (the catalogue).

A notice carries only what is needed to answer: the comment's text, the name its writer gave, the
post and the deadline. Never the writer's e-mail address or platform handle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hub_core.i18n import translator
from hub_review.readable import moment

from .routing import ESCALATE, Notice

_, ngettext = translator("hub_dialogue")


@dataclass(frozen=True)
class NoticeText:
    subject: str
    body: str


def notice_text(notice: Notice, post_title: str, post_url: str, assignee_name: str, zone: ZoneInfo) -> NoticeText:
    """Subject and body of `notice`; `post_title` "" names the post by its key."""
    item = notice.tracked.item
    post = f"„{post_title}“" if post_title else item.post
    deadline = notice.tracked.deadline
    due = _when(deadline, zone) if deadline else ""
    if notice.kind == ESCALATE:
        subject = _("Still unanswered: comment on {post}").format(post=post)
        opening = _("a comment on {post} has not been answered yet; it is routed to {name}.").format(
            post=post, name=assignee_name or _("nobody")
        )
    else:
        subject = _("New comment on {post}").format(post=post)
        opening = _("a new comment on {post} waits for your answer or decision.").format(post=post)
    lines = [_("Hello,"), "", opening, ""]
    lines.append(_("From: {name}").format(name=item.author or _("(no name given)")))
    lines += ["", item.text, ""]
    if due:
        lines.append(_("Answer due by: {deadline}").format(deadline=due))
    if post_url:
        lines.append(_("Post: {url}").format(url=post_url))
    return NoticeText(subject, "\n".join(lines).rstrip() + "\n")


def _when(value: datetime, zone: ZoneInfo) -> str:
    return _("{moment} o'clock").format(moment=moment(value.astimezone(zone)))
