"""theme_support: what the hub theme needs beyond Pelican's context.

Listings in every language (listings.py, languages.py): the start page, archive and category, tag
and author listings of each language other than the default one (`en/`, `en/category/…`), and
LANGUAGE_LISTINGS for the templates: navigation in the page's language, the language switch,
hreflang alternates between listings.

Filters: `long_date(lang)`, `ui(key, lang, **values)` (interface text), `image_size`
(content-relative path → (width, height)). Context: `LEGAL_PAGES` (the pages every
footer links to, in the order of hub_content's HUB_LEGAL_PAGES), `NAV_CATEGORIES` (the categories the footer lists: the
categories alone, so a page does not depend on every post in them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hub_content.options import LEGAL_PAGES
from hub_core import build_tracking
from hub_core.imagesize import image_size
from hub_core.options import read
from hub_core.sponsored import DEFAULT_SPONSORED_LABEL
from pelican import signals

from . import listings
from .dates import long_date, month_name
from .strings import translate


def add_filters(generator: Any) -> None:
    env = getattr(generator, "env", None)
    if env is None:
        return
    content_root = Path(generator.settings["PATH"])
    env.filters["long_date"] = long_date
    env.filters["month_name"] = month_name
    env.globals["ui"] = translate
    env.globals["DEFAULT_SPONSORED_LABEL"] = DEFAULT_SPONSORED_LABEL  # when HUB_SPONSORED_LABEL is not set
    env.filters["image_size"] = lambda path: image_size(content_root / str(path))
    # Without the image pipeline: plain <img> (the pipeline sets its own, whichever runs first).
    env.filters.setdefault("responsive", lambda path: None)
    env.filters.setdefault("srcset_base", lambda srcset, base: srcset)


def collect_legal_pages(generator: Any) -> None:
    slugs = read(LEGAL_PAGES, generator.settings)
    candidates = list(generator.pages) + list(generator.hidden_pages)
    by_slug = {page.slug: page for page in candidates if page.lang == generator.settings["DEFAULT_LANG"]}
    generator.context["LEGAL_PAGES"] = [by_slug[slug] for slug in slugs if slug in by_slug]


def collect_nav_categories(generator: Any) -> None:
    generator.context["NAV_CATEGORIES"] = [category for category, _ in generator.context.get("categories") or ()]


CONNECTIONS = (
    (signals.generator_init, add_filters),
    (signals.page_generator_finalized, collect_legal_pages),
    (signals.article_generator_finalized, collect_nav_categories),
    (signals.article_generator_finalized, listings.plan),
    (signals.article_writer_finalized, listings.write),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
