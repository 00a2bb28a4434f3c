"""Four-eyes approval: who may approve a post, and does its record still count?

Pure: a post, its current fingerprint, the calendar's team and policy in; a verdict out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hub_content.calendar import Calendar, TeamMember
from hub_content.model import ApprovalRecord, ContentItem
from hub_core.i18n import translator

from .calendar_sections import APPROVAL

_, ngettext = translator("hub_review")


@dataclass(frozen=True)
class Problem:
    record: ApprovalRecord
    check: str  # self-approval, approver-rights, approval-stale, approval-unproven
    message: str


@dataclass(frozen=True)
class Verdict:
    required: int
    valid: tuple[ApprovalRecord, ...] = ()
    problems: tuple[Problem, ...] = ()
    grandfathered: bool = False  # dated before approval.since: needs none

    @property
    def approved(self) -> bool:
        return self.grandfathered or len({r.by for r in self.valid}) >= self.required

    @property
    def approvers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.by for r in self.valid))

    @property
    def stale(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.check == "approval-stale")

    def summary(self) -> str:
        """Why a post is not approved, in one line."""
        if self.approved:
            if not self.approvers:
                return _("approved")
            return _("approved by {approvers}").format(approvers=", ".join(self.approvers))
        if self.stale:
            return self.stale[0].message
        if self.problems:
            return self.problems[0].message
        have = len(self.approvers)
        if have == 0:
            return ngettext(
                "not approved yet: needs {count} approval",
                "not approved yet: needs {count} approvals from different editors",
                self.required,
            ).format(count=self.required)
        return ngettext(
            "{have} of {count} approval ({approvers})", "{have} of {count} approvals ({approvers})", self.required
        ).format(have=have, count=self.required, approvers=", ".join(self.approvers))


NEW_SITE_GUIDE = 'README: "Four-eyes approval", "For a new production site"'


def proof_notice(calendar: Calendar) -> str | None:
    """Said once by every production build and `invoke review` while approvals prove nothing."""
    policy = calendar.section(APPROVAL)
    if policy.git_proof and policy.verify_signatures:
        return None
    if policy.git_proof:
        return _(
            "approvals are proven by git author e-mails only, which anyone can set (git config user.email): "
            "set approval.verify_signatures: true in {calendar} and list each editor's signing_keys ({guide})"
        ).format(calendar=calendar.path, guide=NEW_SITE_GUIDE)
    return _(
        "approvals are unproven: anyone with write access to the repository can write an approval into a post "
        "by hand. To prove who approved, set approval.git_proof: true and approval.verify_signatures: true "
        "in {calendar} and list each editor's signing_keys ({guide})"
    ).format(calendar=calendar.path, guide=NEW_SITE_GUIDE)


def refusal(member: TeamMember | None, member_id: str, item: ContentItem, calendar: Calendar) -> str | None:
    """Why `member_id` may not approve `item`, or None if they may."""
    category = item.category or ""
    if member is None:
        return _("'{member}' is not in the team of {calendar}").format(member=member_id, calendar=calendar.path)
    if member_id in item.authors:
        return _("{name} ({member}) is an author of this post: four eyes means someone else approves it").format(
            name=member.name, member=member_id
        )
    return category_refusal(member, member_id, category, calendar)


def category_refusal(member: TeamMember, member_id: str, category: str, calendar: Calendar) -> str | None:
    """Why `member_id` may not approve what belongs to `category` (a post, a comment under it), or None."""
    if not member.is_editor:
        return _("{name} ({member}) has no 'editor' right in {calendar}").format(
            name=member.name, member=member_id, calendar=calendar.path
        )
    listed = calendar.section(APPROVAL).approvers_for(category)
    if listed is not None:
        if member_id not in listed:
            return _(
                "{name} ({member}) may not approve '{category}': the calendar allows only {approvers} for it"
            ).format(name=member.name, member=member_id, category=category, approvers=", ".join(sorted(listed)))
    elif not member.may_approve(category):
        allowed = ", ".join(sorted(member.approves or ())) or _("no category")
        return _("{name} ({member}) may approve {allowed}, not '{category}'").format(
            name=member.name, member=member_id, allowed=allowed, category=category
        )
    return None


def judge(item: ContentItem, current: str, calendar: Calendar, *, proven: Mapping[int, str] | None = None) -> Verdict:
    """Evaluate the post's approval records against the team, the policy and its fingerprint.

    `proven` maps an approval's line to why git could not prove it (strict mode);
    absent lines are proven. None: no git proof required.
    """
    policy = calendar.section(APPROVAL)
    required = policy.required_for(item.category)
    if policy.since is not None and item.date is not None and item.date < policy.since:
        return Verdict(required, grandfathered=True)
    valid: list[ApprovalRecord] = []
    problems: list[Problem] = []
    for record in item.approvals:
        member = calendar.team.get(record.by)
        reason = refusal(member, record.by, item, calendar)
        when = f"{record.at:%Y-%m-%d}"
        if reason is not None:
            check = "self-approval" if record.by in item.authors else "approver-rights"
            message = _("approval by {approver} on {date} does not count: {reason}")
            problems.append(Problem(record, check, message.format(approver=record.by, date=when, reason=reason)))
        elif record.fingerprint != current:
            message = _("content changed after approval by {approver} on {date}: re-approve")
            problems.append(Problem(record, "approval-stale", message.format(approver=record.by, date=when)))
        elif proven is not None and record.line in proven:
            message = _("approval by {approver} on {date} is not proven: {reason}")
            problems.append(
                Problem(
                    record,
                    "approval-unproven",
                    message.format(approver=record.by, date=when, reason=proven[record.line]),
                )
            )
        else:
            valid.append(record)
    return Verdict(required, tuple(valid), tuple(problems))
