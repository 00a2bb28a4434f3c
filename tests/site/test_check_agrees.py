"""`invoke check` and the build never disagree: one engine decides both.

Before, `invoke check` said "0 errors" for a hand-written self-approval, a plan slot naming a
missing post or a production site with nothing published, and the build then failed. Each case
below is judged by the check (the function behind `invoke check`) and built for real, in
development and production; the check has errors exactly when the build stops.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import CALENDAR, ROOT, Site, valid_post
from hub_content.pelican_settings import content_settings
from hub_core.errors import BuildStopped
from hub_review.runner import judge_site
from pelican.readers import BaseReader

HAND_WRITTEN_SELF_APPROVAL = """approvals:
  - by: jdoe
    at: 2026-11-19 10:00 +01:00
    fingerprint: sha256:0123456789abcdef0123"""


class TextReader(BaseReader):
    enabled = True
    file_extensions: ClassVar[list[str]] = ["txt"]

    def read(self, source_path: str) -> tuple[str, dict[str, str]]:
        return "<p>Text</p>", {"title": "Notiz", "date": "2026-11-18"}


def live(site: Site) -> None:
    site.write("posts/frei.md", valid_post(title='"Freigegeben"', slug="frei"))
    site.approve("posts/frei.md")


def self_approval(site: Site) -> None:
    live(site)
    text = valid_post(title='"Selbst"', slug="selbst")
    site.write("posts/selbst.md", text.replace("---\n\n", HAND_WRITTEN_SELF_APPROVAL + "\n---\n\n", 1))


def stale_approval(site: Site) -> None:
    live(site)
    site.write("posts/alt.md", valid_post(title='"Alt"', slug="alt"))
    site.approve("posts/alt.md")
    path = site.content / "posts" / "alt.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNach der Freigabe geändert.\n", encoding="utf-8")


def slot_names_missing_post(site: Site) -> None:
    live(site)
    site.calendar.write_text(
        CALENDAR + "plan:\n  - id: slot\n    due: 2026-11-25\n    topic: T\n    post: gibt-es-nicht\n",
        encoding="utf-8",
    )


def broken_yaml(site: Site) -> None:
    live(site)
    site.write("posts/kaputt.md", "---\ntitle: [kaputt\n---\nText\n")


def rst_unknown_author(site: Site) -> None:
    live(site)
    site.write("posts/fremd.rst", "Fremd\n#####\n\n:date: 2026-11-18 09:00\n:author: Niemand\n\nText.\n")


def nothing_published(site: Site) -> None:
    site.write("posts/offen.md", valid_post(title='"Offen"', slug="offen"))


def unknown_format(site: Site) -> None:
    live(site)
    site.write("posts/notiz.txt", "Text\n")


def missing_image(site: Site) -> None:
    live(site)
    site.write("posts/bild.md", valid_post(title='"Bild"', slug="bild", body="![Ein Bild](/images/fehlt.jpg)\n"))


def unreferenced_bad_image(site: Site) -> None:
    live(site)
    site.write("images/alt/umbenannt.png", "")  # an empty file no post uses: the pipeline refuses it
    (site.content / "images/alt/umbenannt.png").write_bytes(b"\xff\xd8\xff\xe0 not a png")


def unknown_template(site: Site) -> None:
    live(site)
    # GIMP's news has such a draft: Pelican stopped with a traceback when it wrote the draft.
    site.write(
        "posts/entwurf.md",
        "Title: Entwurf\nDate: 2026-11-18 09:00\nAuthor: jdoe\nStatus: draft\nTemplate: draft-index\n\nText\n",
    )


def sample_site(site: Site) -> None:
    shutil.rmtree(site.content)
    shutil.copytree(ROOT / "content", site.content)
    shutil.copy(ROOT / "editorial_calendar.yaml", site.calendar)


CASES: dict[str, Callable[[Site], None]] = {
    "clean": live,
    "sample-site": sample_site,
    "self-approval": self_approval,
    "stale-approval": stale_approval,
    "slot-names-missing-post": slot_names_missing_post,
    "broken-yaml": broken_yaml,
    "rst-unknown-author": rst_unknown_author,
    "nothing-published": nothing_published,
    "unknown-format": unknown_format,
    "missing-image": missing_image,
    "unreferenced-bad-image": unreferenced_bad_image,
    "unknown-template": unknown_template,
}
SETTINGS = {"READERS": {"txt": TextReader}}


@pytest.mark.parametrize("prod", [False, True], ids=["development", "production"])
@pytest.mark.parametrize("case", list(CASES))
def test_check_has_errors_exactly_when_the_build_fails(site: Site, case: str, prod: bool) -> None:
    CASES[case](site)
    settings = site.settings(prod, **SETTINGS)
    _, _, report = judge_site(content_settings(settings), lambda zone: datetime.now(zone), {})
    try:
        site.build(prod, **SETTINGS)
    except BuildStopped:
        failed = True
    else:
        failed = False
    assert bool(report.errors) == failed, [f.render() for f in report.errors]
    if failed:
        assert not (site.output / "index.html").exists()


def test_the_cases_cover_both_verdicts() -> None:
    """The agreement above means something only if some cases fail and others pass."""
    assert {"clean", "sample-site"} < set(CASES) and len(CASES) >= 8


def test_check_sees_the_gate_errors_it_used_to_miss(site: Site) -> None:
    for case in (self_approval, slot_names_missing_post):
        case(site)
    _, _, report = judge_site(content_settings(site.settings()), lambda zone: datetime.now(zone), {})
    checks = {f.check for f in report.errors}
    assert {"self-approval", "slot-unknown-post"} <= checks


def test_sample_copy_is_really_the_repository_content(site: Site) -> None:
    sample_site(site)
    assert sorted(p.name for p in (site.content / "posts").rglob("*.md")) == sorted(
        p.name for p in (ROOT / "content" / "posts").rglob("*.md")
    )
    assert Path(site.calendar).read_text(encoding="utf-8") == (ROOT / "editorial_calendar.yaml").read_text(
        encoding="utf-8"
    )
