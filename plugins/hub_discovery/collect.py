"""Which URLs go into the sitemap, read from Pelican's generators once everything is read.

Published posts and pages (not hidden ones such as the 404 page), the first page of
every listing. Left out: drafts (never in `articles`), posts the review gate held
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
    def __init__(self, settings: dict[str, Any], page_date: PageDate = git_date) -> None:
        self.siteurl = str(settings.get("SITEURL") or "")
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

    def listing(self, url: str, save_as: str, articles: Sequence[Any]) -> list[Entry]:
        if not save_as or not self.wanted(url):
            return []
        return [Entry(self.absolute(url), save_as, newest(last_modified(a) for a in articles if is_live(a)))]

    def listings(self, articles_generator: Any) -> list[Entry]:
        settings = self.settings
        every = list(articles_generator.articles)
        entries = []
        for name in settings.get("DIRECT_TEMPLATES", ()):
            if name not in LISTINGS:
                continue
            save_as = settings.get(f"{name.upper()}_SAVE_AS", f"{name}.html")
            url = settings.get(f"{name.upper()}_URL") or url_of_file(save_as)
            entries += self.listing(url, save_as, every)
        groups = [*articles_generator.categories, *articles_generator.tags.items(), *articles_generator.authors]
        for taxonomy, articles in groups:
            entries += self.listing(taxonomy.url, taxonomy.save_as, articles)
        return entries


def sitemap_entries(
    articles_generator: Any | None,
    pages_generator: Any | None,
    settings: dict[str, Any],
    page_date: PageDate = git_date,
) -> list[Entry]:
    collect = Collector(settings, page_date)
    entries: list[Entry] = []
    if articles_generator is not None:
        posts = [*articles_generator.articles, *articles_generator.translations]
        entries += collect.content(posts, last_modified)
        entries += collect.listings(articles_generator)
    if pages_generator is not None:
        pages = [*pages_generator.pages, *pages_generator.translations]
        entries += collect.content(pages, collect.page_lastmod)
    return entries
