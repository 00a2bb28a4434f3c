"""Listings per language: which exist, their URLs, and where a reader switches language.

Pelican lists only the originals: a translation (`lang: en`, `translation_of:`) is left out of the
start page, the archive and every category, tag and author page, so an English reader was led back
into German listings. Every other language with published posts therefore gets its own start page,
archive and category, tag and author listings under `<lang>/` (`en/`, `en/archive/`,
`en/category/technik-labor/`, page 2 at `en/page/2/`), with the theme's texts in that language: what
Pelican's i18n_subsites plugin does with one sub-site per language, here inside the one build.

The URLs of the other languages use English words, one set for every other language; the default
language's URLs are Pelican's settings (`CATEGORY_URL`, `ARCHIVES_URL`, ...) as before.

Pure: plain strings in, plain data out (`hub_theme.listings` reads Pelican's posts into it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Listings of the whole site (Pelican's direct templates of the same name) and of one topic.
SITE_KINDS = ("index", "archives", "categories", "tags", "authors")
TOPIC_KINDS = ("category", "tag", "author")
OTHER_LANGUAGE_URLS = {
    "index": "{lang}/",
    "archives": "{lang}/archive/",
    "categories": "{lang}/categories/",
    "tags": "{lang}/tags/",
    "authors": "{lang}/authors/",
    "category": "{lang}/category/{slug}/",
    "tag": "{lang}/tag/{slug}/",
    "author": "{lang}/author/{slug}/",
}
# Page 2 and later of a listing in another language (Pelican's pagination pattern, {url} the
# listing's): a folder inside it, like the default language's `…/seite/2/`, never a slug's file.
OTHER_LANGUAGE_PAGE = "{url}page/{number}/"


@dataclass(frozen=True)
class Listing:
    """One listing page (its first page) in one language."""

    kind: str  # one of SITE_KINDS or TOPIC_KINDS
    lang: str
    url: str  # relative to SITEURL, a folder ("en/category/technik-labor/")
    slug: str = ""  # the topic's slug; "" for SITE_KINDS
    name: str = ""  # the topic's name as written (a category, tag or author)

    @property
    def save_as(self) -> str:
        return self.url + "index.html" if self.url.endswith("/") or not self.url else self.url


@dataclass(frozen=True)
class Topics:
    """What one post is listed under: its category, tags and authors as (slug, name)."""

    lang: str
    category: tuple[str, str] | None = None
    tags: tuple[tuple[str, str], ...] = ()
    authors: tuple[tuple[str, str], ...] = ()

    def of(self, kind: str) -> tuple[tuple[str, str], ...]:
        if kind == "category":
            return (self.category,) if self.category else ()
        return self.tags if kind == "tag" else self.authors


@dataclass(frozen=True)
class LanguageSwitch:
    """A link to the page in another language: `exact` when it is this page's translation or
    counterpart listing, else that language's start page."""

    lang: str
    url: str
    exact: bool


@dataclass(frozen=True)
class LanguageListings:
    """Every listing of the site in every language, as the templates (`LANGUAGE_LISTINGS`) see it.

    Only URLs, slugs and names: every page reads it (navigation, language switch), so it changes
    only when a listing comes or goes, never when a post's text does (hub_page_cache keys pages by it).
    """

    default_lang: str
    listings: tuple[Listing, ...]

    def find(self, kind: str, lang: str, slug: str = "") -> Listing | None:
        for listing in self.listings:
            if listing.kind == kind and listing.lang == lang and listing.slug == slug:
                return listing
        return None

    def url(self, kind: str, lang: str | None = None, slug: str = "") -> str | None:
        """The listing's URL in `lang` (None: the default language); None if that language has none."""
        listing = self.find(kind, lang or self.default_lang, slug)
        return listing.url if listing else None

    def languages(self) -> tuple[str, ...]:
        """The default language first, then every other language that has a start page."""
        others = sorted({item.lang for item in self.listings if item.kind == "index"} - {self.default_lang})
        return (self.default_lang, *others)

    def home(self, lang: str | None) -> str:
        """The start page of `lang`; the site's own start page for a language without one."""
        return self.url("index", lang) or self.url("index", self.default_lang) or ""

    def nav(self, kind: str, lang: str | None) -> str:
        """A link of the navigation: the listing in `lang`, else the default language's."""
        return self.url(kind, lang) or self.url(kind, self.default_lang) or ""

    def topic(self, kind: str, lang: str | None, slug: str, fallback: str) -> str:
        """A category, tag or author link on a page in `lang`: its listing in that language, else `fallback`."""
        return self.url(kind, lang, slug) or fallback

    def topics(self, kind: str, lang: str | None) -> tuple[Listing, ...]:
        """The category (tag, author) listings of `lang`, in the order they were planned."""
        wanted = lang or self.default_lang
        return tuple(item for item in self.listings if item.kind == kind and item.lang == wanted)

    def alternates(self, kind: str, slug: str = "") -> tuple[tuple[str, str], ...]:
        """(lang, url) of this listing in every language that has it; () when only one has it."""
        found = tuple(
            (lang, listing.url) for lang in self.languages() if (listing := self.find(kind, lang, slug)) is not None
        )
        return found if len(found) > 1 else ()

    def switch(
        self,
        lang: str | None,
        kind: str = "",
        slug: str = "",
        item: Any = None,
        counterparts: Mapping[str, str] | None = None,
    ) -> tuple[LanguageSwitch, ...]:
        """A link per other language: the translation of `item` (a post or page, by its
        `translations`), else the page's counterpart (`counterparts`: lang -> URL, such as the search
        pages), else the same listing (`kind`, `slug`), else that language's start page."""
        current = lang or self.default_lang
        known = dict(counterparts or {})
        known.update({str(getattr(t, "lang", "")): str(t.url) for t in getattr(item, "translations", None) or ()})
        links = []
        for other in self.languages():
            if other == current:
                continue
            exact = known.get(other) or (self.url(kind, other, slug) if kind else None)
            links.append(LanguageSwitch(other, exact or self.home(other), exact is not None))
        return tuple(links)


def plan_listings(
    default_lang: str,
    default_urls: Mapping[str, str],
    default_topics: Iterable[Listing],
    posts: Sequence[Topics],
) -> LanguageListings:
    """The listings of the default language (as Pelican writes them: `default_urls` by kind, the topic
    listings it has) and those of every other language that has at least one post in `posts`."""
    listings = [Listing(kind, default_lang, url) for kind, url in default_urls.items() if kind in SITE_KINDS]
    listings += [t for t in default_topics if t.lang == default_lang]
    for lang in sorted({post.lang for post in posts} - {default_lang}):
        listings += listings_of(lang, [post for post in posts if post.lang == lang])
    return LanguageListings(default_lang, tuple(listings))


def listings_of(lang: str, posts: Sequence[Topics]) -> list[Listing]:
    """The start page, the site listings and one listing per category, tag and author of `lang`."""
    found = [Listing(kind, lang, OTHER_LANGUAGE_URLS[kind].format(lang=lang)) for kind in SITE_KINDS]
    for kind in TOPIC_KINDS:
        names: dict[str, str] = {}
        for post in posts:
            for slug, name in post.of(kind):
                names.setdefault(slug, name)
        for slug in sorted(names, key=lambda s: (names[s].casefold(), s)):
            url = OTHER_LANGUAGE_URLS[kind].format(lang=lang, slug=slug)
            found.append(Listing(kind, lang, url, slug, names[slug]))
    return found
