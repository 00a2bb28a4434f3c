"""`invoke approve`: record an editor's sign-off in a post's front matter.

The approval is refused, with the reason, when the approver may not approve
this post (an author of it, no editor right, not allowed for its category)
or when the post still has errors. Recording it rewrites only the
`approvals:` block (and `status: review` → `published` once enough editors
have approved); the rest of the file stays byte for byte as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from content_model.calendar import Calendar, TeamMember, load_calendar
from content_model.fields import CheckContext
from content_model.files import write_atomically
from content_model.findings import Level, Report
from content_model.frontmatter_split import BOUNDARY, split_document
from content_model.loader import ContentSettings, check_item, read_document
from content_model.model import ApprovalRecord, ContentItem

from .approval import judge, refusal
from .fingerprint import file_digest, fingerprint

TOP_LEVEL_KEY = re.compile(r"^[^\s#-][^:]*:")
SIMPLE_REVIEW_STATUS = re.compile(r"^status:\s*[\"']?review[\"']?\s*(#.*)?$")


class ApprovalRefused(Exception):
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
    block = render_block(records, calendar)
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


def approve_post(file: Path, approver: str, now: datetime, settings: ContentSettings) -> Outcome:
    """Check the post, then record `approver`'s approval of what readers see now."""
    calendar, calendar_findings = load_calendar(
        settings.calendar_file,
        display_path=settings.display(settings.calendar_file),
        content_root=settings.content_root,
    )
    document = read_document(file, settings.display(file))
    if not document.has_front_matter:
        raise ApprovalRefused(f"{document.path}: expected a post with YAML front matter, found none")
    context = CheckContext(
        settings.content_root, calendar, settings.languages, settings.default_lang, settings.sponsored_label
    )
    item, findings = check_item(document, file, "article", context)
    errors = Report([*calendar_findings, *findings]).apply_levels(settings.levels).errors
    if errors:
        problems = "\n".join("  " + f.render() for f in errors)
        raise ApprovalRefused(f"{document.path}: fix these errors before approving:\n{problems}")
    member = calendar.team.get(approver)
    reason = refusal(member, approver, item, calendar)
    if reason is not None:
        raise ApprovalRefused(f"{document.path}: approval refused: {reason}")
    if item.status == "draft":
        raise ApprovalRefused(
            f"{document.path}: approval refused: the post is a draft; its author sets 'status: review' when it is ready"
        )
    assert member is not None
    current = fingerprint(item, document.body, file_digest(settings.content_root))
    mine = [r for r in item.approvals if r.by == approver]
    if any(r.fingerprint == current for r in mine):
        when = next(r.at for r in mine if r.fingerprint == current)
        return Outcome(
            file, False, False, f"{document.path}: already approved by {approver} on {when:%Y-%m-%d}; nothing changed"
        )
    record = ApprovalRecord(approver, now.astimezone(calendar.timezone).replace(second=0, microsecond=0), current, 0)
    records = [r for r in item.approvals if r.by != approver] + [record]
    verdict = judge(replace(item, approvals=tuple(records)), current, calendar)
    text = file.read_text(encoding="utf-8")
    new_text, released = rewrite(text, records, calendar, release=verdict.approved and item.status == "review")
    _verify(new_text, records, document.path, file, context)
    write_atomically(file, new_text.encode("utf-8"))
    return Outcome(
        file,
        True,
        released,
        _message(document.path, member, item, verdict.approved, released, verdict.summary(), calendar),
    )


def _message(
    path: str, member: TeamMember, item: ContentItem, approved: bool, released: bool, summary: str, calendar: Calendar
) -> str:
    parts = [f"{path}: approved by {member.name}"]
    if released:
        parts.append("status set to published: it goes live on its date")
    elif approved and item.status == "review":
        parts.append("fully approved; set 'status: published' to release it")
    elif not approved:
        parts.append(f"{summary}: another editor must approve too")
    if calendar.approval.git_proof:
        parts.append(
            f"commit this change as {member.email}: approvals count only when git shows the approver added them"
        )
    return "; ".join(parts)


def _verify(text: str, records: list[ApprovalRecord], display: str, file: Path, context: CheckContext) -> None:
    """Read the rewritten file back before replacing the original: never write a broken post."""
    item, findings = check_item(split_document(text, display), file, "article", context)
    written = [(r.by, r.fingerprint) for r in item.approvals]
    if written != [(r.by, r.fingerprint) for r in records] or any(
        f.level is Level.ERROR for f in findings if f.check == "yaml-syntax"
    ):
        raise ApprovalRefused(
            f"{display}: could not record the approval without breaking the front matter; nothing was changed"
        )
