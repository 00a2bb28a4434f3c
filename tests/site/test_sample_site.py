"""The sample site: the first thing a new user sees must build cleanly, in both modes."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from pelican import Pelican
from pelican.settings import read_settings


def build_sample(output: Path, prod: bool) -> None:
    conf = ROOT / ("publishconf.py" if prod else "pelicanconf.py")
    settings = read_settings(str(conf), override={"OUTPUT_PATH": str(output)})
    Pelican(settings=settings).run()


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("prod", [False, True], ids=["development", "production"])
def test_sample_site_builds_without_warnings(tmp_path: Path, log_warnings, prod: bool) -> None:
    status_before = git_status()
    build_sample(tmp_path / "out", prod)
    messages = [record.getMessage() for record in log_warnings]
    if prod:
        # The sample's approvals are not proven by signed commits: production says so, once, and nothing else.
        unproven = [m for m in messages if m.startswith("review_gate: Freigaben sind nicht belegt")]
        assert len(unproven) == 1
        messages = [m for m in messages if m not in unproven]
    assert messages == []
    assert git_status() == status_before, "the build changed files in the project"
    pages = list((tmp_path / "out").rglob("*.html"))
    assert len(pages) > 30


def test_sample_site_has_what_the_issue_promises(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_sample(out, prod=True)
    posts = [p for p in out.glob("2026/*/index.html")]
    assert len(posts) >= 14
    english = list(out.glob("en/2026/*/index.html"))
    assert len(english) >= 2
    authors = [p for p in out.glob("autor/*/index.html")]
    assert len(authors) >= 4
    assert len(list(out.glob("kategorie/*/index.html"))) >= 4
    sponsored = [
        p
        for p in posts
        if BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").title.string.startswith("Anzeige")
    ]
    assert len(sponsored) == 1
    assert (out / "impressum/index.html").is_file() and (out / "datenschutz/index.html").is_file()
    review = (ROOT / "content/posts/2026/minus-30-grad-wie-getriebemotoren-im-klimaschrank-anlaufen.md").read_text()
    assert "status: review" in review
    assert not list(out.rglob("*klimaschrank*"))


def test_sample_editorial_picture_is_believable(tmp_path: Path) -> None:
    """Some posts approved and live, one in review, one scheduled, the plan with fulfilled and open slots."""
    from hub_content.loader import check_content
    from hub_content.pelican_settings import content_settings
    from hub_review.runner import run_gate
    from hub_review.states import State

    settings = content_settings(read_settings(str(ROOT / "publishconf.py")), display_root=ROOT)
    now = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    result, report = run_gate(check_content(settings), settings, now, {})
    states = [p.state for p in result.posts]
    assert states.count(State.PUBLISHED) >= 15
    assert states.count(State.IN_REVIEW) == 1 and states.count(State.SCHEDULED) == 1
    assert State.HELD not in states and report.errors == []
    slot_states = {s.state.value for s in result.slots}
    assert {"published", "ready", "open", "at risk", "missed"} <= slot_states
    every_approver_is_someone_else = all(
        not set(p.verdict.approvers) & set(p.item.authors) for p in result.posts if p.verdict.approvers
    )
    assert every_approver_is_someone_else
    # The scheduled post is not on the production site until its date.
    out = tmp_path / "out"
    build_sample(out, prod=True)
    assert not list(out.rglob("*bewerbungsphase*"))


def test_sample_feeds_read_cleanly_and_are_identical_across_rebuilds(tmp_path: Path) -> None:
    import feedparser

    first, second = tmp_path / "first", tmp_path / "second"
    build_sample(first, prod=True)
    build_sample(second, prod=True)
    feeds = sorted(p.relative_to(first) for p in (first / "feeds").rglob("*.xml"))
    assert {"feeds/alle.atom.xml", "feeds/alle.rss.xml", "feeds/en.atom.xml"} <= {p.as_posix() for p in feeds}
    for relative in [*feeds, Path("sitemap.xml")]:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    # The search index too: an unchanged site must deploy nothing.
    index = {p.relative_to(first): p.read_bytes() for p in (first / "pagefind").rglob("*") if p.is_file()}
    assert index == {p.relative_to(second): p.read_bytes() for p in (second / "pagefind").rglob("*") if p.is_file()}
    german = feedparser.parse((first / "feeds/alle.atom.xml").read_bytes())
    english = feedparser.parse((first / "feeds/en.atom.xml").read_bytes())
    assert not german.bozo and not english.bozo
    assert len(german.entries) >= 15 and {e.title for e in english.entries} >= {
        "The endurance test bench: 5,000 hours under load"
    }
    assert not [e for e in german.entries if "Klimaschrank" in e.title or "Bewerbungsphase" in e.title]
    assert any(e.title.startswith("Anzeige: ") for e in german.entries)
