"""Which URLs go into the sitemap, read from Pelican's generators once everything is read.

Published posts and pages (not hidden ones such as the 404 page), the first page of
every listing, in every language (hub_theme's listings of the other languages, `en/`, with
`xhtml:link` alternates between a listing and its counterparts). Left out: drafts (never in `articles`), posts the review gate held
back (removed before this runs), pages whose canonical URL is elsewhere, and every
URL under an excluded folder (the editors' dashboard, drafts).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_core.options import read
from hub_theme.languages import LanguageListings
from hub_theme.slots import LanguagePages

from .content import last_modified, translations
from .options import SITEMAP_EXCLUDE
from .sitemap import Entry, newest
from .urls import join, url_of_file

# Listings worth a search engine's visit (DIRECT_TEMPLATES may hold more, e.g. a search page).
LISTINGS = ("index", "categories", "tags", "authors", "archives")

PageDate = Callable[[Path], datetime | None]


def git_date(path: Path) -> datetime | None:
    """When git last committed `path` (stable across rebuilds, unlike the file's mtime); None outside git."""
    try:
        result = subprocess.run(
            ["git", "-C", str(path.parent), "log", "-1", "--format=%cI", "--", path.name],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    stamp = result.stdout.strip()
    return datetime.fromisoformat(stamp) if result.returncode == 0 and stamp else None


def is_live(item: Any) -> bool:
    """Published and, where the review gate judged it, published now."""
    if getattr(item, "status", "published") != "published" or not getattr(item, "save_as", ""):
        return False
    return getattr(item, "review_state", "published") == "published"


class Collector:
    def __init__(
        self, settings: dict[str, Any], page_date: PageDate = git_date, languages: LanguageListings | None = None
    ) -> None:
        self.siteurl = str(settings.get("SITEURL") or "")
        self.languages = languages
        self.settings = settings
        self.page_date = page_date
        self.exclude = tuple(p.strip("/") + "/" for p in read(SITEMAP_EXCLUDE, settings))

    def absolute(self, path: str) -> str:
        return join(self.siteurl, path)

    def wanted(self, url: str) -> bool:
        return not any(url.startswith(prefix) for prefix in self.exclude)

    def content(self, items: Iterable[Any], dated: Callable[[Any], datetime | None]) -> list[Entry]:
        entries = []
        for item in items:
            loc = self.absolute(item.url)
            if not is_live(item) or not self.wanted(item.url):
                continue
            declared = getattr(item, "canonical_url", None)
            if declared and self.absolute(declared) != loc:
                continue  # a copy: the sitemap lists canonical URLs only
            entries.append(Entry(loc, item.save_as, dated(item), self.alternates(item)))
        return entries

    def alternates(self, item: Any) -> tuple[tuple[str, str], ...]:
        others = [t for t in translations(item) if is_live(t)]
        if not others:
            return ()
        default = str(self.settings.get("DEFAULT_LANG", "de"))
        versions = {str(getattr(v, "lang", None) or default): self.absolute(v.url) for v in [item, *others]}
        return tuple(sorted(versions.items()))

    def page_lastmod(self, page: Any) -> datetime | None:
        return last_modified(page) or self.page_date(Path(page.source_path))

    def listing(self, url: str, save_as: str, articles: Sequence[Any], kind: str = "", slug: str = "") -> list[Entry]:
        if not save_as or not self.wanted(url):
            return []
        lastmod = newest(last_modified(a) for a in articles if is_live(a))
        return [Entry(self.absolute(url), save_as, lastmod, self.listing_alternates(kind, slug))]

    def listing_alternates(self, kind: str, slug: str) -> tuple[tuple[str, str], ...]:
        if self.languages is None or not kind:
            return ()
        return tuple(sorted((lang, self.absolute(url)) for lang, url in self.languages.alternates(kind, slug)))

    def other_languages(self, pages: LanguagePages) -> list[Entry]:
        """The listings of the languages other than the default one."""
        entries = []
        for listing in pages.listings.listings:
            if listing.lang != pages.listings.default_lang:
                members = pages.members[(listing.kind, listing.lang, listing.slug)]
                entries += self.listing(listing.url, listing.save_as, members, listing.kind, listing.slug)
        return entries

    def listings(self, articles_generator: Any) -> list[Entry]:
        settings = self.settings
        every = list(articles_generator.articles)
        entries = []
        for name in settings.get("DIRECT_TEMPLATES", ()):
            if name not in LISTINGS:
                continue
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            url = settings.get(f"{name.upper()}_URL") or url_of_file(save_as)
            entries += self.listing(url, save_as, every, name)
        groups = [
            *(("category", group) for group in articles_generator.categories),
            *(("tag", group) for group in articles_generator.tags.items()),
            *(("author", group) for group in articles_generator.authors),
        ]
        for kind, (taxonomy, articles) in groups:
            entries += self.listing(taxonomy.url, taxonomy.save_as, articles, kind, taxonomy.slug)
        return entries


def sitemap_entries(
    articles_generator: Any | None,
    pages_generator: Any | None,
    settings: dict[str, Any],
    page_date: PageDate = git_date,
    language_pages: LanguagePages | None = None,
) -> list[Entry]:
    collect = Collector(settings, page_date, language_pages.listings if language_pages else None)
    entries: list[Entry] = []
    if articles_generator is not None:
        posts = [*articles_generator.articles, *articles_generator.translations]
        entries += collect.content(posts, last_modified)
        entries += collect.listings(articles_generator)
    if language_pages is not None:
        entries += collect.other_languages(language_pages)
    if pages_generator is not None:
        pages = [*pages_generator.pages, *pages_generator.translations]
        entries += collect.content(pages, collect.page_lastmod)
    return entries
