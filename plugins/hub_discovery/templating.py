"""The Jinja side: `page_meta()` reads which page is being rendered from the template context.

Pelican renders posts with `article`, pages with `page`, listings with `category`,
`tag`, `author` or nothing but `output_file`; this is the only module that knows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hub_core.options import read
from hub_core.sponsored import DEFAULT_SPONSORED_LABEL, SPONSORED_LABEL
from hub_theme.strings import translate
from jinja2 import pass_context

from .content import DEFAULT_LOCALES, Site, lang_of
from .meta import Kind, PageMeta, View, article_view, page_meta
from .options import OG_LOCALES, PUBLISHER_LOGO, PUBLISHER_LOGO_SIZE
from .urls import url_of_file

CARD_SIZE = (1200, 630)  # hub_images's social cards
# Direct templates whose interface text has another name (the index is the site's name; others,
# such as 'search', are their own key).
LISTING_TITLES = {"archives": "archive", "categories": "categories", "tags": "tags", "authors": "authors"}


def site_from(context: Mapping[str, Any]) -> Site:
    company = context.get("COMPANY") or {}
    logo = read(PUBLISHER_LOGO, context) or ""
    size = read(PUBLISHER_LOGO_SIZE, context)
    if not logo and context.get("SITE_SOCIAL_CARD"):
        # No raster logo configured: the site's social card (logo and name on 1200×630) stands in.
        logo, size = context["SITE_SOCIAL_CARD"], CARD_SIZE
    return Site(
        url=str(context.get("SITEURL") or ""),
        name=str(context.get("SITENAME") or ""),
        description=str(_subtitle(context) or context.get("SITENAME") or ""),
        default_lang=str(context.get("DEFAULT_LANG") or "de"),
        company_name=str(company.get("name") or ""),
        company_url=str(company.get("url") or ""),
        publisher_logo=str(logo),
        publisher_logo_size=(int(size[0]), int(size[1])) if size else None,
        locales={**DEFAULT_LOCALES, **(read(OG_LOCALES, context) or {})},
        sponsored_label=str(read(SPONSORED_LABEL, context) or DEFAULT_SPONSORED_LABEL),
    )


def _subtitle(context: Mapping[str, Any]) -> str:
    """SITESUBTITLE in the page's language (the theme's SITESUBTITLE_TRANSLATIONS; a listing of another
    language has its language as DEFAULT_LANG)."""
    translated = context.get("SITESUBTITLE_TRANSLATIONS") or {}
    return str(translated.get(context.get("DEFAULT_LANG")) or context.get("SITESUBTITLE") or "")


def view_from(context: Mapping[str, Any], site: Site) -> View:
    default_lang = site.default_lang
    article = context.get("article")
    if article:
        return article_view(article, default_lang, site)
    output_file = str(context.get("output_file") or "")
    page = context.get("page")
    if page:
        kind: Kind = "not_found" if getattr(page, "template", "") == "404" or output_file == "404.html" else "page"
        return View(kind, page.url, str(page.title), lang_of(page, default_lang), page)
    return View("listing", url_of_file(output_file), _listing_title(context, site), default_lang)


def _listing_title(context: Mapping[str, Any], site: Site) -> str:
    lang = site.default_lang
    if context.get("category"):
        title = translate("posts_in", lang, name=context["category"].name)
    elif context.get("tag"):
        title = translate("posts_tagged", lang, name=context["tag"].name)
    elif context.get("author"):
        title = str(context["author"].name)
    elif context.get("period"):
        title = f"{translate('archive', lang)} {' '.join(str(p) for p in context['period'])}"
    else:
        title = _direct_template_title(_direct_template(context), lang, site)
    page = context.get("articles_page")
    paginator = context.get("articles_paginator")
    if page is not None and paginator is not None and page.number > 1:
        title += " · " + translate("page_of", lang, number=page.number, total=paginator.num_pages)
    return title


def _direct_template_title(name: str | None, lang: str, site: Site) -> str:
    """The interface text of a direct template ('archives' → 'Archiv', 'search' → 'Suche'), else the site's name."""
    if name is None or name == "index":
        return site.name
    try:
        return translate(LISTING_TITLES.get(name, name), lang)
    except KeyError:  # a template without an interface text of its name
        return site.name


def _direct_template(context: Mapping[str, Any]) -> str | None:
    """Which of DIRECT_TEMPLATES writes this file (page 1's file for paginated listings)."""
    paginator = context.get("articles_paginator")
    first = paginator.name if paginator is not None else context.get("output_file")
    for name in context.get("DIRECT_TEMPLATES") or ():
        if context.get(f"{name.upper()}_SAVE_AS", f"{name}.html") == first:
            return str(name)
    return None


@pass_context
def page_meta_global(context: Any) -> PageMeta:
    """`{% set meta = page_meta() %}` in any template."""
    site = site_from(context)
    return page_meta(view_from(context, site), site)
