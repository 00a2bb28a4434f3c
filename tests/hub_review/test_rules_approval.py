"""Four-eyes approval as a pure rule: hub_review.approval.judge and the fingerprint, on plain data.

No Pelican, no files, no clock: a post, the team and the policy in, a verdict out. The build
tests (test_approval.py) show the same rules end to end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hub_content.calendar import Calendar, TeamMember
from hub_content.model import ApprovalRecord, ContentItem, ImageRef, Sponsorship
from hub_review.approval import Problem, judge, proof_notice, refusal
from hub_review.calendar_sections import ApprovalPolicy, CategoryRule
from hub_review.fingerprint import PREFIX, fingerprint

BERLIN = ZoneInfo("Europe/Berlin")
POST_DATE = datetime(2026, 11, 20, 9, 0, tzinfo=BERLIN)
APPROVED_AT = datetime(2026, 11, 19, 15, 0, tzinfo=BERLIN)
CURRENT = "sha256:current"

TEAM = {
    "jdoe": TeamMember("jdoe", "Jana Döring", "Redakteurin", rights=frozenset({"author", "editor"}), approves=None),
    "mmuster": TeamMember("mmuster", "Max Muster", "Azubi", rights=frozenset({"author"})),
    "eeditor": TeamMember("eeditor", "Eva Editor", "Chefin", rights=frozenset({"editor"}), approves=None),
    "kkoch": TeamMember("kkoch", "Kai Koch", "Redakteur", rights=frozenset({"editor"}), approves=None),
    "tech": TeamMember(
        "tech", "Tina Technik", "Technik", rights=frozenset({"editor"}), approves=frozenset({"Technik"})
    ),
}


def calendar(policy: ApprovalPolicy | None = None) -> Calendar:
    return Calendar("editorial_calendar.yaml", team=dict(TEAM), sections={"approval": policy or ApprovalPolicy()})


def approval(by: str, fingerprint: str = CURRENT, line: int = 7) -> ApprovalRecord:
    return ApprovalRecord(by, APPROVED_AT, fingerprint, line)


def post(*approvals: ApprovalRecord, category: str = "Technik", authors: tuple[str, ...] = ("jdoe",)) -> ContentItem:
    return ContentItem(
        "content/posts/motor.md",
        Path("/site/content/posts/motor.md"),
        "article",
        title="Motor",
        date=POST_DATE,
        authors=authors,
        category=category,
        approvals=approvals,
    )


def checks(problems: Sequence[Problem]) -> list[str]:
    return [p.check for p in problems]


# -- judge: who counts ------------------------------------------------------------------------------


def test_one_approval_by_another_editor_approves() -> None:
    verdict = judge(post(approval("eeditor")), CURRENT, calendar())
    assert verdict.approved
    assert verdict.approvers == ("eeditor",)
    assert verdict.problems == ()
    assert verdict.summary() == "freigegeben von eeditor"


def test_no_approval_is_not_approved_and_says_what_is_needed() -> None:
    verdict = judge(post(), CURRENT, calendar())
    assert not verdict.approved
    assert verdict.summary() == "noch nicht freigegeben: nötig ist eine Freigabe"


def test_an_author_approving_their_own_post_is_self_approval() -> None:
    verdict = judge(post(approval("jdoe")), CURRENT, calendar())
    assert not verdict.approved
    assert checks(verdict.problems) == ["self-approval"]
    assert "Nach dem Vier-Augen-Prinzip gibt eine andere Person frei" in verdict.problems[0].message
    assert verdict.summary().startswith("Die Freigabe durch jdoe am 2026-11-19 zählt nicht: Jana Döring (jdoe)")


def test_a_co_author_may_not_approve_either() -> None:
    verdict = judge(post(approval("eeditor"), authors=("jdoe", "eeditor")), CURRENT, calendar())
    assert checks(verdict.problems) == ["self-approval"]
    assert not verdict.approved


def test_a_member_without_the_editor_right_cannot_approve() -> None:
    verdict = judge(post(approval("mmuster")), CURRENT, calendar())
    assert checks(verdict.problems) == ["approver-rights"]
    assert "hat in editorial_calendar.yaml nicht das Recht „editor“" in verdict.problems[0].message


def test_someone_outside_the_team_cannot_approve() -> None:
    verdict = judge(post(approval("ghost")), CURRENT, calendar())
    assert checks(verdict.problems) == ["approver-rights"]
    assert "„ghost“ steht nicht im Team in editorial_calendar.yaml" in verdict.problems[0].message


def test_an_editor_limited_to_categories_approves_only_those() -> None:
    assert judge(post(approval("tech"), category="Technik"), CURRENT, calendar()).approved
    verdict = judge(post(approval("tech"), category="Finanzen"), CURRENT, calendar())
    assert not verdict.approved
    assert verdict.problems[0].message.endswith("Tina Technik (tech) darf Technik freigeben, nicht „Finanzen“")


def test_a_category_with_listed_approvers_admits_only_them() -> None:
    policy = ApprovalPolicy(categories={"Finanzen": CategoryRule(approvers=frozenset({"kkoch"}))})
    assert judge(post(approval("kkoch"), category="Finanzen"), CURRENT, calendar(policy)).approved
    verdict = judge(post(approval("eeditor"), category="Finanzen"), CURRENT, calendar(policy))
    assert checks(verdict.problems) == ["approver-rights"]
    assert "Der Redaktionskalender erlaubt dafür nur kkoch" in verdict.problems[0].message


def test_a_category_can_require_two_different_editors() -> None:
    policy = ApprovalPolicy(categories={"Technik": CategoryRule(required=2)})
    one = judge(post(approval("eeditor")), CURRENT, calendar(policy))
    assert not one.approved
    assert one.summary() == "1 von 2 Freigaben (eeditor)"
    twice_the_same = judge(post(approval("eeditor"), approval("eeditor", line=9)), CURRENT, calendar(policy))
    assert not twice_the_same.approved
    two = judge(post(approval("eeditor"), approval("kkoch", line=9)), CURRENT, calendar(policy))
    assert two.approved
    assert two.approvers == ("eeditor", "kkoch")


def test_the_site_wide_requirement_applies_to_other_categories() -> None:
    policy = ApprovalPolicy(required=2, categories={"Technik": CategoryRule(required=1)})
    assert judge(post(), CURRENT, calendar(policy)).required == 1
    assert judge(post(category="Werkstatt"), CURRENT, calendar(policy)).summary() == (
        "noch nicht freigegeben: nötig sind 2 Freigaben von verschiedenen Personen der Redaktion"
    )


# -- judge: when an approval stops counting -------------------------------------------------------------


def test_an_approval_of_other_content_is_stale() -> None:
    verdict = judge(post(approval("eeditor", fingerprint="sha256:before")), CURRENT, calendar())
    assert not verdict.approved
    assert checks(verdict.stale) == ["approval-stale"]
    assert verdict.summary() == (
        "Freigabe veraltet: Der Inhalt wurde nach der Freigabe durch eeditor am 2026-11-19 geändert. Bitte neu freigeben."
    )


def test_an_unproven_approval_does_not_count_in_git_proof_mode() -> None:
    record = approval("eeditor", line=12)
    verdict = judge(post(record), CURRENT, calendar(), proven={12: "committed by jdoe"})
    assert not verdict.approved
    assert checks(verdict.problems) == ["approval-unproven"]
    assert verdict.problems[0].message.endswith("ist nicht belegt: committed by jdoe")
    assert judge(post(record), CURRENT, calendar(), proven={}).approved


def test_posts_dated_before_approval_since_need_none() -> None:
    since = calendar(ApprovalPolicy(since=datetime(2026, 1, 1, tzinfo=BERLIN)))
    old = replace(post(), date=datetime(2025, 12, 31, 23, 59, tzinfo=BERLIN))
    assert judge(old, CURRENT, since).grandfathered
    assert judge(old, CURRENT, since).approved
    assert not judge(post(), CURRENT, since).approved


def test_refusal_is_none_for_a_rightful_approver() -> None:
    assert refusal(TEAM["eeditor"], "eeditor", post(), calendar()) is None


# -- proof notice ---------------------------------------------------------------------------------


def test_proof_notice_says_what_is_missing_until_signatures_are_verified() -> None:
    unproven = proof_notice(calendar())
    assert unproven is not None and unproven.startswith("Freigaben sind nicht belegt")
    emails_only = proof_notice(calendar(ApprovalPolicy(git_proof=True)))
    assert emails_only is not None and emails_only.startswith("Freigaben sind nur durch die Autor-E-Mail in git belegt")
    assert proof_notice(calendar(ApprovalPolicy(git_proof=True, verify_signatures=True))) is None


# -- fingerprint: what readers see ----------------------------------------------------------------


def digest_of(files: dict[str, str]) -> Callable[[str], str]:
    return lambda relative: files.get(relative, "missing")


def test_the_fingerprint_is_short_and_stable() -> None:
    first = fingerprint(post(), "Text\n", digest_of({}))
    assert first.startswith(PREFIX) and len(first) == len(PREFIX) + 32
    assert fingerprint(post(), "Text\n", digest_of({})) == first


def test_the_fingerprint_changes_with_what_readers_see() -> None:
    base = fingerprint(post(), "Text", digest_of({}))
    assert fingerprint(replace(post(), title="Motor!"), "Text", digest_of({})) != base
    assert fingerprint(post(), "Text.", digest_of({})) != base
    assert fingerprint(replace(post(), sponsored=Sponsorship("Anzeige")), "Text", digest_of({})) != base
    assert fingerprint(replace(post(), date=APPROVED_AT), "Text", digest_of({})) != base


def test_the_fingerprint_changes_when_an_image_file_is_replaced() -> None:
    item = replace(post(), image=ImageRef("images/motor.jpg", "Ein Motor"))
    assert fingerprint(item, "Text", digest_of({"images/motor.jpg": "aaa"})) != fingerprint(
        item, "Text", digest_of({"images/motor.jpg": "bbb"})
    )


def test_the_fingerprint_ignores_what_readers_do_not_see() -> None:
    base = fingerprint(post(), "Text\n", digest_of({}))
    assert fingerprint(replace(post(), tags=("Motor",), category="Werkstatt"), "Text\n", digest_of({})) == base
    assert fingerprint(replace(post(), status="review", plan="slot-1"), "Text\n", digest_of({})) == base
    assert fingerprint(post(), "Text\r\n\n\n", digest_of({})) == base
