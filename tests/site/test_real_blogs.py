"""Real Pelican blogs that nobody here wrote, dropped into a Hub site as they are.

The fixtures (tests/fixtures/thirdparty/*/SOURCE.md) are trimmed copies of public blogs in the
three ways Pelican sites write metadata: header lines (GIMP's news), `---`-fenced keys (Apache
DataFusion's blog) and reStructuredText (the Pelican project's news). Each is checked and built
twice: as it is (every problem is a finding with file and line, nothing crashes, nothing goes
live), and after the few edits the findings ask for (archive posts published, drafts stay drafts,
`{filename}` links resolve).
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import CALENDAR, LEGAL_PAGES, Site, valid_post
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core.errors import BuildStopped
from hub_core.findings import Level

FIXTURES = Path(__file__).parents[1] / "fixtures" / "thirdparty"


@dataclass(frozen=True)
class Blog:
    name: str
    articles: str
    authors: tuple[str, ...]  # the names their headers use: the team lists them after the move
    # The manual edits the findings of the raw copy ask for: (file, text as written, text after).
    edits: tuple[tuple[str, str, str], ...] = ()
    drafts: tuple[str, ...] = ()  # titles that must never go live
    dangling: tuple[str, ...] = field(default=())  # links whose target the copy does not hold
    static: tuple[str, ...] = ("images",)  # STATIC_PATHS: GIMP keeps images beside its posts


PELICAN_AUTHOR = ("\n:date:", "\n:author: Justin Mayer\n:date:")
PELICAN_WITHOUT_AUTHOR = (
    "blog.rst",
    "pelican-3.1.1-py3k.rst",
    "pelican-3.3.rst",
    "pelican-4.5.rst",
    "pelican-4.7.rst",
    "sprint-2019-fall.rst",
)
BLOGS = [
    Blog(
        "gimp",
        "news",
        ("Wilber", "Alexandre Prokoudine", "Pat David", "Jehan"),
        # draft-index.md: 'Title: GIMP', Status: draft, and a template GIMP's theme has and ours does not
        edits=(("news/draft-index.md", "template: draft-index\n", ""),),
        drafts=("GIMP",),
        dangling=("tutorials",),
        static=("images", "news"),
    ),
    Blog(
        "pelican-blog",
        "news",
        ("Kyle Fuller", "Ondřej Grover", "Justin Mayer"),
        edits=(
            *((f"news/{name}", *PELICAN_AUTHOR) for name in PELICAN_WITHOUT_AUTHOR),
            ("news/namespace-plugins.md", "\nDate:", "\nAuthor: Justin Mayer\nDate:"),
        ),
    ),
    Blog(
        "datafusion",
        "blog",
        ("pmc", "alamb", "agrove", "Dandandan", "tustvold", "Xiangpeng Hao", "Andrew Lamb"),
        edits=(
            ("blog/2025-08-15-external-parquet-indexes.md", "Andrew Lamb (InfluxData)", "Andrew Lamb"),
            (
                "blog/2021-08-18-datafusion-5.0.0.md",
                '<img src="/blog/images/2021-08-18-datafusion500perf.png" />',
                '<img src="{static}/images/2021-08-18-datafusion500perf.png" alt="Benchmark" />',
            ),
            (
                "blog/2023-08-05-datafusion_fast_grouping.md",
                '<img src="/blog/images/datafusion_fast_grouping/summary.png" width="700">',
                '<img src="{static}/images/datafusion_fast_grouping/summary.png" width="700" alt="Übersicht">',
            ),
        ),
    ),
]


def moved_site(tmp_path: Path, blog: Blog, team: bool) -> Site:
    site = Site(tmp_path / blog.name)
    shutil.copytree(FIXTURES / blog.name / "content", site.content)
    for relative, text in LEGAL_PAGES.items():
        site.write(relative, text)
    members = "".join(
        f"  - id: autor{index}\n    name: {name}\n    role: Autor\n    rights: [author]\n"
        for index, name in enumerate(blog.authors)
    )
    # Archive posts (before approval.since) need no approval; everything newer does.
    calendar = CALENDAR + (members if team else "") + "approval:\n  since: 2026-01-01\n"
    site.calendar.write_text(calendar, encoding="utf-8")
    return site


def settings_for(site: Site, blog: Blog, prod: bool = False) -> dict:
    return site.settings(prod, ARTICLE_PATHS=[blog.articles], STATIC_PATHS=list(blog.static))


def check(site: Site, blog: Blog, prod: bool = False) -> list:
    return check_content(content_settings(settings_for(site, blog, prod), display_root=site.root)).report.findings


def build(site: Site, blog: Blog, prod: bool = False) -> Path:
    from pelican import Pelican

    Pelican(settings=settings_for(site, blog, prod)).run()
    return site.output


@pytest.mark.parametrize("blog", BLOGS, ids=lambda b: b.name)
def test_a_blog_as_it_is_gets_findings_with_file_and_line_and_never_goes_live(tmp_path: Path, blog: Blog) -> None:
    site = moved_site(tmp_path, blog, team=False)
    findings = check(site, blog)
    errors = [f for f in findings if f.level is Level.ERROR]
    assert errors, "their authors are not in the team: the check must say so"
    for finding in findings:
        assert (site.root / finding.path).is_file(), finding.render()
        assert finding.line >= 1, finding.render()
    for prod in (False, True):
        with pytest.raises(BuildStopped):
            build(site, blog, prod)
        assert not (site.output / "index.html").exists()


@pytest.mark.parametrize("blog", BLOGS, ids=lambda b: b.name)
def test_a_blog_after_the_edits_the_findings_ask_for_builds_and_publishes_only_what_it_may(
    tmp_path: Path, blog: Blog, log_warnings
) -> None:
    site = moved_site(tmp_path, blog, team=True)
    for relative, before, after in blog.edits:
        path = site.content / relative
        text = path.read_text(encoding="utf-8")
        assert before in text, (relative, before)
        path.write_text(text.replace(before, after, 1), encoding="utf-8")
    # One new post of ours, approved: the blog is not stale, and the gate still holds what is new.
    site.write(f"{blog.articles}/neu.md", valid_post(title='"Neu bei uns"', slug="neu-bei-uns", authors="[jdoe]"))
    site.approve(f"{blog.articles}/neu.md")
    site.write(f"{blog.articles}/offen.md", valid_post(title='"Noch nicht freigegeben"', slug="offen"))
    assert not [f for f in check(site, blog, prod=True) if f.level is Level.ERROR]

    output = build(site, blog, prod=True)
    pages = {p.relative_to(output).as_posix(): p.read_text(encoding="utf-8") for p in output.rglob("*.html")}
    titles = " ".join(pages.values())
    assert "Neu bei uns" in titles
    assert "Noch nicht freigegeben" not in titles
    for title in blog.drafts:
        assert f'<h1 class="post__title">{title}</h1>' not in titles
    archive = [p for p in pages if p.startswith(("20", "en/")) and p.count("/") >= 2]
    assert len(archive) >= 6, sorted(pages)

    unresolved = [
        r.getMessage()
        for r in log_warnings
        if "Unable to find" in r.getMessage() and not any(d in r.getMessage() for d in blog.dangling)
    ]
    assert not unresolved
    assert not [r for r in log_warnings if r.levelno >= logging.ERROR]
