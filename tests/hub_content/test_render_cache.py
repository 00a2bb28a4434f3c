"""The rendered-Markdown cache: real builds (hits, invalidation, a damaged database) and the pure module."""

from __future__ import annotations

import copy
import logging
import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Site, valid_post
from hub_content.reader import YamlFrontMatterReader
from hub_content.slots import MARKDOWN_CACHE
from hub_core import render_cache, state
from hub_core.render_cache import (
    DATABASE_NAME,
    DAY,
    CacheStats,
    Lookup,
    Recorder,
    RenderCache,
    code_digest,
    document_key,
    stable_repr,
)
from pelican import Pelican

RICH_BODY = """\
[TOC]

## Messung am Prüfstand

Der Motor[^m] lief "ruhig" -- mit 12 % weniger Verlust... Die HTML-Ausgabe prüft das W3C.

*[HTML]: Hypertext Markup Language
*[W3C]: World Wide Web Consortium

| Größe | Wert |
|-------|------|
| Drehmoment | 40 Nm |

```python
print("hallo")
```

Begriff
:   Erklärung

## Ergebnis

Zweite Fußnote[^e].

[^m]: Ein Getriebemotor.
[^e]: Siehe oben.
"""

OTHER_BODY = """\
[TOC]

## Andere Messung

Nur eine Fußnote[^x] und HTML ohne Definition.

[^x]: Die einzige.
"""


def build(site: Site, prod: bool = False, **overrides: Any) -> CacheStats:
    """Build for real; the cache's counts of this build."""
    pelican = Pelican(settings=site.settings(prod, **overrides))
    pelican.run()
    build = state.finished(pelican)
    cache = build.get(MARKDOWN_CACHE) if build else None
    assert cache is not None
    return cache.stats


def html_files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*.html"))}


def body(site: Site, relative: str) -> str:
    return str(site.html(relative).find("div", class_="post__content"))


@pytest.fixture
def posts(site: Site) -> Site:
    site.write("posts/a.md", valid_post(title='"Erster Beitrag"', slug="erster", body=RICH_BODY))
    site.write("posts/b.md", valid_post(title='"Zweiter Beitrag"', slug="zweiter", body=OTHER_BODY))
    site.write("posts/c.md", valid_post(title='"Dritter Beitrag"', slug="dritter", body="Kurz und *gut*.\n"))
    return site


DOCUMENTS = 5  # three posts, two legal pages


def test_a_second_build_renders_nothing_and_writes_the_same_html(posts: Site, caplog) -> None:
    caplog.set_level(logging.INFO, logger="hub_content")
    first = build(posts)
    assert (first.hits, first.rendered) == (0, DOCUMENTS)
    cold = html_files(posts.output)
    caplog.clear()
    second = build(posts)
    assert (second.hits, second.rendered) == (DOCUMENTS, 0)
    assert html_files(posts.output) == cold
    assert (
        "content_model: Markdown-Zwischenspeicher: 5 aus dem Zwischenspeicher übernommen, 0 neu umgewandelt"
        in caplog.messages
    )
    caplog.clear()
    build(posts, HUB_LANG="en")
    assert "content_model: Markdown cache: 5 taken from the cache, 0 rendered" in caplog.messages
    uncached = posts.root / "uncached"
    assert build(posts, OUTPUT_PATH=str(uncached), HUB_MARKDOWN_CACHE="").rendered == DOCUMENTS
    assert html_files(uncached) == cold
    assert (posts.root / "cache/hub-markdown" / DATABASE_NAME).is_file()


def test_editing_one_body_renders_only_that_document(posts: Site) -> None:
    build(posts)
    posts.write("posts/c.md", valid_post(title='"Dritter Beitrag"', slug="dritter", body="Kurz und *besser*.\n"))
    stats = build(posts)
    assert (stats.hits, stats.rendered) == (DOCUMENTS - 1, 1)
    assert "<em>besser</em>" in body(posts, "2026/dritter/index.html")


def test_changing_markdown_settings_renders_everything_again(posts: Site) -> None:
    build(posts)
    assert "„ruhig“" in body(posts, "2026/erster/index.html")
    markdown = copy.deepcopy(posts.settings()["MARKDOWN"])
    del markdown["extension_configs"]["markdown.extensions.smarty"]
    assert build(posts, MARKDOWN=markdown).rendered == DOCUMENTS
    assert '"ruhig"' in body(posts, "2026/erster/index.html")
    assert build(posts).hits == DOCUMENTS  # the old entries are still there for the old settings


def test_documents_share_one_markdown_instance_without_sharing_state(posts: Site, tmp_path: Path) -> None:
    build(posts, HUB_MARKDOWN_CACHE="")
    together = {slug: body(posts, f"2026/{slug}/index.html") for slug in ("erster", "zweiter")}
    assert (
        together["erster"].count('class="footnote-ref"') == 2 and together["zweiter"].count('class="footnote-ref"') == 1
    )
    assert "<abbr" in together["erster"] and "<abbr" not in together["zweiter"]
    for relative, slug in (("posts/a.md", "erster"), ("posts/b.md", "zweiter")):
        alone = Site(tmp_path / slug)
        alone.root.mkdir()
        alone.calendar.write_text(posts.calendar.read_text(encoding="utf-8"), encoding="utf-8")
        for page in ("pages/impressum.md", "pages/datenschutz.md", relative):
            alone.write(page, (posts.content / page).read_text(encoding="utf-8"))
        build(alone, HUB_MARKDOWN_CACHE="")
        assert body(alone, f"2026/{slug}/index.html") == together[slug]


def test_a_reused_reader_writes_what_a_fresh_one_writes(posts: Site) -> None:
    """Byte for byte, for every extension pelicanconf.py enables, in either order."""
    settings = posts.settings()
    paths = [str(posts.content / name) for name in ("posts/a.md", "posts/b.md", "posts/c.md", "posts/a.md")]
    fresh = [YamlFrontMatterReader(settings).read(path)[0] for path in paths]
    reused = YamlFrontMatterReader(settings)
    assert [reused.read(path)[0] for path in paths] == fresh
    assert [reused.read(path)[0] for path in reversed(paths)] == fresh[::-1]


@pytest.fixture
def picture_site(site: Site, make_image) -> Site:
    make_image("images/schema.png", (800, 450))
    site.write(
        "posts/bild.md",
        valid_post(title='"Mit Bild"', slug="bild", body="Text\n\n![Ein Schema]({static}/images/schema.png)\n"),
    )
    site.approve("posts/bild.md")
    return site


def body_image(site: Site) -> Any:
    return site.html("2026/bild/index.html").find("img", alt="Ein Schema")


def test_siteurl_and_relative_urls_never_mix_in_one_cache(picture_site: Site) -> None:
    build(picture_site)
    assert body_image(picture_site)["src"].startswith("../../images/")
    build(picture_site, prod=True)
    assert body_image(picture_site)["src"].startswith("https://blog.hellwig-antriebe.example/images/")
    stats = build(picture_site, prod=True, SITEURL="https://neu.example")
    assert (stats.hits, stats.rendered) == (0, 3)  # every document is keyed by its base
    image = body_image(picture_site)
    assert image["src"].startswith("https://neu.example/images/")
    assert all(entry.startswith("https://neu.example/images/") for entry in image["srcset"].split(", "))
    build(picture_site)
    assert body_image(picture_site)["src"].startswith("../../images/")


def test_a_replaced_image_changes_the_html_though_the_markdown_did_not(picture_site: Site, make_image) -> None:
    build(picture_site)
    before = body_image(picture_site)
    assert (before["width"], before["height"], before.parent.name) == ("800", "450", "picture")
    make_image("images/schema.png", (1800, 1200))
    stats = build(picture_site)
    assert (stats.hits, stats.rendered) == (2, 1)
    image = body_image(picture_site)
    assert (image["width"], image["height"]) == ("1800", "1200")
    webp, webp_before = image.parent.find("source")["srcset"], before.parent.find("source")["srcset"]
    assert "1600w" in webp and "1600w" not in webp_before
    # The <img> fallback: the 800 px original before, now the PNG at the fallback width.
    assert (before["srcset"], image["srcset"]) == (
        f"{before['src']} 800w",
        f"{image['src']} 960w",
    ) and image["src"].endswith("schema-png-960.png")


def test_a_replaced_image_without_variants_gets_its_new_size(site: Site, make_image) -> None:
    # Beside the post, outside the static paths: no variants, only width and height from the file.
    make_image("posts/skizze.png", (300, 200))
    site.write("posts/bild.md", valid_post(title='"Mit Skizze"', slug="bild", body="![Ein Schema](./skizze.png)\n"))
    build(site)
    assert (body_image(site)["width"], body_image(site)["height"]) == ("300", "200")
    make_image("posts/skizze.png", (640, 480))
    assert build(site).rendered == 1
    assert (body_image(site)["width"], body_image(site)["height"]) == ("640", "480")


def test_a_damaged_database_is_a_warning_and_is_replaced(posts: Site, log_warnings) -> None:
    database = posts.root / "cache/hub-markdown" / DATABASE_NAME
    database.parent.mkdir(parents=True)
    database.write_bytes(b"no sqlite here " * 500)
    assert build(posts).rendered == DOCUMENTS
    warnings = [r.getMessage() for r in log_warnings if "Markdown-Zwischenspeicher" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].startswith("content_model: ") and "not a database" in warnings[0]
    assert not database.exists()
    log_warnings.clear()
    assert build(posts).rendered == DOCUMENTS
    assert build(posts).hits == DOCUMENTS
    assert not [r for r in log_warnings if "Markdown cache" in r.getMessage()]


# The pure module


def test_stable_repr_ignores_mapping_order_and_refuses_addresses() -> None:
    assert stable_repr({"b": [1, 2], "a": {"y": 1, "x": (2,)}}) == stable_repr({"a": {"x": (2,), "y": 1}, "b": [1, 2]})
    assert stable_repr([1, 2]) != stable_repr([2, 1]) != stable_repr((2, 1))
    assert stable_repr({"slugify": lambda text: text}) is None
    assert stable_repr({"extensions": [object()]}) is None


KEY_PARTS: dict[str, Any] = {
    "code": "c",
    "markdown_version": "3.11",
    "settings": "{}",
    "source": "posts/a.md",
    "base": "../..",
    "pipeline": True,
    "body": "Text",
}


def test_every_part_of_the_key_changes_it() -> None:
    key = document_key(**KEY_PARTS)
    assert document_key(**KEY_PARTS) == key
    for name, value in KEY_PARTS.items():
        changed = (not value) if isinstance(value, bool) else value + "x"
        assert document_key(**{**KEY_PARTS, name: changed}) != key, name
    # Length-prefixed parts: moving text from one part to the next is another key.
    assert document_key(**{**KEY_PARTS, "base": "../", "body": ".Text"}) != key


def test_code_digest_follows_the_source(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one/reader.py").write_text("A = 1\n")
    (tmp_path / "two/reader.py").write_text("A = 2\n")
    assert code_digest((tmp_path / "one/reader.py",)) != code_digest((tmp_path / "two/reader.py",))


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000_000.0

    def __call__(self) -> float:
        return self.now


class Sizes:
    """A lookup whose answers the test changes, like an image replaced between builds."""

    def __init__(self, **sizes: tuple[int, int]) -> None:
        self.sizes: dict[str, Any] = dict(sizes)
        self.asked: list[str] = []

    def probes(self) -> dict[str, Callable[[str], tuple[Any, str]]]:
        def size(argument: str) -> tuple[Any, str]:
            self.asked.append(argument)
            found = self.sizes.get(argument)
            return found, repr(found)

        return {"size": size}


def render(cache: RenderCache, key: str | None, sizes: Sizes, html: str = "<p>x</p>") -> str:
    recorder = Recorder(sizes.probes())

    def convert() -> str:
        found = recorder.lookup("size", "a.png")
        return f"{html}{found}"

    return cache.render(key, recorder, convert)


def session(folder: Path | None, clock: Clock | None = None, warnings: list[str] | None = None) -> RenderCache:
    return RenderCache(folder, warn=(warnings if warnings is not None else []).append, now=clock or Clock())


def test_a_stored_rendering_is_used_in_the_next_session(tmp_path: Path) -> None:
    sizes = Sizes(**{"a.png": (1, 2)})
    first = session(tmp_path)
    assert render(first, "k", sizes) == "<p>x</p>(1, 2)"
    first.flush()
    first.close()
    second = session(tmp_path)
    assert render(second, "k", sizes, html="never converted") == "<p>x</p>(1, 2)"
    assert (second.stats.hits, second.stats.rendered) == (1, 0)


def test_a_changed_lookup_renders_again_and_replaces_the_entry(tmp_path: Path) -> None:
    sizes = Sizes(**{"a.png": (1, 2)})
    first = session(tmp_path)
    render(first, "k", sizes)
    first.flush()
    sizes.sizes["a.png"] = (3, 4)
    second = session(tmp_path)
    assert render(second, "k", sizes) == "<p>x</p>(3, 4)"
    assert (second.stats.hits, second.stats.rendered) == (0, 1)
    second.flush()
    third = session(tmp_path)
    assert render(third, "k", sizes, html="never") == "<p>x</p>(3, 4)"


def test_unstable_answers_and_missing_keys_are_rendered_every_time(tmp_path: Path) -> None:
    sizes = Sizes(**{"a.png": object()})  # type: ignore[arg-type]
    cache = session(tmp_path)
    render(cache, "k", sizes)
    render(cache, None, Sizes())
    cache.flush()
    assert (cache.stats.rendered, cache.stats.uncacheable) == (2, 2)
    again = session(tmp_path)
    render(again, "k", sizes)
    assert again.stats.hits == 0


def test_no_folder_means_no_cache_and_no_file(tmp_path: Path) -> None:
    cache = session(None)
    render(cache, "k", Sizes())
    render(cache, "k", Sizes())
    cache.flush()
    assert (cache.stats.hits, cache.stats.rendered, cache.stats.uncacheable) == (0, 2, 0)
    assert not cache.enabled


def test_entries_unused_for_thirty_days_are_pruned(tmp_path: Path) -> None:
    clock = Clock()
    first = session(tmp_path, clock)
    render(first, "old", Sizes())
    render(first, "kept", Sizes())
    first.flush()
    clock.now += 20 * DAY
    second = session(tmp_path, clock)
    render(second, "kept", Sizes())  # a hit: its last use moves to day 20
    second.flush()
    clock.now += 11 * DAY
    third = session(tmp_path, clock)
    render(third, "kept", Sizes())
    third.flush()
    with sqlite3.connect(tmp_path / DATABASE_NAME) as db:
        assert [row[0] for row in db.execute("SELECT key FROM rendered")] == ["kept"]


def test_garbage_warns_once_and_the_file_is_replaced_next_time(tmp_path: Path) -> None:
    (tmp_path / DATABASE_NAME).write_bytes(b"garbage" * 1000)
    warnings: list[str] = []
    cache = session(tmp_path, warnings=warnings)
    assert render(cache, "k", Sizes()) == "<p>x</p>None"
    render(cache, "l", Sizes())
    cache.flush()
    assert len(warnings) == 1 and "not a database" in warnings[0] and "die Datei wird gelöscht" in warnings[0]
    assert not (tmp_path / DATABASE_NAME).exists()
    fresh = session(tmp_path, warnings=warnings)
    render(fresh, "k", Sizes())
    fresh.flush()
    assert len(warnings) == 1 and (tmp_path / DATABASE_NAME).is_file()


def test_a_locked_database_is_left_alone(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(render_cache, "LOCK_TIMEOUT", 0.05)
    warm = session(tmp_path)
    render(warm, "k", Sizes())
    warm.flush()
    warm.close()
    holder = sqlite3.connect(tmp_path / DATABASE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        warnings: list[str] = []
        cache = session(tmp_path, warnings=warnings)
        assert render(cache, "k", Sizes()) == "<p>x</p>None"
        cache.flush()
        assert len(warnings) == 1 and "locked" in warnings[0] and "die Datei bleibt unverändert" in warnings[0]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (tmp_path / DATABASE_NAME).is_file()
    assert render(session(tmp_path), "k", Sizes(), html="never converted") == "<p>x</p>None"


def test_a_folder_that_cannot_be_made_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file, not a folder")
    warnings: list[str] = []
    cache = session(tmp_path / "blocked" / "cache", warnings=warnings)
    assert render(cache, "k", Sizes()) == "<p>x</p>None"
    assert len(warnings) == 1 and (tmp_path / "blocked").is_file()


def test_a_pickled_cache_is_a_closed_one(tmp_path: Path) -> None:
    # Pelican's own content cache pickles the settings, this object included.
    cache = session(tmp_path)
    render(cache, "k", Sizes())
    copy_of = pickle.loads(pickle.dumps(cache))
    assert isinstance(copy_of, RenderCache) and not copy_of.enabled
    cache.close()


def test_recorded_lookups_are_asked_again_on_a_hit(tmp_path: Path) -> None:
    sizes = Sizes(**{"a.png": (1, 2)})
    first = session(tmp_path)
    render(first, "k", sizes)
    first.flush()
    sizes.asked.clear()
    render(session(tmp_path), "k", sizes)
    assert sizes.asked == ["a.png"]
    assert Recorder(sizes.probes()).still_hold([Lookup("gone", "x", "None")]) is False
