"""page_cache: unchanged pages are copied from the last build, and what a change touches is rendered.

Every test compares with the truth: a build of the same content with the cache off must write the
same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Site, valid_post
from hub_page_cache.stable import Unstable, digest
from hub_page_cache.writer import CachingWriter, Stats
from pelican import signals

TECH_POSTS = {
    "posts/erster.md": valid_post(title='"Erster Beitrag"', slug="erster", tags="[Antriebe]", body="Vom Getriebe.\n"),
    "posts/zweiter.md": valid_post(
        title='"Zweiter Beitrag"', slug="zweiter", date='"2026-11-19 09:00 +01:00"', body="Mehr dazu.\n"
    ),
    "posts/dritter.md": valid_post(
        title='"Dritter Beitrag"',
        slug="dritter",
        category="Unternehmen",
        date='"2026-11-20 09:00 +01:00"',
        body="Siehe [den ersten]({filename}erster.md).\n",
    ),
}


def snapshot(output: Path) -> dict[str, bytes]:
    """Every file the templates wrote (the editors' dashboard carries the build time: left out)."""
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*.html")
        if not p.relative_to(output).as_posix().startswith("redaktion/")
    }


def build(site: Site, prod: bool = False, **overrides: Any) -> Stats:
    site.build(prod, **overrides)
    stats = CachingWriter.last_stats
    assert stats is not None, "the page cache did not run"
    return stats


def truth(site: Site, tmp_path: Path, prod: bool = False, **overrides: Any) -> dict[str, bytes]:
    """The same content built without the page cache, into its own folder."""
    output = tmp_path / "truth"
    shutil.rmtree(output, ignore_errors=True)
    site.build(prod, OUTPUT_PATH=str(output), HUB_PAGE_CACHE="", **overrides)
    return snapshot(output)


@pytest.fixture
def blog(site: Site) -> Site:
    for relative, text in TECH_POSTS.items():
        site.write(relative, text)
    return site


def test_unchanged_site_renders_nothing_and_writes_the_same_bytes(blog: Site, tmp_path: Path) -> None:
    first = build(blog)
    assert first.reused == 0 and first.rendered > 10 and first.uncacheable == 0
    before = snapshot(blog.output)
    shutil.rmtree(blog.output)

    second = build(blog)

    assert second.rendered == 0 and second.reused == first.rendered
    assert snapshot(blog.output) == before == truth(blog, tmp_path)


def test_edited_body_renders_its_post_and_the_listings_that_show_it(blog: Site, tmp_path: Path) -> None:
    build(blog)
    blog.write("posts/erster.md", TECH_POSTS["posts/erster.md"].replace("Vom Getriebe.", "Vom neuen Planetengetriebe."))

    stats = build(blog)

    assert "Vom neuen Planetengetriebe." in blog.html("2026/erster/index.html").get_text()
    # The post, every listing it is in (index, archive, its category, tag and author) and the overviews
    # that show posts of each category, tag and author; not the other posts, pages or listings.
    assert sorted(stats.rendered_names) == [
        "2026/erster/index.html",
        "archiv/index.html",
        "autor/jana-doering/index.html",
        "autoren/index.html",
        "index.html",
        "kategorie/technik/index.html",
        "kategorien/index.html",
        "schlagwoerter/index.html",
        "schlagwort/antriebe/index.html",
    ]
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_changed_title_reaches_every_listing(blog: Site, tmp_path: Path) -> None:
    build(blog)
    blog.write("posts/zweiter.md", TECH_POSTS["posts/zweiter.md"].replace("Zweiter Beitrag", "Neuer Titel"))

    build(blog)

    assert "Neuer Titel" in blog.html("index.html").get_text()
    assert "Neuer Titel" in blog.html("kategorie/technik/index.html").get_text()
    assert "Neuer Titel" in blog.html("archiv/index.html").get_text()
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_post_linking_another_follows_its_new_url(blog: Site, tmp_path: Path) -> None:
    build(blog)
    blog.write("posts/erster.md", TECH_POSTS["posts/erster.md"].replace("slug: erster", "slug: umbenannt"))
    shutil.rmtree(blog.output)  # development builds keep old files; the comparison is with a fresh build

    build(blog)

    link = blog.html("2026/dritter/index.html").select_one(".post__content a")
    assert link is not None and link["href"].endswith("umbenannt/")
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_removed_post_leaves_every_listing(blog: Site, tmp_path: Path) -> None:
    build(blog)
    (blog.content / "posts/zweiter.md").unlink()
    shutil.rmtree(blog.output)

    build(blog)

    assert not (blog.output / "2026/zweiter/index.html").exists()
    assert "Zweiter Beitrag" not in blog.html("index.html").get_text()
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_setting_renders_everything_again(blog: Site, tmp_path: Path) -> None:
    first = build(blog)
    stats = build(blog, SITENAME="Anderer Name")
    assert stats.reused == 0 and stats.rendered == first.rendered
    assert "Anderer Name" in blog.html("2026/erster/index.html").get_text()
    assert snapshot(blog.output) == truth(blog, tmp_path, SITENAME="Anderer Name")


def test_a_template_change_renders_what_uses_it(blog: Site, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "hub", theme)
    build(blog, THEME=str(theme))
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "<p>Neu im Template</p></article>"))

    stats = build(blog, THEME=str(theme))

    assert "Neu im Template" in blog.html("2026/erster/index.html").get_text()
    assert 0 < stats.rendered < stats.reused  # the posts, not the listings
    assert snapshot(blog.output) == truth(blog, tmp_path, THEME=str(theme))


def test_production_builds_into_new_folders_reuse_the_cache(blog: Site, tmp_path: Path) -> None:
    for relative in TECH_POSTS:
        blog.approve(relative)
    first = build(blog, prod=True, OUTPUT_PATH=str(tmp_path / "one"))
    second = build(blog, prod=True, OUTPUT_PATH=str(tmp_path / "two"))
    assert second.rendered == 0 and second.reused == first.rendered
    assert snapshot(tmp_path / "two") == snapshot(tmp_path / "one") == truth(blog, tmp_path, prod=True)


def test_a_new_post_renders_the_listings_that_show_it_not_the_other_posts(blog: Site, tmp_path: Path) -> None:
    # Its social card and its sitemap entry reach no other page (they are written at the end, not by
    # templates): the other posts are reused, and the output is the uncached build's.
    for relative in TECH_POSTS:
        blog.approve(relative)
    build(blog, prod=True)
    blog.write(
        "posts/vierter.md", valid_post(title='"Vierter Beitrag"', slug="vierter", date='"2026-11-20 10:00 +01:00"')
    )
    blog.approve("posts/vierter.md")

    stats = build(blog, prod=True)

    assert {"2026/vierter/index.html", "index.html"} <= set(stats.rendered_names)
    assert not {"2026/erster/index.html", "2026/zweiter/index.html"} & set(stats.rendered_names)
    assert (blog.output / "images/cards/de/vierter.jpg").is_file()
    assert b"/2026/vierter/" in (blog.output / "sitemap.xml").read_bytes()
    assert snapshot(blog.output) == truth(blog, tmp_path, prod=True)


def test_development_and_production_do_not_mix(blog: Site, tmp_path: Path) -> None:
    for relative in TECH_POSTS:
        blog.approve(relative)
    build(blog)
    stats = build(blog, prod=True)
    assert stats.reused == 0  # other SITEURL, relative URLs off: nothing from the development build fits
    assert snapshot(blog.output) == truth(blog, tmp_path, prod=True)


def test_a_damaged_cache_is_a_warning_not_a_failed_build(blog: Site, tmp_path: Path, log_warnings: list[Any]) -> None:
    build(blog)
    (blog.root / "cache" / "hub-pages" / "index.json").write_text("{kaputt", encoding="utf-8")
    for blob in (blog.root / "cache" / "hub-pages" / "blobs").glob("*/*"):
        blob.chmod(0o644)
        blob.write_bytes(b"")  # a lost blob must not be published: this one's name no longer matches
        break

    stats = build(blog)

    assert stats.reused == 0
    assert any("hub-pages" in record.getMessage() and "nicht lesbar" in record.getMessage() for record in log_warnings)
    assert snapshot(blog.output) == truth(blog, tmp_path)
    assert build(blog).rendered == 0


def test_a_template_choosing_templates_at_render_time_is_always_rendered(blog: Site, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "hub", theme)
    article = theme / "templates" / "article.html"
    (theme / "templates" / "_extra.html").write_text("<p>Extra</p>", encoding="utf-8")
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "</article>", '{% set part = "_extra.html" %}{% include part %}</article>'
        )
    )
    build(blog, THEME=str(theme))
    stats = build(blog, THEME=str(theme))
    assert stats.uncacheable >= len(TECH_POSTS) and stats.rendered == stats.uncacheable


def test_off_when_another_plugin_wants_every_page_rendered(blog: Site) -> None:
    written: list[str] = []

    def listener(path: str, context: Any) -> None:
        written.append(path)

    signals.content_written.connect(listener)
    try:
        blog.build()
        assert CachingWriter.last_stats is None
        first = len(written)
        blog.build()
        assert len(written) == 2 * first > 0
    finally:
        signals.content_written.disconnect(listener)


def test_the_cache_can_be_turned_off(blog: Site) -> None:
    blog.build(HUB_PAGE_CACHE="")
    assert CachingWriter.last_stats is None
    assert not (blog.root / "cache" / "hub-pages").exists()


# --- stable digests ---------------------------------------------------------------------------


class Holder:
    def __init__(self, value: Any) -> None:
        self.value = value


def test_equal_data_gives_equal_digests_whatever_the_order() -> None:
    assert digest({"a": 1, "b": [1, 2]}) == digest({"b": [1, 2], "a": 1})
    assert digest({3, 1, 2}) == digest({1, 2, 3})
    assert digest(Holder([1, "x"])) == digest(Holder([1, "x"]))
    assert digest([1, 2]) != digest([2, 1])
    assert digest("1") != digest(1)
    assert digest(Holder(1)) != digest(Holder(2))


def test_values_without_a_stable_form_are_refused() -> None:
    class Opaque:
        __slots__ = ()

    with pytest.raises(Unstable):
        digest([Opaque()])
    looped: list[Any] = []
    looped.append(looped)
    with pytest.raises(Unstable):
        digest(looped)


# --- links into the cache -----------------------------------------------------------------------


def blobs(site: Site) -> list[Path]:
    return list((site.root / "cache" / "hub-pages" / "blobs").glob("*/*"))


def test_reused_pages_are_read_only_links_to_the_cache(blog: Site) -> None:
    build(blog, DELETE_OUTPUT_DIRECTORY=True)
    build(blog, DELETE_OUTPUT_DIRECTORY=True)
    page = blog.output / "2026/erster/index.html"
    cached = {(b.stat().st_dev, b.stat().st_ino) for b in blobs(blog)}
    assert (page.stat().st_dev, page.stat().st_ino) in cached
    assert not page.stat().st_mode & 0o222  # read-only: nothing can change the cache through the output


def test_a_development_build_replaces_linked_pages_and_leaves_the_cache_alone(blog: Site, tmp_path: Path) -> None:
    build(blog)
    before = {b: b.read_bytes() for b in blobs(blog)}
    blog.write("posts/erster.md", TECH_POSTS["posts/erster.md"].replace("Vom Getriebe.", "Vom Schneckengetriebe."))

    build(blog)  # the output still holds links into the cache: they are replaced, not written into

    assert all(blob.read_bytes() == data for blob, data in before.items())
    assert "Vom Schneckengetriebe." in blog.html("2026/erster/index.html").get_text()
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_pages_are_copied_where_links_are_impossible(
    blog: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: Any, target: Any) -> None:
        raise OSError(18, "Invalid cross-device link")  # what link() says across file systems

    monkeypatch.setattr("os.link", no_links)
    build(blog)
    shutil.rmtree(blog.output)
    stats = build(blog)

    assert stats.rendered == 0
    page = blog.output / "2026/erster/index.html"
    assert page.stat().st_nlink == 1
    assert snapshot(blog.output) == truth(blog, tmp_path)


def test_a_change_in_an_imported_template_reaches_every_page_using_it(blog: Site, tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "hub", theme)
    build(blog, THEME=str(theme))
    macros = theme / "templates" / "_macros.html"
    macros.write_text(macros.read_text(encoding="utf-8").replace("{% macro card(", "{# geändert #}{% macro card("))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Fußnote</p></footer>"))

    stats = build(blog, THEME=str(theme))

    assert stats.reused == 0  # every page extends base.html
    assert "Fußnote" in blog.html("index.html").get_text()
    assert snapshot(blog.output) == truth(blog, tmp_path, THEME=str(theme))


def test_remembered_template_facts_are_checked_before_use(tmp_path: Path) -> None:
    from hub_page_cache.templates import template_inputs
    from jinja2 import DictLoader, Environment

    env = Environment(loader=DictLoader({"a.html": "{% include 'b.html' %}{{ x }}", "b.html": "{{ y }}"}))
    facts: dict[str, Any] = {}
    first = template_inputs(env, "a.html", facts)
    assert first.names == {"x", "y"} and first.complete
    for key in facts:
        facts[key] = ["kaputt"]
    assert template_inputs(env, "a.html", facts) == first


def test_a_function_in_the_settings_counts_by_its_source(blog: Site, tmp_path: Path) -> None:
    """JINJA_FILTERS written in a config file: editing the function's body renders again."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "themes" / "hub", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace("</article>", "<p>{{ 1|shout }}</p></article>"))
    module = tmp_path / "myfilters.py"

    def build_with(body: str) -> Stats:
        module.write_text(f"def shout(value):\n    return {body}\n", encoding="utf-8")
        namespace: dict[str, Any] = {}
        exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)  # as Pelican loads a config
        return build(blog, THEME=str(theme), JINJA_FILTERS={"shout": namespace["shout"]})

    build_with('"laut"')
    assert build_with('"laut"').rendered == 0
    stats = build_with('"LEISE"')

    assert stats.reused == 0
    assert "LEISE" in blog.html("2026/erster/index.html").get_text()


def test_what_a_closure_holds_is_part_of_its_digest() -> None:
    def make(word: str) -> Any:
        return lambda: word

    assert digest(make("a")) == digest(make("a"))
    assert digest(make("a")) != digest(make("b"))
