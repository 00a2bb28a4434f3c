"""Every way of writing a post goes through the same checks and the same gate (no bypass).

Each test here writes a post the way stock Pelican sites do (header lines, `---`-fenced
Pelican keys, reStructuredText, HTML) and builds for real: before one pipeline judged every
format, each of these went live unapproved or crashed the build.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from conftest import CALENDAR, Site, valid_post
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core.errors import BuildStopped
from hub_core.findings import Level
from pelican.readers import BaseReader

SECRET = "Streng vertraulich"

PELICAN_HEADER = f"""Title: {SECRET}: Prototyp X
Date: 2026-11-18 09:00
Category: Technik
Tags: Geheimtag, Labor
Author: Jana Döring
Summary: Ein *kurzer* Überblick.

Der erste Absatz des Beitrags.
"""

FENCED_PELICAN = f"""---
Title: {SECRET}: Prototyp Y
Date: 2026-11-18 09:00
Category: Technik
Tags: Geheimtag, Labor
Author: Jana Döring
---

Der Text.
"""

RST = f"""{SECRET}: Prototyp Z
##############################

:date: 2026-11-18 09:00
:category: Technik
:tags: Geheimtag, Labor
:authors: Jana Döring
:summary: Ein Überblick in reStructuredText.

Der erste Absatz, in *reStructuredText*.
"""

HTML = f"""<html>
  <head>
    <title>{SECRET}: Prototyp H</title>
    <meta name="date" content="2026-11-18 09:00" />
    <meta name="category" content="Technik" />
    <meta name="authors" content="Jana Döring" />
  </head>
  <body>
    <p>Ein Beitrag in HTML.</p>
  </body>
</html>
"""


def findings(site: Site, prod: bool = False) -> list:
    return check_content(content_settings(site.settings(prod), display_root=site.root)).report.findings


def with_live_post(site: Site) -> None:
    """An approved, recent post: production refuses to publish a blog with none (stale-blog)."""
    site.write("posts/frei.md", valid_post(title='"Freigegeben"', slug="frei"))
    site.approve("posts/frei.md")


def output_text(output: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(output.rglob("*")) if p.is_file())


@pytest.mark.parametrize(
    ("name", "text"),
    [("header.md", PELICAN_HEADER), ("fenced.md", FENCED_PELICAN), ("post.rst", RST), ("post.html", HTML)],
)
def test_unapproved_post_in_any_format_is_not_published(site: Site, name: str, text: str) -> None:
    with_live_post(site)
    site.write(f"posts/{name}", text)
    output = site.build(prod=True)
    assert (output / "2026" / "frei" / "index.html").is_file()
    everything = output_text(output)
    assert SECRET not in everything  # not on a page, in a listing, a feed or the sitemap
    assert "geheimtag" not in everything.lower()


@pytest.mark.parametrize(
    ("name", "text"),
    [("header.md", PELICAN_HEADER), ("fenced.md", FENCED_PELICAN), ("post.rst", RST), ("post.html", HTML)],
)
def test_every_format_is_checked_and_judged(site: Site, name: str, text: str) -> None:
    site.write(f"posts/{name}", text.replace("Jana Döring", "Jana Unbekannt"))
    [unknown] = [f for f in findings(site) if f.check == "unknown-author"]
    assert unknown.path.endswith(name) and unknown.line > 1
    # The message lists the team, so the author knows what to write instead.
    assert "jdoe (Jana Döring)" in unknown.message and "gefunden: „Jana Unbekannt“" in unknown.message
    with pytest.raises(BuildStopped):
        site.build()


@pytest.mark.parametrize(
    ("name", "text"),
    [("header.md", PELICAN_HEADER), ("fenced.md", FENCED_PELICAN), ("post.rst", RST), ("post.html", HTML)],
)
def test_every_format_renders_in_development_with_its_metadata(site: Site, name: str, text: str) -> None:
    site.write(f"posts/{name}", text)
    output = site.build()
    [page] = [p for p in (output / "2026").rglob("*.html") if SECRET in p.read_text(encoding="utf-8")]
    html = page.read_text(encoding="utf-8")
    assert "Technik" in html and "Jana Döring" in html
    assert 'class="review-banner' in html or "Nicht freigegeben" in html or "nicht freigegeben" in html.lower()


def test_archive_posts_in_pelican_format_are_published_when_older_than_approval_since(site: Site) -> None:
    site.calendar.write_text(CALENDAR + "approval:\n  since: 2026-01-01\n", encoding="utf-8")
    with_live_post(site)
    site.write("posts/alt.md", PELICAN_HEADER.replace("2026-11-18", "2025-03-04").replace(SECRET, "Archiv"))
    site.write("posts/neu.md", PELICAN_HEADER)
    output = site.build(prod=True)
    everything = output_text(output)
    assert "Archiv: Prototyp X" in everything
    assert SECRET not in everything


def test_capitalised_pelican_keys_in_front_matter_build(site: Site) -> None:
    """`Category:`/`Tags:`/`Author:` inside `---` crashed the build ('str' object has no attribute 'slug')."""
    site.write("posts/fenced.md", FENCED_PELICAN)
    report = findings(site)
    assert not [f for f in report if f.check == "unknown-key"], report
    output = site.build()
    assert (output / "kategorie" / "technik" / "index.html").is_file()
    assert (output / "schlagwort" / "geheimtag" / "index.html").is_file()
    assert (output / "autor" / "jana-doering" / "index.html").is_file()


@pytest.mark.parametrize("status", ["Status: draft", "status: Draft", "STATUS: draft"])
def test_pelican_status_draft_stays_a_draft_in_production(site: Site, status: str) -> None:
    text = FENCED_PELICAN.replace("Author: Jana Döring", f"Author: Jana Döring\n{status}")
    site.write("posts/entwurf.md", text)
    with_live_post(site)
    assert not [f for f in findings(site) if f.level is Level.ERROR]
    output = site.build(prod=True)
    assert SECRET not in output_text(output)


def test_draft_page_is_not_published_in_production(site: Site) -> None:
    site.write("pages/geplant.md", "Title: Geplante Seite\nStatus: draft\n\nNoch nicht fertig.\n")
    with_live_post(site)
    output = site.build(prod=True)
    assert "Geplante Seite" not in output_text(output)
    assert not (output / "drafts").exists()


def test_status_skip_is_never_read(site: Site) -> None:
    site.write("posts/skip.md", PELICAN_HEADER.replace("Summary:", "Status: skip\nSummary:"))
    with_live_post(site)
    output = site.build(prod=True)
    assert SECRET not in output_text(output)


def test_markdown_without_any_header_is_an_error_not_a_pass(site: Site) -> None:
    site.write("posts/nackt.md", "Nur Text, keine Kopfdaten.\n")
    required = {f.field for f in findings(site) if f.check == "required"}
    assert required == {"title", "date", "authors"}


class TextReader(BaseReader):
    """A plugin's reader for a format we cannot judge."""

    enabled = True
    file_extensions: ClassVar[list[str]] = ["txt"]

    def read(self, source_path: str) -> tuple[str, dict[str, str]]:
        return "<p>Text</p>", {"title": SECRET, "date": "2026-11-18"}


def test_a_format_no_check_can_read_stops_the_build(site: Site, log_warnings) -> None:
    site.write("posts/notiz.txt", "irgendwas\n")
    with pytest.raises(BuildStopped):
        site.build(prod=True, READERS={"txt": TextReader})
    assert not (site.output / "index.html").exists()
    messages = [record.getMessage() for record in log_warnings]
    assert any("notiz.txt" in message and "unknown-format" in message for message in messages)


def test_pelican_summary_is_rendered_and_lead_never_repeats_the_body(site: Site) -> None:
    site.write("posts/header.md", PELICAN_HEADER.replace("Title:", "Slug: mit-lead\nTitle:"))
    site.write(
        "posts/wiederholt.md",
        valid_post(
            slug="wiederholt", summary='"Der erste Absatz des Beitrags."', body="Der erste Absatz des Beitrags.\n"
        ),
    )
    site.write(
        "posts/ohne.md", valid_post(slug="ohne", title='"Ohne Zusammenfassung"', body="![Bild](x.jpg)\n\nText.\n")
    )
    output = site.build(HUB_CHECKS={"image-missing": "off"})
    lead = site.html("2026/mit-lead/index.html").select_one(".post__lead")
    assert lead is not None and lead.find("em").text == "kurzer"
    assert site.html("2026/wiederholt/index.html").select_one(".post__lead") is None
    assert site.html("2026/ohne/index.html").select_one(".post__lead") is None
    assert output


def test_filename_links_between_pelican_posts_resolve(site: Site) -> None:
    site.write("posts/a.md", PELICAN_HEADER.replace("Title:", "Slug: a\nTitle:"))
    site.write(
        "posts/b.rst",
        RST.replace(":date:", ":slug: b\n:date:").replace(
            "Der erste Absatz", "Siehe `den anderen <{filename}a.md>`_. Der erste Absatz"
        ),
    )
    site.build()
    link = site.html("2026/b/index.html").select_one('a[href*="2026/a"]')
    assert link is not None, "the {filename} link was not resolved"


def test_pelican_header_with_a_colon_in_the_title_is_read_when_yaml_cannot(site: Site) -> None:
    site.write(
        "posts/doppelpunkt.md",
        "---\nTitle: Prüfstand: so geht es\nDate: 2026-11-18 09:00\nAuthor: jdoe\n---\n\nText.\n",
    )
    report = findings(site)
    [note] = [f for f in report if f.check == "pelican-header"]
    assert note.level is Level.WARNING and (note.line, note.column, note.field) == (2, 17, "Title")
    assert note.message == (
        "Die Kopfdaten sind kein gültiges YAML und wurden deshalb als Pelican-Kopfzeilen (Feld: Wert) gelesen. "
        "YAML liest einen Doppelpunkt mit Leerzeichen dahinter als Beginn eines neuen Feldes; ein Wert ohne "
        'Anführungszeichen darf keinen enthalten. Setzen Sie den Wert in Anführungszeichen: Title: "Prüfstand: so geht es"'
    )
    assert note.excerpt == "    2 | Title: Prüfstand: so geht es\n      |                 ^"
    assert not [f for f in report if f.level is Level.ERROR]


def test_yaml_with_a_real_mistake_is_still_a_yaml_error(site: Site) -> None:
    site.write("posts/kaputt.md", "---\ntitle: Gut\nauthors: [jdoe\ndate: 2026-11-18 09:00\n---\nText.\n")
    assert [f for f in findings(site) if f.check == "yaml-syntax"]


def test_a_template_the_theme_lacks_is_a_finding_not_a_crash(site: Site) -> None:
    """GIMP's news has `template: draft-index`: Pelican stopped with a traceback writing the draft."""
    site.write("posts/entwurf.md", PELICAN_HEADER.replace("Summary:", "Template: draft-index\nSummary:"))
    [finding] = [f for f in findings(site) if f.check == "unknown-template"]
    assert finding.field == "template" and finding.line == 6
    assert "gefunden: „draft-index“" in finding.message and "article" in finding.message
    with pytest.raises(BuildStopped):
        site.build()
    site.write("posts/entwurf.md", PELICAN_HEADER.replace("Summary:", "Template: article\nSummary:"))
    assert not [f for f in findings(site) if f.check == "unknown-template"]


def test_a_date_in_the_file_name_counts_as_in_pelican(site: Site) -> None:
    """Pelican's FILENAME_METADATA (default: a leading YYYY-MM-DD) dates '2016-05-05 Tutorials.md'."""
    site.write("posts/2026-11-17 Ohne Datum.md", PELICAN_HEADER.replace("Date: 2026-11-18 09:00\n", ""))
    report = findings(site)
    assert not [f for f in report if f.check == "required"], report
    [dated] = [f for f in report if f.check == "date-without-time"]
    assert "2026-11-17" in dated.message
    site.write("posts/2026-11-17 Ohne Datum.md", PELICAN_HEADER)  # the header's date wins
    assert not [f for f in findings(site) if f.check == "date-without-time"]


@pytest.mark.parametrize(("name", "text"), [("header.md", PELICAN_HEADER), ("post.rst", RST), ("post.html", HTML)])
def test_approve_records_approvals_only_in_yaml_front_matter_and_says_how_to_convert(
    site: Site, name: str, text: str
) -> None:
    from hub_review.approve import ApprovalRefused

    path = site.write(f"posts/{name}", text)
    with pytest.raises(ApprovalRefused, match=r"„invoke import <Ordner> --write“"):
        site.approve(f"posts/{name}")
    assert path.read_text(encoding="utf-8") == text  # nothing was written into it
