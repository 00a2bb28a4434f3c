"""Which feeds exist and which posts each carries; the links templates put in <head>.

The main feed carries the default language; every other language has its own
feed. Category, author and tag feeds carry the default language too (they are
the feeds of German listing pages), so a translation appears in exactly one
feed family: its language's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .model import MIME, FeedLink, FeedSpec, Post
from .settings import FeedSettings

FORMAT_NAMES = {"atom": "Atom", "rss": "RSS"}
TOPIC_KINDS = ("category", "author", "tag")
# (kind, name, lang) -> (title, subtitle); kind "all" and "language" have no name.
Naming = Callable[[str, str, str], tuple[str, str]]


def newest_first(posts: Sequence[Post]) -> list[Post]:
    return sorted(posts, key=lambda p: (p.published, p.id), reverse=True)


def plan_feeds(posts: Sequence[Post], settings: FeedSettings, default_lang: str, naming: Naming) -> list[FeedSpec]:
    """Every feed with at least one post, in a stable order; empty feeds are not written (or linked)."""
    ordered = newest_first(posts)
    specs: list[FeedSpec] = []

    def add(kind: str, key: str, feed_lang: str, name: str, page: str, members: list[Post], **values: str) -> None:
        if not members or kind not in settings.paths:
            return
        title, subtitle = naming(kind, name, feed_lang)
        paths = tuple((fmt, settings.path(kind, fmt, **values) or "") for fmt in settings.formats)
        ids = tuple(p.id for p in members[: settings.max_items])
        specs.append(FeedSpec(kind, key, feed_lang, title, subtitle, page, paths, ids))

    main = [p for p in ordered if p.lang == default_lang]
    add("all", "", default_lang, "", "", main)
    for lang in sorted({p.lang for p in ordered} - {default_lang}):
        add("language", lang, lang, "", "", [p for p in ordered if p.lang == lang], lang=lang)
    for kind in TOPIC_KINDS:
        topics = {t.slug: t for p in main for t in p.topics if t.kind == kind}
        for slug in sorted(topics):
            members = [p for p in main if any(t.kind == kind and t.slug == slug for t in p.topics)]
            add(kind, slug, default_lang, topics[slug].name, topics[slug].page, members, slug=slug)
    return specs


class FeedIndex:
    """In the template context as HUB_FEED_LINKS: which feeds a page links to."""

    def __init__(self, specs: Sequence[FeedSpec], default_lang: str) -> None:
        self.specs = tuple(specs)
        self.default_lang = default_lang
        self._by_key = {(s.kind, s.key): s for s in self.specs}

    def feed(self, kind: str, key: str) -> FeedSpec | None:
        return self._by_key.get((kind, key))

    def main_feed(self, lang: str | None) -> FeedSpec | None:
        lang = str(lang or self.default_lang)
        return self.feed("all", "") if lang == self.default_lang else self.feed("language", lang)

    def main(self, lang: str | None = None) -> FeedLink | None:
        """The first format of the main feed of `lang`: the footer's "subscribe" link."""
        spec = self.main_feed(lang)
        return _links(spec)[0] if spec else None

    def links(
        self, lang: str | None = None, category: Any = None, author: Any = None, tag: Any = None, article: Any = None
    ) -> list[FeedLink]:
        """Every page: its language's main feed; topic pages: the topic's feed; posts: their category's
        and their language's. A topic's feed carries the default language's posts, so pages in another
        language (an English post, `en/category/…`) link their language's feed alone.
        Arguments may be Jinja's Undefined (falsy) on pages without them."""
        specs = [self.main_feed(lang)]
        if article:
            specs.append(self.main_feed(getattr(article, "lang", None)))
            category = category or getattr(article, "category", None)
        for kind, topic in (("category", category), ("author", author), ("tag", tag)):
            spec = self.feed(kind, str(getattr(topic, "slug", ""))) if topic else None
            if spec is not None and spec.lang == str(lang or self.default_lang):
                specs.append(spec)
        unique = dict.fromkeys(s for s in specs if s is not None)
        return [link for spec in unique for link in _links(spec)]


def _links(spec: FeedSpec) -> list[FeedLink]:
    return [FeedLink(path, MIME[fmt], f"{spec.title} ({FORMAT_NAMES[fmt]})", fmt) for fmt, path in spec.paths]
