"""discovery: how search engines and social networks find and show the blog.

- sitemap.xml (sitemaps.org 0.9): every published post and page and the first page
  of every listing, absolute URLs, `lastmod` from the content (max(date, modified);
  pages without dates: their last git commit), `xhtml:link hreflang` between
  translations. Sorted, so a rebuild writes the same bytes.
- robots.txt: everything allowed except the editors' folders; names the sitemap.
- `page_meta()` for templates: canonical URL, OpenGraph, Twitter Card and, on posts,
  a schema.org BlogPosting as a dict for `|tojson` (see `_page_meta.html`).

Both files are written at the end of the build (atomically), and only when SITEURL
is absolute: a sitemap with relative URLs is invalid, and a development build would
list posts that are not approved. `invoke build --prod` writes them.

Settings: options.py (HUB_SITEMAP_*, HUB_ROBOTS_*, HUB_PUBLISHER_LOGO*, HUB_OG_LOCALES); the
sponsored label of structured data is hub_core.sponsored's HUB_SPONSORED_LABEL.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hub_core import build_tracking, state
from hub_core.files import write_atomically
from hub_core.i18n import translator
from hub_core.options import read
from hub_theme.slots import LANGUAGE_PAGES
from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

from .collect import sitemap_entries
from .options import PUBLISHER_LOGO, ROBOTS_DISALLOW, ROBOTS_SAVE_AS, SITEMAP_SAVE_AS
from .robots import render_robots
from .sitemap import render_sitemap
from .slots import SITEMAP_ENTRIES
from .templating import page_meta_global
from .urls import is_absolute, join, site_path

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_discovery")
PREFIX = "discovery:"


def add_globals(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is not None:
        env.globals["page_meta"] = page_meta_global


def _first(generators: list[Any], kind: type) -> Any | None:
    return next((g for g in generators if isinstance(g, kind)), None)


def collect_urls(generators: list[Any]) -> None:
    """Once every post and page is read (and the review gate has left out what is held): the sitemap's URLs."""
    if not generators:
        return
    settings = generators[0].settings
    if not is_absolute(settings.get("SITEURL", "")):
        return
    articles, pages = _first(generators, ArticlesGenerator), _first(generators, PagesGenerator)
    build = state.of(settings)
    build.put(SITEMAP_ENTRIES, sitemap_entries(articles, pages, settings, language_pages=build.get(LANGUAGE_PAGES)))
    static = _first(generators, StaticGenerator)
    ours = {read(SITEMAP_SAVE_AS, settings), read(ROBOTS_SAVE_AS, settings)}
    for item in getattr(static, "staticfiles", None) or []:
        if item.save_as in ours:
            replaced = _("{file} from the content is replaced by the generated one").format(file=item.save_as)
            logger.warning("%s %s", PREFIX, replaced)


def write_files(pelican: Any) -> None:
    """sitemap.xml and robots.txt in production; nothing in development (relative SITEURL)."""
    settings = pelican.settings
    siteurl = str(settings.get("SITEURL") or "")
    entries = state.of(settings).get(SITEMAP_ENTRIES)
    if entries is None or not is_absolute(siteurl):
        logger.info("%s %s", PREFIX, _("SITEURL is not absolute (development): no sitemap.xml or robots.txt"))
        return
    output = Path(pelican.output_path)
    logo = str(read(PUBLISHER_LOGO, settings) or "")
    if logo and not is_absolute(logo) and not (output / logo).is_file():
        missing = _("HUB_PUBLISHER_LOGO {file} is not in the output: structured data names a missing file")
        logger.warning("%s %s", PREFIX, missing.format(file=logo))
    sitemap_as = read(SITEMAP_SAVE_AS, settings)
    if sitemap_as:
        present = []
        for entry in entries:
            if (output / entry.save_as).is_file():
                present.append(entry)
            else:
                left_out = _("{file} was not written: left out of the sitemap").format(file=entry.save_as)
                logger.warning("%s %s", PREFIX, left_out)
        write_atomically(output / sitemap_as, render_sitemap(present))
        urls = ngettext("{file} with {count} URL", "{file} with {count} URLs", len(present))
        logger.info("%s %s", PREFIX, urls.format(file=sitemap_as, count=len(present)))
    robots_as = read(ROBOTS_SAVE_AS, settings)
    if robots_as:
        disallow = read(ROBOTS_DISALLOW, settings)
        prefix = site_path(siteurl)
        if prefix:
            root_only = _("SITEURL has a path: {file} only counts when served at the host's root")
            logger.info("%s %s", PREFIX, root_only.format(file=robots_as))
        text = render_robots(join(siteurl, sitemap_as) if sitemap_as else None, disallow, prefix)
        write_atomically(output / robots_as, text.encode())


# Pelican's signals outlive a build: tests disconnect these to leave other builds as their PLUGINS say.
CONNECTIONS = (
    (signals.generator_init, add_globals),
    (signals.all_generators_finalized, collect_urls),
    (signals.finalized, write_files),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
