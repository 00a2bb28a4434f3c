"""The quick page: a saved file's new text in the page the last build wrote, before the rebuild.

Its correctness is that of a cache: for a file that did not change, the quick page is the page the
build wrote, byte for byte, on the sample site (images with their variants, `{filename}` and
`{static}` links, an English translation, pages). After an edit its marked regions are what the
next build writes there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, Site, build_sample, valid_post
from hub_preview.quick import QuickRenderer
from hub_preview.regions import regions, replace_regions

POST = "2026/erster/index.html"


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("quick") / "output"
    build_sample(output)
    return output


def test_the_quick_page_of_an_unchanged_file_is_the_page_the_build_wrote(sample_output: Path) -> None:
    quick = QuickRenderer(ROOT / "pelicanconf.py", ROOT / "content", sample_output)
    sources = sorted((ROOT / "content").rglob("*.md"))
    made = {source: quick.render(source) for source in sources}
    for source, page in made.items():
        if page is not None:
            assert page.html == (sample_output / page.output_file).read_bytes(), source
    without = sorted(source.name for source, page in made.items() if page is None)
    assert without == ["404.md"]  # written under its own save_as, as the site's 404 page
    shown = b"".join(page.html for page in made.values() if page is not None)
    # What makes the comparison worth it: pictures with variants, resolved links, a translation.
    assert b"<picture" in shown and b"{filename}" not in shown and b"{static}" not in shown
    assert any(page is not None and page.output_file.startswith("en/") for page in made.values())


def _renderer(site: Site) -> QuickRenderer:
    overrides = {
        "HUB_CALENDAR": str(site.calendar),
        "THEME": str(ROOT / "themes" / "hub"),
        "CACHE_PATH": str(site.root / "cache"),
    }
    return QuickRenderer(ROOT / "pelicanconf.py", site.content, site.output, overrides)


def _inside(html: str, name: str) -> str:
    region = regions(html)[name]
    return html[region.start : region.end]


def test_a_saved_post_shows_its_new_text_and_title_as_the_rebuild_will(site: Site) -> None:
    source = site.write("posts/erster.md", valid_post(title='"Erster Beitrag"', slug="erster", body="Der alte Text.\n"))
    before = (site.build() / POST).read_text(encoding="utf-8")
    site.write("posts/erster.md", valid_post(title='"Erster & bester"', slug="erster", body="Der *neue* Text.\n"))
    page = _renderer(site).render(source)
    assert page is not None and page.output_file == POST
    quick = page.html.decode("utf-8")
    assert _inside(quick, "content") == "<p>Der <em>neue</em> Text.</p>"
    assert _inside(quick, "title") == "Erster &amp; bester"
    # Outside the regions, the page is the last build's (its <title>, lists, banners) until the rebuild.
    old_regions = {name: _inside(before, name) for name in ("content", "title")}
    assert replace_regions(quick, old_regions) == before
    rebuilt = (site.build() / POST).read_text(encoding="utf-8")
    assert _inside(rebuilt, "content") == _inside(quick, "content")
    assert _inside(rebuilt, "title") == _inside(quick, "title")


def test_no_quick_page_where_it_could_mislead(site: Site) -> None:
    source = site.write("posts/erster.md", valid_post(slug="erster", body="Der alte Text.\n"))
    site.build()
    quick = _renderer(site)
    assert quick.render(source) is not None
    # A check error: the build will fail, and the preview shows its findings instead.
    site.write("posts/erster.md", valid_post(slug="erster", authors="[niemand]", body="Neu.\n"))
    assert quick.render(source) is None
    # A new address: the page the last build wrote is not this post's page any more.
    site.write("posts/erster.md", valid_post(slug="umbenannt", body="Neu.\n"))
    assert quick.render(source) is None
    # A post the last build has not written yet.
    assert quick.render(site.write("posts/neu.md", valid_post(slug="neu"))) is None
    # Not Markdown.
    assert quick.render(site.write("posts/notiz.rst", "Titel\n=====\n\nText.\n")) is None
