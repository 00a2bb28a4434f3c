"""`invoke approve`: record an editor's sign-off in a post's front matter.

The approval is refused, with the reason, when the approver may not approve
this post (an author of it, no editor right, not allowed for its category)
or when the post still has errors. Recording it rewrites only the
`approvals:` block (and `status: review` → `published` once enough editors
have approved); the rest of the file stays byte for byte as written.

With approval.git_proof the approver must be the git identity at this
keyboard, and the approval is committed (`commit=True`) or the command to
commit it is printed (committing.py); the gate's own proof (gitproof.py)
then says whether the commit counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from hub_content.calendar import Calendar, TeamMember, load_calendar
from hub_content.fields import CheckContext
from hub_content.frontmatter_split import BOUNDARY, split_document
from hub_content.loader import ContentSettings, check_context, check_item, read_document
from hub_content.model import ApprovalRecord, ContentItem
from hub_core.files import write_atomically
from hub_core.findings import Level, Report
from hub_core.i18n import N_, translator

from .approval import judge, refusal
from .calendar_sections import APPROVAL
from .committing import commit_command, commit_file, commit_message, has_changes, identity_refusal, key_refusal
from .fingerprint import file_digest, fingerprint
from .gitproof import blame_line, repository_root, unproven_approvals

TOP_LEVEL_KEY = re.compile(r"^[^\s#-][^:]*:")
SIMPLE_REVIEW_STATUS = re.compile(r"^status:\s*[\"']?review[\"']?\s*(#.*)?$")
HEADER_NAMES = {
    "pelican": N_("Pelican header lines"),
    "rst": N_("reStructuredText fields"),
    "html": N_("HTML <meta> tags"),
}

_, ngettext = translator("hub_review")


class ApprovalRefused(Exception):
    exitcode = 1


class CommitFailed(Exception):
    """The approval is recorded in the file, but git could not commit it or would not count the commit."""

    exitcode = 1


@dataclass(frozen=True)
class Outcome:
    path: Path
    changed: bool
    released: bool
    message: str


def render_time(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"


def render_block(records: list[ApprovalRecord], zone_of: Calendar) -> list[str]:
    lines = ["approvals:\n"]
    for record in records:
        lines += [
            f"  - by: {record.by}\n",
            f"    at: {render_time(record.at.astimezone(zone_of.timezone))}\n",
            f"    fingerprint: {record.fingerprint}\n",
        ]
    return lines


def rewrite(text: str, records: list[ApprovalRecord], calendar: Calendar, *, release: bool) -> tuple[str, bool]:
    """`text` with its approvals block replaced (or added) and, if asked, released for publication."""
    lines = text.splitlines(keepends=True)
    closing = next(i for i, line in enumerate(lines) if i > 0 and BOUNDARY.match(line))
    block = render_block(records, calendar) if records else []  # no records: no block
    start = next((i for i in range(1, closing) if lines[i].startswith("approvals:")), None)
    if start is None:
        lines[closing:closing] = block
    else:
        end = start + 1
        while end < closing and not TOP_LEVEL_KEY.match(lines[end]):
            end += 1
        # Keep blank lines and comments that follow the block.
        while (end - 1 > start and not lines[end - 1].strip()) or lines[end - 1].lstrip().startswith("#"):
            end -= 1
        lines[start:end] = block
    released = False
    if release:
        closing = next(i for i, line in enumerate(lines) if i > 0 and BOUNDARY.match(line))
        for i in range(1, closing):
            if SIMPLE_REVIEW_STATUS.match(lines[i].rstrip("\r\n")):
                lines[i] = "status: published" + ("\r\n" if lines[i].endswith("\r\n") else "\n")
                released = True
                break
    return "".join(lines), released


def approve_post(
    file: Path, approver: str, now: datetime, settings: ContentSettings, *, commit: bool = False
) -> Outcome:
    """Check the post, then record `approver`'s approval of what readers see now (and commit it, if asked)."""
    calendar, calendar_findings = load_calendar(
        settings.calendar_file,
        display_path=settings.display(settings.calendar_file),
        content_root=settings.content_root,
    )
    document = read_document(file, settings.display(file))
    if not document.has_front_matter or document.header != "yaml":
        header = HEADER_NAMES.get(document.header)
        found = _(header) if header else _("none")
        raise ApprovalRefused(
            _(
                "{path}: expected a post with YAML front matter (approvals are recorded there), found {found}: "
                "convert it first (move it to a folder outside content/ and run 'invoke import <folder> --write'; "
                "README: Bestehende Blogs übernehmen)"
            ).format(path=document.path, found=found)
        )
    context = check_context(settings, calendar)
    item, findings = check_item(document, file, "article", context)
    errors = Report([*calendar_findings, *findings]).apply_levels(settings.levels).errors
    if errors:
        problems = "\n".join("  " + f.render() for f in errors)
        raise ApprovalRefused(
            _("{path}: fix these errors before approving:\n{problems}").format(path=document.path, problems=problems)
        )
    member = calendar.team.get(approver)
    reason = refusal(member, approver, item, calendar)
    if reason is not None:
        raise ApprovalRefused(_refused(document.path, reason))
    if item.status == "draft":
        raise ApprovalRefused(
            _refused(document.path, _("the post is a draft; its author sets 'status: review' when it is ready"))
        )
    assert member is not None
    root = _proof_checks(file, document.path, member, calendar, commit)
    current = fingerprint(item, document.body, file_digest(settings.content_root))
    mine = [r for r in item.approvals if r.by == approver]
    if any(r.fingerprint == current for r in mine):
        when = next(r.at for r in mine if r.fingerprint == current)
        already = _("{path}: already approved by {approver} on {date}").format(
            path=document.path, approver=approver, date=f"{when:%Y-%m-%d}"
        )
        if root is not None and calendar.section(APPROVAL).git_proof:
            unproven = _unproven(root, item, member, calendar)
            if unproven is not None and commit:
                return _commit(file, root, item, member, calendar, settings, already)
            if unproven is not None:
                hint = _commit_hint(file, root, document.path, member, calendar, settings)
                told = _("{message}, but it does not count yet: {reason}").format(message=already, reason=unproven)
                return Outcome(file, False, False, f"{told}\n{hint}")
        elif commit and root is not None and has_changes(root, file):
            return _commit(file, root, item, member, calendar, settings, already)
        return Outcome(file, False, False, _("{message}; nothing changed").format(message=already))
    record = ApprovalRecord(approver, now.astimezone(calendar.timezone).replace(second=0, microsecond=0), current, 0)
    records = [r for r in item.approvals if r.by != approver] + [record]
    verdict = judge(replace(item, approvals=tuple(records)), current, calendar)
    text = file.read_text(encoding="utf-8")
    new_text, released = rewrite(text, records, calendar, release=verdict.approved and item.status == "review")
    recorded = _verify(new_text, records, document.path, file, context)
    write_atomically(file, new_text.encode("utf-8"))
    message = _message(document.path, member, item, verdict.approved, released, verdict.summary())
    if commit and root is not None:
        return replace(_commit(file, root, recorded, member, calendar, settings, message), released=released)
    if calendar.section(APPROVAL).git_proof and root is not None:
        message += "\n" + _commit_hint(file, root, document.path, member, calendar, settings)
    return Outcome(file, True, released, message)


def _proof_checks(file: Path, display: str, member: TeamMember, calendar: Calendar, commit: bool) -> Path | None:
    """The repository to commit in; refuses what git could not prove: someone else at the keyboard."""
    policy = calendar.section(APPROVAL)
    if not (policy.git_proof or commit):
        return None
    root = repository_root(file)
    if root is None:
        why = _("approval.git_proof is on") if policy.git_proof else "--commit"
        raise ApprovalRefused(
            _refused(display, _("expected the post in a git repository ({why}), found none").format(why=why))
        )
    if policy.git_proof:
        reason = identity_refusal(root, member, calendar.team, calendar.path)
        if reason is None and policy.verify_signatures:
            reason = key_refusal(root, member)
        if reason is not None:
            raise ApprovalRefused(_refused(display, reason))
    return root


def _refused(display: str, reason: str) -> str:
    return _("{path}: approval refused: {reason}").format(path=display, reason=reason)


def _commit(
    file: Path,
    root: Path,
    item: ContentItem,
    member: TeamMember,
    calendar: Calendar,
    settings: ContentSettings,
    message: str,
) -> Outcome:
    """Commit only this file as the git identity, then ask the gate whether the commit proves the approval."""
    policy = calendar.section(APPROVAL)
    sign = policy.verify_signatures
    made = []
    if has_changes(root, file):
        made.append(
            _commit_or_fail(file, root, commit_message(root, file, member), member, calendar, settings, message)
        )
    unproven = _unproven(root, item, member, calendar) if policy.git_proof else None
    record = next(r for r in item.approvals if r.by == member.id)
    blamed = blame_line(root, file, record.fingerprint_line)
    if unproven is not None and blamed is not None and blamed[0] not in made:
        # Someone else's commit wrote these lines, and git blame names it as long as they stay the same:
        # withdraw the approval in one commit and record it again in a second, both the approver's.
        text = file.read_bytes()
        others = [r for r in item.approvals if r.by != member.id]
        write_atomically(file, rewrite(text.decode("utf-8"), others, calendar, release=False)[0].encode("utf-8"))
        relative = file.relative_to(root).as_posix()
        withdraw = f"Withdraw {member.id}'s approval of {relative} to record it again as theirs"
        made.append(_commit_or_fail(file, root, withdraw, member, calendar, settings, message))
        write_atomically(file, text)
        made.append(
            _commit_or_fail(file, root, commit_message(root, file, member), member, calendar, settings, message)
        )
        unproven = _unproven(root, item, member, calendar)
    commits = ", ".join(c[:10] for c in made)
    if sign:
        done = _("{message}; committed as {commits} (signed)").format(message=message, commits=commits)
    else:
        done = _("{message}; committed as {commits}").format(message=message, commits=commits)
    if unproven is not None:
        raise CommitFailed(
            _("{message}, but the gate will not count it: {reason}").format(message=done, reason=unproven)
        )
    return Outcome(file, True, False, _("{message}: proven").format(message=done) if policy.git_proof else done)


def _commit_or_fail(
    file: Path,
    root: Path,
    subject: str,
    member: TeamMember,
    calendar: Calendar,
    settings: ContentSettings,
    message: str,
) -> str:
    commit_id, error = commit_file(root, file, subject, sign=calendar.section(APPROVAL).verify_signatures)
    if error:
        display = settings.display(file)
        failed = _("{path}: the approval is recorded, but git could not commit it:").format(path=display)
        raise CommitFailed(
            f"{message}\n{failed}\n  {error}\n" + _commit_hint(file, root, display, member, calendar, settings)
        )
    return commit_id


def _unproven(root: Path, item: ContentItem, member: TeamMember, calendar: Calendar) -> str | None:
    """Why git does not prove `member`'s approval of `item` (as the gate will judge it), or None."""
    record = next(r for r in item.approvals if r.by == member.id)
    verify = calendar.section(APPROVAL).verify_signatures
    return (
        unproven_approvals([item], calendar, repo=root, verify_signatures=verify).get(item.source, {}).get(record.line)
    )


def _commit_hint(
    file: Path, root: Path, display: str, member: TeamMember, calendar: Calendar, settings: ContentSettings
) -> str:
    sign = calendar.section(APPROVAL).verify_signatures
    who = _("{email}, signed with one of your signing_keys") if sign else "{email}"
    who = who.format(email=member.email)
    if not has_changes(root, file):
        # Committed already, by someone else: a plain git commit has nothing to commit.
        return _(
            "run the same invoke approve again with --commit: it withdraws the approval and records it again "
            "in two commits by {who}, so git shows the approver wrote it"
        ).format(who=who)
    command = commit_command(root, file, commit_message(root, file, member), sign=sign, cwd=settings.display_root)
    return _(
        "commit this change as {who}: approvals count only when git shows the approver added them. Run:\n"
        "  {command}\n(or run the same invoke approve again with --commit: it commits this record)"
    ).format(who=who, command=command)


def _message(path: str, member: TeamMember, item: ContentItem, approved: bool, released: bool, summary: str) -> str:
    parts = [_("{path}: approved by {name}").format(path=path, name=member.name)]
    if released:
        parts.append(_("status set to published: it goes live on its date"))
    elif approved and item.status == "review":
        parts.append(_("fully approved; set 'status: published' to release it"))
    elif not approved:
        parts.append(_("{summary}: another editor must approve too").format(summary=summary))
    return "; ".join(parts)


def _verify(text: str, records: list[ApprovalRecord], display: str, file: Path, context: CheckContext) -> ContentItem:
    """Read the rewritten file back before replacing the original: never write a broken post."""
    item, findings = check_item(split_document(text, display), file, "article", context)
    written = [(r.by, r.fingerprint) for r in item.approvals]
    if written != [(r.by, r.fingerprint) for r in records] or any(
        f.level is Level.ERROR for f in findings if f.check == "yaml-syntax"
    ):
        raise ApprovalRefused(
            _("{path}: could not record the approval without breaking the front matter; nothing was changed").format(
                path=display
            )
        )
    return item
