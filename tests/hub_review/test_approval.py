"""Four-eyes approval: who may approve, what makes an approval stale, and `invoke approve` itself."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from conftest import BERLIN, CALENDAR, NOW, Site, valid_post
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_review.approve import ApprovalRefused
from hub_review.runner import run_gate
from hub_review.states import State

FINANCE = """\
  - id: ir
    name: Ina Relations
    role: Investor Relations
    email: ir@example.com
    rights: [editor]
    approves: [Finanzen]
approval:
  required: 1
  categories:
    Finanzen:
      approvers: [ir]
    Technik:
      required: 2
"""


def review(site: Site, now: datetime = NOW, environ: dict[str, str] | None = None):
    settings = content_settings(site.settings(prod=True), display_root=site.root)
    result, report = run_gate(check_content(settings), settings, now, environ or {})
    return {p.slug: p for p in result.posts}, report


def findings(report, check: str) -> list:
    return [f for f in report.findings if f.check == check]


def test_an_approved_post_is_published_and_an_unapproved_one_is_held(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"A"'))
    site.write("posts/b.md", valid_post(title='"B"', date="2026-11-19 09:00 +01:00"))
    message = site.approve("posts/a.md", "eeditor")
    assert "freigegeben von Eva Editor" in message
    posts, report = review(site)
    assert posts["a"].state is State.PUBLISHED and posts["a"].verdict.approvers == ("eeditor",)
    assert posts["b"].state is State.HELD
    [held] = findings(report, "held-back")
    assert held.path.endswith("posts/b.md") and "noch nicht freigegeben: nötig ist eine Freigabe" in held.message


def test_self_approval_is_refused_with_a_clear_message(site: Site) -> None:
    site.write("posts/a.md", valid_post())  # authors: [jdoe], who is an editor for all categories
    with pytest.raises(
        ApprovalRefused, match=r"Jana Döring \(jdoe\) hat diesen Beitrag mitgeschrieben: Nach dem Vier-Augen-Prinzip"
    ):
        site.approve("posts/a.md", "jdoe")
    assert "approvals" not in (site.content / "posts/a.md").read_text()


def test_a_hand_written_self_approval_does_not_count(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"Nur ich"'))
    site.approve("posts/a.md", "eeditor")
    path = site.content / "posts/a.md"
    path.write_text(path.read_text().replace("by: eeditor", "by: jdoe"))
    posts, report = review(site)
    assert posts["nur-ich"].state is State.HELD
    [problem] = findings(report, "self-approval")
    assert "Die Freigabe durch jdoe am 2026-11-21 zählt nicht" in problem.message and problem.line > 1


def test_approver_without_rights_for_the_category(site: Site) -> None:
    site.calendar.write_text(CALENDAR + FINANCE, encoding="utf-8")
    site.write("posts/bilanz.md", valid_post(title='"Bilanz"', category="Finanzen"))
    with pytest.raises(
        ApprovalRefused, match=r"darf „Finanzen“ nicht freigeben: Der Redaktionskalender erlaubt dafür nur ir"
    ):
        site.approve("posts/bilanz.md", "eeditor")  # approves: all, but Finanzen is reserved for IR
    with pytest.raises(ApprovalRefused, match=r"nicht das Recht „editor“"):
        site.approve("posts/bilanz.md", "mmuster")
    with pytest.raises(ApprovalRefused, match=r"„niemand“ steht nicht im Team"):
        site.approve("posts/bilanz.md", "niemand")
    site.write("posts/technik.md", valid_post(title='"Technik"', category="Technik"))
    with pytest.raises(ApprovalRefused, match=r"Ina Relations \(ir\) darf Finanzen freigeben, nicht „Technik“"):
        site.approve("posts/technik.md", "ir")
    assert "freigegeben von Ina Relations" in site.approve("posts/bilanz.md", "ir")
    posts, _ = review(site)
    assert posts["bilanz"].state is State.PUBLISHED


def test_a_category_can_require_two_distinct_approvers(site: Site) -> None:
    site.calendar.write_text(CALENDAR + FINANCE, encoding="utf-8")
    site.write("posts/t.md", valid_post(title='"T"', category="Technik", authors="[mmuster]", status="review"))
    first = site.approve("posts/t.md", "eeditor")
    assert "1 von 2 Freigaben (eeditor): Eine weitere Person der Redaktion muss ebenfalls freigeben" in first
    again = site.approve("posts/t.md", "eeditor")
    assert "bereits freigegeben von eeditor" in again
    posts, _ = review(site)
    assert posts["t"].state is State.IN_REVIEW
    second = site.approve("posts/t.md", "jdoe")
    assert "status auf published gesetzt" in second
    text = (site.content / "posts/t.md").read_text()
    assert "status: published" in text and text.count("- by:") == 2
    posts, _ = review(site)
    assert posts["t"].state is State.PUBLISHED and posts["t"].verdict.approvers == ("eeditor", "jdoe")


def test_an_edit_readers_see_makes_the_approval_stale(site: Site) -> None:
    site.write("posts/a.md", valid_post(title='"Alt"', slug="a", status="review"))
    site.approve("posts/a.md", "eeditor", at=datetime(2026, 11, 20, 14, 3, tzinfo=BERLIN))
    path = site.content / "posts/a.md"
    assert "status: published" in path.read_text()
    for before, after in (
        ("Ein kurzer Text.", "Ein kurzer, geänderter Text."),
        ('title: "Alt"', 'title: "Neu"'),
        ("date: 2026-11-18 09:00 +01:00", "date: 2026-11-18 10:00 +01:00"),
    ):
        original = path.read_text()
        path.write_text(original.replace(before, after))
        posts, report = review(site)
        assert posts["a"].state is State.HELD, before
        [stale] = findings(report, "approval-stale")
        assert stale.message == (
            "Freigabe veraltet: Der Inhalt wurde nach der Freigabe durch eeditor am 2026-11-20 geändert. "
            "Bitte neu freigeben."
        )
        path.write_text(original)
    posts, _ = review(site)
    assert posts["a"].state is State.PUBLISHED


def test_a_typo_fix_outside_what_readers_see_keeps_the_approval(site: Site) -> None:
    site.calendar.write_text(
        CALENDAR + "plan:\n  - id: w47-thema\n    due: 2026-11-20\n    topic: Thema\n", encoding="utf-8"
    )
    site.write("posts/a.md", valid_post(title='"A"', plan="w47-tehma"))
    site.approve("posts/a.md", "eeditor")
    path = site.content / "posts/a.md"
    path.write_text(path.read_text().replace("plan: w47-tehma", "plan: w47-thema  # Tippfehler behoben"))
    posts, report = review(site)
    assert posts["a"].state is State.PUBLISHED and posts["a"].slot == "w47-thema"
    assert findings(report, "approval-stale") == []


def test_replacing_an_image_file_makes_the_approval_stale(site: Site, make_image) -> None:
    make_image("images/bild.png", color="steelblue")
    site.write(
        "posts/a.md",
        valid_post(title='"A"', body="Text\n\n![Ein Bild]({static}/images/bild.png)\n"),
    )
    site.approve("posts/a.md", "eeditor")
    assert review(site)[0]["a"].state is State.PUBLISHED
    make_image("images/bild.png", color="crimson")
    posts, report = review(site)
    assert posts["a"].state is State.HELD and findings(report, "approval-stale")


def test_re_approving_replaces_the_stale_record_and_keeps_the_file_intact(site: Site) -> None:
    text = valid_post(title='"A"', tags="[Labor, Technik]  # Schlagwörter", status="review")
    site.write("posts/a.md", text)
    site.approve("posts/a.md", "eeditor", at=datetime(2026, 11, 19, 9, 0, tzinfo=BERLIN))
    path = site.content / "posts/a.md"
    path.write_text(path.read_text().replace("Ein kurzer Text.", "Ein längerer Text."))
    message = site.approve("posts/a.md", "eeditor")
    assert "freigegeben von Eva Editor" in message
    after = path.read_text()
    assert after.count("- by: eeditor") == 1 and "at: 2026-11-21 10:00 +01:00" in after
    # Everything but the approvals block and the released status is byte for byte as written.
    assert after.split("approvals:")[0] == text.split("---\n\n")[0].replace("status: review", "status: published")
    assert after.endswith("---\n\nEin längerer Text.\n")
    assert review(site)[0]["a"].state is State.PUBLISHED


def test_drafts_and_broken_posts_are_not_approved(site: Site) -> None:
    site.write("posts/entwurf.md", valid_post(status="draft"))
    with pytest.raises(ApprovalRefused, match="Der Beitrag ist ein Entwurf"):
        site.approve("posts/entwurf.md")
    site.write("posts/kaputt.md", valid_post(title='"K"', authors="[niemand]"))
    with pytest.raises(ApprovalRefused, match=r"Beheben Sie vor der Freigabe diese Fehler:\n.*kaputt.md:4: authors:"):
        site.approve("posts/kaputt.md")
    assert "approvals" not in (site.content / "posts/kaputt.md").read_text()


def test_approval_since_spares_the_archive(site: Site) -> None:
    site.calendar.write_text(CALENDAR + "approval:\n  since: 2026-11-01\n", encoding="utf-8")
    site.write("posts/alt.md", valid_post(title='"Alt"', date="2026-10-20 09:00 +02:00"))
    site.write("posts/neu.md", valid_post(title='"Neu"'))
    posts, _ = review(site)
    assert posts["alt"].state is State.PUBLISHED and posts["alt"].verdict.grandfathered
    assert posts["neu"].state is State.HELD


# -- git proof (approval.git_proof) ----------------------------------------------------------------------


def git(repo: Path, *args: str, email: str = "j.doering@example.com") -> None:
    subprocess.run(
        ["git", "-c", f"user.email={email}", "-c", "user.name=Test", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


GIT_CALENDAR = CALENDAR.replace(
    "    role: Chefredakteurin\n", "    role: Chefredakteurin\n    email: e.editor@example.com\n"
) + ("approval:\n  git_proof: true\n")


@pytest.fixture
def repo(site: Site) -> Site:
    site.calendar.write_text(GIT_CALENDAR, encoding="utf-8")
    git(site.root, "init", "-q")
    # The editor is at the keyboard: `invoke approve --as eeditor` refuses anyone else under git_proof.
    git(site.root, "config", "user.email", "e.editor@example.com")
    site.write("posts/a.md", valid_post(title='"A"', authors="[mmuster]"))
    git(site.root, "add", "-A")
    git(site.root, "commit", "-qm", "post by the author")
    return site


def test_git_proof_needs_the_approval_committed_by_the_approver(repo: Site) -> None:
    message = repo.approve("posts/a.md", "eeditor")
    assert "Committen Sie diese Änderung als e.editor@example.com" in message
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    assert "die Freigabe ist noch nicht committet" in findings(report, "approval-unproven")[0].message

    git(repo.root, "commit", "-qam", "approval, committed by someone else", email="j.doering@example.com")
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    assert (
        "erwartet: committet von e.editor@example.com; gefunden: Commit"
        in findings(report, "approval-unproven")[0].message
    )


def test_git_proof_accepts_the_approvers_own_commit_and_signatures_are_checked(repo: Site) -> None:
    repo.approve("posts/a.md", "eeditor")
    git(repo.root, "commit", "-qam", "approved", email="e.editor@example.com")
    posts, report = review(repo)
    assert posts["a"].state is State.PUBLISHED, report.findings
    repo.calendar.write_text(GIT_CALENDAR + "  verify_signatures: true\n", encoding="utf-8")
    posts, report = review(repo)
    assert posts["a"].state is State.HELD
    assert "git verify-commit" in findings(report, "approval-unproven")[0].message


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="needs ssh-keygen to sign commits")
def test_git_proof_accepts_a_signed_approval(repo: Site, tmp_path: Path) -> None:
    key = tmp_path / "editor_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f"e.editor@example.com {(tmp_path / 'editor_key.pub').read_text()}")
    for name, value in (
        ("gpg.format", "ssh"),
        ("user.signingkey", str(key)),
        ("gpg.ssh.allowedSignersFile", str(signers)),
    ):
        git(repo.root, "config", name, value)
    repo.calendar.write_text(GIT_CALENDAR + "  verify_signatures: true\n", encoding="utf-8")
    repo.approve("posts/a.md", "eeditor")
    git(repo.root, "commit", "-S", "-qam", "approved and signed", email="e.editor@example.com")
    posts, report = review(repo)
    assert posts["a"].state is State.PUBLISHED, report.findings
