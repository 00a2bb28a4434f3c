"""What the preview banner of a post that will not go live says: the gate's reason, not just "not approved".

Pure: a post's review (its state and the verdict the gate already has) and the calendar (for names
and the time zone) in; the banner's sentence out, in the editors' language, or None where the
theme's plain text for the state says enough (a draft, a post in review, a scheduled one).
Only the preview shows banners: a production build leaves every post that is not live out.
"""

from __future__ import annotations

from hub_content.calendar import Calendar
from hub_core.i18n import translator

from .approval import Problem, Verdict
from .readable import day, member_name, moment
from .states import PostReview, State

_, ngettext = translator("hub_review")


def banner_text(review: PostReview, calendar: Calendar) -> str | None:
    """The banner of a held post or one whose approval is out of date, naming why; None otherwise."""
    if review.state is State.STALE:
        return _stale(review.verdict.stale[0], calendar)
    if review.state is not State.HELD:
        return None
    if not review.verdict.approved:
        return _not_approved(review.verdict, calendar)
    if review.freeze is not None:
        window = review.freeze
        zone = calendar.timezone
        values = {"start": moment(window.start.astimezone(zone)), "reason": window.reason}
        if window.end is None:
            return _(
                "Held back: dated inside the publication freeze from {start} until further notice ({reason})"
            ).format(**values)
        return _("Held back: dated inside the publication freeze from {start} to {end} ({reason})").format(
            end=moment(window.end.astimezone(zone)), **values
        )
    return None


def _stale(problem: Problem, calendar: Calendar) -> str:
    return _("Approval out of date: changed after the approval by {approver} on {date} – please approve again").format(
        **_who_when(problem, calendar)
    )


def _who_when(problem: Problem, calendar: Calendar) -> dict[str, str]:
    record = problem.record
    return {"approver": member_name(calendar, record.by), "date": day(record.at.astimezone(calendar.timezone))}


def _not_approved(verdict: Verdict, calendar: Calendar) -> str:
    # The stale approval first: it is the one an editor can fix by approving again.
    if verdict.stale:
        return _stale(verdict.stale[0], calendar)
    if verdict.problems:
        problem = verdict.problems[0]
        values = _who_when(problem, calendar)
        if problem.check == "self-approval":
            return _(
                "Not approved: {approver} is an author of this post and cannot approve it (four-eyes principle) – "
                "another editor must approve it"
            ).format(**values)
        if problem.check == "approval-unproven":
            return _("Not approved: the approval by {approver} on {date} is not proven – {reason}").format(
                reason=problem.message, **values
            )
        return _("Not approved: the approval by {approver} on {date} does not count – {reason}").format(
            reason=problem.message, **values
        )
    have, needed = len(verdict.approvers), verdict.required
    if have == 0:
        return ngettext(
            "Not approved: no approval yet – it needs {count} approval (invoke approve)",
            "Not approved: no approval yet – it needs {count} approvals from different editors (invoke approve)",
            needed,
        ).format(count=needed)
    names = ", ".join(member_name(calendar, by) for by in verdict.approvers)
    return ngettext(
        "Not approved: {have} of {count} approval ({names}) – another editor must approve too",
        "Not approved: {have} of {count} approvals ({names}) – another editor must approve too",
        needed,
    ).format(have=have, count=needed, names=names)
