"""Approvals that prove who approved: git identity, SSH signatures with the team's keys, `invoke approve --commit`.

Real git repositories in temporary folders, real ssh-keygen keys, the real `invoke` and real builds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CALENDAR, NOW, ROOT, Site, valid_post
from hub_content.calendar import parse_calendar
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core.errors import BuildStopped
from hub_review.fingerprint import file_digest, fingerprint
from hub_review.runner import run_gate
from hub_review.states import State

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen to sign commits")

EDITOR = "e.editor@example.com"
TRAINEE = "m.muster@example.com"
# Git must not read the machine's identity or signing setup: each test says who sits at the keyboard.
CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")} | {"GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str, email: str | None = None) -> subprocess.CompletedProcess[str]:
    identity = ["-c", f"user.email={email}"] if email else []
    return subprocess.run(
        ["git", "-c", "user.name=Test", *identity, *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env=CLEAN_ENV,
    )


def invoke(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=CLEAN_ENV,
        timeout=120,
    )


@pytest.fixture
def keys(tmp_path: Path) -> dict[str, Path]:
    """A private SSH key per person (the public one beside it, as `ssh-keygen` writes it)."""
    made = {}
    for name in ("editor", "trainee", "stranger"):
        key = tmp_path / "keys" / name
        key.parent.mkdir(exist_ok=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
        made[name] = key
    return made


def public(key: Path) -> str:
    return key.with_name(key.name + ".pub").read_text().strip()


def proof_calendar(keys: dict[str, Path], *, git_proof: bool = True, verify: bool = True) -> str:
    """The shared test team, with e-mails and signing keys for the editor and the trainee (mmuster)."""
    text = CALENDAR.replace(
        "    role: Chefredakteurin\n",
        f'    role: Chefredakteurin\n    email: {EDITOR}\n    signing_keys:\n      - "{public(keys["editor"])}"\n',
    ).replace(
        "    role: Auszubildender\n",
        f'    role: Auszubildender\n    email: {TRAINEE}\n    signing_keys: ["{public(keys["trainee"])}"]\n',
    )
    return text + f"approval:\n  git_proof: {str(git_proof).lower()}\n  verify_signatures: {str(verify).lower()}\n"


@pytest.fixture
def repo(site: Site, keys: dict[str, Path]) -> Site:
    """A site in git with the recommended setup; the trainee (mmuster) wrote and committed posts/a.md."""
    site.calendar.write_text(proof_calendar(keys), encoding="utf-8")
    git(site.root, "init", "-q")
    site.write("posts/a.md", valid_post(title='"A"', authors="[mmuster]"))
    git(site.root, "add", "-A")
    git(site.root, "commit", "-q", "--no-gpg-sign", "-m", "post by the trainee", email=TRAINEE)
    return site


def at_keyboard(site: Site, email: str, key: Path | None = None) -> None:
    """Who runs `invoke approve` here: git's user.email and, if given, the SSH key git signs with."""
    git(site.root, "config", "user.email", email)
    git(site.root, "config", "user.name", "Someone")
    if key is not None:
        git(site.root, "config", "gpg.format", "ssh")
        git(site.root, "config", "user.signingkey", str(key))


def review(site: Site):
    settings = content_settings(site.settings(prod=True), display_root=site.root)
    result, report = run_gate(check_content(settings), settings, NOW, {})
    return {p.slug: p for p in result.posts}, report


def unproven(report) -> list[str]:
    return [f.message for f in report.findings if f.check == "approval-unproven"]


def forge_approval(site: Site, relative: str, by: str) -> None:
    """Write an approval into the front matter by hand, with the right fingerprint: what `invoke approve` writes."""
    settings = content_settings(site.settings(prod=True), display_root=site.root)
    checked = check_content(settings)
    source = next(path for path in checked.items if path.name == Path(relative).name)
    current = fingerprint(checked.items[source], checked.documents[source].body, file_digest(settings.content_root))
    lines = source.read_text(encoding="utf-8").split("\n")
    closing = lines.index("---", 1)
    lines[closing:closing] = [f"approvals:\n  - by: {by}\n    at: 2026-11-21 09:00 +01:00\n    fingerprint: {current}"]
    source.write_text("\n".join(lines), encoding="utf-8")


def published_page(site: Site) -> Path:
    return site.output / "2026" / "a" / "index.html"


# -- the gate: what counts as proof ------------------------------------------------------------------


def test_a_forged_approval_committed_by_the_author_is_not_counted_and_the_post_is_held(
    repo: Site, log_warnings
) -> None:
    forge_approval(repo, "posts/a.md", "eeditor")
    git(repo.root, "commit", "-q", "--no-gpg-sign", "-am", "approved (really?)", email=TRAINEE)
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    [message] = unproven(report)
    assert f"erwartet: committet von {EDITOR}; gefunden: Commit" in message and TRAINEE in message
    # Production: the forgery is an error that stops the build; as a mere warning, the post is still left out.
    with pytest.raises(BuildStopped, match="review_gate: 2 Fehler; nichts wurde geschrieben"):
        repo.build(prod=True)
    assert any("[Fehler: approval-unproven]" in r.getMessage() for r in log_warnings)
    repo.build(prod=True, HUB_CHECKS={"approval-unproven": "warning"})
    assert (repo.output / "index.html").is_file() and not published_page(repo).exists()


def test_an_unsigned_approval_commit_does_not_count_when_signatures_are_required(
    repo: Site, keys: dict[str, Path]
) -> None:
    at_keyboard(repo, EDITOR, keys["editor"])
    repo.approve("posts/a.md", "eeditor")
    git(repo.root, "commit", "-q", "--no-gpg-sign", "-am", "approved, not signed")
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    [message] = unproven(report)
    assert "signiert mit einem Schlüssel von eeditor; gefunden: unsigniert" in message


def test_a_commit_signed_with_a_key_not_listed_for_the_approver_does_not_count(
    repo: Site, keys: dict[str, Path], tmp_path: Path
) -> None:
    # This machine trusts the whole team's keys (as a CI runner might): a valid signature, but whose?
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"{EDITOR} {public(keys['editor'])}\n{TRAINEE} {public(keys['trainee'])}\n")
    git(repo.root, "config", "gpg.ssh.allowedSignersFile", str(signers))
    git(repo.root, "config", "gpg.format", "ssh")
    # The trainee writes the approval by hand, sets the editor's e-mail as author and signs with his own key.
    forge_approval(repo, "posts/a.md", "eeditor")
    git(repo.root, "-c", f"user.signingkey={keys['trainee']}", "commit", "-q", "-S", "-am", "approved", email=EDITOR)
    assert subprocess.run(["git", "verify-commit", "HEAD"], cwd=repo.root, env=CLEAN_ENV).returncode == 0
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    [message] = unproven(report)
    assert "signiert mit einem der signing_keys von eeditor; gefunden: der Schlüssel von „mmuster“" in message

    # A key nobody in the team lists does not count either.
    git(repo.root, "reset", "-q", "--hard", "HEAD~1")
    forge_approval(repo, "posts/a.md", "eeditor")
    git(repo.root, "-c", f"user.signingkey={keys['stranger']}", "commit", "-q", "-S", "-am", "again", email=EDITOR)
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    [message] = unproven(report)
    assert (
        "signiert mit einem der signing_keys von eeditor; gefunden: ein Schlüssel, den das Team nicht kennt" in message
    )


def test_a_signed_approval_by_the_right_editor_counts_and_the_post_is_published(
    repo: Site, keys: dict[str, Path]
) -> None:
    # No allowed-signers file on this machine: the team's signing_keys in the calendar are what counts.
    at_keyboard(repo, EDITOR, keys["editor"])
    result = invoke(
        "approve",
        str(repo.content / "posts/a.md"),
        "--as",
        "eeditor",
        "--commit",
        "--content",
        str(repo.content),
        "--calendar",
        str(repo.calendar),
        cwd=repo.root,
    )
    assert result.returncode == 0, result.stderr
    assert "freigegeben von Eva Editor" in result.stdout and "(signiert): belegt" in result.stdout
    # One commit, by the editor, touching only the post.
    assert git(repo.root, "log", "-1", "--format=%ae").stdout.strip() == EDITOR
    assert git(repo.root, "show", "--name-only", "--format=", "HEAD").stdout.split() == ["content/posts/a.md"]
    assert git(repo.root, "status", "--porcelain").stdout == ""
    posts, report = review(repo)
    assert posts["a"].state is State.PUBLISHED, unproven(report)
    repo.build(prod=True)
    assert "A" in published_page(repo).read_text(encoding="utf-8")


# -- invoke approve: the person at the keyboard ------------------------------------------------------


def test_invoke_approve_refuses_to_approve_in_the_name_of_someone_else(repo: Site, keys: dict[str, Path]) -> None:
    at_keyboard(repo, TRAINEE, keys["trainee"])
    before = (repo.content / "posts/a.md").read_text()
    args = ("--content", str(repo.content), "--calendar", str(repo.calendar))
    refused = invoke("approve", str(repo.content / "posts/a.md"), "--as", "eeditor", *args, cwd=repo.root)
    assert refused.returncode == 1
    assert (
        f"Freigabe abgelehnt: approval.git_proof ist eingeschaltet, und laut git sind Sie {TRAINEE} (mmuster), "
        f"nicht Eva Editor ({EDITOR})" in refused.stderr
    )
    assert "Traceback" not in refused.stderr
    assert (repo.content / "posts/a.md").read_text() == before

    # The right e-mail but the trainee's key: refused before anything is written, with what to fix.
    at_keyboard(repo, EDITOR, keys["trainee"])
    refused = invoke("approve", str(repo.content / "posts/a.md"), "--as", "eeditor", *args, cwd=repo.root)
    assert (
        refused.returncode == 1
        and "der nicht zu den signing_keys von eeditor im Redaktionskalender gehört" in refused.stderr
    )
    assert (repo.content / "posts/a.md").read_text() == before


def test_invoke_approve_prints_the_git_command_that_proves_the_approval(repo: Site, keys: dict[str, Path]) -> None:
    at_keyboard(repo, EDITOR, keys["editor"])
    args = ("--content", str(repo.content), "--calendar", str(repo.calendar))
    result = invoke("approve", str(repo.content / "posts/a.md"), "--as", "eeditor", *args, cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert f"Committen Sie diese Änderung als {EDITOR}, signiert" in result.stdout
    [command] = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("git ")]
    assert command.startswith("git commit -S -m") and command.endswith("-- content/posts/a.md")
    assert review(repo)[0]["a"].state is State.HELD  # recorded, not yet proven
    subprocess.run(command, shell=True, cwd=repo.root, check=True, capture_output=True, env=CLEAN_ENV)
    posts, report = review(repo)
    assert posts["a"].state is State.PUBLISHED, unproven(report)


def test_approve_commit_commits_a_record_written_earlier(repo: Site, keys: dict[str, Path]) -> None:
    at_keyboard(repo, EDITOR, keys["editor"])
    repo.approve("posts/a.md", "eeditor")
    args = ("--content", str(repo.content), "--calendar", str(repo.calendar), "--commit")
    result = invoke("approve", str(repo.content / "posts/a.md"), "--as", "eeditor", *args, cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "bereits freigegeben von eeditor" in result.stdout and "belegt" in result.stdout
    assert review(repo)[0]["a"].state is State.PUBLISHED


def test_approve_commit_re_records_an_approval_someone_else_committed(repo: Site, keys: dict[str, Path]) -> None:
    at_keyboard(repo, EDITOR, keys["editor"])
    repo.approve("posts/a.md", "eeditor")
    # The trainee commits everything, the editor's record included: git names him as its writer.
    git(repo.root, "commit", "-q", "--no-gpg-sign", "-am", "all my changes", email=TRAINEE)
    assert review(repo)[0]["a"].state is State.HELD
    args = ("--content", str(repo.content), "--calendar", str(repo.calendar))
    told = invoke("approve", str(repo.content / "posts/a.md"), "--as", "eeditor", *args, cwd=repo.root)
    assert told.returncode == 0, told.stderr
    assert "bereits freigegeben von eeditor am" in told.stdout and "aber sie zählt noch nicht" in told.stdout
    assert "Rufen Sie dasselbe invoke approve noch einmal mit --commit auf" in told.stdout
    done = invoke("approve", str(repo.content / "posts/a.md"), "--as", "eeditor", *args, "--commit", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert "(signiert): belegt" in done.stdout
    subjects = git(repo.root, "log", "-2", "--format=%ae %s").stdout.splitlines()
    assert subjects == [
        f"{EDITOR} Approve content/posts/a.md (eeditor, four-eyes review)",
        f"{EDITOR} Withdraw eeditor's approval of content/posts/a.md to record it again as theirs",
    ]
    assert review(repo)[0]["a"].state is State.PUBLISHED


# -- saying plainly when approvals prove nothing -----------------------------------------------------


@pytest.mark.parametrize(
    ("git_proof", "verify", "expected"),
    [
        (False, False, "Freigaben sind nicht belegt: Jede Person mit Schreibzugriff"),
        (True, False, "Freigaben sind nur durch die Autor-E-Mail in git belegt"),
        (True, True, None),
    ],
    ids=["no-proof", "authors-only", "signatures"],
)
def test_production_build_and_review_say_once_when_approvals_are_unproven(
    site: Site, keys: dict[str, Path], log_warnings, git_proof: bool, verify: bool, expected: str | None
) -> None:
    site.calendar.write_text(proof_calendar(keys, git_proof=git_proof, verify=verify), encoding="utf-8")
    site.build(prod=True, HUB_CHECKS={"stale-blog": "warning"})  # an empty site is a stale blog
    notices = [r.getMessage() for r in log_warnings if "Freigaben sind" in r.getMessage()]
    args = ("--content", str(site.content), "--calendar", str(site.calendar))
    reviewed = invoke("review", *args, cwd=site.root)  # exits 1 on the stale blog; the notice is no error
    assert "Traceback" not in reviewed.stderr
    if expected is None:
        assert notices == [] and "Freigaben sind" not in reviewed.stderr
        return
    [notice] = notices
    assert notice.startswith("review_gate: " + expected)
    for needed in ("approval.verify_signatures: true", "signing_keys", '"Four-eyes approval"'):
        assert needed in notice
    assert reviewed.stderr.count(expected) == 1
    log_warnings.clear()
    site.build()  # development builds stay quiet
    assert not [r for r in log_warnings if "Freigaben sind" in r.getMessage()]


# -- the calendar: signing_keys ----------------------------------------------------------------------


def test_signing_keys_are_validated_with_their_line(keys: dict[str, Path], tmp_path: Path) -> None:
    text = (
        proof_calendar(keys)
        .replace("    role: Redakteurin\n", "    role: Redakteurin\n    signing_key: vertippt\n")
        .replace(
            "    rights: [author]\n",
            f'    rights: [author]\n  - id: kaputt\n    name: K\n    role: R\n    email: k@example.com\n    rights: [editor]\n    signing_keys:\n      - "{public(keys["editor"])}"\n      - ssh-ed25519 nicht-base64\n      - "-----BEGIN OPENSSH PRIVATE KEY-----"\n',
        )
    )
    calendar, findings = parse_calendar(text, display_path="editorial_calendar.yaml", content_root=tmp_path)
    rendered = [f.render() for f in findings]
    lines = text.splitlines()

    def line_of(fragment: str) -> int:
        """The last line holding `fragment`."""
        return max(i for i, line in enumerate(lines, 1) if fragment in line)

    assert (
        f"editorial_calendar.yaml:{line_of('signing_key: vertippt')}: team[0].signing_key: unbekanntes Feld "
        "(Meinten Sie „signing_keys“?)" in "\n".join(rendered)
    )
    assert any(
        r.startswith(
            f"editorial_calendar.yaml:{line_of('nicht-base64')}: team[2].signing_keys[1]: erwartet: ein öffentlicher"
            " SSH-Schlüssel"
        )
        and "das ist kein Base64" in r
        for r in rendered
    ), rendered
    assert any(
        f":{line_of('BEGIN OPENSSH')}: team[2].signing_keys[2]" in r
        and "Tragen Sie nur den öffentlichen Schlüssel (.pub) ein." in r
        for r in rendered
    )
    shared = [r for r in rendered if "jeder Schlüssel gehört genau einem Mitglied" in r]
    # eeditor (after kaputt in the file) lists kaputt's first key: reported on eeditor's key line.
    assert shared == [
        f"editorial_calendar.yaml:{line_of(public(keys['editor']))}: team[3].signing_keys: erwartet: jeder "
        f"Schlüssel gehört genau einem Mitglied; gefunden: {calendar.team['eeditor'].signing_keys[0].fingerprint}"
        " auch bei „kaputt“ [Fehler: calendar]"
    ]
    # A member with a bad key stays in the team (their posts are still checked), with the good keys.
    assert [k.comment for k in calendar.team["kaputt"].signing_keys] == ["editor"]
    assert (
        calendar.team["eeditor"].signing_keys[0].fingerprint
        in subprocess.run(
            ["ssh-keygen", "-lf", str(keys["editor"]) + ".pub"], capture_output=True, text=True, check=True
        ).stdout
    )
