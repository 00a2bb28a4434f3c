"""Strict mode (approval.git_proof): an approval counts only if git shows the approver added it.

For each approval, `git blame` names the commit that wrote its fingerprint
line; that commit's author e-mail must be the approver's (from the team), and
with verify_signatures, `git verify-commit` must accept its signature.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from content_model.calendar import Calendar
from content_model.model import ContentItem

NOT_COMMITTED = "0" * 40


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def repository_root(path: Path) -> Path | None:
    result = _git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def blame_line(repo: Path, file: Path, line: int) -> tuple[str, str] | None:
    """(commit, author e-mail) of the commit that last wrote `line` of `file`."""
    result = _git(repo, "blame", "--porcelain", "-L", f"{line},{line}", "--", str(file))
    if result.returncode != 0 or not result.stdout:
        return None
    commit = result.stdout.split(" ", 1)[0]
    email = ""
    for row in result.stdout.splitlines():
        if row.startswith("author-mail "):
            email = row.removeprefix("author-mail ").strip().strip("<>")
            break
    return commit, email


def unproven_approvals(
    items: Sequence[ContentItem], calendar: Calendar, *, repo: Path, verify_signatures: bool
) -> dict[Path, dict[int, str]]:
    """For each post, the approval lines git does not prove, with the reason."""
    root = repository_root(repo)
    result: dict[Path, dict[int, str]] = {}
    verified: dict[str, bool] = {}
    for item in items:
        for record in item.approvals:
            reason = _reason(root, item, record.by, record.fingerprint_line, calendar, verify_signatures, verified)
            if reason:
                result.setdefault(item.source, {})[record.line] = reason
    return result


def _reason(
    root: Path | None,
    item: ContentItem,
    by: str,
    line: int,
    calendar: Calendar,
    verify_signatures: bool,
    verified: dict[str, bool],
) -> str | None:
    if root is None:
        return "the content is not in a git repository"
    member = calendar.team.get(by)
    if member is None or not member.email:
        return f"expected an e-mail address for '{by}' in the team to compare with git, found none"
    blamed = blame_line(root, item.source, line)
    if blamed is None:
        return "git knows nothing of this file (not committed?)"
    commit, email = blamed
    if commit == NOT_COMMITTED:
        return "the approval is not committed yet"
    if email.lower() != member.email.lower():
        return f"expected it committed by {member.email}, found commit {commit[:10]} by {email}"
    if verify_signatures:
        if commit not in verified:
            verified[commit] = _git(root, "verify-commit", commit).returncode == 0
        if not verified[commit]:
            return f"expected a signature git verify-commit accepts on commit {commit[:10]}, found none or a bad one"
    return None
