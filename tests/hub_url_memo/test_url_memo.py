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
