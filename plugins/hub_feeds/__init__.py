"""feeds: Atom 1.0 and RSS 2.0 for the whole site, each language, category and author (tags if asked).

The only feed generator of the site (Pelican's own FEED_* settings stay None).
Feeds carry what a production build publishes: posts the review gate lets out,
also in development, where they use HUB_FEEDS["dev_siteurl"] (the address of
`invoke serve`) as their base, since a feed needs absolute URLs.

The main feed carries the default language, every other language has its own
feed; category, author and tag feeds carry the default language. Entry ids are
tag URIs (HUB_UID_DOMAIN, date of publication, language, slug) and never
change; `updated` moves only when what readers see changes (see entries.py).
Templates get HUB_FEED_LINKS (plan.FeedIndex) for <link rel="alternate">.

Settings: options.py (HUB_FEEDS: a dict over settings.DEFAULTS: output path per feed kind
("all", "language", "category", "author", "tag"; None = none), "formats", "max_items",
"dev_siteurl"); hub_review's HUB_UID_DOMAIN is the authority of the entry ids (never change it
once published).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hub_core import build_tracking, state
from hub_core.files import write_atomically
from hub_core.i18n import translator
from hub_core.options import read
from hub_core.sponsored import SPONSORED_LABEL
from hub_images.slots import IMAGES
from hub_review.options import UID_DOMAIN
from hub_review.slots import REVIEW
from pelican import signals

from .articles import enclosure_finder, entry_of, post_id, post_of
from .model import FeedMeta, FeedSpec
from .options import FEEDS
from .plan import FeedIndex, Naming, plan_feeds
from .render import render_feed
from .settings import FeedSettings, parse_settings
from .slots import FEED_ARTICLES, FEED_PLAN, FEED_SETTINGS

if TYPE_CHECKING:
    from hub_review.gate import GateResult

logger = logging.getLogger(__name__)
_, ngettext = translator("hub_feeds")
PREFIX = "feeds:"
INDEX_KEY = "HUB_FEED_LINKS"  # in the template context
PELICAN_FEEDS = tuple(
    f"{prefix}FEED_{fmt}"
    for prefix in ("", "CATEGORY_", "AUTHOR_", "TAG_", "TRANSLATION_")
    for fmt in (("ATOM", "RSS", "ALL_ATOM", "ALL_RSS") if not prefix else ("ATOM", "RSS"))
)


def check_settings(generator: Any) -> None:
    """Read HUB_FEEDS (judged with every other setting when the build started: options.py) for the build."""
    settings = generator.settings
    # Two generators would write two sets of feeds with different ids for the same posts.
    for name in PELICAN_FEEDS:
        if settings.get(name):
            logger.warning(
                "%s %s", PREFIX, _("Pelican's own {setting} is set too: set it to None").format(setting=name)
            )
    state.of(settings).put(FEED_SETTINGS, parse_settings(read(FEEDS, settings))[0])


def feed_settings(settings: dict[str, Any]) -> FeedSettings:
    build = state.running(settings)
    parsed = build.get(FEED_SETTINGS) if build else None
    return parsed if parsed is not None else parse_settings(read(FEEDS, settings))[0]


def gate_result(settings: dict[str, Any]) -> GateResult | None:
    """hub_review's result (which posts go out, which approvals count); None without the gate."""
    review = state.of(settings).get(REVIEW)
    return review.result if review else None


def site_url(settings: dict[str, Any]) -> str:
    """The absolute base of every feed URL: SITEURL, or in development the `invoke serve` address."""
    url = str(settings.get("SITEURL") or "").rstrip("/")
    return url if url.startswith(("http://", "https://")) else feed_settings(settings).dev_siteurl


def uid_domain(settings: dict[str, Any]) -> str:
    return str(read(UID_DOMAIN, settings) or urlsplit(site_url(settings)).hostname or "localhost")


def published_articles(generator: Any) -> list[Any]:
    """Articles and translations a production build publishes (the gate's word, also in development)."""
    articles = list(generator.articles) + list(generator.translations)
    result = gate_result(generator.settings)
    if result is None:
        return articles
    goes_out = {p.item.source for p in result.posts if p.goes_out}
    # Posts the gate does not know (stock Pelican Markdown) are not part of the editorial flow.
    return [a for a in articles if Path(a.source_path) in goes_out or Path(a.source_path) not in result.by_source]


def naming(settings: dict[str, Any]) -> Naming:
    """Feed titles in the theme's words (hub_theme's interface texts)."""
    try:
        from hub_theme.strings import STRINGS, translate
    except ImportError:  # without the hub theme's plugin: names only
        STRINGS = {}

    site, tagline = settings.get("SITENAME", ""), settings.get("SITESUBTITLE") or ""

    def text(key: str, lang: str, fallback: str, **values: str) -> str:
        # Only the language's own words: translate() would fall back to German.
        if key not in STRINGS.get(lang, {}):
            return fallback
        return translate(key, lang, **values)

    def name(kind: str, topic: str, lang: str) -> tuple[str, str]:
        if kind == "all":
            return site, tagline or site
        if kind == "language":
            language = text(f"language_{lang}", lang, lang)
            return f"{site} · {language}", text("feed_posts_in_language", lang, tagline or site)
        key = {"category": "posts_in", "author": "posts_by", "tag": "posts_tagged"}[kind]
        return f"{site} · {text(key, lang, topic, name=topic)}", tagline or site

    return name


def plan(generator: Any) -> None:
    """Decide the feeds once the posts are known, so every page can link them."""
    settings = generator.settings
    domain = uid_domain(settings)
    posts = [post_of(a, domain) for a in published_articles(generator)]
    specs = plan_feeds(posts, feed_settings(settings), settings["DEFAULT_LANG"], naming(settings))
    state.of(settings).put(FEED_PLAN, tuple(specs))
    # Pages link the feeds, they do not list their posts: without the posts, a new post changes no
    # page's inputs through this (hub_page_cache digests what templates read), only the feeds' files.
    shown = [replace(spec, post_ids=()) for spec in specs]
    generator.context[INDEX_KEY] = FeedIndex(shown, settings["DEFAULT_LANG"])


def write_feeds(generator: Any, writer: Any = None) -> None:
    """Render every planned feed and write it into the output (atomically; unchanged files untouched)."""
    settings = generator.settings
    specs = state.of(settings).get(FEED_PLAN)
    if not specs:
        return
    base = site_url(settings)
    domain = uid_domain(settings)
    output = Path(generator.output_path)
    by_id = {post_id(a, domain): a for a in published_articles(generator)}
    images = state.of(settings).get(IMAGES)
    find_enclosure = enclosure_finder(base, images.processed if images else None, [output, Path(settings["PATH"])])
    entries = {}
    for spec in specs:
        for entry_id in spec.post_ids:
            if entry_id not in entries:
                entries[entry_id] = entry_of(
                    by_id[entry_id],
                    siteurl=base,
                    domain=domain,
                    sponsored_label=read(SPONSORED_LABEL, settings),
                    gate_result=gate_result(settings),
                    enclosure_of=find_enclosure,
                )
    written = total = 0
    for spec in specs:
        for fmt, path in spec.paths:
            data = render_feed(fmt, feed_meta(spec, fmt, path, base, generator), [entries[i] for i in spec.post_ids])
            written += write_atomically(output / path, data)
            total += 1
    shown = ngettext("{count} feed file written, {total} in all", "{count} feed files written, {total} in all", written)
    logger.info("%s %s", PREFIX, shown.format(count=written, total=total))


def feed_meta(spec: FeedSpec, fmt: str, path: str, base: str, generator: Any) -> FeedMeta:
    settings = generator.settings
    card = generator.context.get("SITE_SOCIAL_CARD")  # set by the image pipeline
    theme_static = settings.get("THEME_STATIC_DIR", "theme")
    favicon = Path(settings["THEME"]) / "static" / "img" / "favicon.svg"
    atom_path = dict(spec.paths).get("atom", path)
    return FeedMeta(
        id=f"{base}/{atom_path}",
        title=spec.title,
        subtitle=spec.subtitle,
        lang=spec.lang,
        self_url=f"{base}/{path}",
        page_url=f"{base}/{spec.page}",
        logo=f"{base}/{card}" if card else None,
        icon=f"{base}/{theme_static}/img/favicon.svg" if favicon.is_file() else None,
        author=str(settings.get("AUTHOR") or settings.get("SITENAME") or ""),
    )


def keep_articles(generator: Any, writer: Any = None) -> None:
    """The pages are written; the feeds wait for the end: an enclosure states its image's size in bytes,
    known only once the image pipeline, working beside the build, has made the file."""
    state.of(generator.settings).put(FEED_ARTICLES, generator)


def write_feeds_at_end(pelican: Any) -> None:
    generator = state.of(pelican.settings).get(FEED_ARTICLES)
    if generator is not None:
        write_feeds(generator)


CONNECTIONS = (
    (signals.article_generator_init, check_settings),
    (signals.article_generator_finalized, plan),
    (signals.article_writer_finalized, keep_articles),
    (signals.finalized, write_feeds_at_end),
)


def register() -> None:
    build_tracking.track_builds()
    for signal, handler in CONNECTIONS:
        signal.connect(handler)
