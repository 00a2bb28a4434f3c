"""Strict mode (approval.git_proof): an approval counts only if git shows the approver added it.

For each approval, `git blame` names the commit that wrote its fingerprint
line; that commit's author e-mail must be the approver's (from the team). An
author e-mail is whatever `git config user.email` says, so with
verify_signatures the commit must also carry a signature that `git
verify-commit` accepts, made with a key of the approver: one of their
`signing_keys` in the calendar (checked against an allowed-signers file made
from the team, not this machine's configuration), or, for a member who lists
none, a key this machine's git trusts for the approver's e-mail (a GPG keyring,
gpg.ssh.allowedSignersFile).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from hub_content.calendar import Calendar, TeamMember
from hub_content.model import ContentItem
from hub_content.signing_keys import allowed_signers
from hub_core.i18n import translator

NOT_COMMITTED = "0" * 40
FIELD = "\x1f"

_, ngettext = translator("hub_review")


def git(repo: Path, *args: str, config: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    settings = [item for name, value in (config or {}).items() for item in ("-c", f"{name}={value}")]
    return subprocess.run(
        ["git", "-C", str(repo), *settings, *args],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def repository_root(path: Path) -> Path | None:
    result = git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel")
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def blame_line(repo: Path, file: Path, line: int) -> tuple[str, str] | None:
    """(commit, author e-mail) of the commit that last wrote `line` of `file`."""
    result = git(repo, "blame", "--porcelain", "-L", f"{line},{line}", "--", str(file))
    if result.returncode != 0 or not result.stdout:
        return None
    commit = result.stdout.split(" ", 1)[0]
    email = ""
    for row in result.stdout.splitlines():
        if row.startswith("author-mail "):
            email = row.removeprefix("author-mail ").strip().strip("<>")
            break
    return commit, email


@dataclass(frozen=True)
class Signature:
    accepted: bool  # git verify-commit exited 0
    status: str  # git's %G?: G good, U good but no trusted principal, N none, B bad, E cannot check, …
    signer: str  # %GS: the principal (SSH) or user id (GPG) the key is trusted for
    key: str  # %GF: the key's fingerprint (SSH: SHA256:…)


class Signatures:
    """Checks each commit's signature once, against the team's keys or this machine's trust."""

    def __init__(self, repo: Path, calendar: Calendar, team_file: Path | None) -> None:
        self.repo = repo
        self.team_file = team_file
        self.owner = {key.fingerprint: m.id for m in calendar.team.values() for key in m.signing_keys}
        self.seen: dict[tuple[str, bool], Signature] = {}

    def signature(self, commit: str, *, team: bool) -> Signature:
        if (commit, team) not in self.seen:
            config = {"gpg.ssh.allowedSignersFile": str(self.team_file)} if team and self.team_file else {}
            accepted = git(self.repo, "verify-commit", commit, config=config).returncode == 0
            shown = git(self.repo, "log", "-1", f"--format=%G?{FIELD}%GS{FIELD}%GF", commit, config=config)
            status, signer, key = ([*shown.stdout.strip().split(FIELD), "", ""])[:3]
            self.seen[commit, team] = Signature(accepted, status or "N", signer, key)
        return self.seen[commit, team]

    def reason(self, commit: str, member: TeamMember) -> str | None:
        """Why the signature of `commit` does not prove `member` approved, or None if it does."""
        short = commit[:10]
        if member.signing_keys:
            signature = self.signature(commit, team=True)
            if signature.status == "N":
                return _("expected commit {commit} signed with a key of {member}, found it unsigned").format(
                    commit=short, member=member.id
                )
            mine = {key.fingerprint for key in member.signing_keys}
            if signature.key and signature.key not in mine:
                owner = self.owner.get(signature.key)
                if owner:
                    message = _(
                        "expected commit {commit} signed with one of {member}'s signing_keys, found the key of '{owner}' ({key})"
                    )
                else:
                    message = _(
                        "expected commit {commit} signed with one of {member}'s signing_keys, found a key the team does not list ({key})"
                    )
                return message.format(commit=short, member=member.id, owner=owner, key=signature.key)
            if not signature.accepted:
                return _("expected a signature git verify-commit accepts on commit {commit}, found a bad one").format(
                    commit=short
                )
            return None
        signature = self.signature(commit, team=False)
        if not signature.accepted:
            return _(
                "expected a signature git verify-commit accepts on commit {commit}, found none or a bad one "
                "(list {member}'s signing_keys in the calendar to check it against the team)"
            ).format(commit=short, member=member.id)
        signer = signature.signer.rsplit("<", 1)[-1].rstrip(">").strip().lower()
        if signer != member.email.lower():
            return _("expected commit {commit} signed by {email}, found a signature by {signer}").format(
                commit=short, email=member.email, signer=signature.signer or _("an unnamed key")
            )
        return None


@contextmanager
def team_signers(calendar: Calendar) -> Iterator[Path | None]:
    """git's allowed-signers file made from the team's signing_keys (principal: the member's e-mail)."""
    keys = [(m.email, key) for m in calendar.team.values() if m.email for key in m.signing_keys]
    if not keys:
        yield None
        return
    handle, name = tempfile.mkstemp(prefix="hub-allowed-signers-", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(allowed_signers(keys))
        yield Path(name)
    finally:
        os.unlink(name)


def unproven_approvals(
    items: Sequence[ContentItem], calendar: Calendar, *, repo: Path, verify_signatures: bool
) -> dict[Path, dict[int, str]]:
    """For each post, the approval lines git does not prove, with the reason."""
    root = repository_root(repo)
    result: dict[Path, dict[int, str]] = {}
    with team_signers(calendar) as team_file:
        signatures = Signatures(root, calendar, team_file) if root and verify_signatures else None
        for item in items:
            for record in item.approvals:
                reason = _reason(root, item, record.by, record.fingerprint_line, calendar, signatures)
                if reason:
                    result.setdefault(item.source, {})[record.line] = reason
    return result


def _reason(
    root: Path | None,
    item: ContentItem,
    by: str,
    line: int,
    calendar: Calendar,
    signatures: Signatures | None,
) -> str | None:
    if root is None:
        return _("the content is not in a git repository")
    member = calendar.team.get(by)
    if member is None or not member.email:
        return _("expected an e-mail address for '{member}' in the team to compare with git, found none").format(
            member=by
        )
    blamed = blame_line(root, item.source, line)
    if blamed is None:
        return _("git knows nothing of this file (not committed?)")
    commit, email = blamed
    if commit == NOT_COMMITTED:
        return _("the approval is not committed yet")
    if email.lower() != member.email.lower():
        return _("expected it committed by {email}, found commit {commit} by {author}").format(
            email=member.email, commit=commit[:10], author=email
        )
    return signatures.reason(commit, member) if signatures else None
