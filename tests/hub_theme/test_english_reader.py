"""The English reader on the sample site: an English start page and listings, and English interface
texts on every English page of the production build (served from 127.0.0.1; what a person sees and
does is checked in headless Chromium)."""

from __future__ import annotations

import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup
from chromium import Chromium
from hub_theme.strings import STRINGS

ENGLISH_POST = "/en/2026/the-endurance-test-bench-5000-hours-under-load/"
GERMAN_POST = "/2026/dauerlauf-pruefstand/"
ENGLISH_TITLES = [
    "Third generation, clear course: how we are handling succession",
    "The endurance test bench: 5,000 hours under load",
]
TAGS = ["prueflabor", "lebensdauer", "getriebemotoren"]
NAV_ITEMS = ["Home", "Categories", "Archive", "Search", "About us"]
# What authors wrote, not the theme: post bodies and leads, summaries, the team's roles and bios from
# editorial_calendar.yaml, image credits. Names of categories, tags and authors stay as written too.
CONTENT = (
    ".post__content, .post__lead, .card__summary, .author-box__bio, .author-box__role, .byline__role,"
    " .profile__bio, .profile__role, .person__role, .post__credit, script"
)
# German interface words a catalogue could miss (the catalogue's own German texts are added below).
GERMAN_WORDS = [
    "Impressum",
    "Datenschutz",
    "Startseite",
    "Beiträge",
    "Beitrag",
    "Seite",
    "Lesezeit",
    "Über uns",
    "Sprache",
]


def german_interface_texts() -> list[str]:
    """Every fixed piece of the theme's German texts that English does not share, plus GERMAN_WORDS."""
    pieces = set(GERMAN_WORDS)
    for key, text in STRINGS["de"].items():
        if text == STRINGS["en"][key]:
            continue  # "Deutsch", "English": a language is named in itself in both
        for literal, *_ in string.Formatter().parse(text):
            parts = {part.strip() for part in re.split(r"[„“:()]", literal) if len(part.strip()) > 1}
            pieces |= {part for part in parts if part not in STRINGS["en"][key]}  # "status: published" is both
    return sorted(pieces)


def chrome_text(page: BeautifulSoup) -> str:
    """What the theme says on the page: text, <title>, aria-labels, alt texts, outside what authors wrote."""
    for element in page.select(CONTENT):
        element.decompose()
    for element in page.select(".post__license"):  # the label is the theme's, the licence the author's
        element.string = element.get_text().split(":")[0]
    said = list(page.stripped_strings)
    said += [
        str(element[name]) for name in ("aria-label", "alt", "title") for element in page.find_all(attrs={name: True})
    ]
    return "\n".join(said)


def english_pages(output: Path) -> dict[str, BeautifulSoup]:
    pages = {}
    for path in sorted(output.rglob("*.html")):
        if path.is_relative_to(output / "pagefind"):
            continue
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if page.html and page.html.get("lang") == "en":
            pages["/" + path.relative_to(output).as_posix()] = page
    return pages


def test_every_english_page_speaks_english_outside_what_authors_wrote(served: tuple[Path, str]) -> None:
    output, _ = served
    pages = english_pages(output)
    expected = {
        "/en/index.html",
        "/en/archive/index.html",
        "/en/categories/index.html",
        "/en/category/technik-labor/index.html",
        "/en/tags/index.html",
        "/en/tag/prueflabor/index.html",
        "/en/authors/index.html",
        "/en/author/martin-hellwig/index.html",
        "/en/search/index.html",
        ENGLISH_POST + "index.html",
    }
    assert expected <= pages.keys()
    assert all(name.startswith("/en/") for name in pages)
    words = german_interface_texts()
    assert {"Impressum", "Datenschutz", "Min. Lesezeit", "Weiterlesen", "Beiträge in"} <= set(words)
    found = {}
    for name, page in pages.items():
        text = chrome_text(page)
        hits = [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]
        if hits:
            found[name] = hits
    assert found == {}


def test_legal_links_keep_the_german_pages_with_english_labels(served: tuple[Path, str]) -> None:
    output, base = served
    page = english_pages(output)[ENGLISH_POST + "index.html"]
    for bar in page.select(".topbar__legal, .site-footer__legal"):
        links = [(a.get_text(), a["href"], a.get("hreflang")) for a in bar.select("a")]
        assert links == [
            ("Legal notice", f"{base}/impressum/", "de"),
            ("Privacy", f"{base}/datenschutz/", "de"),
        ]
    about = page.select_one(".main-nav a[href$='/ueber-uns/']")
    assert (about.get_text(), about.get("hreflang")) == ("About us", "de")


def test_english_pages_link_english_listings_feeds_and_dates(served: tuple[Path, str]) -> None:
    output, base = served
    pages = english_pages(output)
    home = pages["/en/index.html"]
    assert [a.get_text() for a in home.select(".card__title a")] == ENGLISH_TITLES
    assert [t.get_text() for t in home.select(".card__meta time")] == ["October 8, 2026", "October 1, 2026"]
    assert home.select_one(".card__category")["href"] == f"{base}/en/category/unternehmen/"
    nav = [(a.get_text(), a["href"]) for a in home.select(".main-nav a")]
    assert nav[:3] == [
        ("Home", f"{base}/en/"),
        ("Categories", f"{base}/en/categories/"),
        ("Archive", f"{base}/en/archive/"),
    ]
    assert nav[3] == ("Search", f"{base}/en/search/")
    post = pages[ENGLISH_POST + "index.html"]
    assert post.select_one(".post__meta time").get_text() == "October 1, 2026"
    assert [a["href"] for a in post.select(".post__tags a")] == [f"{base}/en/tag/{slug}/" for slug in TAGS]
    feeds = [link["href"] for link in post.select("head link[type='application/atom+xml']")]
    assert feeds == [f"{base}/feeds/en.atom.xml"]
    assert post.select_one("footer a.feed-link")["href"] == f"{base}/feeds/en.atom.xml"
    assert (output / "feeds/en.atom.xml").is_file()


def test_hreflang_alternates_and_the_language_switch(served: tuple[Path, str]) -> None:
    output, base = served

    def html(relative: str) -> BeautifulSoup:
        return BeautifulSoup((output / relative).read_text(encoding="utf-8"), "html.parser")

    def alternates(page: BeautifulSoup) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in page.select("head link[rel=alternate][hreflang]")}

    def switch(page: BeautifulSoup) -> list[tuple[str, str, str]]:
        return [(a.get_text(), a["href"], a["hreflang"]) for a in page.select(".topbar__languages a")]

    german_post, english_post = (
        html(GERMAN_POST.strip("/") + "/index.html"),
        html(ENGLISH_POST.strip("/") + "/index.html"),
    )
    both = {"de": f"{base}{GERMAN_POST}", "en": f"{base}{ENGLISH_POST}"}
    assert alternates(german_post) == alternates(english_post) == both
    assert german_post.html["lang"] == "de" and english_post.html["lang"] == "en"
    assert switch(german_post) == [("English", f"{base}{ENGLISH_POST}", "en")]
    assert switch(english_post) == [("Deutsch", f"{base}{GERMAN_POST}", "de")]
    # Start pages and listings with a counterpart are alternates of each other.
    assert (
        alternates(html("index.html")) == alternates(html("en/index.html")) == {"de": f"{base}/", "en": f"{base}/en/"}
    )
    assert switch(html("kategorie/technik-labor/index.html")) == [
        ("English", f"{base}/en/category/technik-labor/", "en")
    ]
    # A page without a translation leads to the other language's start page.
    assert switch(html("ueber-uns/index.html")) == [("English", f"{base}/en/", "en")]
    assert switch(html("kategorie/nachhaltigkeit/index.html")) == [("English", f"{base}/en/", "en")]
    assert switch(html("en/search/index.html")) == [("Deutsch", f"{base}/suche/", "de")]


def test_the_sitemap_lists_the_english_listings_with_their_alternates(served: tuple[Path, str]) -> None:
    output, base = served
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(output / "sitemap.xml").getroot().findall("s:url", ns)
    by_loc = {
        url.findtext("s:loc", namespaces=ns): {x.get("hreflang"): x.get("href") for x in url.findall("x:link", ns)}
        for url in urls
    }
    for loc in ("/en/", "/en/archive/", "/en/category/technik-labor/", "/en/tag/prueflabor/", ENGLISH_POST):
        assert f"{base}{loc}" in by_loc
    assert by_loc[f"{base}/en/"] == by_loc[f"{base}/"] == {"de": f"{base}/", "en": f"{base}/en/"}
    assert by_loc[f"{base}/en/archive/"] == {"de": f"{base}/archiv/", "en": f"{base}/en/archive/"}
    for loc in by_loc:  # every URL is a written page
        relative = loc.removeprefix(base + "/")
        assert (output / relative / "index.html").is_file() or (output / relative).is_file(), loc


def test_an_english_reader_finds_the_english_start_page_and_listings(
    served: tuple[Path, str], browser: Chromium
) -> None:
    _, base = served
    tab = browser.open(base + ENGLISH_POST)
    assert tab.evaluate("document.documentElement.lang") == "en"
    assert (
        tab.evaluate("Array.from(document.querySelectorAll('.main-nav a'), (a) => a.textContent.trim())") == NAV_ITEMS
    )
    tab.evaluate("document.querySelector('.main-nav a').click()")
    tab.wait_for(f"location.href === '{base}/en/' && document.readyState === 'complete'")
    assert tab.evaluate("document.documentElement.lang") == "en"
    titles = tab.evaluate("Array.from(document.querySelectorAll('.card__title'), (h) => h.textContent.trim())")
    assert titles == ENGLISH_TITLES
    # On to the English archive, and from there over the language switch to the German archive.
    tab.evaluate("document.querySelector('.main-nav a[href$=\"/en/archive/\"]').click()")
    tab.wait_for(f"location.href === '{base}/en/archive/' && document.readyState === 'complete'")
    assert tab.evaluate("document.querySelector('h1').textContent.trim()") == "Archive"
    tab.evaluate("document.querySelector('.topbar__languages a').click()")
    tab.wait_for(f"location.href === '{base}/archiv/' && document.readyState === 'complete'")
    assert tab.evaluate("document.documentElement.lang") == "de"
    assert tab.evaluate("document.querySelector('h1').textContent.trim()") == "Archiv"


def test_the_english_search_finds_english_posts_only(served: tuple[Path, str], browser: Chromium) -> None:
    _, base = served
    tab = browser.open(f"{base}/en/search/?q=endurance")
    found = tab.results("endurance")
    assert found["results"], found
    assert all(result["href"].startswith(f"{base}/en/2026/") for result in found["results"])
    assert "results for" in found["status"] or "result for" in found["status"]
