"""`invoke approve` and git: who is at the keyboard, which key they sign with, committing the approval.

gitproof.py decides whether a committed approval counts; this module makes sure
an editor who runs `invoke approve` ends up with one that does. With
approval.git_proof it refuses to record an approval in the name of someone
other than the git identity, and with verify_signatures one that would be
signed with a key not listed for the approver; it commits the approval (only
that file, signed when the calendar asks for signatures) or prints the command.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

from hub_content.calendar import TeamMember
from hub_content.signing_keys import SSH_KEY_TYPES, SigningKey, parse_key
from hub_core.i18n import translator

from .gitproof import git

IDENT_EMAIL = re.compile(r"<([^<>]*)>")
_, ngettext = translator("hub_review")


def git_identity(root: Path) -> str | None:
    """The e-mail git would write as author of a commit here (config, or GIT_AUTHOR_EMAIL)."""
    result = git(root, "var", "GIT_AUTHOR_IDENT")
    match = IDENT_EMAIL.search(result.stdout) if result.returncode == 0 else None
    return match.group(1).strip() if match and match.group(1).strip() else None


def identity_refusal(root: Path, member: TeamMember, team: Mapping[str, TeamMember], calendar_path: str) -> str | None:
    """Why the person at this keyboard may not approve as `member` under git proof, or None."""
    if not member.email:
        return _("expected an e-mail for {member} in {calendar} to compare with your git identity, found none").format(
            member=member.id, calendar=calendar_path
        )
    identity = git_identity(root)
    if identity is None:
        return _(
            "approval.git_proof is on and git does not know who you are: "
            "if you are {name}, run: git config user.email {email}"
        ).format(name=member.name, email=member.email)
    if identity.lower() == member.email.lower():
        return None
    other = next((m for m in team.values() if m.email and m.email.lower() == identity.lower()), None)
    who = f"{identity} ({other.id})" if other else identity
    if other:
        fix = _("approve as yourself, or ask {name}").format(name=member.name)
    else:
        fix = _("if you are {name}, run: git config user.email {email}").format(name=member.name, email=member.email)
    return _(
        "approval.git_proof is on and git says you are {who}, not {name} ({email}): "
        "an approval counts only when its approver commits it; {fix}"
    ).format(who=who, name=member.name, email=member.email, fix=fix)


def key_refusal(root: Path, member: TeamMember) -> str | None:
    """Why a commit made here would not carry one of `member`'s listed signing keys, or None.

    None too when it cannot be told before signing (a key from the SSH agent, a private
    key with a passphrase): the gate checks the signature afterwards in any case.
    """
    if not member.signing_keys:
        return None
    setup = "git config gpg.format ssh; git config user.signingkey ~/.ssh/id_ed25519.pub"
    if git(root, "config", "--get", "gpg.format").stdout.strip() != "ssh":
        return _(
            "approval.verify_signatures is on and {member}'s signing_keys are SSH keys; sign with SSH: {setup}"
        ).format(member=member.id, setup=setup)
    key = _configured_key(root)
    if isinstance(key, str):
        return _("approval.verify_signatures is on and {problem}: {setup}").format(problem=key, setup=setup)
    if key is not None and key.fingerprint not in {k.fingerprint for k in member.signing_keys}:
        return _(
            "approval.verify_signatures is on and git here signs with key {key}, which is not one of {member}'s "
            "signing_keys in the calendar: add its .pub line there, or sign with a listed key"
        ).format(key=key.fingerprint, member=member.id)
    return None


def _configured_key(root: Path) -> SigningKey | str | None:
    """The public key user.signingkey names, the problem with it, or None if it cannot be told."""
    value = git(root, "config", "--get", "user.signingkey").stdout.strip()
    if not value:
        if git(root, "config", "--get", "gpg.ssh.defaultKeyCommand").stdout.strip():
            return None
        return _("no signing key is configured (user.signingkey)")
    literal = value.removeprefix("key::")
    if literal != value or literal.startswith(SSH_KEY_TYPES):
        parsed = parse_key(literal)
        if isinstance(parsed, SigningKey):
            return parsed
        return _("user.signingkey is not an SSH public key ({problem})").format(problem=parsed)
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = root / path
    if not path.is_file():
        return _("user.signingkey names {path}, which does not exist").format(path=path)
    public = path if path.suffix == ".pub" else path.with_name(path.name + ".pub")
    # Without a .pub beside it: the private key's public half, if it has no passphrase.
    text = public.read_text(encoding="utf-8", errors="replace") if public.is_file() else _ssh_keygen_public(path)
    parsed = parse_key(text.strip().splitlines()[0] if text.strip() else "")
    return parsed if isinstance(parsed, SigningKey) else None


def _ssh_keygen_public(private: Path) -> str:
    result = subprocess.run(
        ["ssh-keygen", "-y", "-P", "", "-f", str(private)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    return result.stdout if result.returncode == 0 else ""


def is_tracked(root: Path, file: Path) -> bool:
    return git(root, "ls-files", "--error-unmatch", "--", str(file)).returncode == 0


def has_changes(root: Path, file: Path) -> bool:
    """Does `file` differ from what is committed (or is it not committed at all)?"""
    return bool(git(root, "status", "--porcelain", "--", str(file)).stdout.strip())


def commit_message(root: Path, file: Path, member: TeamMember) -> str:
    return f"Approve {file.relative_to(root).as_posix()} ({member.id}, four-eyes review)"


def commit_command(root: Path, file: Path, message: str, *, sign: bool, cwd: Path) -> str:
    """The git command that commits only `file`, for the user to run from `cwd`."""
    here = cwd.resolve()
    if here.is_relative_to(root):
        prefix, path = ["git"], os.path.relpath(file, here)
    else:
        prefix, path = ["git", "-C", str(root)], str(file.relative_to(root))
    commit = [*prefix, "commit", *(["-S"] if sign else []), "-m", message, "--", path]
    steps = [] if is_tracked(root, file) else [shlex.join([*prefix, "add", "--", path])]
    return " && ".join([*steps, shlex.join(commit)])


def commit_file(root: Path, file: Path, message: str, *, sign: bool) -> tuple[str, str]:
    """Commit only `file` as the git identity (signed if asked): (commit id, "") or ("", git's error)."""
    if not is_tracked(root, file):
        added = git(root, "add", "--", str(file))
        if added.returncode != 0:
            return "", added.stderr.strip()
    result = git(root, "commit", "--only", *(["-S"] if sign else []), "-m", message, "--", str(file))
    if result.returncode != 0:
        return "", (result.stderr.strip() or result.stdout.strip())
    return git(root, "rev-parse", "HEAD").stdout.strip(), ""
