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

Shards (shards.py): the index is one Pagefind bundle per language and year, and one per
language for the pages, in `pagefind/<shard>/`. Templates get SEARCH_SHARDS, {lang: [its
shards, the newest first]}: the search page loads Pagefind from the first and merges the
others in the browser. An edit re-indexes only its shard.

Search pages: the default language's is Pelican's direct template `search`
(DIRECT_TEMPLATES, SEARCH_URL, SEARCH_SAVE_AS); this plugin writes the same template
once more for every other language that has searchable content. Templates get
SEARCH_PAGES, {lang: url}, to link the page in the reader's language.

Speed: indexing starts when Pelican starts writing (`get_writer`), in a thread that
feeds the `pagefind` process, so Pagefind works on a second core while Pelican renders;
the build waits for it at `finalized`, checks that every indexed page was written (if
not, it indexes again without the missing ones) and only then puts the bundle into
`pagefind/`. A failed build leaves no bundle and no Pagefind process behind. The last
bundles of each shard are kept (HUB_SEARCH_CACHE) under a key of the Pagefind version and
options and every page's URL and HTML: a shard whose pages did not change is linked into
the output instead of indexed again; it is byte for byte what Pagefind would write.

Settings:
  SEARCH_LANG_URL      "{lang}/search/"            search page of the other languages
  SEARCH_LANG_SAVE_AS  "{lang}/search/index.html"  ("" = only the default language's page)
  HUB_SEARCH_TIMEOUT, HUB_SEARCH_CACHE: options.py
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from hub_core import build_tracking, state
from hub_core.i18n import translator
from hub_core.options import read
from hub_core.sponsored import SPONSORED_LABEL
from pelican import signals

from . import options
from .background import IndexJob, StagedBundle, publish
from .cache import BundleCache
from .documents import is_searchable, searchable_documents, shard_of
from .indexer import SearchIndexFailed
from .pages import IndexPage, index_pages
from .shards import by_language
from .slots import SEARCH, SearchContent, SearchPage

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_search")
PREFIX = "search:"
DEFAULT_LANG_URL = "{lang}/search/"
DEFAULT_LANG_SAVE_AS = "{lang}/search/index.html"
# Every list of posts and pages a generator keeps; drafts are left out on purpose.
CONTENT_LISTS = ("articles", "translations", "hidden_articles", "pages", "hidden_pages", "hidden_translations")
# The running index of each build, by its Pelican object (what every signal of a build sends).
# Not in the settings: hub_page_cache fingerprints those, and a thread has no stable fingerprint.
JOBS: WeakKeyDictionary[Any, IndexJob] = WeakKeyDictionary()


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
        problem = _("SEARCH_LANG_SAVE_AS must contain {{lang}}, found {value}").format(value=repr(lang_save_as))
        raise SearchIndexFailed(f"{PREFIX} {problem}")
    for lang in sorted(languages - {default}):
        pages.append(SearchPage(lang, lang_url.format(lang=lang), lang_save_as.format(lang=lang)))
    return pages


def collect_content(generators: list[Any]) -> None:
    """Remember what may be searched; tell the templates where the search pages are and which
    shards each language's page loads (SEARCH_SHARDS, {lang: [main shard, shards it merges]})."""
    if not generators:
        return
    settings = generators[0].settings
    contents = [c for g in generators for name in CONTENT_LISTS for c in getattr(g, name, None) or ()]
    candidates = [c for c in contents if is_searchable(c)]
    shards = by_language(shard_of(c, settings["DEFAULT_LANG"]) for c in candidates)
    pages = search_pages(settings, set(shards))
    state.of(settings).put(SEARCH, SearchContent(candidates, pages))
    for generator in generators:  # one shared context in Pelican 4; set on each to be safe
        generator.context["SEARCH_PAGES"] = {page.lang: page.url for page in pages}
        generator.context["SEARCH_SHARDS"] = shards


def write_language_pages(generator: Any, writer: Any) -> None:
    """The search page once more per other language, so it searches that language's index."""
    settings = generator.settings
    search = state.of(settings).get(SEARCH)
    pages = [p for p in (search.pages if search else ()) if p.lang != settings["DEFAULT_LANG"]]
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


def cache_folder(settings: dict[str, Any]) -> Path | None:
    configured = read(options.SEARCH_CACHE, settings)
    return Path(configured) if configured else None


def start_indexing(pelican: Any) -> None:
    """Hand the documents to Pagefind in a thread as Pelican starts writing; never a Writer (returns None)."""
    stop_indexing(pelican)  # one left by an earlier run() of the same Pelican (autoreload)
    # Here, in the build's thread: content objects are not safe to touch while pages render.
    # Intersite links in bodies and summaries are final now, and production has already left
    # out what is withheld; every document has a save_as, so it is about to be written.
    pages = _pages(pelican.settings)
    if pages is not None:
        job = _job(pelican, pages)
        job.start()
        JOBS[pelican] = job
    return None


def index_site(pelican: Any) -> None:
    """Wait for the index, check it against what was written, put it into place; stop the build if Pagefind failed."""
    writing_ended = time.monotonic()
    job = JOBS.pop(pelican, None)
    if job is not None:
        staged = _result(job.result)
    else:  # finalized without get_writer: not Pelican's run(), but index all the same
        pages = _pages(pelican.settings)
        if pages is None:
            return
        job = _job(pelican, pages)
        staged = _result(job.run)
    output = Path(pelican.output_path)
    # A search result must never lead to a missing page: anything not written is left out.
    missing = [page for page in job.pages if not (output / page.save_as).is_file()]
    if missing:
        shutil.rmtree(staged.folder, ignore_errors=True)
        for page in missing:
            logger.warning(
                "%s %s",
                PREFIX,
                _("{page} was not written: indexing again without it").format(page=page.save_as),
                extra={"limit_msg": f"{PREFIX} {_('more pages were not written')}"},
            )
        gone = {page.save_as for page in missing}
        job = _job(pelican, [page for page in job.pages if page.save_as not in gone])
        staged = _result(job.run)
    try:
        publish(staged, output)
    except OSError:
        shutil.rmtree(staged.folder, ignore_errors=True)
        raise
    per_language = ", ".join(f"{lang}: {count}" for lang, count in staged.summary.pages.items()) or _("none")
    if not staged.built:
        how = _("reused the index kept for this content (Pagefind did not run)")
    else:
        beside = max(0.0, min(staged.finished, writing_ended) - staged.started)
        took = _("Pagefind took {total} s, {beside} s of it while pages were written").format(
            total=f"{staged.finished - staged.started:.1f}", beside=f"{beside:.1f}"
        )
        shards = _("shards indexed: {built}; reused: {reused}").format(
            built=", ".join(staged.built), reused=len(staged.reused)
        )
        how = f"{took} ({shards})"
    total = staged.summary.total
    indexed = ngettext("{count} page indexed ({languages})", "{count} pages indexed ({languages})", total)
    logger.info("%s %s; %s", PREFIX, indexed.format(count=total, languages=per_language), how)


def stop_indexing(pelican: Any) -> None:
    """The build of `pelican` ended without `finalized` (an error): end Pagefind and remove its files."""
    job = JOBS.pop(pelican, None)
    if job is not None:
        job.abandon()


def guard_build(pelican: Any) -> None:
    """Pelican sends no signal when a build fails, so run() is wrapped: a failed build stops the indexing."""
    run = pelican.run

    @functools.wraps(run)
    def run_then_stop_indexing() -> None:
        try:
            run()
        finally:
            stop_indexing(pelican)  # nothing left to stop once finalized has published the index

    pelican.run = run_then_stop_indexing


def _pages(settings: dict[str, Any]) -> list[IndexPage] | None:
    search = state.of(settings).get(SEARCH)
    if search is None:  # collect_content did not run: no search in this build
        return None
    contents = search.documents
    label = read(SPONSORED_LABEL, settings)
    return index_pages(searchable_documents(contents, settings["DEFAULT_LANG"], label))


def _job(pelican: Any, pages: list[IndexPage]) -> IndexJob:
    settings = pelican.settings
    folder = cache_folder(settings)
    cache = BundleCache(folder) if folder is not None else None
    return IndexJob(pages, Path(pelican.output_path), float(read(options.SEARCH_TIMEOUT, settings)), cache)


def _result(wait: Callable[[], StagedBundle]) -> StagedBundle:
    try:
        return wait()
    except SearchIndexFailed as error:
        stopped = _("{reason}; no new search index was written").format(reason=error)
        raise SearchIndexFailed(f"{PREFIX} {stopped}") from error.__cause__


CONNECTIONS = (
    (signals.initialized, guard_build),
    (signals.all_generators_finalized, collect_content),
    (signals.get_writer, start_indexing),
    (signals.article_writer_finalized, write_language_pages),
    (signals.finalized, index_site),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)


__all__ = ["SearchIndexFailed", "SearchPage", "register"]
