"""hub_theme.languages with plain data: which listings each language gets, their URLs, the language switch."""

from __future__ import annotations

from dataclasses import dataclass

from hub_theme.languages import Listing, Topics, plan_listings

GERMAN_URLS = {
    "index": "",
    "archives": "archiv/",
    "categories": "kategorien/",
    "tags": "schlagwoerter/",
    "authors": "autoren/",
}
TECHNIK = ("technik-labor", "Technik & Labor")


def german(*topics: Listing) -> list[Listing]:
    return list(topics)


def site() -> tuple[list[Listing], list[Topics]]:
    posts = [
        Topics("de", TECHNIK, (("labor", "Labor"),), (("jdoe", "Jana Döring"),)),
        Topics("de", ("firma", "Firma"), (), (("jdoe", "Jana Döring"),)),
        Topics("en", TECHNIK, (("labor", "Labor"), ("pruefstand", "Prüfstand")), (("mmuster", "Max Muster"),)),
        Topics("en", None, (), ()),
    ]
    shared = [
        Listing("category", "de", "kategorie/technik-labor/", *TECHNIK),
        Listing("tag", "de", "schlagwort/labor/", "labor", "Labor"),
    ]
    return shared, posts


def test_every_other_language_gets_its_start_page_site_listings_and_topic_listings() -> None:
    shared, posts = site()
    listings = plan_listings("de", GERMAN_URLS, shared, posts)
    english = [(item.kind, item.url, item.save_as) for item in listings.listings if item.lang == "en"]
    assert english == [
        ("index", "en/", "en/index.html"),
        ("archives", "en/archive/", "en/archive/index.html"),
        ("categories", "en/categories/", "en/categories/index.html"),
        ("tags", "en/tags/", "en/tags/index.html"),
        ("authors", "en/authors/", "en/authors/index.html"),
        ("category", "en/category/technik-labor/", "en/category/technik-labor/index.html"),
        ("tag", "en/tag/labor/", "en/tag/labor/index.html"),
        ("tag", "en/tag/pruefstand/", "en/tag/pruefstand/index.html"),
        ("author", "en/author/mmuster/", "en/author/mmuster/index.html"),
    ]
    assert listings.languages() == ("de", "en")
    # A site in one language has no other-language listings at all.
    alone = plan_listings("de", GERMAN_URLS, [], [p for p in posts if p.lang == "de"])
    assert alone.languages() == ("de",) and {item.lang for item in alone.listings} == {"de"}


def test_links_in_the_page_language_fall_back_to_the_default_language() -> None:
    listings = plan_listings("de", GERMAN_URLS, *site())
    assert (listings.home("de"), listings.home("en"), listings.home("fr")) == ("", "en/", "")
    assert (listings.nav("archives", "de"), listings.nav("archives", "en")) == ("archiv/", "en/archive/")
    # A topic of the English posts links to its English listing; a German-only one keeps its own URL.
    assert listings.topic("category", "en", "technik-labor", "kategorie/technik-labor/") == "en/category/technik-labor/"
    assert listings.topic("category", "en", "firma", "kategorie/firma/") == "kategorie/firma/"
    assert listings.topic("category", "de", "technik-labor", "kategorie/technik-labor/") == "kategorie/technik-labor/"
    assert [item.name for item in listings.topics("category", "en")] == ["Technik & Labor"]


def test_alternates_pair_a_listing_with_its_counterparts_only() -> None:
    listings = plan_listings("de", GERMAN_URLS, *site())
    assert listings.alternates("index") == (("de", ""), ("en", "en/"))
    assert listings.alternates("tag", "labor") == (("de", "schlagwort/labor/"), ("en", "en/tag/labor/"))
    assert listings.alternates("tag", "pruefstand") == ()  # English only: nothing to pair with
    assert listings.alternates("author", "mmuster") == ()


@dataclass(frozen=True)
class Translation:
    lang: str
    url: str


@dataclass(frozen=True)
class Post:
    translations: tuple[Translation, ...] = ()


def test_the_switch_leads_to_the_translation_the_counterpart_or_the_other_start_page() -> None:
    listings = plan_listings("de", GERMAN_URLS, *site())
    translated = Post((Translation("en", "en/2026/yard/"),))
    [to_english] = listings.switch("de", item=translated)
    assert (to_english.lang, to_english.url, to_english.exact) == ("en", "en/2026/yard/", True)
    [untranslated] = listings.switch("de", item=Post())
    assert (untranslated.url, untranslated.exact) == ("en/", False)
    [back] = listings.switch("en", "tag", "labor")
    assert (back.lang, back.url, back.exact) == ("de", "schlagwort/labor/", True)
    [no_german] = listings.switch("en", "tag", "pruefstand")
    assert (no_german.url, no_german.exact) == ("", False)
    [search] = listings.switch("de", counterparts={"de": "suche/", "en": "en/search/"})
    assert (search.url, search.exact) == ("en/search/", True)
    assert listings.switch("de", "archives")[0].url == "en/archive/"
