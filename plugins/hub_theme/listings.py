"""The listings of the other languages, read from Pelican's posts and written with the theme's templates.

`plan` (article_generator_finalized) decides which listings exist (hub_theme.languages) and puts them
into the templates' context as LANGUAGE_LISTINGS and into the build state (LANGUAGE_PAGES: with the
posts of each listing, for the writer and the sitemap). `write` (article_writer_finalized) renders
each listing of another language with the template Pelican uses for the default language's, with
that language's posts, paginated like Pelican does (`en/page/2/`). The pages see their language as
DEFAULT_LANG, as the other languages' search pages do (hub_search) and as each sub-site of Pelican's
i18n_subsites plugin does: the theme then speaks that language on them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from hub_core import state
from pelican.paginator import PaginationRule, Paginator

from .languages import OTHER_LANGUAGE_PAGE, SITE_KINDS, TOPIC_KINDS, LanguageListings, Listing, Topics, plan_listings
from .slots import LANGUAGE_PAGES, LanguagePages

CONTEXT_KEY = "LANGUAGE_LISTINGS"
# Pelican's kind of a topic listing -> the attribute of a post holding its topics.
TOPIC_ATTRIBUTES = {"category": "category", "tag": "tags", "author": "authors"}


def topics_of(article: Any, default_lang: str) -> Topics:
    def pairs(values: Any) -> tuple[tuple[str, str], ...]:
        return tuple((str(value.slug), str(value.name)) for value in values or () if getattr(value, "slug", ""))

    category = getattr(article, "category", None)
    return Topics(
        lang=str(getattr(article, "lang", None) or default_lang),
        category=(str(category.slug), str(category.name)) if category is not None and category.slug else None,
        tags=pairs(getattr(article, "tags", None)),
        authors=pairs(getattr(article, "authors", None)),
    )


def url_of(save_as: str) -> str:
    """A direct template's URL as the theme links it: "archiv/" for archiv/index.html, "" for the start page."""
    return save_as[: -len("index.html")] if save_as.endswith("index.html") else save_as


def listed_articles(generator: Any) -> list[Any]:
    """Every post a listing of some language may show: the originals and their translations, newest first."""
    articles = list(generator.articles) + list(generator.translations)
    return sorted(articles, key=attrgetter("date"), reverse=True)


def plan(generator: Any) -> None:
    """Which listings every language has, once the posts (and the review gate's verdict) are known."""
    settings = generator.settings
    default_lang = settings["DEFAULT_LANG"]
    articles = listed_articles(generator)
    topics = [topics_of(article, default_lang) for article in articles]
    default_urls = {
        kind: url_of(settings.get(f"{kind.upper()}_SAVE_AS", f"{kind}.html"))
        for kind in SITE_KINDS
        if kind in settings.get("DIRECT_TEMPLATES", ()) and settings.get(f"{kind.upper()}_SAVE_AS", f"{kind}.html")
    }
    # The default language's topic listings only where another language has the same topic: the
    # templates need them to link across, and a German tag alone must not re-render every page.
    shared = {(kind, slug) for t in topics if t.lang != default_lang for kind in TOPIC_KINDS for slug, _ in t.of(kind)}
    groups = [
        *(("category", c) for c, _ in generator.categories),
        *(("tag", t) for t, _ in generator.tags.items()),
        *(("author", a) for a, _ in generator.authors),
    ]
    default_topics = [
        Listing(kind, default_lang, topic.url, topic.slug, topic.name)
        for kind, topic in groups
        if (kind, topic.slug) in shared and topic.save_as
    ]
    listings = plan_listings(default_lang, default_urls, default_topics, topics)
    members = {
        (listing.kind, listing.lang, listing.slug): members_of(listing, articles, default_lang)
        for listing in listings.listings
        if listing.lang != default_lang
    }
    state.of(settings).put(LANGUAGE_PAGES, LanguagePages(listings, members))
    generator.context[CONTEXT_KEY] = listings


def members_of(listing: Listing, articles: Sequence[Any], default_lang: str) -> tuple[Any, ...]:
    """The posts of `listing`, newest first."""
    own = [a for a in articles if (getattr(a, "lang", None) or default_lang) == listing.lang]
    if listing.kind in TOPIC_KINDS:
        own = [a for a in own if listing.slug in {slug for slug, _ in topics_of(a, default_lang).of(listing.kind)}]
    return tuple(own)


def write(generator: Any, writer: Any) -> None:
    """Every listing of every other language, with the theme's template of the same kind."""
    settings = generator.settings
    pages = state.of(settings).get(LANGUAGE_PAGES)
    if pages is None:
        return
    default_lang = settings["DEFAULT_LANG"]
    for listing in pages.listings.listings:
        if listing.lang == default_lang:
            continue
        articles = pages.members[(listing.kind, listing.lang, listing.slug)]
        write_listing(generator, writer, listing, list(articles), pages)


def write_listing(generator: Any, writer: Any, listing: Listing, articles: list[Any], pages: LanguagePages) -> None:
    settings = generator.settings
    dates = sorted(articles, key=attrgetter("date"), reverse=bool(settings.get("NEWEST_FIRST_ARCHIVES", True)))
    values: dict[str, Any] = {"articles": articles, "dates": dates, "blog": True, "DEFAULT_LANG": listing.lang}
    if listing.kind in TOPIC_KINDS:
        values[listing.kind] = topic_object(articles, listing)
        values["all_articles"] = articles
    else:  # the site listings show this language's topics, not Pelican's of the default language
        values["categories"] = groups(pages, listing.lang, "category")
        values["tags"] = groups(pages, listing.lang, "tag")
        values["authors"] = groups(pages, listing.lang, "author")
    template = generator.get_template(listing.kind)
    relative = settings["RELATIVE_URLS"]
    paginated = settings.get("PAGINATED_TEMPLATES", {})
    if listing.kind not in paginated:
        writer.write_file(
            listing.save_as, template, generator.context, relative_urls=relative, url=listing.url, **values
        )
        return
    per_page = paginated[listing.kind] or settings["DEFAULT_PAGINATION"]
    # Pelican's paginator with this language's pattern (the settings' PAGINATION_PATTERNS are the default language's).
    rules = (
        PaginationRule(1, "{url}", "{save_as}"),
        PaginationRule(2, OTHER_LANGUAGE_PAGE, OTHER_LANGUAGE_PAGE + "index.html"),
    )
    paginator = Paginator(listing.save_as, listing.url, articles, {**settings, "PAGINATION_PATTERNS": rules}, per_page)
    for number in range(1, paginator.num_pages + 1):
        page = paginator.page(number)
        writer.write_file(
            page.save_as,
            template,
            generator.context,
            relative_urls=relative,
            url=page.url,
            articles_paginator=paginator,
            articles_page=page,
            articles_previous_page=paginator.page(number - 1) if number > 1 else None,
            articles_next_page=paginator.page(number + 1) if number < paginator.num_pages else None,
            page_name=os.path.splitext(page.save_as)[0],
            **values,
        )


def topic_object(articles: Sequence[Any], listing: Listing) -> Any:
    """Pelican's Category, Tag or Author object of the listing, taken from one of its posts."""
    attribute = TOPIC_ATTRIBUTES[listing.kind]
    for article in articles:
        value = getattr(article, attribute, None)
        for topic in value if isinstance(value, list | tuple) else [value]:
            if topic is not None and getattr(topic, "slug", None) == listing.slug:
                return topic
    raise LookupError(f"no post of {listing.url} has the {listing.kind} {listing.slug!r}")


def groups(pages: LanguagePages, lang: str, kind: str) -> list[tuple[Any, list[Any]]]:
    """(topic, posts) per topic of `lang`, as Pelican hands `categories`, `tags` and `authors` to templates."""
    found = []
    for listing in pages.listings.topics(kind, lang):
        members = list(pages.members[(kind, lang, listing.slug)])
        found.append((topic_object(members, listing), members))
    return found


__all__ = ["CONTEXT_KEY", "LanguageListings", "plan", "write"]
