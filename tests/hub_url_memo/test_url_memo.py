"""url_memo: URLs remembered only while a build writes; the next build computes them again."""

from __future__ import annotations

import hub_url_memo
from conftest import Site, valid_post


def test_urls_are_remembered_only_during_a_build(site: Site) -> None:
    site.write("posts/a.md", valid_post(slug="alt"))
    site.build()
    assert hub_url_memo._remembered is None
    assert (site.output / "2026" / "alt" / "index.html").is_file()

    site.write("posts/a.md", valid_post(slug="neu"))
    site.build()

    assert (site.output / "2026" / "neu" / "index.html").is_file()
    assert "2026/neu/" in site.html("index.html").decode()


def test_remembered_slugs_are_pelicans() -> None:
    """Slugs are remembered by slugify's arguments: each the one Pelican's slugify makes, every time."""
    from markupsafe import Markup
    from pelican.settings import DEFAULT_CONFIG

    subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    names = ["Technik & Labor", Markup("Öl &amp; <em>Gas</em>"), "Öl &amp; <em>Gas</em>", "Straße", " Ärger  "]
    for name in names:
        for regex_subs in (subs, [], [("a", "b")]):
            for flags in ((False, False), (True, False), (False, True)):
                expected = hub_url_memo._slugify(name, regex_subs, *flags)
                for _ in range(2):  # made, then remembered
                    assert hub_url_memo._remembered_slugify(name, regex_subs, *flags) == expected
    assert len({hub_url_memo._remembered_slugify(name, subs) for name in names[:3]}) == 2
