"""What one page tells search engines and social networks: canonical URL, OpenGraph, Twitter Card, JSON-LD.

`_page_meta.html` loops over the result; og:image and twitter:card stay in the
templates' `social_meta` block (they depend on the social cards).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .content import Site, lang_of, last_modified, plain_text, published, shorten, sponsored_title, translations
from .jsonld import blog_posting

Kind = Literal["article", "page", "listing", "not_found"]


@dataclass(frozen=True)
class View:
    """The page being rendered."""

    kind: Kind
    path: str  # site-relative URL of this page
    title: str  # as social networks should show it (without the site name: og:site_name says that)
    lang: str
    item: Any = None  # the post or page, for articles and pages


@dataclass(frozen=True)
class PageMeta:
    url: str | None  # canonical URL; None for pages that must not be indexed (404)
    properties: tuple[tuple[str, str], ...]  # <meta property=…>: og:* and article:*
    names: tuple[tuple[str, str], ...]  # <meta name=…>: twitter:*
    json_ld: dict[str, Any] | None  # BlogPosting on posts


def canonical_url(view: View, site: Site) -> str | None:
    """The page's own absolute URL, unless its front matter names another (`canonical_url`)."""
    if view.kind == "not_found":
        return None
    declared = getattr(view.item, "canonical_url", None) if view.item is not None else None
    return site.absolute(declared or view.path)


def page_meta(view: View, site: Site) -> PageMeta:
    url = canonical_url(view, site)
    item = view.item
    description = shorten(plain_text(getattr(item, "summary", None))) if item is not None else ""
    description = description or site.description
    is_article = view.kind == "article"
    props: list[tuple[str, str]] = [
        ("og:type", "article" if is_article else "website"),
        ("og:title", view.title),
        ("og:description", description),
    ]
    if url:
        props.append(("og:url", url))
    props += [("og:site_name", site.name), ("og:locale", site.locale(view.lang))]
    others = sorted({lang_of(t, site.default_lang) for t in translations(item)} - {view.lang})
    props += [("og:locale:alternate", site.locale(lang)) for lang in others]
    if is_article:
        props += _article_properties(item, site)
    names = (("twitter:title", view.title), ("twitter:description", description))
    json_ld = blog_posting(item, site, url or site.absolute(view.path)) if is_article else None
    return PageMeta(url, tuple(props), names, json_ld)


def _article_properties(article: Any, site: Site) -> list[tuple[str, str]]:
    props = []
    date, modified = published(article), last_modified(article)
    if date is not None:
        props.append(("article:published_time", date.isoformat()))
    if modified is not None:
        props.append(("article:modified_time", modified.isoformat()))
    # OpenGraph's article:author is a profile: the author's page on this blog.
    props += [("article:author", site.absolute(a.url)) for a in getattr(article, "authors", None) or []]
    category = getattr(article, "category", None)
    if category is not None:
        props.append(("article:section", category.name))
    props += [("article:tag", tag.name) for tag in getattr(article, "tags", None) or []]
    return props


def article_view(article: Any, default_lang: str, site: Site) -> View:
    return View("article", article.url, sponsored_title(article, site), lang_of(article, default_lang), article)


__all__ = ["PageMeta", "Site", "View", "article_view", "canonical_url", "page_meta"]
