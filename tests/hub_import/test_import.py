"""`invoke import` on real third-party content (tests/fixtures/thirdparty): three public Pelican
blogs and a WordPress export. Dry runs write nothing, written files pass the checks apart from
the reported to-dos, nothing is ever overwritten, and production publishes only the archive."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from conftest import ROOT, Site, valid_post
from hub_content.loader import check_content
from hub_content.pelican_settings import content_settings
from hub_core import i18n
from hub_import.dates import SourceDate, parse_date
from hub_import.front_matter import scalar
from hub_import.links import rewrite
from hub_import.rst_markdown import rst_to_markdown
from hub_import.run import Outcome, Request, run_import
from hub_import.wp_html import clean
from PIL import Image

FIXTURES = ROOT / "tests" / "fixtures" / "thirdparty"
WXR = FIXTURES / "wordpress" / "export.xml"
MEDIA = FIXTURES / "wordpress" / "uploads"
SOURCES = {
    "gimp": FIXTURES / "gimp" / "content",
    "datafusion": FIXTURES / "datafusion" / "content",
    "pelican-blog": FIXTURES / "pelican-blog" / "content",
    "wordpress": WXR,
}
CALENDAR = """\
timezone: Europe/Berlin
team:
  - id: sroth
    name: Sabine Roth
    role: Redaktionsleitung
    email: s.roth@hellwig-antriebe.example
    rights: [author, editor]
    approves: all
  - id: mhellwig
    name: Martin Hellwig
    role: Geschäftsführer
    email: m.hellwig@hellwig-antriebe.example
    rights: [author, editor]
    approves: all
  - id: jdoe
    name: Jana Döring
    role: Redakteurin
    rights: [author]
  - id: eeditor
    name: Eva Editor
    role: Chefredakteurin
    rights: [editor]
    approves: all
approval:
  since: 2026-01-01
"""
# Which to-do makes which check error: an error in an imported file is fine only if the
# report asked a person to do exactly that.
ERROR_TODO = {
    "unknown-author": "author",
    "image-alt": "image-alt",
    "image-missing": "link",
    "image-credit": "image-credit",
    "required": "author",  # a post without any author in its source: authors is missing
}


@pytest.fixture
def hub(site: Site) -> Site:
    site.calendar.write_text(CALENDAR, encoding="utf-8")
    return site


def do_import(site: Site, name: str, *, write: bool = False, into: Path | None = None, **options) -> Outcome:
    into = into or site.content / "posts"
    # As the task does: the content folder is the one the posts folder is in.
    settings = content_settings(site.settings(PATH=str(into.parent)), display_root=site.root)
    media = MEDIA if name == "wordpress" else None
    lang = "en" if name != "wordpress" else None
    request = Request(SOURCES[name], into, settings, write=write, media=media, lang=lang, **options)
    return run_import(request)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.mark.parametrize("name", SOURCES)
def test_a_dry_run_writes_nothing_and_reports_every_file(hub: Site, name: str) -> None:
    before = files_of(hub.root)
    outcome = do_import(hub, name)
    assert outcome.exit_code == 0, outcome.report
    assert files_of(hub.root) == before
    assert "Probelauf: nichts geschrieben" in outcome.report
    assert outcome.plan is not None
    for item in outcome.plan.posts:
        assert f"{item.target.relative_to(hub.root).as_posix()}\n  aus: {item.post.origin}\n" in outcome.report


@pytest.mark.parametrize("name", SOURCES)
def test_written_files_pass_the_checks_apart_from_the_reported_todos(hub: Site, name: str) -> None:
    outcome = do_import(hub, name, write=True)
    assert outcome.exit_code == 0, outcome.report
    assert outcome.plan is not None and outcome.plan.posts
    todos_by_file = {
        item.target.relative_to(hub.root).as_posix(): {todo.kind for todo in item.todos} for item in outcome.plan.posts
    }
    result = check_content(content_settings(hub.settings(), display_root=hub.root))
    for finding in result.report.errors:
        assert finding.path in todos_by_file, finding.render()
        assert ERROR_TODO.get(finding.check) in todos_by_file[finding.path], finding.render()
    # Every imported file was read as ours: YAML front matter, no Pelican header lines left.
    for item in outcome.plan.posts:
        assert item.target.read_text(encoding="utf-8").startswith("---\n# Übernommen aus ")
        assert front(item.target)["title"] == item.post.title


@pytest.mark.parametrize("name", SOURCES)
def test_a_second_run_overwrites_nothing(hub: Site, name: str) -> None:
    first = do_import(hub, name, write=True)
    written = files_of(hub.content)
    for path in hub.content.rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8") + "\nVon Hand ergänzt.\n", encoding="utf-8")
    edited = files_of(hub.content)
    second = do_import(hub, name, write=True)
    assert second.exit_code == 0, second.report
    assert files_of(hub.content) == edited != written
    assert second.plan is not None and first.plan is not None
    assert all(item.clash for item in second.plan.posts)
    assert "Übersprungen, weil die Datei schon existiert (wird nie überschrieben)" in second.report
    assert (
        "Summe: 0 Dateien (0 Beiträge, 0 Seiten)" in second.report
        and f"{len(first.plan.posts)} schon vorhanden" in second.report
    )


def test_wordpress_statuses_pages_captions_links_and_images(hub: Site) -> None:
    outcome = do_import(hub, "wordpress", write=True)
    posts = hub.content / "posts"
    spatenstich = posts / "2019" / "spatenstich-fuer-halle-4.md"
    messe = posts / "2019" / "hannover-messe-2019-rueckblick.md"
    # Before approval.since: the archive keeps its status; after it, or not public in WordPress: review.
    assert front(spatenstich)["status"] == "published"
    assert front(posts / "2026" / "no.md")["status"] == "review"
    assert front(posts / "2020" / "entwurf-tag-der-ausbildung.md")["status"] == "draft"
    assert front(posts / "2019" / "so-laeuft-ein-getriebemotor-an.md")["status"] == "review"  # private
    assert front(posts / "2020" / "willkommen-jahrgang-2020.md")["status"] == "review"  # pending
    future = front(posts / "2031" / "tag-der-offenen-tuer-2031.md")
    assert future["status"] == "review" and future["date"] == "2031-05-05 09:00 +02:00"
    # Pages go to pages; menus are not content.
    assert front(hub.content / "pages" / "ueber-uns.md")["title"] == "Über uns"
    assert "nav_menu_item" in outcome.report
    # YAML reads the titles back as written: colons, umlauts and 'no'.
    assert front(spatenstich)["title"] == "Spatenstich für Halle 4: Platz für 40 neue Arbeitsplätze in Lüdenscheid"
    assert front(posts / "2026" / "no.md")["title"] == "no" and front(posts / "2026" / "no.md")["slug"] == "no"
    # Gutenberg's block comments are gone, [caption] is a figure whose image has alt text.
    text = spatenstich.read_text(encoding="utf-8")
    assert "<!-- wp:" not in text and "[caption" not in messe.read_text(encoding="utf-8")
    assert re.search(
        r'<figure>\n<img alt="Unser Stand in Halle 16 mit dem gläsernen Getriebe"[^>]*>\n'
        r"<figcaption>Unser Stand in Halle 16 mit dem gläsernen Getriebe</figcaption>\n</figure>",
        messe.read_text(encoding="utf-8"),
    )
    # Links to the old site's own posts and pages point at the imported files.
    assert 'href="{filename}/posts/2019/hannover-messe-2019-rueckblick.md"' in text
    no = (posts / "2026" / "no.md").read_text(encoding="utf-8")
    assert '"{filename}/posts/2019/spatenstich-fuer-halle-4.md"' in no and '"{filename}/pages/ueber-uns.md"' in no
    # The resized copy WordPress put into the post is mapped to the original in --media.
    image = "images/posts/spatenstich-fuer-halle-4/halle-spatenstich.jpg"
    assert f'src="{{static}}/{image}"' in text
    assert (hub.content / image).read_bytes() == (MEDIA / "2019/04/halle-spatenstich.jpg").read_bytes()
    # The featured image is the header image, credit and licence left for a person.
    assert front(spatenstich)["image"] == {
        "path": image,
        "alt": "Vier Personen mit Spaten und Bauhelmen auf einer Wiese vor dem Werk",
        "credit": "",
        "license": "",
    }
    [item] = [i for i in outcome.plan.posts if i.post.key == "10"]  # type: ignore[union-attr]
    [credit] = [t for t in item.todos if t.kind == "image-credit"]
    assert "Lena Fischer" in credit.message
    # An animated GIF comes along as it is: the image pipeline publishes every frame.
    gif = hub.content / "images/posts/so-laeuft-ein-getriebemotor-an/getriebe-anlauf.gif"
    with Image.open(gif) as animation:
        assert animation.n_frames == 2
    assert "{static}/images/posts/so-laeuft-ein-getriebemotor-an/getriebe-anlauf.gif" in (
        posts / "2019" / "so-laeuft-ein-getriebemotor-an.md"
    ).read_text(encoding="utf-8")
    # Files WordPress had but --media lacks stay links to the old site, as a to-do.
    assert "https://www.hellwig-antriebe.example/wp-content/uploads/2019/04/messestand-2019.png" in messe.read_text()
    assert "Datei wp-content/uploads/2019/04/datenblatt-dezentral.pdf nicht im Medienordner" in outcome.report
    assert "[contact-form-7" in outcome.report and "Zu erledigen" in outcome.report


def test_the_author_mapping_is_prefilled_written_and_used_on_the_next_run(hub: Site, tmp_path: Path) -> None:
    mapping = hub.root / "import-authors.yaml"
    dry = do_import(hub, "wordpress")
    assert not mapping.exists() and "import-authors.yaml (wird angelegt); offen: praktikum2019" in dry.report
    do_import(hub, "wordpress", write=True)
    written = yaml.safe_load(mapping.read_text(encoding="utf-8"))["authors"]
    assert written == {"sroth": "sroth", "martin": "mhellwig", "praktikum2019": ""}
    assert "gleiche E-Mail wie im Team" in mapping.read_text() and "gleicher Name wie im Team" in mapping.read_text()
    assert mapping.read_text(encoding="utf-8").startswith("# Wer im alten Blog geschrieben hat")
    pending = hub.content / "posts" / "2020" / "willkommen-jahrgang-2020.md"
    assert front(pending)["authors"] == ["Kevin Schulz"]
    assert "# Zu erledigen: Autor „Kevin Schulz“ ist keiner Team-id zugeordnet" in pending.read_text(encoding="utf-8")
    # The editor completes the file; the next import (into a fresh folder) uses it and keeps it.
    mapping.write_text(mapping.read_text(encoding="utf-8").replace('praktikum2019: ""', "praktikum2019: jdoe"))
    fresh = tmp_path / "fresh" / "posts"
    fresh.parent.mkdir()
    again = do_import(hub, "wordpress", write=True, into=fresh)
    assert front(fresh / "2020" / "willkommen-jahrgang-2020.md")["authors"] == ["jdoe"]
    assert "keiner Team-id zugeordnet" not in again.report and "(unverändert); offen: keine" in again.report
    assert yaml.safe_load(mapping.read_text(encoding="utf-8"))["authors"]["praktikum2019"] == "jdoe"


def test_pelican_markdown_images_links_drafts_and_dates(hub: Site) -> None:
    outcome = do_import(hub, "gimp", write=True)
    posts = hub.content / "posts"
    texas = posts / "2016" / "gimpers-at-texas-linux-fest-2016.en.md"
    assert front(texas)["date"] == "2016-07-04 15:00 +02:00"  # -0500 in the source, shown in Berlin time
    assert front(texas)["summary"].startswith("If you happen to be anywhere near Austin")
    assert "[Texas Linux Fest 2016]" not in front(texas)["summary"]  # plain text, never markup
    assert "{static}/images/posts/gimpers-at-texas-linux-fest-2016/TXLF-header-fs8.png" in texas.read_text()
    assert (hub.content / "images/posts/gimpers-at-texas-linux-fest-2016/TXLF-header-fs8.png").is_file()
    # A folder post's images lie beside it in the source.
    lgm = (posts / "2016" / "libre-graphics-meeting-2016.en.md").read_text(encoding="utf-8")
    assert "{static}/images/posts/libre-graphics-meeting-2016/banner_glitch_1.png" in lgm
    assert front(posts / "2015" / "index.en.md")["status"] == "draft"
    assert "tutorials/Tone_Mapping_Using_GIMP_Levels" in outcome.report  # a dangling link is a to-do
    assert "Kategorie „News“ gibt es auf der Website noch nicht" in outcome.report


def test_pelican_fenced_markdown_keeps_code_and_resolves_site_paths(hub: Site) -> None:
    do_import(hub, "datafusion", write=True)
    posts = hub.content / "posts"
    part2 = (
        posts / "2024" / "using-stringview-german-style-strings-to-make-queries-faster-part-2-string-operations.en.md"
    )
    assert front(part2)["title"].endswith("Faster: Part 2 - String Operations")
    text = part2.read_text(encoding="utf-8")
    assert (
        "[first post]: {filename}/posts/2024/"
        "using-stringview-german-style-strings-to-make-queries-faster-part-1-reading-parquet.en.md" in text
    )
    # /blog/images/… on the old site is content/images/… in its source.
    assert re.search(r'<img src="\{static\}/images/posts/[^"]+/figure1-zero-copy-take.png" [^\n]*/>', text)
    code = (posts / "2025").glob("*.md").__next__().read_text(encoding="utf-8")
    assert '.expect("metadata for file not found: {filename}");' in code
    grouping = front(next((posts / "2023").glob("*.md")))
    assert grouping["authors"] == ["alamb", "Dandandan", "tustvold"]


def test_restructuredtext_becomes_markdown(hub: Site) -> None:
    outcome = do_import(hub, "pelican-blog", write=True)
    posts = hub.content / "posts"
    py3k = (posts / "2013" / "pelicans-unified-codebase.en.md").read_text(encoding="utf-8")
    assert "### Unification" not in py3k and "## Unification" in py3k
    assert "```\n74 tests, 9 skips, no errors\n```" in py3k
    assert "*In this post by* [Dirk Makowski](https://github.com/dmdm)" in py3k
    toml = (posts / "2020" / "pelican-4-5-released.en.md").read_text(encoding="utf-8")
    assert '```toml\n[tool.poetry.dependencies]\npelican = "^4.5"' in toml
    literal = (posts / "2013" / "pelican-3-3-released.en.md").read_text(encoding="utf-8")
    assert "`[a link relative to content root]({filename}/article1.md)`" in literal
    gratitude = (hub.content / "pages" / "gratitude.en.md").read_text(encoding="utf-8")
    assert "![Pelican Logo]({static}/images/posts/gratitude/pelican-logo-small.png)" in gratitude
    assert "[PDF]({static}/images/posts/gratitude/pelican-logo.pdf)" in gratitude
    assert front(hub.content / "pages" / "not-found.en.md")["status"] == "review"
    assert "status: hidden setzen" in outcome.report


def test_production_publishes_only_the_archive_and_approved_posts(hub: Site) -> None:
    (hub.root / "import-authors.yaml").write_text("authors:\n  praktikum2019: jdoe\n", encoding="utf-8")
    hub.write("posts/aktuell.md", valid_post(title='"Aktuell"', slug="aktuell", authors="[jdoe]"))
    hub.approve("posts/aktuell.md")
    outcome = do_import(hub, "wordpress", write=True)
    assert outcome.plan is not None
    # The editor does what the report asks for the header images.
    for path in (hub.content / "posts").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('credit: ""', "credit: Werksfoto").replace('license: ""', "license: CC0"))
    output = hub.build(prod=True)
    live = {p.parent.relative_to(output).as_posix() for p in output.glob("20*/*/index.html")}
    assert live == {"2019/spatenstich-fuer-halle-4", "2019/hannover-messe-2019-rueckblick", "2026/aktuell"}
    assert (output / "ueber-uns" / "index.html").is_file()
    site_text = "\n".join(p.read_text(encoding="utf-8") for p in output.rglob("*.html"))
    for held in ("Willkommen, Jahrgang 2020", "So läuft ein Getriebemotor an", "Entwurf: Tag der Ausbildung"):
        assert held not in site_text
    assert "2031" not in {p.name for p in output.iterdir()}


# Measured: the to-do list of each fixture blog (what a person has to do after the import), on the
# first run and once import-authors.yaml is complete. A change here should be a deliberate one.
TODOS = {"gimp": (19, 2), "datafusion": (30, 8), "pelican-blog": (21, 3), "wordpress": (10, 9)}


@pytest.mark.parametrize("name", SOURCES)
def test_the_number_of_todos_per_blog(hub: Site, name: str) -> None:
    first = do_import(hub, name)
    assert first.plan is not None and first.todos is not None
    mapping = {key: value or "jdoe" for key, value in first.plan.mapping.ids.items()}
    (hub.root / "import-authors.yaml").write_text(yaml.safe_dump({"authors": mapping}), encoding="utf-8")
    mapped = do_import(hub, name)
    assert mapped.todos is not None
    assert not [todo for todo in mapped.todos if todo.kind == "author"]
    assert (len(first.todos), len(mapped.todos)) == TODOS[name], "\n".join(t.message for t in mapped.todos)


def invoke(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"HUB_LANG": lang} if lang else {})}
    return subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(ROOT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=env,
    )


def test_unreadable_input_fails_with_file_and_line_and_no_traceback(hub: Site, tmp_path: Path) -> None:
    broken = tmp_path / "export.xml"
    broken.write_text(WXR.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    args = ("--into", str(hub.content / "posts"), "--calendar", str(hub.calendar))
    result = invoke("import", str(broken), *args)
    assert result.returncode == 1
    assert re.search(r"Fehler: export\.xml:\d+: kein gültiges XML", result.stdout), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    missing = invoke("import", str(tmp_path / "nichts"), *args)
    assert missing.returncode == 1 and "gibt es nicht" in missing.stdout
    # One unreadable file in a folder: the others are imported, the file is named, exit 1.
    folder = tmp_path / "blog"
    (folder / "posts").mkdir(parents=True)
    (folder / "posts" / "gut.md").write_text("Title: Gut\nDate: 2020-01-01 10:00\nAuthor: Jana Döring\n\nText\n")
    (folder / "posts" / "kaputt.md").write_bytes(b"Title: Kaputt\n\n\xff\xfe Text")
    partial = invoke("import", str(folder), *args, "--write")
    assert partial.returncode == 1
    assert "posts/kaputt.md:1: keine UTF-8-Datei" in partial.stdout
    assert (hub.content / "posts" / "2020" / "gut.md").is_file()
    assert front(hub.content / "posts" / "2020" / "gut.md")["authors"] == ["jdoe"]
    assert "Traceback" not in partial.stdout + partial.stderr


def test_in_english_the_report_the_hints_in_the_posts_and_the_mapping_file_are_english(hub: Site) -> None:
    i18n.use_language("en")
    outcome = do_import(hub, "wordpress", write=True)
    assert outcome.exit_code == 0, outcome.report
    report = outcome.report
    assert report.startswith("Import from ") and "\nWritten.\n" in report
    assert "content/posts/2019/spatenstich-fuer-halle-4.md\n  from: export.xml, post 10\n" in report
    assert "  status: published (archive: before approval.since, needs no approval)\n" in report
    assert (
        "(line 259) Header image halle-spatenstich.jpg: enter the credit (credit; the image data says: Lena Fischer)"
        in (report)
    )
    assert "    - 1 comment not imported (the blog has no comments)\n" in report
    assert "export.xml, item 23: Type “nav_menu_item” is neither a post nor a page" in report
    assert "Category “Ausbildung” does not exist on the site yet (2 posts)" in report
    assert "Author mapping: import-authors.yaml (created); open: praktikum2019" in report
    assert "Total: 8 files (7 posts, 1 page); 1 draft, 3 published, 4 review; 3 images or files copied;" in report
    assert not [word for word in ("Zu erledigen", "Hinweise", "Übernahme", "Beitrag", "Summe") if word in report]
    # What the importer writes for the authors follows the language of the import too.
    pending = (hub.content / "posts" / "2020" / "willkommen-jahrgang-2020.md").read_text(encoding="utf-8")
    assert pending.startswith("---\n# Imported from WordPress: export.xml, post 14\n")
    assert "# To do: Author “Kevin Schulz” is not mapped to a team id: enter one in import-authors.yaml" in pending
    shortcode = (hub.content / "posts" / "2019" / "so-laeuft-ein-getriebemotor-an.md").read_text(encoding="utf-8")
    assert '<!-- Not imported: [contact-form-7 id="42" title="Anfrage Antriebe"] -->' in shortcode
    mapping = (hub.root / "import-authors.yaml").read_text(encoding="utf-8")
    assert mapping.startswith("# Who wrote in the old blog") and "same e-mail as in the team" in mapping
    # Check values and field names stay as they are: the file still reads as our front matter.
    assert front(hub.content / "posts" / "2019" / "spatenstich-fuer-halle-4.md")["status"] == "published"


def test_the_task_speaks_english_with_hub_lang_en(hub: Site, tmp_path: Path) -> None:
    args = ("--into", str(hub.content / "posts"), "--calendar", str(hub.calendar))
    before = files_of(hub.content)
    dry = invoke("import", str(SOURCES["pelican-blog"]), *args, "--lang", "en", lang="en")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "Dry run: nothing written. With --write the files are created." in dry.stdout
    assert "No author in the source: enter a team id for “(ohne Autor)” in import-authors.yaml" in dry.stdout
    assert "Category “news” from the folder name (as Pelican without Category:)" in dry.stdout
    assert "Total: 11 files (9 posts, 2 pages); 11 review; 4 images or files copied; 21 tasks to do;" in dry.stdout
    assert files_of(hub.content) == before
    broken = tmp_path / "export.xml"
    broken.write_text(WXR.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    failed = invoke("import", str(broken), *args, lang="en")
    assert failed.returncode == 1
    assert re.search(r"^Error: export\.xml:\d+: not valid XML \(column \d+\): ", failed.stdout, re.M), failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr


def test_pelican_html_posts_and_translations(hub: Site, tmp_path: Path) -> None:
    folder = tmp_path / "blog" / "posts"
    folder.mkdir(parents=True)
    (folder / "hallo.html").write_text(
        '<html><head><title>Hallo Welt</title><meta name="date" content="2020-03-01 10:00" />'
        '<meta name="authors" content="Jana Döring" /><meta name="slug" content="hallo" /></head>'
        "<body><p>Erster <em>Text</em>.</p></body></html>",
        encoding="utf-8",
    )
    (folder / "hello.md").write_text(
        "Title: Hello world\nDate: 2020-03-01 10:00\nAuthor: Jana Döring\nSlug: hallo\nLang: en\n"
        "Translation: true\n\nFirst text.\n",
        encoding="utf-8",
    )
    settings = content_settings(hub.settings(), display_root=hub.root)
    outcome = run_import(Request(tmp_path / "blog", hub.content / "posts", settings, write=True))
    assert outcome.exit_code == 0, outcome.report
    german = hub.content / "posts" / "2020" / "hallo.md"
    assert front(german)["authors"] == ["jdoe"] and front(german)["status"] == "published"
    assert "<p>Erster <em>Text</em>.</p>" in german.read_text(encoding="utf-8")
    english = front(hub.content / "posts" / "2020" / "hallo.en.md")
    assert english["lang"] == "en" and english["translation_of"] == "hallo"
    # The import's own output passes the checks as it is: nothing to do for these two.
    assert not [f for f in check_content(settings).report.findings if "2020/hallo" in f.path and f.level == "error"]


def test_the_task_is_on_the_menu() -> None:
    result = invoke("--list")
    assert re.search(r"^\s+import\s+\S", result.stdout, re.MULTILINE), result.stdout


# -- the pure parts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("no", '"no"'),
        ("Hannover Messe 2019: Unser Rückblick", '"Hannover Messe 2019: Unser Rückblick"'),
        ("2024-09-13", '"2024-09-13"'),
        ("Über uns", "Über uns"),
        ("Messen & Termine", '"Messen & Termine"'),
        ("# kein Kommentar", '"# kein Kommentar"'),
    ],
)
def test_front_matter_quotes_what_yaml_would_misread(text: str, written: str) -> None:
    assert scalar(text) == written
    assert yaml.safe_load(f"key: {scalar(text)}")["key"] == text


def test_links_in_code_are_never_rewritten() -> None:
    body = "See `{filename}/a.md` and [b]({filename}/b.md).\n\n    {filename}/c.md\n\n```\n[d]({filename}/d.md)\n```\n"
    seen: list[str] = []
    result = rewrite(body, 1, lambda url, line, image: seen.append(url) or "NEU")
    assert seen == ["{filename}/b.md"]
    assert result == body.replace("({filename}/b.md)", "(NEU)")


def test_unconverted_restructuredtext_is_named_with_its_line() -> None:
    converted = rst_to_markdown("Text\n\n.. note:: Achtung\n\n=====  =====\na      b\n=====  =====\n")
    assert converted.problems == [(3, "note"), (5, "table")]
    assert "Achtung" in converted.markdown


def test_wordpress_shortcodes_are_kept_as_comments_and_reported() -> None:
    body = clean('<!-- wp:paragraph -->\n<p>Hallo [1]</p>\n<!-- /wp:paragraph -->\n\n[gallery ids="1,2"]')
    assert body.markdown.startswith("Hallo [1]\n")
    assert '<!-- Nicht übernommen: [gallery ids="1,2"] -->' in body.markdown
    assert body.problems == ['WordPress-Shortcode [gallery ids="1,2"] nicht umgewandelt: ersetzen oder entfernen']


def test_dates_only_pelican_reads_are_read_as_pelican_read_them() -> None:
    # Real Pelican blogs write `:date: 2012/10/23 12:00:00`; our grammar says no, Pelican's get_date reads it.
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_date("2012/10/23 12:00:00", berlin) == SourceDate(
        datetime(2012, 10, 23, 12, tzinfo=berlin), True, True
    )
    assert parse_date("Sat 04 Feb 2012", berlin) == SourceDate(datetime(2012, 2, 4, tzinfo=berlin), True, False)
    assert parse_date("2012-02-30", berlin) is None  # our grammar, but no such day: not guessed by Pelican's
    assert parse_date("kein Datum", berlin) is None
