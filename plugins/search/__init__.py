"""search: a static full-text search over every published post and page, built with every build.

When the site is written, Pagefind (the `pagefind[bin]` package: its binary, no
server) indexes one document per published post and page into `pagefind/` in the
output. The documents are made from the content, not scraped from the theme: title,
lead and body are searched; date, category, authors and the sponsored label come
along as metadata. Listings, the editors' dashboard and the 404 page are never
indexed, nor is anything that does not go live: production leaves it out before
writing, and in development posts that render with a banner (draft, in review,
scheduled, held) are skipped. Pagefind keeps one index per language, each with its
stemmer (German "Prüfungen" finds "Prüfung"); a search page searches the index of
its own <html lang>. If indexing fails, the build fails.

Search pages: the default language's is Pelican's direct template `search`
(DIRECT_TEMPLATES, SEARCH_URL, SEARCH_SAVE_AS); this plugin writes the same template
once more for every other language that has searchable content. Templates get
SEARCH_PAGES, {lang: url}, to link the page in the reader's language.

Settings:
  SEARCH_LANG_URL      "{lang}/search/"            search page of the other languages
  SEARCH_LANG_SAVE_AS  "{lang}/search/index.html"  ("" = only the default language's page)
  HUB_SEARCH_TIMEOUT   120  seconds Pagefind may take before the build fails
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import signals

from .documents import is_searchable, searchable_documents
from .indexer import SearchIndexFailed, build_index

logger = logging.getLogger(__name__)
PREFIX = "search:"
CONTENT_KEY = "HUB_SEARCH_CONTENT"
SEARCH_PAGES_KEY = "HUB_SEARCH_PAGES"
DEFAULT_LANG_URL = "{lang}/search/"
DEFAULT_LANG_SAVE_AS = "{lang}/search/index.html"
# Every list of posts and pages a generator keeps; drafts are left out on purpose.
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "pages", "hidden_pages", "hidden_translations")


@dataclass(frozen=True)
class SearchPage:
    lang: str
    url: str
    save_as: str


def search_pages(settings: dict[str, Any], languages: set[str]) -> list[SearchPage]:
    """The search page of the default language (a direct template) and one per other language."""
    save_as = settings.get("SEARCH_SAVE_AS", "search.html")
    if "search" not in settings.get("DIRECT_TEMPLATES", ()) or not save_as:
        return []
    default = settings["DEFAULT_LANG"]
    pages = [SearchPage(default, settings.get("SEARCH_URL", "search.html"), save_as)]
    lang_url = settings.get("SEARCH_LANG_URL", DEFAULT_LANG_URL)
    lang_save_as = settings.get("SEARCH_LANG_SAVE_AS", DEFAULT_LANG_SAVE_AS)
    if not lang_save_as:
        return pages
    if "{lang}" not in lang_save_as:
        raise SearchIndexFailed(f"{PREFIX} SEARCH_LANG_SAVE_AS must contain {{lang}}, got {lang_save_as!r}")
    for lang in sorted(languages - {default}):
        pages.append(SearchPage(lang, lang_url.format(lang=lang), lang_save_as.format(lang=lang)))
    return pages


def collect_content(generators: list[Any]) -> None:
    """Remember what may be searched and tell the templates where the search pages are."""
    if not generators:
        return
    settings = generators[0].settings
    contents = [c for g in generators for name in CONTENT_LISTS for c in getattr(g, name, None) or ()]
    candidates = [c for c in contents if is_searchable(c)]
    languages = {getattr(c, "lang", None) or settings["DEFAULT_LANG"] for c in candidates}
    pages = search_pages(settings, languages)
    settings[CONTENT_KEY] = candidates
    settings[SEARCH_PAGES_KEY] = pages
    for generator in generators:  # one shared context in Pelican 4; set on each to be safe
        generator.context["SEARCH_PAGES"] = {page.lang: page.url for page in pages}


def write_language_pages(generator: Any, writer: Any) -> None:
    """The search page once more per other language, so it searches that language's index."""
    settings = generator.settings
    pages = [p for p in settings.get(SEARCH_PAGES_KEY) or () if p.lang != settings["DEFAULT_LANG"]]
    for page in pages:
        writer.write_file(
            page.save_as,
            generator.get_template("search"),
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            template_name="search",
            page_name=os.path.splitext(page.save_as)[0],
            url=page.url,
            # base.html takes the language of a page that is no post from DEFAULT_LANG.
            DEFAULT_LANG=page.lang,
        )


def index_site(pelican: Any) -> None:
    """Index what was written; stop the build if Pagefind fails."""
    settings = pelican.settings
    contents = settings.get(CONTENT_KEY)
    if contents is None:
        return
    output = Path(pelican.output_path)
    documents = searchable_documents(contents, settings["DEFAULT_LANG"], settings.get("HUB_SPONSORED_LABEL", "Anzeige"))
    # Only what is in the output: a search result must never lead to a missing page.
    documents = [d for d in documents if (output / d.save_as).is_file()]
    try:
        summary = build_index(documents, output, float(settings.get("HUB_SEARCH_TIMEOUT", 120)))
    except SearchIndexFailed as error:
        raise SearchIndexFailed(f"{PREFIX} {error}; no new search index was written") from error.__cause__
    per_language = ", ".join(f"{lang}: {count}" for lang, count in summary.pages.items()) or "none"
    logger.info("%s %d page(s) indexed (%s)", PREFIX, summary.total, per_language)


def register() -> None:
    signals.all_generators_finalized.connect(collect_content)
    signals.article_writer_finalized.connect(write_language_pages)
    signals.finalized.connect(index_site)


__all__ = ["SearchIndexFailed", "register"]
