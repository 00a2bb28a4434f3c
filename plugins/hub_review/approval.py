"""Four-eyes approval: who may approve a post, and does its record still count?

Pure: a post, its current fingerprint, the calendar's team and policy in; a verdict out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hub_content.calendar import Calendar, TeamMember
from hub_content.model import ApprovalRecord, ContentItem

from .calendar_sections import APPROVAL


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
            return "approved by " + ", ".join(self.approvers) if self.approvers else "approved"
        if self.stale:
            return self.stale[0].message
        if self.problems:
            return self.problems[0].message
        have = len(self.approvers)
        if have == 0:
            return "not approved yet: needs " + _approvals(self.required)
        return f"{have} of {self.required} approvals ({', '.join(self.approvers)})"


NEW_SITE_GUIDE = 'README: "Four-eyes approval", "For a new production site"'


def proof_notice(calendar: Calendar) -> str | None:
    """Said once by every production build and `invoke review` while approvals prove nothing."""
    policy = calendar.section(APPROVAL)
    if policy.git_proof and policy.verify_signatures:
        return None
    if policy.git_proof:
        return (
            "approvals are proven by git author e-mails only, which anyone can set (git config user.email): "
            f"set approval.verify_signatures: true in {calendar.path} and list each editor's "
            f"signing_keys ({NEW_SITE_GUIDE})"
        )
    return (
        "approvals are unproven: anyone with write access to the repository can write an approval into a post "
        f"by hand. To prove who approved, set approval.git_proof: true and approval.verify_signatures: true "
        f"in {calendar.path} and list each editor's signing_keys ({NEW_SITE_GUIDE})"
    )


def _approvals(count: int) -> str:
    return "1 approval" if count == 1 else f"{count} approvals from different editors"


def refusal(member: TeamMember | None, member_id: str, item: ContentItem, calendar: Calendar) -> str | None:
    """Why `member_id` may not approve `item`, or None if they may."""
    category = item.category or ""
    if member is None:
        return f"'{member_id}' is not in the team of {calendar.path}"
    if member_id in item.authors:
        return f"{member.name} ({member_id}) is an author of this post: four eyes means someone else approves it"
    if not member.is_editor:
        return f"{member.name} ({member_id}) has no 'editor' right in {calendar.path}"
    listed = calendar.section(APPROVAL).approvers_for(category)
    if listed is not None:
        if member_id not in listed:
            return (
                f"{member.name} ({member_id}) may not approve '{category}': "
                f"the calendar allows only {', '.join(sorted(listed))} for it"
            )
    elif not member.may_approve(category):
        allowed = ", ".join(sorted(member.approves or ())) or "no category"
        return f"{member.name} ({member_id}) may approve {allowed}, not '{category}'"
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
            problems.append(Problem(record, check, f"approval by {record.by} on {when} does not count: {reason}"))
        elif record.fingerprint != current:
            problems.append(
                Problem(
                    record, "approval-stale", f"content changed after approval by {record.by} on {when}: re-approve"
                )
            )
        elif proven is not None and record.line in proven:
            problems.append(
                Problem(
                    record,
                    "approval-unproven",
                    f"approval by {record.by} on {when} is not proven: {proven[record.line]}",
                )
            )
        else:
            valid.append(record)
    return Verdict(required, tuple(valid), tuple(problems))
