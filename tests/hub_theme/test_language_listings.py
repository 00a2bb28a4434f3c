"""The listings of the other languages on small sites: pagination in English, development builds."""

from __future__ import annotations

from conftest import Site, valid_post


def english_posts(site: Site, count: int) -> None:
    for day in range(1, count + 1):
        site.write(
            f"posts/beitrag-{day}.md",
            valid_post(title=f'"Beitrag {day}"', slug=f"beitrag-{day}", date=f"2026-11-{day:02d} 09:00 +01:00"),
        )
        site.write(
            f"posts/beitrag-{day}.en.md",
            valid_post(
                title=f'"Post {day}"',
                slug=f"post-{day}",
                lang="en",
                translation_of=f"beitrag-{day}",
                date=f"2026-11-{day:02d} 09:00 +01:00",
            ),
        )


def test_english_listings_are_paginated_with_english_texts_and_urls(site: Site) -> None:
    english_posts(site, 3)
    site.build(DEFAULT_PAGINATION=2, DEFAULT_ORPHANS=0)
    first, second = site.html("en/index.html"), site.html("en/page/2/index.html")
    assert [a.get_text() for a in first.select(".card__title a")] == ["Post 3", "Post 2"]
    assert [a.get_text() for a in second.select(".card__title a")] == ["Post 1"]
    assert first.select_one(".pagination__status").get_text() == "Page 1 of 2"
    older = first.select_one(".pagination a[rel=next]")
    assert older.get_text() == "Older posts →" and older["href"].endswith("en/page/2/")
    newer = second.select_one(".pagination a[rel=prev]")
    assert newer.get_text() == "← Newer posts" and newer["href"].endswith("en/")
    assert second.select_one(".listing__sub").get_text() == "Page 2 of 2"
    assert second.title.get_text().endswith("· Page 2 of 2")
    # The category listing too; the German one keeps its German words and folders.
    assert (
        site.html("en/category/technik/page/2/index.html").select_one(".pagination__status").get_text() == "Page 2 of 2"
    )
    assert (
        site.html("kategorie/technik/seite/2/index.html").select_one(".pagination__status").get_text()
        == "Seite 2 von 2"
    )
    # Only the first page of a listing is an alternate of its counterpart.
    assert [link["hreflang"] for link in first.select("head link[rel=alternate][hreflang]")] == ["de", "en"]
    assert second.select("head link[rel=alternate][hreflang]") == []


def test_a_site_in_one_language_has_no_language_switch_and_no_other_listings(site: Site) -> None:
    site.write("posts/nur-deutsch.md", valid_post(slug="nur-deutsch"))
    output = site.build()
    assert not (output / "en").exists()
    page = site.html("2026/nur-deutsch/index.html")
    assert page.select(".topbar__languages") == []
    assert page.select("head link[rel=alternate][hreflang]") == []


def test_development_builds_link_the_english_listings_relatively(site: Site) -> None:
    english_posts(site, 1)
    site.build()
    home = site.html("en/index.html")
    assert home.html["lang"] == "en"
    assert home.select_one(".main-nav a")["href"] == "../en/"
    assert home.select_one(".card__title a")["href"] == "../en/2026/post-1/"
    assert home.select_one(".topbar__languages a")["href"] == "../"
